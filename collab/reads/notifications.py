"""Reading a person's notifications, follows and mail preferences."""
from __future__ import annotations

from sqlalchemy import func, select

from ..errors import Invalid
from ..extensions import db
from ..models import ClauseFollow, Document, DocumentFollow, User
from ..models.notifications import KINDS, Notification, NotificationPreference
from ..notifications.texts import KIND_LABELS, notification_payload
from ..permissions import can_read, require
from flask_babel import lazy_gettext as _l

PAGE_SIZE = 30


def unread_count(user: User) -> int:
    return db.session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))).scalar_one()


def list_notifications(user: User, cursor=None, limit=PAGE_SIZE) -> tuple[list[dict], int, str | None]:
    """One page of the person's notifications, newest first; the unread count; the next cursor."""
    require(can_read(user), user, _l("Sign in first."))
    query = select(Notification, Document.title).outerjoin(Document, Document.id == Notification.document_id) \
        .where(Notification.user_id == user.id)
    if cursor not in (None, ""):
        # A cursor is a notification id: a whole number the database's 64-bit ids can hold.
        if not str(cursor).isdigit() or int(cursor) >= 2 ** 63:
            raise Invalid(_l("cursor must be the `next` of the page before."), "invalid_cursor")
        query = query.where(Notification.id < int(cursor))
    rows = db.session.execute(query.order_by(Notification.id.desc()).limit(limit + 1)).all()
    page = [notification_payload(n, title) for n, title in rows[:limit]]
    for item in page:
        item.pop("user_id")
    following = str(rows[limit - 1][0].id) if len(rows) > limit else None
    return page, unread_count(user), following


def preferences_view(user: User) -> dict:
    require(can_read(user), user, _l("Sign in first."))
    preference = db.session.get(NotificationPreference, user.id)
    kinds = (preference.kinds or {}) if preference else {}
    return {"email": preference.email_frequency if preference else "daily",
            "answers_immediately": preference.answers_immediately if preference else True,
            "kinds": {kind: kinds.get(kind, True) for kind in KINDS},
            "kind_labels": KIND_LABELS}


def is_following_document(user: User | None, document_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    follow = db.session.get(DocumentFollow, (user.id, document_id))
    return bool(follow and follow.is_following)


def followed_clause_ids(user: User | None, document_id: int) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(db.session.execute(select(ClauseFollow.clause_id).where(
        ClauseFollow.user_id == user.id, ClauseFollow.document_id == document_id,
        ClauseFollow.is_following.is_(True))).scalars())
