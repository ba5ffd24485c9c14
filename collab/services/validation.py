"""Input checks shared by the services."""
from __future__ import annotations

from ..errors import Invalid, TooLarge


def required_text(value: object, field: str, max_length: int, *, strip: bool = True) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{field} must be text.", f"invalid_{field}")
    text = value.strip() if strip else value
    if not text.strip():
        raise Invalid(f"{field} must not be empty.", f"empty_{field}")
    if len(text) > max_length:
        raise TooLarge(f"{field} is longer than {max_length} characters.", f"{field}_too_long")
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
        raise Invalid(f"{field} must be one of: {options}.", f"invalid_{field}")
    return value


def optional_int(value: object, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise Invalid(f"{field} must be a whole number.", f"invalid_{field}")
    return value
