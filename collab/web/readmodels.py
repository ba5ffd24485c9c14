"""What the pages show, loaded in a fixed number of queries. Reads only: every
change goes through collab.services."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Comment, CommentPeriod, Document
from ..serializers import comment_to_dict, period_to_dict
from ..timeutil import isoformat, utcnow

# Default groups get a fixed tone; groups an admin adds later get one by their slug.
GROUP_TONES = {
    "families": 1, "students": 2, "educators": 3, "school-leaders": 4, "law-enforcement": 5,
    "juvenile-justice": 6, "civil-rights": 7, "community": 8, "district": 9,
}
TONE_COUNT = 9


def group_tone(slug: str) -> str:
    """The CSS class suffix of a group's badge colour (tone-1 … tone-9)."""
    tone = GROUP_TONES.get(slug) or sum(slug.encode("utf-8")) % TONE_COUNT + 1
    return f"tone-{tone}"


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


def document_rows() -> list[DocumentRow]:
    """Every document, newest first, with its periods and comment counts (three queries)."""
    documents = list(db.session.execute(select(Document).order_by(Document.created_at.desc(),
                                                                   Document.id.desc())).scalars())
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
            periods=[_period_row(p, now) for p in periods[document.id]]))
    return rows


def _period_row(period: CommentPeriod, now) -> dict:
    state = "open" if period.is_open_at(now) else "scheduled" if period.opens_at > now else "closed"
    return {**period_to_dict(period), "state": state}


def threads_by_clause(comments: list[Comment]) -> dict[int, list[dict]]:
    """clause id -> threads in order; a thread is a comment dict with its `replies`."""
    threads: dict[int, list[dict]] = defaultdict(list)
    roots: dict[int, dict] = {}
    for comment in sorted(comments, key=lambda c: c.id):
        item = comment_to_dict(comment)
        if comment.parent_id is None:
            item["replies"] = []
            roots[comment.id] = item
            threads[comment.clause_id].append(item)
        elif comment.parent_id in roots:
            roots[comment.parent_id]["replies"].append(item)
    return threads


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


def viewer_of(user) -> dict:
    """Who the reader is, for the document page's scripts (their own comments, echoes)."""
    return {"id": user.id, "role": user.role}
