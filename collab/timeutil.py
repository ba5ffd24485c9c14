"""UTC time helpers. Stored datetimes are naive UTC; the API speaks ISO 8601 with a Z."""
from __future__ import annotations

from datetime import datetime, timezone

from .errors import Invalid
from flask_babel import lazy_gettext as _l


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def isoformat(value: datetime | None) -> str | None:
    if value is None:
        return None
    # strftime's "%Y-%m-%dT%H:%M:%S.%fZ", at a fifth of its cost (a report writes two per row).
    if value.tzinfo is not None:  # strftime wrote the wall time as it was
        value = value.replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def parse_iso(value: object, field: str) -> datetime:
    """Parse an ISO 8601 string into naive UTC; a time without offset is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(_l("%(field)s must be an ISO 8601 date and time.", field=field), "invalid_datetime")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(_l("%(field)s is not a valid ISO 8601 date and time: %(value)s.", field=field, value=repr(value)), "invalid_datetime")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed
