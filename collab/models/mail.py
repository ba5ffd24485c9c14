"""The outbox: every mail is a row written in the transaction of the change that causes it,
then sent by the mail worker (collab.mail.worker)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

# queued: waiting for its next attempt; sending: claimed by a worker until claimed_until;
# sent: handed to the SMTP server (or shown in the log); failed: given up, see last_error.
MAIL_STATUSES = ("queued", "sending", "sent", "failed")


class OutboxMail(db.Model):
    __tablename__ = "outbox_mail"
    __table_args__ = (Index("ix_outbox_mail_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    text_body: Mapped[str] = mapped_column(Text, nullable=False)
    html_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Extra headers, e.g. List-Unsubscribe; Message-ID is its own column.
    headers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # Made at enqueue, so a repeated send (after a worker died mid-send) carries the same id
    # and the recipient's mail program can drop the duplicate.
    message_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
    caused_by_event_seq: Mapped[int | None] = mapped_column(nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
