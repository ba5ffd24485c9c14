"""Finds the string literals of a JavaScript module that a person would read: text with a
letter that is not a CSS selector, a class list, a URL, an event or a data name, and that is
not already an argument of `_(...)`/`ngettext(...)` (static/js/i18n.js)."""
from __future__ import annotations

import re

LITERAL = re.compile(r"""//[^\n]*|/\*.*?\*/|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`""", re.S)
TRANSLATED_CALL = re.compile(r"(?<![\w.])(_|ngettext)\(\s*$")
PLURAL_SECOND = re.compile(r"""(?<![\w.])ngettext\(\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'),\s*$""")
# Literals that are code, not prose: selectors, class names, attribute/event names, URLs, formats.
CODE_LIKE = re.compile(
    r"""^(?:[.#\[:*>~+][^\s]*|[\w:.#\[\]=\-"'>*~+ ,()^$|]*\[[^\]]*\][\w\s.#\-\[\]=":>,()]*|"""  # selectors
    r"""[a-z0-9_\-]+(?:[ ._:/\-,=]+[a-z0-9_\-]*)*|"""  # lowercase identifiers, class lists, event names
    r"""/[^\s]*|https?://\S+|[A-Z_]+|[a-z]+[A-Z]\w*|\s*)$""")
ALLOWED_PROSE = {"Content-Type", "application/json", "POST", "PATCH", "DELETE", "GET", "PUT",
                 "Idempotency-Key", "X-CSRFToken", "Enter", "Escape", "ArrowDown", "ArrowUp", "Tab",
                 "Home", "End", "Space", "Accept", "Authorization", "Retry-After", "Backspace"}


def candidate_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of literals that look like words for people and are not inside t()."""
    found = []
    for match in LITERAL.finditer(source):
        token = match.group(0)
        if token.startswith("/"):
            continue
        body = token[1:-1]
        if token[0] == "`":
            body = re.sub(r"\$\{[^}]*\}", "", body)
        line = source.count("\n", 0, match.start()) + 1
        before = source[max(0, match.start() - 400):match.start()]
        if TRANSLATED_CALL.search(before[-12:]) or PLURAL_SECOND.search(before):
            continue
        if not re.search(r"[A-Za-z]{2}", body):
            continue
        stripped = body.strip()
        words = re.findall(r"[^\s]+", stripped)
        template_prose = token[0] == "`" and len(words) >= 2 and all(re.fullmatch(r"[A-Za-z]+[.,:;!?]?", w) for w in words)
        if not template_prose and (stripped in ALLOWED_PROSE or CODE_LIKE.match(stripped)):
            continue
        if re.search(r"[<>]|=\"|\$\{|\\u|^\W", body) and not re.search(r"[A-Za-z]+ [a-z]+ [a-z]+", body):
            continue
        found.append((line, body))
    return found
