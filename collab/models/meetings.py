"""Facilitated meetings on a document: agenda, focus history, speaker queue,
silent rounds and attendance. Rows that carry history are closed, never deleted."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .users import Group, User

MEETING_STATUSES = ("scheduled", "live", "ended")
HAND_STATUSES = ("waiting", "speaking", "done", "withdrawn")
ATTENDANCE_SOURCES = ("live", "hand")


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="scheduled", nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    # When it is planned to start (optional); followers are reminded an hour before.
    starts_at: Mapped[datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The seq of the checkpoint published at the meeting's end.
    end_seq: Mapped[int | None] = mapped_column(nullable=True)

    agenda: Mapped[list["AgendaItem"]] = relationship(order_by="AgendaItem.position", lazy="selectin")


class AgendaItem(db.Model):
    """One clause on the agenda with the minutes planned for it."""

    __tablename__ = "meeting_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(nullable=False)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), nullable=False)
    minutes: Mapped[int] = mapped_column(nullable=False)


class MeetingFocus(db.Model):
    """A stretch of time in which the group looked at one clause."""

    __tablename__ = "meeting_focus"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), nullable=False, index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), nullable=False)
    focused_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    focused_at: Mapped[datetime] = mapped_column(nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)


class SpeakerRequest(db.Model):
    """A raised hand: waiting in the queue, then speaking, then done (or withdrawn)."""

    __tablename__ = "meeting_speaker_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="waiting", nullable=False)
    raised_at: Mapped[datetime] = mapped_column(nullable=False)
    called_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class SilentRound(db.Model):
    """Comments on one clause collected hidden and revealed together."""

    __tablename__ = "meeting_silent_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), nullable=False, index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), nullable=False)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    started_at: Mapped[datetime] = mapped_column(nullable=False)
    revealed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Attendance(db.Model):
    """One interval of someone's presence: from the live channel (a user) or recorded
    by hand for a person in the room without a device (a name and a group).

    `disconnected_at` is set when the person's last socket drops; a return within the
    grace time clears it, otherwise the interval closes at that moment."""

    __tablename__ = "meeting_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), nullable=False)
    source: Mapped[str] = mapped_column(String(10), nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(nullable=False)
    disconnected_at: Mapped[datetime | None] = mapped_column(nullable=True)
    left_at: Mapped[datetime | None] = mapped_column(nullable=True)

    group: Mapped[Group] = relationship(lazy="joined")


DEFAULT_GRACE_SECONDS = 30


def grace_period() -> timedelta:
    """How long a dropped participant may take to come back without a new attendance interval."""
    return timedelta(seconds=current_app.config.get("MEETING_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))
