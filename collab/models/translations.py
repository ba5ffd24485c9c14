from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

# Languages a clause may be translated into; English is the text the district publishes.
TRANSLATION_LANGUAGES = ("es",)
# `current`: matches the English of its version; `outdated`: carried from a version whose
# English differed, shown as "translation being updated" until the district replaces it.
TRANSLATION_STATUSES = ("current", "outdated")


class ClauseTranslation(db.Model):
    """A human translation of one clause's text in one version. Rows are written per
    version: publishing carries them forward, never rewrites an earlier version's."""

    __tablename__ = "clause_translations"
    __table_args__ = (UniqueConstraint("clause_text_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_text_id: Mapped[int] = mapped_column(ForeignKey("clause_texts.id"), nullable=False, index=True)
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    heading: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="current", nullable=False)
    # No machine translation is built (see collab/translation.py); the flag keeps any such text labelled.
    is_machine_translated: Mapped[bool] = mapped_column(default=False, server_default=false(), nullable=False)
    translated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    translated_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
