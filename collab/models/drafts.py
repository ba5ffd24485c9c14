"""How comments follow the text from version to version, and which comments' wording a version took."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .comments import Comment

ANCHOR_STATUSES = ("exact", "moved", "fuzzy", "lost")


class CommentPlacement(db.Model):
    """Where an open comment stands in a later version of its document.

    Written when a version is published: the comment stays on the version it was
    written on; this row carries it forward. `anchor_status` says how its quote
    was found in the new text (null when the comment quotes nothing)."""

    __tablename__ = "comment_placements"
    __table_args__ = (UniqueConstraint("comment_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    version: Mapped[int] = mapped_column(nullable=False)
    is_clause_present: Mapped[bool] = mapped_column(nullable=False)
    is_clause_changed: Mapped[bool] = mapped_column(nullable=False)
    anchor_status: Mapped[str | None] = mapped_column(String(10), nullable=True)
    anchor_start: Mapped[int | None] = mapped_column(nullable=True)
    anchor_end: Mapped[int | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    # The author's answer to "does the new text resolve your concern?"
    author_says_resolved: Mapped[bool | None] = mapped_column(nullable=True)
    author_answered_at: Mapped[datetime | None] = mapped_column(nullable=True)

    comment: Mapped[Comment] = relationship(
        backref=backref("placements", lazy="selectin", order_by="CommentPlacement.version"))


class VersionSuggestion(db.Model):
    """A comment whose suggested wording was taken into a version."""

    __tablename__ = "version_suggestions"
    __table_args__ = (UniqueConstraint("version_id", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), nullable=False, index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), nullable=False)
