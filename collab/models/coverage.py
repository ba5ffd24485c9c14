"""Which checklist items (collab/domain/checklist.json) a clause addresses, as the district tagged it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class ClauseCoverage(db.Model):
    """One tag: the clause as it stands in one version (a ClauseText) addresses an item,
    fully (`addresses`) or `partly`. No row: the district says it does not address it.
    Tags are copied onto the clause's text in each new version (collab.services.coverage)."""

    __tablename__ = "clause_coverage"
    __table_args__ = (UniqueConstraint("clause_text_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_text_id: Mapped[int] = mapped_column(ForeignKey("clause_texts.id"), nullable=False, index=True)
    # Denormalised from the ClauseText: a version's tags are read with one query by version.
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), nullable=False, index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), nullable=False, index=True)
    item_id: Mapped[str] = mapped_column(String(40), nullable=False)
    strength: Mapped[str] = mapped_column(String(10), nullable=False)
    tagged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
