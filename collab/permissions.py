"""Who may do what: every permission question is answered here."""
from __future__ import annotations

from .errors import Forbidden, Unauthenticated
from .models import User

COMMENTING_ROLES = {"admin", "facilitator", "participant"}
MODERATING_ROLES = {"admin", "facilitator"}


def can_read(user: User | None) -> bool:
    return user is not None and user.is_active


def can_comment(user: User | None) -> bool:
    return can_read(user) and user.role in COMMENTING_ROLES


def can_administer(user: User | None) -> bool:
    return can_read(user) and user.role == "admin"


def can_moderate(user: User | None) -> bool:
    return can_read(user) and user.role in MODERATING_ROLES


def can_edit_comment(user: User | None, comment) -> bool:
    return can_comment(user) and comment.author_id == user.id


def require(allowed: bool, user: User | None, message: str) -> None:
    """Raise the fitting error when `allowed` is false: 401 without a user, else 403."""
    if allowed:
        return
    if user is None or not user.is_active:
        raise Unauthenticated("Sign in first.")
    raise Forbidden(message)


def can_run_meetings(user: User | None) -> bool:
    """Create, start, end and lead meetings (focus, queue, silent rounds, attendance by hand)."""
    return can_read(user) and user.role in MODERATING_ROLES
