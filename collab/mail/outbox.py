"""Writing mails into the outbox, and claiming and settling them for the worker."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from flask import current_app, render_template
from sqlalchemy import and_, insert, or_, select, update

from ..events import Committed, Notice, record_notice, transaction
from ..extensions import db
from ..models.mail import OutboxMail
from ..timeutil import utcnow

# Set after a commit that queued mail, so this process's worker sends it without
# waiting for its next poll.
mail_queued = threading.Event()


def render_mail(template: str, **context) -> dict:
    """The plain text and HTML bodies from templates/mail/<template>.txt and .html."""
    return {"text": render_template(f"mail/{template}.txt", **context),
            "html": render_template(f"mail/{template}.html", **context)}


def _message_id() -> str:
    domain = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1].rpartition("@")[2]
    return make_msgid(domain=domain or "common-ground.invalid")


def enqueue_mail(*, to: str, subject: str, text: str, html: str | None = None, headers: dict | None = None,
                 caused_by_event_seq: int | None = None) -> OutboxMail:
    """Queue one mail in the current service transaction: it is sent only if that commits."""
    if not db.session.info.get("service_transaction"):
        raise RuntimeError("enqueue_mail must run inside transaction(), with the change that causes the mail")
    extra = dict(headers or {})
    if any(name.lower() == "message-id" for name in extra):
        raise ValueError("the outbox makes the Message-ID")
    mail = OutboxMail(recipient=to, subject=subject, text_body=text, html_body=html, headers=extra,
                      message_id=_message_id(), status="queued", attempts=0, next_attempt_at=utcnow(),
                      caused_by_event_seq=caused_by_event_seq, created_at=utcnow())
    db.session.add(mail)
    db.session.flush()
    record_notice("mail.queued", mail_id=mail.id)
    return mail


def enqueue_mails(mails: list[dict]) -> int:
    """Queue many mails (each a dict of `enqueue_mail`'s arguments) with one INSERT, in the
    current service transaction: a fan-out to thousands writes them without a flush each."""
    if not db.session.info.get("service_transaction"):
        raise RuntimeError("enqueue_mails must run inside transaction(), with the change that causes the mails")
    if not mails:
        return 0
    now = utcnow()
    rows = [{"recipient": m["to"], "subject": m["subject"], "text_body": m["text"], "html_body": m.get("html"),
             "headers": dict(m.get("headers") or {}), "message_id": _message_id(), "status": "queued",
             "attempts": 0, "next_attempt_at": now, "caused_by_event_seq": m.get("caused_by_event_seq"),
             "created_at": now} for m in mails]
    db.session.execute(insert(OutboxMail), rows)
    record_notice("mail.queued", count=len(rows))
    return len(rows)


def _due(now: datetime):
    """Queued mail whose time has come, and mail whose worker's lease ran out (it died or hung)."""
    return or_(and_(OutboxMail.status == "queued", OutboxMail.next_attempt_at <= now),
               and_(OutboxMail.status == "sending", OutboxMail.claimed_until < now))


def anything_due(now: datetime | None = None) -> bool:
    """A cheap read, so an idle worker does not take the write lock every poll."""
    now = now or utcnow()
    found = db.session.execute(select(OutboxMail.id).where(_due(now)).limit(1)).first() is not None
    db.session.rollback()
    return found


def claim_due(worker_id: str, limit: int, lease_seconds: float) -> list[OutboxMail]:
    """Claim up to `limit` due mails for `worker_id` until now + lease.

    PostgreSQL: the candidates are locked FOR UPDATE SKIP LOCKED, so concurrent workers
    take disjoint rows without waiting; SQLite: the write transaction (BEGIN IMMEDIATE)
    admits one claimer at a time. Either way the UPDATE repeats the due condition, so a
    row claimed meanwhile is not taken twice."""
    now = utcnow()
    until = now + timedelta(seconds=lease_seconds)
    with transaction():
        candidates = (select(OutboxMail.id).where(_due(now))
                      .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(limit))
        if db.engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        ids = list(db.session.execute(candidates).scalars())
        if not ids:
            return []
        db.session.execute(
            update(OutboxMail).where(OutboxMail.id.in_(ids), _due(now))
            .values(status="sending", claimed_by=worker_id, claimed_until=until, attempts=OutboxMail.attempts + 1)
            .execution_options(synchronize_session=False))
        claimed = list(db.session.execute(
            select(OutboxMail).where(OutboxMail.id.in_(ids), OutboxMail.status == "sending",
                                     OutboxMail.claimed_by == worker_id, OutboxMail.claimed_until == until)
            .order_by(OutboxMail.id).execution_options(populate_existing=True)).scalars())
    return claimed


def _settle(mail_id: int, worker_id: str, **values) -> bool:
    """Write a claimed mail's outcome, only if this worker still holds it."""
    with transaction():
        result = db.session.execute(
            update(OutboxMail).where(OutboxMail.id == mail_id, OutboxMail.status == "sending",
                                     OutboxMail.claimed_by == worker_id)
            .values(claimed_by=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False))
    return result.rowcount == 1


def mark_sent(mail_id: int, worker_id: str) -> bool:
    return _settle(mail_id, worker_id, status="sent", sent_at=utcnow(), last_error=None)


def retry_delay(attempts: int) -> float:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    config = current_app.config
    base = float(config["MAIL_RETRY_BASE_SECONDS"])
    return min(float(config["MAIL_RETRY_MAX_SECONDS"]), base * 2 ** max(0, attempts - 1))


def mark_attempt_failed(mail: OutboxMail, worker_id: str, error: str, permanent: bool) -> bool:
    """A refused mail fails at once; a temporary failure waits and tries again, up to MAIL_MAX_ATTEMPTS."""
    if permanent or mail.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        return _settle(mail.id, worker_id, status="failed", last_error=error[:2000])
    return _settle(mail.id, worker_id, status="queued", last_error=error[:2000],
                   next_attempt_at=utcnow() + timedelta(seconds=retry_delay(mail.attempts)))


def release(mail: OutboxMail, worker_id: str) -> bool:
    """Give back a claimed mail not tried (its lease is too short to start a send safely)."""
    return _settle(mail.id, worker_id, status="queued", attempts=OutboxMail.attempts - 1)


def wake_worker_on_new_mail(items: list[Committed]) -> None:
    """Subscriber to committed changes: a committed mail wakes this process's worker at once
    (other processes find it at their next poll)."""
    if any(isinstance(item, Notice) and item.kind == "mail.queued" for item in items):
        mail_queued.set()
