from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .users import User

KINDS = ("concern", "suggestion", "support", "question", "reply")
# Kinds the district answers: a `reply` is conversation in a thread and waits for no answer.
ANSWERED_KINDS = ("concern", "suggestion", "support", "question")
DISTRICT_GROUP = "district"


def awaits_answer(comment: "Comment") -> bool:
    """Whether an open comment belongs in the district's work queue: not a plain reply, and
    not a reply by the district's own staff (admins and facilitators of the district group),
    whatever its kind. A staff member's own top-level comment is still answered by another admin."""
    author = comment.author
    own_reply = (comment.parent_id is not None and author.role in ("admin", "facilitator")
                 and author.group.slug == DISTRICT_GROUP)
    return comment.status == "open" and comment.kind in ANSWERED_KINDS and not own_reply
STATUSES = ("open", "resolved", "hidden")


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("author_id", "idempotency_key"),
        # Keyset paging and the GROUP BY counts of every list (migration 0014_scale, which also
        # holds the full-text indexes: tsvector on PostgreSQL, an FTS5 table on SQLite).
        Index("ix_comments_document_id_id", "document_id", "id"),
        Index("ix_comments_document_clause_parent_id", "document_id", "clause_id", "parent_id", "id"),
        Index("ix_comments_document_status_id", "document_id", "status", "id"),
        Index("ix_comments_author_id_id", "author_id", "id"),
        Index("ix_comments_parent_id_id", "parent_id", "id"),
        # sort=cosigned pages by (cosigner_count, id) (migration 0016_cosign_intake).
        Index("ix_comments_document_cosigners_id", "document_id", "cosigner_count", "id"),
        # The report's order: a page is a walk of this index from its cursor (migration 0019_report_order).
        Index("ix_comments_report_order", "document_id", "clause_id", text("coalesce(report_lead_id, id)"), "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    # A comment is on a clause, or (clause_id null) on a checklist item no clause covers well:
    # `coverage_item_id` names it (collab/domain/checklist.json).
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), nullable=True, index=True)
    coverage_item_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    version: Mapped[int] = mapped_column(nullable=False)
    # Replies point at their thread's first comment: threads are two levels deep.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), nullable=True, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # The language its texts are written in (chosen, else detected): pages mark them up with it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en", nullable=False)
    quote: Mapped[str | None] = mapped_column(Text, nullable=True)
    suggested_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Random salts of the texts' digests in the chain (events.salted_digest); deleted with
    # the texts at redaction. NULL for comments written before salted digests.
    body_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    quote_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    suggested_text_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open", nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    edited_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The seq of the event that created it: clients order and de-duplicate by it.
    seq: Mapped[int | None] = mapped_column(nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Moderation: the status to restore on unhide; when the texts were redacted.
    status_before_hidden: Mapped[str | None] = mapped_column(String(20), nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)
    redacted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reopened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Made during a live meeting; in a silent round it stays unseen by others until the reveal.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True, index=True)
    silent_round_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_silent_rounds.id"), nullable=True,
                                                        index=True)

    # Co-signers in all, kept by collab/services/cosigning.py (by group: CosignerCount).
    cosigner_count: Mapped[int] = mapped_column(default=0, server_default="0", nullable=False)
    # Entered by staff for someone (the author) from a letter, call, meeting or e-mail (models.cosigning.SOURCES).
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    source: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # The report's order (reads/report_rows.py) puts comments answered together next to each
    # other, under the first of them: the lowest id, at the same place (clause, or checklist
    # item), among the comments whose current answer has the same batch_id as this one's. NULL
    # while its current answer is shared with no one (the comment leads itself): the report's
    # key is coalesce(report_lead_id, id). Kept by the answer services (services/resolutions.py).
    report_lead_id: Mapped[int | None] = mapped_column(nullable=True)

    author: Mapped[User] = relationship(lazy="joined", foreign_keys=[author_id])
    # Staff are few: after the first, the identity map answers without a query.
    entered_by: Mapped[User | None] = relationship(lazy="select", foreign_keys=[entered_by_id])
    # One extra query for a whole list, as resolutions.
    cosigner_groups: Mapped[list["CosignerCount"]] = relationship(  # noqa: F821
        lazy="selectin", order_by="CosignerCount.group_id")
    # Loaded for a whole list in one extra query: serialising a list costs no N+1.
    resolutions: Mapped[list["Resolution"]] = relationship(  # noqa: F821
        order_by="Resolution.id", lazy="selectin")

    @property
    def is_withheld(self) -> bool:
        """A comment of a silent round that has not been revealed yet (others may not see it)."""
        if self.silent_round_id is None:
            return False
        from .meetings import SilentRound  # the meetings model refers to comments too

        return db.session.get(SilentRound, self.silent_round_id).revealed_at is None


class CommentRevision(db.Model):
    """An earlier text of an edited comment; never rewritten."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), nullable=False, index=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    written_at: Mapped[datetime] = mapped_column(nullable=False)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
