"""Co-signatures ("add my name to this comment"), their counts by group, and the scans of
comments staff entered on someone's behalf."""
from __future__ import annotations

import os
from datetime import datetime

from flask import current_app

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .users import Group

# How a comment entered by staff reached the district.
SOURCES = ("letter", "phone", "meeting", "email")


class Cosignature(db.Model):
    """One person's name on someone else's comment; withdrawn by deleting the row (the log keeps both)."""

    __tablename__ = "cosignatures"
    __table_args__ = (UniqueConstraint("comment_id", "user_id", name="uq_cosignatures_comment_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class CosignerCount(db.Model):
    """How many co-signers of a comment are in one group: kept by the co-signing service, so
    no read counts co-signature rows (the comment's total is comments.cosigner_count)."""

    __tablename__ = "cosigner_counts"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    group: Mapped[Group] = relationship(lazy="joined")


class CommentScan(db.Model):
    """A scan of the letter (or notes) a staff-entered comment came from. The file lives outside
    the static folder (SCAN_DIR) under a random name; only staff may fetch it (it may hold
    personal information)."""

    __tablename__ = "comment_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, unique=True)
    stored_name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size: Mapped[int] = mapped_column(nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


def scan_directory() -> str:
    """Where scans are kept: SCAN_DIR, else the instance folder (never under static/)."""
    return current_app.config.get("SCAN_DIR") or os.path.join(current_app.instance_path, "scans")
