"""The administrators' outbox: list mails, retry one, send a test mail."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from ..errors import Conflict, Invalid, NotFound
from ..events import after_commit, record_event, transaction
from ..extensions import db
from ..mail import enqueue_mail, render_mail
from ..mail.outbox import mail_queued
from ..models import User
from ..models.mail import MAIL_STATUSES, OutboxMail
from ..permissions import can_administer, require
from ..timeutil import utcnow
from .users import _valid_email

LIST_LIMIT_DEFAULT = 50
LIST_LIMIT_MAX = 200


def _page_size(limit: object) -> int:
    if limit is None or limit == "":
        return LIST_LIMIT_DEFAULT
    try:
        size = int(limit)
    except (TypeError, ValueError):
        raise Invalid("limit must be a whole number.", "invalid_limit") from None
    if not 1 <= size <= LIST_LIMIT_MAX:
        raise Invalid(f"limit must be between 1 and {LIST_LIMIT_MAX}.", "invalid_limit")
    return size


def list_outbox(actor: User, status: object = None, limit: object = None,
                cursor: object = None) -> tuple[list[OutboxMail], str | None]:
    """The newest mails first, optionally of one status; `cursor` is the `next` of the page before."""
    require(can_administer(actor), actor, "Only administrators see the outbox.")
    size = _page_size(limit)
    query = select(OutboxMail).order_by(OutboxMail.id.desc()).limit(size + 1)
    if status not in (None, ""):
        if status not in MAIL_STATUSES:
            raise Invalid(f"status must be one of: {', '.join(MAIL_STATUSES)}.", "invalid_status")
        query = query.where(OutboxMail.status == status)
    if cursor not in (None, ""):
        if not (isinstance(cursor, str) and cursor.isdigit()):
            raise Invalid("cursor must be the `next` value of the page before.", "invalid_cursor")
        query = query.where(OutboxMail.id < int(cursor))
    rows = list(db.session.execute(query).scalars())
    following = str(rows[size - 1].id) if len(rows) > size else None
    return rows[:size], following


def outbox_counts(actor: User) -> dict[str, int]:
    require(can_administer(actor), actor, "Only administrators see the outbox.")
    found = dict(db.session.execute(
        select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    return {status: found.get(status, 0) for status in MAIL_STATUSES}


def retry_mail(actor: User, mail_id: int) -> OutboxMail:
    """Send a failed (or waiting) mail again now, with a fresh round of attempts. Records `mail.retried`."""
    require(can_administer(actor), actor, "Only administrators retry mail.")
    with transaction():
        mail = db.session.get(OutboxMail, mail_id, populate_existing=True)
        if mail is None:
            raise NotFound("No such mail.")
        if mail.status == "sent":
            raise Conflict("This mail was sent already.", "mail_sent")
        if mail.status == "sending":
            raise Conflict("This mail is being sent right now.", "mail_sending")
        mail.status, mail.attempts, mail.next_attempt_at = "queued", 0, utcnow()
        mail.claimed_by = mail.claimed_until = None
        record_event("mail.retried", actor, f"mail:{mail.id}", {"mail_id": mail.id})
        after_commit(mail_queued.set)
    return mail


def send_test_mail(actor: User, to: object) -> OutboxMail:
    """Queue a test mail, so a district can check its mail settings. Records `mail.test_requested`."""
    require(can_administer(actor), actor, "Only administrators send test mail.")
    address = _valid_email(to)
    config = current_app.config
    with transaction():
        event = record_event("mail.test_requested", actor, f"user:{actor.id}", {"requested_by": actor.id})
        mail = enqueue_mail(
            to=address, subject="Common Ground: test mail", caused_by_event_seq=event.seq,
            **render_mail("test", requested_by=actor.name, server=config["MAIL_SERVER"],
                          port=config["MAIL_PORT"], backend=config["MAIL_BACKEND"]))
    return mail
