from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

# public: anyone reads it, signed in or not; invited: only people with an account.
VISIBILITIES = ("public", "invited")


class Document(db.Model):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    visibility: Mapped[str] = mapped_column(String(10), default="public", server_default="public",
                                            nullable=False)
    current_version: Mapped[int] = mapped_column(default=1, nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class Version(db.Model):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(nullable=False)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    published_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class Clause(db.Model):
    """A clause's identity, stable across versions; its text lives in ClauseText."""

    __tablename__ = "clauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class ClauseText(db.Model):
    """A clause as it stands in one version: its place, number, heading and body."""

    __tablename__ = "clause_texts"
    __table_args__ = (UniqueConstraint("version_id", "clause_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), nullable=False, index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    heading: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)

    version: Mapped[Version] = relationship(lazy="joined")


class CommentPeriod(db.Model):
    """A window [opens_at, closes_at) in which participants may comment."""

    __tablename__ = "comment_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    opens_at: Mapped[datetime] = mapped_column(nullable=False)
    closes_at: Mapped[datetime] = mapped_column(nullable=False)
    closed_early_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    # When `period.opened` / `period.closed` were recorded: set once, by whichever
    # process records the transition first (see collab.services.schedule).
    opened_recorded_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_recorded_at: Mapped[datetime | None] = mapped_column(nullable=True)

    def is_open_at(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at
