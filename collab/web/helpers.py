"""Small pieces the pages share: the signed-in user, time formatting, badge tones."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import url_for
from flask_login import current_user

from ..audience import shown_name
from ..auth import reader_or_none
from ..errors import Unauthenticated
from ..models.comments import KINDS
from ..models.users import ROLES
from ..timeutil import parse_iso
from .blueprint import web

KIND_LABELS = {"concern": "Concern", "suggestion": "Suggestion", "support": "Support", "question": "Question"}
ROLE_LABELS = {"admin": "Administrator", "facilitator": "Facilitator", "participant": "Participant",
               "observer": "Observer (reads only)"}
assert set(KIND_LABELS) == set(KINDS) and set(ROLE_LABELS) == set(ROLES)


def page_actor():
    """The signed-in user (routes are behind login_required, so there is one)."""
    if not current_user.is_authenticated:
        raise Unauthenticated("Sign in first.")
    return current_user._get_current_object()


def page_viewer():
    """The signed-in user, or None for a reader without an account."""
    return reader_or_none()


def safe_next(target: str | None) -> str:
    # Only local paths: never an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.documents")


@web.app_template_filter("utc")
def format_utc(value: str | datetime | None) -> str:
    """'Fri 27 Nov 2026, 14:05 UTC' — pages show times in UTC, labelled; the browser
    adds the reader's local time (static/js/time.js)."""
    if value is None:
        return ""
    moment = parse_iso(value, "time") if isinstance(value, str) else value
    return moment.strftime("%a %-d %b %Y, %H:%M UTC")


@web.app_template_filter("datetime_local")
def format_datetime_local(value: str | None) -> str:
    """An ISO time as a <input type=datetime-local> value (UTC)."""
    if not value:
        return ""
    return parse_iso(value, "time").strftime("%Y-%m-%dT%H:%M")


@web.app_context_processor
def _page_globals() -> dict:
    return {"group_tone": group_tone, "KIND_LABELS": KIND_LABELS, "ROLE_LABELS": ROLE_LABELS,
            "new_idempotency_key": lambda: secrets.token_urlsafe(16), "shown_name": shown_name}


# Default groups get a fixed tone; groups an admin adds later get one by their slug.
GROUP_TONES = {
    "families": 1, "students": 2, "educators": 3, "school-leaders": 4, "law-enforcement": 5,
    "juvenile-justice": 6, "civil-rights": 7, "community": 8, "district": 9,
}


TONE_COUNT = 9


def group_tone(slug: str) -> str:
    """The CSS class suffix of a group's badge colour (tone-1 … tone-9)."""
    tone = GROUP_TONES.get(slug) or sum(slug.encode("utf-8")) % TONE_COUNT + 1
    return f"tone-{tone}"
