"""Who may do what: every permission question is answered here."""
from __future__ import annotations

from .errors import Forbidden, Unauthenticated
from types import SimpleNamespace

from .models import User
from .models.comments import STATUSES
from flask_babel import lazy_gettext as _l

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


def require_confirmed_account(user: User) -> None:
    """Commenting and flagging need a verified e-mail address and, in groups that need it,
    an administrator's approval (until then the account reads only)."""
    if user.email_verified_at is None:
        raise Forbidden(_l("Confirm your e-mail address first: open the link we mailed you (My account sends a new one)."), "email_unverified")
    if user.approval_status != "approved":
        raise Forbidden(_l("An administrator has not approved your account yet: until then you can read but not comment."), "approval_pending")


def require(allowed: bool, user: User | None, message: str) -> None:
    """Raise the fitting error when `allowed` is false: 401 without a user, else 403."""
    if allowed:
        return
    if user is None or not user.is_active:
        raise Unauthenticated(_l("Sign in first."))
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


def can_reopen(user: User | None, comment) -> bool:
    """Authors send an answered comment back to the district when it does not address it."""
    return can_edit_comment(user, comment) and comment.status == "resolved"


def can_flag_comment(user: User | None, comment) -> bool:
    """Anyone who may comment flags someone else's visible comment for a moderator."""
    return can_flag(user) and comment.author_id != user.id and comment.status != "hidden"


def can_cosign(user: User | None, comment) -> bool:
    """Those who may comment add their name to someone else's visible comment (the service
    also needs an open period, a thread's first comment and a confirmed account)."""
    return can_comment(user) and comment.author_id != user.id and comment.status != "hidden"


def can_enter_on_behalf(user: User | None) -> bool:
    """District staff who moderate enter comments received on paper, by phone, at a meeting or by e-mail."""
    return can_moderate(user)


def comment_actions(user: User | None, comment) -> list[str]:
    """The actions a reader is offered on a comment (anything with `author_id` and `status`),
    in the order pages show them. Pages, live comments and the scripts all take them from here;
    the services still decide each request."""
    hidden = comment.status == "hidden"
    offered = {
        "reopen": can_reopen(user, comment),
        "flag": can_flag_comment(user, comment),
        "hide": not hidden and can_hide(user, comment),
        "unhide": hidden and can_hide(user, comment),
        "resolve": not hidden and can_resolve(user, comment),
        "cosign": can_cosign(user, comment),
    }
    return [action for action, allowed in offered.items() if allowed]


def comment_action_table(user: User | None) -> dict[str, dict[str, list[str]]]:
    """comment_actions for every comment `user` may meet, by authorship and status:
    {"own": {status: [...]}, "others": {status: [...]}}. A comment's actions depend on
    nothing else, so the page sends this once and the scripts look up live comments in it."""
    other_id = None if user is None else -user.id  # no account has a negative id
    authors = {"own": None if user is None else user.id, "others": other_id}
    return {who: {status: comment_actions(user, SimpleNamespace(author_id=author_id, status=status))
                  for status in STATUSES}
            for who, author_id in authors.items()}
