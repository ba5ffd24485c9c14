"""Small pieces the pages share: the signed-in user, time formatting, badge tones."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import url_for
from flask_login import current_user

from ..errors import Unauthenticated
from ..models.comments import KINDS
from ..models.users import ROLES
from ..localtime import format_local, local_input_value, zone_label
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
    """'Fri 27 Nov 2026, 09:05 EST' — pages show times in the district's time zone, named;
    the browser may restate them in the reader's own zone (static/js/time.js)."""
    return format_local(value)


@web.app_template_filter("datetime_local")
def format_datetime_local(value: str | None) -> str:
    """An ISO time as a <input type=datetime-local> value, in the district's time zone."""
    return local_input_value(value)


@web.app_context_processor
def _page_globals() -> dict:
    return {"group_tone": group_tone, "KIND_LABELS": KIND_LABELS, "ROLE_LABELS": ROLE_LABELS,
            "district_zone": zone_label,
            "new_idempotency_key": lambda: secrets.token_urlsafe(16)}
