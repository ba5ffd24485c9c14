"""Input checks shared by the services."""
from __future__ import annotations

from .errors import Invalid, TooLarge


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


def id_list(value: object, field: str, *, required: bool = False) -> list[int]:
    """Distinct whole-number ids in the order given; None is an empty list unless required."""
    message = f"{field} must be a {'non-empty ' if required else ''}list of comment ids."
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
