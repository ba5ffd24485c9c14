"""Campaigns: copies of one text (a form letter) sent by many people, grouped so the
district sees one representative and answers it once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

# `dissolved`: split down to one comment, it is no campaign any more (kept for the log's references).
CAMPAIGN_STATES = ("proposed", "confirmed", "dissolved")


class Campaign(db.Model):
    """Comments of a document that copy one text. `proposed` by the grouping job,
    `confirmed` by the district. Its representative is the earliest copy that may be shown."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="proposed")
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class CampaignMember(db.Model):
    """A comment's place in a campaign (the representative is a member too). `personal_text`
    holds what the comment adds beyond the shared text; `is_unique` when that is something
    of its own, so it stays answerable on its own."""

    __tablename__ = "campaign_members"
    __table_args__ = (Index("ix_campaign_members_campaign_comment", "campaign_id", "comment_id"),)

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), nullable=False)
    personal_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_unique: Mapped[bool] = mapped_column(nullable=False, default=False, server_default=false())
    joined_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class CommentSignature(db.Model):
    """What the grouping job needs of a comment, kept so every process rebuilds the same
    index on start: the digest of its normalised text and its MinHash. A row means the
    comment has been grouped (exactly once). `is_split`: the district split it out of a
    campaign, so it stays on its own. Redaction empties both digests."""

    __tablename__ = "comment_signatures"
    __table_args__ = (Index("ix_comment_signatures_document_generation", "document_id", "generation"),
                      Index("ix_comment_signatures_document_key", "document_id", "is_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False)
    exact_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    shingle_count: Mapped[int] = mapped_column(nullable=False, default=0)
    # Others may join it: a comment on its own, or a campaign's representative.
    is_key: Mapped[bool] = mapped_column(nullable=False, default=False, server_default=false())
    is_split: Mapped[bool] = mapped_column(nullable=False, default=False, server_default=false())
    # The grouper's generation that last wrote the row: each process catches up on newer rows.
    generation: Mapped[int] = mapped_column(nullable=False, default=0)


class CampaignGrouper(db.Model):
    """One row, locked by whichever process groups comments, so grouping runs exactly once."""

    __tablename__ = "campaign_grouper"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Raised by every transaction that changes which comments others may join.
    generation: Mapped[int] = mapped_column(nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    # Every comment up to this id has its signature: only newer ones are looked for.
    signed_through_id: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")
    # The last event looked at for edited comments (grouped again with their new text).
    edits_seen_seq: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")
