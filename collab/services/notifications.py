"""Following, reading notifications, and mail preferences.

These are a person's own settings, not changes to the shared record: they record no event
in the (public) log, so who follows what stays private. Each still runs as one transaction."""
from __future__ import annotations

from sqlalchemy import update

from ..errors import Invalid, NotFound
from ..events import transaction
from ..extensions import db
from ..models import Clause, ClauseFollow, DocumentFollow, User
from ..models.lookups import get_document
from ..models.notifications import EMAIL_FREQUENCIES, KINDS, Notification, NotificationPreference
from ..notifications.tokens import user_id_from_token
from ..parsing import optional_int
from ..permissions import can_read, require
from ..timeutil import utcnow
from flask_babel import lazy_gettext as _l


def _set_document_follow(actor: User, document_id, following: bool) -> DocumentFollow:
    require(can_read(actor), actor, _l("Sign in to follow documents."))
    with transaction():
        document = get_document(optional_int(document_id, "document_id"))
        follow = db.session.get(DocumentFollow, (actor.id, document.id))
        if follow is None:
            follow = DocumentFollow(user_id=actor.id, document_id=document.id, created_at=utcnow())
            db.session.add(follow)
        follow.is_following = following
    return follow


def follow_document(actor: User, document_id) -> DocumentFollow:
    """Hear about a document's new versions, periods and meetings. Anyone signed in."""
    return _set_document_follow(actor, document_id, True)


def unfollow_document(actor: User, document_id) -> DocumentFollow:
    """Stop hearing about a document; commenting on it later does not follow it again."""
    return _set_document_follow(actor, document_id, False)


def _set_clause_follow(actor: User, clause_id, following: bool) -> ClauseFollow:
    require(can_read(actor), actor, _l("Sign in to follow clauses."))
    with transaction():
        clause = db.session.get(Clause, optional_int(clause_id, "clause_id"))
        if clause is None:
            raise NotFound(_l("No such clause."))
        follow = db.session.get(ClauseFollow, (actor.id, clause.id))
        if follow is None:
            follow = ClauseFollow(user_id=actor.id, clause_id=clause.id, document_id=clause.document_id,
                                  created_at=utcnow())
            db.session.add(follow)
        follow.is_following = following
    return follow


def follow_clause(actor: User, clause_id) -> ClauseFollow:
    """Hear when a new version changes one clause. Anyone signed in."""
    return _set_clause_follow(actor, clause_id, True)


def unfollow_clause(actor: User, clause_id) -> ClauseFollow:
    return _set_clause_follow(actor, clause_id, False)


def mark_notifications_read(actor: User, ids=None, everything=False) -> int:
    """Mark the person's own notifications read (some by id, or all); how many changed."""
    require(can_read(actor), actor, _l("Sign in first."))
    if everything is not True:
        if not isinstance(ids, list) or not ids or not all(isinstance(i, int) and not isinstance(i, bool)
                                                           for i in ids):
            raise Invalid(_l("Send ids (a list of notification ids) or all: true."), "invalid_ids")
    with transaction():
        query = update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        if everything is not True:
            query = query.where(Notification.id.in_(ids))
        result = db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount


def _preference(user_id: int) -> NotificationPreference:
    preference = db.session.get(NotificationPreference, user_id)
    if preference is None:
        preference = NotificationPreference(user_id=user_id, email_frequency="daily", kinds={},
                                            answers_immediately=True, updated_at=utcnow())
        db.session.add(preference)
    return preference


def _valid_preferences(data) -> dict:
    if not isinstance(data, dict):
        raise Invalid(_l("Send an object with email, kinds or answers_immediately."), "invalid_preferences")
    unknown = set(data) - {"email", "kinds", "answers_immediately"}
    if unknown:
        raise Invalid(_l("Unknown setting: %(sorted)s.", sorted=', '.join(sorted(unknown))), "invalid_preferences")
    if "email" in data and data["email"] not in EMAIL_FREQUENCIES:
        raise Invalid(_l("email must be one of %(email_frequencies)s.", email_frequencies=', '.join(EMAIL_FREQUENCIES)), "invalid_email_frequency")
    if "answers_immediately" in data and not isinstance(data["answers_immediately"], bool):
        raise Invalid(_l("answers_immediately must be true or false."), "invalid_preferences")
    if "kinds" in data:
        kinds = data["kinds"]
        if not isinstance(kinds, dict) or not all(k in KINDS and isinstance(v, bool) for k, v in kinds.items()):
            raise Invalid(_l("kinds maps a kind (%(kinds)s) to true or false.", kinds=', '.join(KINDS)), "invalid_kinds")
    return data


def update_notification_preferences(actor: User, data) -> NotificationPreference:
    """Change how the person gets mail: `email` (immediate, daily, weekly, never), `kinds`
    ({kind: on/off}), `answers_immediately`. Takes effect for the next notification."""
    require(can_read(actor), actor, _l("Sign in first."))
    data = _valid_preferences(data)
    with transaction():
        preference = _preference(actor.id)
        if "email" in data:
            preference.email_frequency = data["email"]
        if "kinds" in data:
            preference.kinds = {**(preference.kinds or {}), **data["kinds"]}
        if "answers_immediately" in data:
            preference.answers_immediately = data["answers_immediately"]
        preference.updated_at = utcnow()
    return preference


def update_me_notifications(actor: User, value) -> NotificationPreference:
    """The `notifications` key of PATCH /me: `{email: ...}` (and the other preference keys)."""
    return update_notification_preferences(actor, value)


def unsubscribe(token, email="never") -> NotificationPreference:
    """Change a person's mail by the signed token of a mail's link, without signing in:
    `never` stops all mail at once; the confirm page also offers the digests."""
    user_id = user_id_from_token(token)
    if email not in EMAIL_FREQUENCIES:
        raise Invalid(_l("Choose one of %(email_frequencies)s.", email_frequencies=', '.join(EMAIL_FREQUENCIES)), "invalid_email_frequency")
    with transaction():
        user = db.session.get(User, user_id)
        if user is None:
            raise Invalid(_l("This unsubscribe link is not valid."), "invalid_token")
        preference = _preference(user.id)
        preference.email_frequency = email
        preference.updated_at = utcnow()
        if email == "never":
            # Mail already waiting for a digest is dropped too: "takes effect at once".
            db.session.execute(update(Notification).where(
                Notification.user_id == user.id, Notification.email_state == "pending")
                .values(email_state="none").execution_options(synchronize_session=False))
    return preference
