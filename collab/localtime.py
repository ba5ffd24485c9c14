"""The district's own clock. Times are stored and exchanged (API, events) in UTC; people
schedule and read them in the district's time zone (`DISTRICT_TIME_ZONE`, an IANA name)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from flask import current_app

from .errors import Invalid
from .timeutil import isoformat, parse_iso
from flask_babel import lazy_gettext as _l

DEFAULT_TIME_ZONE = "America/New_York"


def valid_zone(name: str) -> ZoneInfo:
    """The zone of that IANA name; a clear start-up error for a misspelt one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise RuntimeError(f"DISTRICT_TIME_ZONE={name!r} is not a time zone name "
                           "such as America/New_York or America/Chicago.") from error


def district_zone() -> ZoneInfo:
    return valid_zone(current_app.config.get("DISTRICT_TIME_ZONE") or DEFAULT_TIME_ZONE)


def to_local(value: str | datetime) -> datetime:
    """A stored (naive UTC) or ISO time as an aware time in the district's zone."""
    moment = parse_iso(value, "time") if isinstance(value, str) else value
    return moment.replace(tzinfo=timezone.utc).astimezone(district_zone())


def format_local(value: str | datetime | None) -> str:
    """'Tue 1 Dec 2026, 09:00 EST' ('mar 1 dic 2026, 09:00 EST' in Spanish): the district's
    local time, with its zone, in the language of the page or mail being written."""
    if value is None or value == "":
        return ""
    moment = to_local(value)
    locale = _locale()
    zone = moment.strftime("%Z")
    return f"{format_datetime(moment, 'EEE d MMM y, HH:mm', tzinfo=moment.tzinfo, locale=locale)} {zone}"


def _locale() -> str:
    """The language being written in (a request, or a mail under force_locale); English else."""
    try:
        from flask_babel import get_locale

        return str(get_locale() or "en")
    except (RuntimeError, AttributeError):
        return "en"


def local_input_value(value: str | datetime | None) -> str:
    """A time as an <input type=datetime-local> value in the district's zone."""
    if value is None or value == "":
        return ""
    return to_local(value).strftime("%Y-%m-%dT%H:%M")


def local_input_to_iso(text: str | None, field: str) -> str | None:
    """A datetime-local form value, read as the district's local time, as ISO UTC.
    Empty stays None; a value with its own offset keeps it."""
    if text is None or not text.strip():
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(_l("%(field)s is not a date and time (expected e.g. 2026-12-01T09:00).", field=field), "invalid_datetime")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=district_zone())
    return isoformat(parsed.astimezone(timezone.utc).replace(tzinfo=None))


def zone_label() -> str:
    """The zone's name for form labels: 'America/New_York'."""
    return district_zone().key
