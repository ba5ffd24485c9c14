from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .users import User

DISPOSITIONS = ("accepted", "accepted_with_changes", "declined", "deferred", "noted")
# Only an answer that accepts the point (fully or partly) can promise a change in the next version.
CHANGING_DISPOSITIONS = ("accepted", "accepted_with_changes")
NEXT_VERSION = "next"


class Resolution(db.Model):
    """The district's recorded answer to one comment. A later one supersedes an
    earlier one; both rows stay. Comments answered together share `batch_id`."""

    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    disposition: Mapped[str] = mapped_column(String(30), nullable=False)
    rationale: Mapped[str] = mapped_column(Text, nullable=False)
    # The salt of the text's digest in the chain (events.salted_digest), deleted with it at redaction.
    rationale_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The same answer in Spanish, written by the district (optional); redacted with the English.
    rationale_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    rationale_es_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    version: Mapped[int | None] = mapped_column(nullable=True)
    # "Changed in the next version": promised before that version exists; publishing a version
    # that changes the comment's clause fills `version` and `version_linked_at`.
    is_version_pending: Mapped[bool] = mapped_column(default=False, server_default=false(), nullable=False)
    version_linked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    batch_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    redacted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    seq: Mapped[int | None] = mapped_column(nullable=True)

    recorded_by: Mapped[User] = relationship(lazy="joined")


class Reopening(db.Model):
    """A comment's author said a resolution does not address their concern."""

    __tablename__ = "comment_reopenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("resolutions.id"), nullable=False)
    reopened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The salt of the text's digest in the chain (events.salted_digest), deleted with it at redaction.
    reason_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reopened_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
