"""The mail outbox as administrators see it: pages of mails by status, and counts."""
from __future__ import annotations

from sqlalchemy import func, select

from ..errors import Invalid
from ..extensions import db
from ..models import User
from ..models.mail import MAIL_STATUSES, OutboxMail
from ..permissions import can_administer, require
from flask_babel import lazy_gettext as _l


LIST_LIMIT_DEFAULT = 50


LIST_LIMIT_MAX = 200


def _page_size(limit: object) -> int:
    if limit is None or limit == "":
        return LIST_LIMIT_DEFAULT
    try:
        size = int(limit)
    except (TypeError, ValueError):
        raise Invalid(_l("limit must be a whole number."), "invalid_limit") from None
    if not 1 <= size <= LIST_LIMIT_MAX:
        raise Invalid(_l("limit must be between 1 and %(list_limit_max)s.", list_limit_max=LIST_LIMIT_MAX), "invalid_limit")
    return size


def list_outbox(actor: User, status: object = None, limit: object = None,
                cursor: object = None) -> tuple[list[OutboxMail], str | None]:
    """The newest mails first, optionally of one status; `cursor` is the `next` of the page before."""
    require(can_administer(actor), actor, _l("Only administrators see the outbox."))
    size = _page_size(limit)
    query = select(OutboxMail).order_by(OutboxMail.id.desc()).limit(size + 1)
    if status not in (None, ""):
        if status not in MAIL_STATUSES:
            raise Invalid(_l("status must be one of: %(mail_statuses)s.", mail_statuses=', '.join(MAIL_STATUSES)), "invalid_status")
        query = query.where(OutboxMail.status == status)
    if cursor not in (None, ""):
        if not (isinstance(cursor, str) and cursor.isdigit()):
            raise Invalid(_l("cursor must be the `next` value of the page before."), "invalid_cursor")
        query = query.where(OutboxMail.id < int(cursor))
    rows = list(db.session.execute(query).scalars())
    following = str(rows[size - 1].id) if len(rows) > size else None
    return rows[:size], following


def outbox_counts(actor: User) -> dict[str, int]:
    require(can_administer(actor), actor, _l("Only administrators see the outbox."))
    found = dict(db.session.execute(
        select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    return {status: found.get(status, 0) for status in MAIL_STATUSES}
