"""The administrators' outbox: list mails, retry one, send a test mail."""
from __future__ import annotations

from flask import current_app

from ..errors import Conflict, NotFound
from ..events import record_event, record_notice, transaction
from ..extensions import db
from ..mail import enqueue_mail, render_mail
from ..models import User
from ..models.mail import OutboxMail
from ..permissions import can_administer, require
from ..timeutil import utcnow
from .users import _valid_email
from flask_babel import lazy_gettext as _l

def retry_mail(actor: User, mail_id: int) -> OutboxMail:
    """Send a failed (or waiting) mail again now, with a fresh round of attempts. Records `mail.retried`."""
    require(can_administer(actor), actor, _l("Only administrators retry mail."))
    with transaction():
        mail = db.session.get(OutboxMail, mail_id, populate_existing=True)
        if mail is None:
            raise NotFound(_l("No such mail."))
        if mail.status == "sent":
            raise Conflict(_l("This mail was sent already."), "mail_sent")
        if mail.status == "sending":
            raise Conflict(_l("This mail is being sent right now."), "mail_sending")
        mail.status, mail.attempts, mail.next_attempt_at = "queued", 0, utcnow()
        mail.claimed_by = mail.claimed_until = None
        record_event("mail.retried", actor, f"mail:{mail.id}", {"mail_id": mail.id})
        record_notice("mail.queued", mail_id=mail.id)
    return mail


def send_test_mail(actor: User, to: object) -> OutboxMail:
    """Queue a test mail, so a district can check its mail settings. Records `mail.test_requested`."""
    require(can_administer(actor), actor, _l("Only administrators send test mail."))
    address = _valid_email(to)
    config = current_app.config
    with transaction():
        event = record_event("mail.test_requested", actor, f"user:{actor.id}", {"requested_by": actor.id})
        mail = enqueue_mail(
            to=address, subject=str(_l("Common Ground: test mail")), caused_by_event_seq=event.seq,
            **render_mail("test", requested_by=actor.name, server=config["MAIL_SERVER"],
                          port=config["MAIL_PORT"], backend=config["MAIL_BACKEND"]))
    return mail
