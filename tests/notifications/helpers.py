"""Running the notifier in tests and reading what it wrote."""
from __future__ import annotations

from sqlalchemy import select

from collab.extensions import db
from collab.models.notifications import Notification


def notify(app) -> int:
    """Run the notifier until every committed event is fanned out; how many rows it wrote."""
    from collab.notifications.notifier import run_notifier

    return run_notifier(app, until_idle=True)


def notified(kind: str | None = None) -> list[tuple[int, str]]:
    """(recipient id, kind) of every notification, in order."""
    db.session.rollback()
    query = select(Notification.user_id, Notification.kind).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return [tuple(row) for row in db.session.execute(query)]
