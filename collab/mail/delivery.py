"""Sending claimed mails with Flask-Mailman (SMTP, or the log in the demo)."""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from flask import current_app
from flask_mailman import EmailMultiAlternatives

from ..extensions import mailman
from ..models.mail import OutboxMail
from ..timeutil import utcnow
from .outbox import claim_due, mark_attempt_failed, mark_sent, release

log = logging.getLogger(__name__)


# Names of MAIL_BACKEND served by a backend of ours; others go to Flask-Mailman as they are.
BACKENDS = {"console": "collab.mail.console.EmailBackend"}


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0


def build_message(mail: OutboxMail, connection=None) -> EmailMultiAlternatives:
    headers = {"Auto-Submitted": "auto-generated", **(mail.headers or {}), "Message-ID": mail.message_id}
    message = EmailMultiAlternatives(subject=mail.subject, body=mail.text_body,
                                     from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[mail.recipient],
                                     headers=headers, connection=connection)
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def _is_permanent(error: Exception) -> bool:
    """The server refused this mail for good (5xx); anything else may pass later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _describe(error: Exception) -> str:
    return f"{error.__class__.__name__}: {error}" if str(error) else error.__class__.__name__


def deliver_batch(worker_id: str) -> BatchResult:
    """Claim one batch of due mail and send it over one connection.

    Each mail's outcome is committed right after its send, so a worker killed mid-batch
    repeats at most the mail it was sending. A mail is only started while its lease has
    more than MAIL_TIMEOUT left, so no other worker can have re-claimed it meanwhile."""
    config = current_app.config
    lease = float(config["MAIL_LEASE_SECONDS"])
    timeout = float(config["MAIL_TIMEOUT"])
    result = BatchResult()
    claimed = claim_due(worker_id, int(config["MAIL_BATCH_SIZE"]), lease)
    result.claimed = len(claimed)
    if not claimed:
        return result
    backend = config["MAIL_BACKEND"]
    connection = mailman.get_connection(backend=BACKENDS.get(backend, backend))
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        reason = f"Cannot reach the mail server {config['MAIL_SERVER']}:{config['MAIL_PORT']}: {_describe(error)}"
        log.warning("%s; %d mails wait for a retry", reason, len(claimed))
        for mail in claimed:
            mark_attempt_failed(mail, worker_id, reason, permanent=False)
            result.retrying += 1
        return result
    try:
        for index, mail in enumerate(claimed):
            if (mail.claimed_until - utcnow()).total_seconds() <= timeout:
                for rest in claimed[index:]:
                    release(rest, worker_id)
                    result.released += 1
                break
            try:
                build_message(mail, connection).send()
            except (OSError, smtplib.SMTPException) as error:
                permanent = _is_permanent(error)
                mark_attempt_failed(mail, worker_id, _describe(error), permanent)
                log.warning("mail %s to %s %s: %s", mail.id, mail.recipient,
                            "refused" if permanent else "not sent yet", _describe(error))
                if permanent:
                    result.failed += 1
                    continue
                result.retrying += 1
                # The connection is likely gone: the rest of the batch waits for a retry too.
                for rest in claimed[index + 1:]:
                    mark_attempt_failed(rest, worker_id, _describe(error), permanent=False)
                    result.retrying += 1
                break
            if mark_sent(mail.id, worker_id):
                result.sent += 1
                if backend == "console":
                    log.info("mail %s to %s printed above, not sent (MAIL_BACKEND=console): %s",
                             mail.id, mail.recipient, mail.subject)
            else:
                log.warning("mail %s was sent after this worker lost its claim", mail.id)
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return result
