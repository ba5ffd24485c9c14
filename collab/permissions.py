"""Who may do what: every permission question is answered here."""
from __future__ import annotations

from .errors import Forbidden, Unauthenticated
from .models import User

COMMENTING_ROLES = {"admin", "facilitator", "participant"}
MODERATING_ROLES = {"admin", "facilitator"}


def can_read(user: User | None) -> bool:
    return user is not None and user.is_active


def can_read_document(user: User | None, document) -> bool:
    """A public document is read by anyone, without an account; an invited one by active accounts."""
    return document.visibility == "public" or can_read(user)


def can_see_names(user: User | None) -> bool:
    """Moderators see every author's name; others see what each person chose to show the public."""
    return can_moderate(user)


def can_see_emails(user: User | None) -> bool:
    """E-mail addresses are shown to administrators only (and to each person, their own)."""
    return can_administer(user)


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


def can_resolve(user: User | None, comment) -> bool:
    """Admins record the district's answers, never on their own comments."""
    return can_administer(user) and comment.author_id != user.id


def can_flag(user: User | None) -> bool:
    return can_comment(user)


def can_hide(user: User | None, comment) -> bool:
    """Moderators hide and unhide, never their own comments."""
    return can_moderate(user) and comment.author_id != user.id


def can_redact(user: User | None) -> bool:
    """Redaction removes text for good (a student's personal data): the district's admins only."""
    return can_administer(user)


def can_see_hidden_text(user: User | None, comment) -> bool:
    """A hidden comment's text stays visible to its author and to moderators, on the
    comment's own page and in the moderators' queue only (never in lists, reports or live events)."""
    return can_read(user) and (comment.author_id == user.id or can_moderate(user))


def can_run_meetings(user: User | None) -> bool:
    """Create, start, end and lead meetings (focus, queue, silent rounds, attendance by hand)."""
    return can_read(user) and user.role in MODERATING_ROLES
