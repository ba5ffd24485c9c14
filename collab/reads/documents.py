"""Documents as readers see them: the document with its clauses and versions, the list of
documents with their periods, whether commenting is open, and the live meeting."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Comment, CommentPeriod, Document, User, Version
from ..models.lookups import clause_texts, commenting_state, get_document
from ..serializers import period_to_dict
from .access import readable_documents
from ..timeutil import isoformat, utcnow
from .memo import until_next_change
from .translations import translations_of


def period_state(periods: list[CommentPeriod], now=None) -> dict:
    """Whether commenting is open, and the period that says until when (or when next)."""
    now = now or utcnow()
    ordered = sorted(periods, key=lambda p: p.opens_at)
    for period in ordered:
        if period.is_open_at(now):
            return {"is_open": True, "upcoming": False, "period": period_to_dict(period)}
    upcoming = [p for p in ordered if p.opens_at > now]
    if upcoming:
        return {"is_open": False, "upcoming": True, "period": period_to_dict(upcoming[0])}
    return {"is_open": False, "upcoming": False, "period": period_to_dict(ordered[-1]) if ordered else None}


@dataclass
class DocumentRow:
    id: int
    title: str
    version: int
    commenting: dict
    comment_count: int = 0
    open_count: int = 0
    periods: list[dict] = field(default_factory=list)
    visibility: str = "public"


def document_rows(viewer: User | None) -> list[DocumentRow]:
    """The documents `viewer` may read, newest first, with their periods and comment counts (three queries)."""
    documents = readable_documents(viewer)
    periods: dict[int, list[CommentPeriod]] = defaultdict(list)
    for period in db.session.execute(select(CommentPeriod).order_by(CommentPeriod.opens_at)).scalars():
        periods[period.document_id].append(period)
    counts = {
        document_id: (total, int(open_ or 0))
        for document_id, total, open_ in db.session.execute(
            select(Comment.document_id, func.count(), func.sum(case((Comment.status == "open", 1), else_=0)))
            .group_by(Comment.document_id))
    }
    rows, now = [], utcnow()
    for document in documents:
        total, open_ = counts.get(document.id, (0, 0))
        rows.append(DocumentRow(
            id=document.id, title=document.title, version=document.current_version,
            commenting=period_state(periods[document.id]), comment_count=total, open_count=open_,
            periods=[_period_row(p, now) for p in periods[document.id]], visibility=document.visibility))
    return rows


def _period_row(period: CommentPeriod, now) -> dict:
    state = "open" if period.is_open_at(now) else "scheduled" if period.opens_at > now else "closed"
    return {**period_to_dict(period), "state": state}


def commenting_of(view: dict) -> dict:
    """period_state's shape from a document_view (which already names the period)."""
    period = view.get("period")
    upcoming = bool(period and not view["commenting_open"] and period["opens_at"] > isoformat(utcnow()))
    return {"is_open": view["commenting_open"], "upcoming": upcoming, "period": period}


def live_meeting(document_id: int) -> dict | None:
    """The meeting on this document that is live now, if any (one query)."""
    from ..models import Meeting

    meeting = db.session.execute(
        select(Meeting).where(Meeting.document_id == document_id, Meeting.status == "live")
        .order_by(Meeting.id.desc()).limit(1)).scalars().first()
    return {"id": meeting.id, "title": meeting.title, "status": meeting.status} if meeting else None


def document_view(document_id: int, version: int | None = None, with_clauses: bool = True) -> dict:
    """A document as GET /documents/{id} shows it, at its current version or at `version`."""
    document = get_document(document_id)
    state = commenting_state(document.id)
    view = {
        "id": document.id,
        "title": document.title,
        "visibility": document.visibility,
        "version": version or document.current_version,
        "current_version": document.current_version,
        "created_at": isoformat(document.created_at),
        "commenting_open": state.is_open,
        "period": period_to_dict(state.period) if state.period else None,
    }
    if with_clauses:
        counts = comment_counts(document.id)
        texts = clause_texts(document, version)
        translations = translations_of(texts)
        view["clauses"] = [
            {"id": t.clause_id, "number": t.number, "heading": t.heading, "body": t.body,
             "comment_count": counts.get(t.clause_id, (0, 0))[0],
             "open_count": counts.get(t.clause_id, (0, 0))[1],
             "translations": translations.get(t.id, {})}
            for t in texts
        ]
        view["versions"] = [
            {"number": v.number, "note": v.note, "published_at": isoformat(v.published_at)}
            for v in db.session.execute(
                select(Version).where(Version.document_id == document.id).order_by(Version.number)
            ).scalars()
        ]
    return view


def list_documents() -> list[Document]:
    return list(db.session.execute(select(Document).order_by(Document.created_at.desc())).scalars())


def comment_counts(document_id: int) -> dict[int, tuple[int, int]]:
    """clause id -> (comments, open comments), across versions, in one query, computed again
    only after something changed (reads/memo.py)."""
    return until_next_change("comment_counts", (document_id,), lambda: _comment_counts(document_id))


def _comment_counts(document_id: int) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(Comment.clause_id, func.count(),
               func.sum(case((Comment.status == "open", 1), else_=0)))
        .where(Comment.document_id == document_id)
        .group_by(Comment.clause_id)
    )
    return {clause_id: (total, int(open_ or 0)) for clause_id, total, open_ in rows}

