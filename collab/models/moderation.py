from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .users import User

FLAG_OUTCOMES = ("hidden", "dismissed")
MODERATION_ACTIONS = ("hidden", "unhidden", "redacted", "flags_dismissed")


class Flag(db.Model):
    """A participant's report that a comment needs a moderator. Open until a
    moderator hides the comment or dismisses the flags."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    flagged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    # The salt of the text's digest in the chain (events.salted_digest), deleted with it at redaction.
    reason_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    handled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)

    flagged_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[flagged_by_id])


class ModerationAction(db.Model):
    """One moderator's act on a comment (hide, unhide, redact, dismiss flags), with its reason."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)

    actor: Mapped[User] = relationship(lazy="joined")
