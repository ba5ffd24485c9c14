"""What the district adds to a version beyond its text: plain-language summaries, the adoption
with its signatures and review date, and the concerns a review draft carries from the last cycle."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from flask_babel import lazy_gettext as _l

PARTY_LABELS = {"district": _l("School district"), "police_agency": _l("Police agency"),
                "juvenile_justice": _l("Juvenile justice"), "community": _l("Community body"), "other": _l("Other")}
PARTIES = tuple(PARTY_LABELS)
CARRIED_REASONS = ("open", "deferred")


class ClauseSummary(db.Model):
    """The district's plain-language summary of one clause as it stands in one version."""

    __tablename__ = "clause_summaries"
    __table_args__ = (UniqueConstraint("version_id", "clause_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), nullable=False, index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), nullable=False, index=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    word_count: Mapped[int] = mapped_column(nullable=False)
    reading_ease: Mapped[float] = mapped_column(nullable=False)
    grade_level: Mapped[float] = mapped_column(nullable=False)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    written_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class Adoption(db.Model):
    """A version the district adopted, and when it must next be reviewed. One per version."""

    __tablename__ = "adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), nullable=False, unique=True)
    version_number: Mapped[int] = mapped_column(nullable=False)
    adopted_on: Mapped[date] = mapped_column(nullable=False)
    next_review_on: Mapped[date] = mapped_column(nullable=False)
    adopted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    # Set once by whichever scheduler process records `review.due_soon` first; cleared when
    # the review date moves, so the new date gets its own reminder.
    review_reminded_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The version that opened the review of this adoption, once the district started it.
    review_version_number: Mapped[int | None] = mapped_column(nullable=True)

    signatures: Mapped[list["Signature"]] = relationship(order_by="Signature.id", lazy="selectin")


class Signature(db.Model):
    """Who signed an adopted version for one party, and when."""

    __tablename__ = "adoption_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("adoptions.id"), nullable=False, index=True)
    party: Mapped[str] = mapped_column(String(30), nullable=False)
    party_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    signed_on: Mapped[date] = mapped_column(nullable=False)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


class CarriedConcern(db.Model):
    """A comment of the last cycle, still open or deferred, that a review draft takes up again."""

    __tablename__ = "carried_concerns"
    __table_args__ = (UniqueConstraint("version_id", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), nullable=False, index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
