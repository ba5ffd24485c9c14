"""Input checks shared by the services and the HTTP edge.

Two rules hold for every input, on SQLite and PostgreSQL alike:
- Text may not hold NUL, other C0 control characters than tab, line feed and carriage
  return, or lone UTF-16 surrogates: 400 `invalid_text`. PostgreSQL cannot store NUL,
  SQLite cannot encode a surrogate, and Word export cannot write control characters.
- Whole numbers fit a signed 64-bit integer: out of range is 400 `invalid_<field>` in
  a body or query, and 404 as an id in a path (collab/http.py's `int` URL converter).
"""
from __future__ import annotations

import re

from .errors import Invalid, TooLarge
from flask_babel import lazy_gettext as _l

SMALLEST_INT = -(2 ** 63)
LARGEST_INT = 2 ** 63 - 1
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
DECIMAL_DIGITS = re.compile("[0-9]+")


def unsafe_character(text: str) -> str | None:
    """The first character the text rule refuses, as U+XXXX, or None."""
    found = UNSAFE_CHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def safe_text(text: str, field: str) -> str:
    character = unsafe_character(text)
    if character:
        raise Invalid(_l("%(field)s contains a character that cannot be stored (%(character)s, an invisible control character or a broken one). Remove it and try again.", field=field, character=character), "invalid_text")
    return text


def check_json_value(value: object, max_depth: int = 32) -> None:
    """Apply the text rule to every key and string of a parsed JSON value, and refuse
    nesting deeper than any request needs. Iterative: a deep value must not exhaust the stack."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            safe_text(item, "The request")
        elif isinstance(item, (dict, list)):
            if depth > max_depth:
                raise Invalid(_l("The request body is nested more than %(max_depth)s levels deep.", max_depth=max_depth), "malformed_json")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


def required_text(value: object, field: str, max_length: int, *, strip: bool = True) -> str:
    if not isinstance(value, str):
        raise Invalid(_l("%(field)s must be text.", field=field), f"invalid_{field}")
    safe_text(value, field)
    text = value.strip() if strip else value
    if not text.strip():
        raise Invalid(_l("%(field)s must not be empty.", field=field), f"empty_{field}")
    if len(text) > max_length:
        raise TooLarge(_l("%(field)s is longer than %(max_length)s characters.", field=field, max_length=max_length), f"{field}_too_long")
    return text


def optional_text(value: object, field: str, max_length: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return required_text(value, field, max_length)


def choice(value: object, field: str, allowed: tuple[str, ...] | set[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(sorted(allowed))
        raise Invalid(_l("%(field)s must be one of: %(options)s.", field=field, options=options), f"invalid_{field}")
    return value


def optional_int(value: object, field: str) -> int | None:
    """A whole number (or its decimal digits as text) within the 64-bit range, or None."""
    if value is None:
        return None
    if isinstance(value, str) and DECIMAL_DIGITS.fullmatch(value.strip()):
        digits = value.strip().lstrip("0") or "0"
        # Longer than any 64-bit number: refused below without converting thousands of digits.
        value = int(digits) if len(digits) <= 20 else LARGEST_INT + 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(_l("%(field)s must be a whole number.", field=field), f"invalid_{field}")
    if not SMALLEST_INT <= value <= LARGEST_INT:
        raise Invalid(_l("%(field)s is out of range.", field=field), f"invalid_{field}")
    return value


def id_list(value: object, field: str, *, required: bool = False) -> list[int]:
    """Distinct whole-number ids in the order given; None is an empty list unless required."""
    message = _l("%(field)s must be a %(value)slist of comment ids.", field=field, value='non-empty ' if required else '')
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise Invalid(message, f"invalid_{field}")
    ids: list[int] = []
    for raw in value:
        item = optional_int(raw, field)
        if item is None:
            raise Invalid(message, f"invalid_{field}")
        if item not in ids:
            ids.append(item)
    return ids
