"""A clause's sentences, so a passage can be quoted by choosing sentences from a list
(keyboard and screen readers) instead of selecting text with a mouse or a finger."""
from __future__ import annotations

import re

# A sentence ends at . ! ? ; or : followed by a space, or at a line break; numbering such as
# "2.1" or "e.g." stays inside its sentence because no space follows the dot in "2.1"
# and lower-case words follow "e.g.".
_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"“(A-ZÁÉÍÓÚÑ0-9¿¡])|\n+")


def sentences(text: str) -> list[str]:
    """The clause's sentences in order, each an exact passage of `text`."""
    parts, start = [], 0
    for match in _END.finditer(text):
        part = text[start:match.start()].strip()
        if part:
            parts.append(part)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def passage_of(text: str, chosen: list[str]) -> str | None:
    """The passage from the first chosen sentence to the end of the last one (sentences in
    between are part of it: a quote is one passage). None when nothing is chosen; a sentence
    no longer in the text is left for the service to refuse (quote_not_found)."""
    chosen = [c for c in chosen if c and c.strip()]
    if not chosen:
        return None
    places = [(text.find(c), c) for c in chosen]
    if any(start < 0 for start, _ in places):
        return " ".join(chosen)
    first = min(start for start, _ in places)
    last = max(start + len(c) for start, c in places)
    return text[first:last]
