"""Lookups that both the services and the read side need: an object or NotFound, the clauses
of a version, whether commenting is open. They read; they never write."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..errors import Conflict, NotFound
from ..extensions import db
from ..timeutil import utcnow
from .comments import Comment
from .documents import Clause, ClauseText, CommentPeriod, Document, Version
from .meetings import Meeting
from flask_babel import lazy_gettext as _l


def get_document(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound(_l("No such document."))
    return document


def clause_texts(document: Document, version_number: int | None = None) -> list[ClauseText]:
    """The clauses of a version (the current one by default), in order."""
    number = document.current_version if version_number is None else version_number
    texts = list(db.session.execute(
        select(ClauseText).join(Version)
        .where(Version.document_id == document.id, Version.number == number)
        .order_by(ClauseText.position)
    ).scalars())
    if not texts:
        raise NotFound(_l("Version %(number)s of this document does not exist.", number=number))
    return texts


def current_clause_text(clause_id: int) -> tuple[Clause, ClauseText, Document]:
    """A clause with its text in its document's current version; 404 if it has none."""
    clause = db.session.get(Clause, clause_id)
    if clause is None:
        raise NotFound(_l("No such clause."), "clause_not_found")
    document = db.session.get(Document, clause.document_id)
    text = db.session.execute(
        select(ClauseText).join(Version)
        .where(ClauseText.clause_id == clause_id, Version.document_id == document.id,
               Version.number == document.current_version)
    ).scalar_one_or_none()
    if text is None:
        raise Conflict(_l("This clause was removed from the current version."), "clause_removed")
    return clause, text, document


@dataclass
class CommentingState:
    is_open: bool
    period: CommentPeriod | None  # the open period, else the next scheduled one, else the last
    reason: str
    meeting: Meeting | None = None  # the document's live meeting, if one is live now


def commenting_state(document_id: int, at: datetime | None = None) -> CommentingState:
    """Whether participants may comment on a document now, and under which period
    or live meeting (a live meeting opens commenting outside every period)."""
    moment = at or utcnow()
    periods = list(db.session.execute(
        select(CommentPeriod).where(CommentPeriod.document_id == document_id)
        .order_by(CommentPeriod.opens_at)
    ).scalars())
    meeting = None if at is not None else db.session.execute(
        select(Meeting).where(Meeting.document_id == document_id, Meeting.status == "live")
    ).scalars().first()
    for period in periods:
        if period.is_open_at(moment):
            return CommentingState(True, period, "period_open", meeting)
    upcoming = [p for p in periods if p.opens_at > moment]
    shown = upcoming[0] if upcoming else (periods[-1] if periods else None)
    if meeting is not None:
        return CommentingState(True, shown, "meeting_live", meeting)
    if upcoming:
        return CommentingState(False, upcoming[0], "period_scheduled")
    return CommentingState(False, shown, "no_open_period")


def get_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_l("No such comment."))
    return comment


def get_meeting(meeting_id: int, *, for_update: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    if for_update:
        # Serialises concurrent changes to one meeting on PostgreSQL (SQLite has its write lock);
        # populate_existing: the locked row's state, not what the session loaded before the lock.
        query = query.with_for_update().execution_options(populate_existing=True)
    meeting = db.session.execute(query).scalar_one_or_none()
    if meeting is None:
        raise NotFound(_l("No such meeting."), "meeting_not_found")
    return meeting
