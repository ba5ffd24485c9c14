"""Find a comment's quoted passage again in a clause's new text.

Exact first (the passage is still there, where it was: `exact`; or elsewhere
in the clause: `moved`), then a tolerant word-level match (`fuzzy`), else `lost`:
the passage the comment was about changed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

FUZZY_THRESHOLD = 0.7
# Above this many word comparisons the tolerant search looks only near the old place.
SEARCH_BUDGET = 400_000

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Anchor:
    status: str  # exact | moved | fuzzy | lost
    start: int | None = None
    end: int | None = None

    def to_dict(self, version: int) -> dict:
        return {"status": self.status, "start": self.start, "end": self.end, "version": version}


def map_position(old_text: str, new_text: str, position: int) -> int:
    """Where a character position of the old text lands in the new text."""
    matcher = SequenceMatcher(None, old_text, new_text, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= position < i2 or (position == i2 == len(old_text)):
            if tag == "equal":
                return j1 + (position - i1)
            return j1
    return len(new_text)


def reanchor(quote: str, old_text: str, old_start: int | None, new_text: str) -> Anchor:
    """Place `quote` (which stood at `old_start` in `old_text`, if known) in `new_text`."""
    if not quote:
        return Anchor("lost")
    if old_start is None:
        found = old_text.find(quote)
        old_start = found if found >= 0 else None
    occurrences = [m.start() for m in re.finditer(re.escape(quote), new_text)]
    if occurrences:
        if old_start is None:
            return Anchor("moved", occurrences[0], occurrences[0] + len(quote))
        if old_text == new_text:
            return Anchor("exact", old_start, old_start + len(quote))
        expected = map_position(old_text, new_text, old_start)
        best = min(occurrences, key=lambda at: abs(at - expected))
        unchanged_before = new_text[:best] == old_text[:old_start]
        return Anchor("exact" if unchanged_before else "moved", best, best + len(quote))
    expected = map_position(old_text, new_text, old_start) if old_start is not None else None
    return fuzzy_find(quote, new_text, expected)


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def fuzzy_find(quote: str, text: str, near: int | None = None) -> Anchor:
    """The run of whole words in `text` most like `quote`, if alike enough."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    quote_words = quote.split()
    k = len(quote_words)
    if not words or not k:
        return Anchor("lost")
    target = _normalise(quote)
    spread = max(1, k // 3)
    starts = range(len(words))
    if near is not None and len(words) * (2 * spread + 1) * k > SEARCH_BUDGET:
        centre = min(range(len(words)), key=lambda i: abs(words[i][0] - near))
        starts = range(max(0, centre - 3 * k), min(len(words), centre + 3 * k))
    best_ratio, best_span = 0.0, None
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for i in starts:
        for length in range(max(1, k - spread), k + spread + 1):
            j = i + length - 1
            if j >= len(words):
                break
            candidate = _normalise(text[words[i][0]:words[j][1]])
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio or (ratio == best_ratio and best_span and near is not None
                                      and abs(words[i][0] - near) < abs(best_span[0] - near)):
                best_ratio, best_span = ratio, (words[i][0], words[j][1])
    if best_span is None or best_ratio < FUZZY_THRESHOLD:
        return Anchor("lost")
    return Anchor("fuzzy", *best_span)
