"""Small pieces the pages share: the signed-in user, time formatting, badge tones."""
from __future__ import annotations

import secrets
from datetime import datetime
from types import SimpleNamespace

from flask import url_for
from flask_login import current_user

from ..audience import shown_name
from ..auth import reader_or_none
from ..errors import Unauthenticated
from ..models.comments import KINDS
from ..models.users import ROLES
from ..localtime import format_local, local_input_value, zone_label
from ..permissions import comment_actions
from .blueprint import web
from flask_babel import lazy_gettext as _l

KIND_LABELS = {"concern": _l("Concern"), "suggestion": _l("Suggestion"), "support": _l("Support"), "question": _l("Question"),
               "reply": _l("Reply")}
ROLE_LABELS = {"admin": _l("Administrator"), "facilitator": _l("Facilitator"), "participant": _l("Participant"),
               "observer": _l("Observer (reads only)")}
# Lower-case words for states shown inside sentences ("3 open, 1 resolved"; a meeting "live").
STATUS_WORDS = {"open": _l("open"), "resolved": _l("resolved"), "hidden": _l("hidden"),
                "scheduled": _l("scheduled"), "live": _l("live"), "ended": _l("ended")}
assert set(KIND_LABELS) == set(KINDS) and set(ROLE_LABELS) == set(ROLES)


def page_actor():
    """The signed-in user (routes are behind login_required, so there is one)."""
    if not current_user.is_authenticated:
        raise Unauthenticated(_l("Sign in first."))
    return current_user._get_current_object()


def page_viewer():
    """The signed-in user, or None for a reader without an account."""
    return reader_or_none()


def actions_on_shown(user, comment: dict) -> list[str]:
    """permissions.comment_actions for a comment already shaped for pages (comment_to_dict)."""
    return comment_actions(user, SimpleNamespace(author_id=comment["author"]["id"], status=comment["status"]))


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
    return {"group_tone": group_tone, "KIND_LABELS": KIND_LABELS, "ROLE_LABELS": ROLE_LABELS, "STATUS_WORDS": STATUS_WORDS,
            "district_zone": zone_label, "shown_name": shown_name,
            "new_idempotency_key": lambda: secrets.token_urlsafe(16)}


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
