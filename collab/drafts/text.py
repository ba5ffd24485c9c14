"""One form for clause text, whichever way it came in (editor, import, API).

Browsers send textarea line breaks as CRLF and editors leave trailing spaces: neither is a
change anyone made, so clause text is stored, and compared, in its normal form."""
from __future__ import annotations


def normalize_text(text: str) -> str:
    """Line breaks as `\\n`, no trailing spaces on any line, no blank lines at either end."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def same_text(a: str | None, b: str | None) -> bool:
    """Whether two clause texts read the same once normalised (old rows may hold CRLF)."""
    if a is None or b is None:
        return a is b
    return a == b or normalize_text(a) == normalize_text(b)
