"""Notifications: who follows what, what each person was told, how they want mail, and the
notifier's place in the event log. A notification is identified by (event seq, recipient)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

# What a person hears about; each is derived from one committed event (collab.notifications.kinds).
KINDS = (
    "comment_answered", "answer_changed", "comment_replied", "clause_changed", "suggestion_taken",
    "comment_hidden", "comment_unhidden", "version_published", "period_opened", "period_closing",
    "meeting_scheduled", "meeting_starting", "flag_new", "answer_contested", "approval_requested", "cosigned_answered",
)
EMAIL_FREQUENCIES = ("immediate", "daily", "weekly", "never")
# pending: waits for the person's digest; queued: its own mail is in the outbox;
# digested: a digest carried it; none: no mail (read first, kind off, or never).
EMAIL_STATES = ("pending", "queued", "digested", "none")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_seq", "user_id", name="uq_notifications_event_user"),
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_email_state", "email_state", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    event_seq: Mapped[int] = mapped_column(ForeignKey("events.seq"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    document_id: Mapped[int | None] = mapped_column(nullable=True)
    clause_id: Mapped[int | None] = mapped_column(nullable=True)
    comment_id: Mapped[int | None] = mapped_column(nullable=True)
    # Small facts the message needs that the event only holds as digests (e.g. a moderator's reason).
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)
    email_state: Mapped[str] = mapped_column(String(10), nullable=False, default="none")


class DocumentFollow(db.Model):
    """A person follows a document (or stopped: the row stays, so commenting again does not
    follow them anew against their wish)."""

    __tablename__ = "document_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True, index=True)
    is_following: Mapped[bool] = mapped_column(nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class ClauseFollow(db.Model):
    __tablename__ = "clause_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), primary_key=True, index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False)
    is_following: Mapped[bool] = mapped_column(nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class NotificationPreference(db.Model):
    """How a person wants mail. No row means the defaults: a daily digest, and the answer to
    their comment at once."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email_frequency: Mapped[str] = mapped_column(String(10), nullable=False, default="daily")
    # kind -> false turns that kind's mail off; absent kinds are on.
    kinds: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # "Your comment was answered" goes at once even with a digest.
    answers_immediately: Mapped[bool] = mapped_column(nullable=False, default=True)
    last_digest_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class NotificationCursor(db.Model):
    """One row: the last event the notifier has fully fanned out, and within the event being
    fanned out, the last recipient done (fan-out of one event runs in batches)."""

    __tablename__ = "notification_cursor"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(nullable=False, default=0)
    partial_seq: Mapped[int | None] = mapped_column(nullable=True)
    partial_after_user_id: Mapped[int | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class Reminder(db.Model):
    """A reminder recorded once: a period closes in 48 or 2 hours (`period:<id>`), a meeting
    starts in 1 hour (`meeting:<id>`). `event_seq` is null for one skipped as too late."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("subject", "hours", name="uq_reminders_subject_hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), nullable=False)
    hours: Mapped[int] = mapped_column(nullable=False)
    event_seq: Mapped[int | None] = mapped_column(nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
