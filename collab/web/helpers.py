"""Small pieces the pages share: the signed-in user, time formatting, badge tones."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import url_for
from flask_login import current_user

from ..errors import Unauthenticated
from ..models.comments import KINDS
from ..models.users import ROLES
from ..timeutil import parse_iso
from . import web
from .readmodels import group_tone

KIND_LABELS = {"concern": "Concern", "suggestion": "Suggestion", "support": "Support", "question": "Question",
               "reply": "Reply"}
ROLE_LABELS = {"admin": "Administrator", "facilitator": "Facilitator", "participant": "Participant",
               "observer": "Observer (reads only)"}
assert set(KIND_LABELS) == set(KINDS) and set(ROLE_LABELS) == set(ROLES)


def page_actor():
    """The signed-in user (routes are behind login_required, so there is one)."""
    if not current_user.is_authenticated:
        raise Unauthenticated("Sign in first.")
    return current_user._get_current_object()


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
            "new_idempotency_key": lambda: secrets.token_urlsafe(16)}
