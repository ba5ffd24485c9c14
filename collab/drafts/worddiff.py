"""Word-level differences between two texts, as segments a page can mark up."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(before: str, after: str) -> list[dict]:
    """[{op: equal|delete|insert, text}] turning `before` into `after`, word by word."""
    old, new = tokens(before), tokens(after)
    segments: list[dict] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1]["op"] == op:
            segments[-1]["text"] += text
        else:
            segments.append({"op": op, "text": text})

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(old[i1:i2]))
        else:
            add("delete", "".join(old[i1:i2]))
            add("insert", "".join(new[j1:j2]))
    return segments
