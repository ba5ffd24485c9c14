"""The outbox for administrators: list mails, retry one, send a test mail."""
from __future__ import annotations

from flask import jsonify, request

from ..models.mail import OutboxMail
from ..reads.outbox import list_outbox, outbox_counts
from ..services.mail import retry_mail, send_test_mail
from ..timeutil import isoformat
from .blueprint import api
from .helpers import actor, json_body


def outbox_mail_to_dict(mail: OutboxMail, with_bodies: bool = False) -> dict:
    data = {
        "id": mail.id, "recipient": mail.recipient, "subject": mail.subject, "status": mail.status,
        "attempts": mail.attempts, "next_attempt_at": isoformat(mail.next_attempt_at),
        "last_error": mail.last_error, "message_id": mail.message_id, "headers": mail.headers or {},
        "caused_by_event_seq": mail.caused_by_event_seq, "created_at": isoformat(mail.created_at),
        "sent_at": isoformat(mail.sent_at) if mail.sent_at else None,
    }
    if with_bodies:
        data |= {"text_body": mail.text_body, "html_body": mail.html_body}
    return data


@api.get("/admin/outbox")
def list_outbox_view():
    user = actor()
    mails, following = list_outbox(user, status=request.args.get("status"), limit=request.args.get("limit"),
                                   cursor=request.args.get("cursor"))
    return jsonify(mails=[outbox_mail_to_dict(m, with_bodies=True) for m in mails], next=following,
                   counts=outbox_counts(user))


@api.post("/admin/outbox/<int:mail_id>/retry")
def retry_mail_view(mail_id: int):
    return jsonify(mail=outbox_mail_to_dict(retry_mail(actor(), mail_id)))


@api.post("/admin/outbox/test")
def send_test_mail_view():
    user = actor()
    mail = send_test_mail(user, json_body().get("to"))
    return jsonify(mail=outbox_mail_to_dict(mail)), 201
