"""The report's rows read as plain columns, not ORM objects: one query per place (clause or
checklist item) with each comment's current answer joined in, and every person read once.
Loading 55,000 Comment objects with their resolutions and placements cost ~0.6 ms a row;
these rows are built from tuples and equal reads/queue._report_row's (tests pin it)."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Iterator

from sqlalchemy import case, func, or_, select

from ..extensions import db
from ..models import Comment, Group, Resolution, User
from ..serializers import REDACTED_TEXT, author_to_dict, resolution_to_dict
from ..timeutil import isoformat
from .comments import HIDDEN_TEXT

RESOLUTION_COLUMNS = ("id", "comment_id", "disposition", "rationale", "rationale_es", "version",
                      "is_version_pending", "batch_id", "recorded_by_id", "recorded_at", "redacted_at", "seq")


class People:
    """Authors and recorders of a document's comments and answers, read in one query (their
    number grows with the accounts, not with the comments), serialised once each."""

    def __init__(self, document_id: int):
        authors = select(Comment.author_id).where(Comment.document_id == document_id)
        recorders = select(Resolution.recorded_by_id).where(Resolution.document_id == document_id)
        # Plain columns: what author_to_dict and shown_name read (ORM users cost ~0.1 ms each).
        self.users = {row.id: SimpleNamespace(
            id=row.id, name=row.name, show_name=row.show_name, organisation=row.organisation,
            organisation_verified_at=row.organisation_verified_at,
            group=SimpleNamespace(slug=row.slug, name=row.group_name)) for row in db.session.execute(
            select(User.id, User.name, User.show_name, User.organisation, User.organisation_verified_at,
                   Group.slug, Group.name.label("group_name")).join(Group, User.group_id == Group.id)
            .where(or_(User.id.in_(authors), User.id.in_(recorders))))}
        self._authors: dict[int, dict] = {}

    def author(self, user_id: int) -> dict:
        found = self._authors.get(user_id)
        if found is None:
            found = self._authors[user_id] = author_to_dict(self.users[user_id])
        return found


def ordered_rows(document_id: int, which, after_lead: int | None, batch: int) -> Iterator:
    """The comments of one place with their current answer, ordered by the first comment of
    their answer (`lead`: comments answered together come out next to each other), then id."""
    latest = (select(Resolution.comment_id, func.max(Resolution.id).label("resolution_id"),
                     func.count().label("history"))
              .where(Resolution.document_id == document_id).group_by(Resolution.comment_id).subquery())
    current = Resolution.__table__.alias("current_answer")
    lead = case((current.c.batch_id.is_(None), Comment.id),
                else_=func.min(Comment.id).over(
                    partition_by=(current.c.batch_id, Comment.clause_id, Comment.coverage_item_id)))
    ordered = (select(Comment.id, Comment.parent_id, Comment.author_id, Comment.kind, Comment.status,
                      Comment.body, Comment.language, Comment.created_at, Comment.redacted_at,
                      Comment.reopened_at, Comment.coverage_item_id, latest.c.history,
                      *[current.c[name].label(f"r_{name}") for name in RESOLUTION_COLUMNS], lead.label("lead"))
               .select_from(Comment)
               .outerjoin(latest, latest.c.comment_id == Comment.id)
               .outerjoin(current, current.c.id == latest.c.resolution_id)
               .where(Comment.document_id == document_id, which).subquery())
    query = select(ordered)
    if after_lead is not None:
        query = query.where(ordered.c.lead > after_lead)
    query = query.order_by(ordered.c.lead, ordered.c.id).execution_options(yield_per=batch)
    result = db.session.execute(query)
    try:
        yield from result
    finally:
        result.close()  # a page stops reading early: PostgreSQL's server-side cursor is closed now


def current_answer(row, people: People) -> dict | None:
    """current_resolution_dict's shape from a row of ordered_rows."""
    if row.r_id is None:
        return None
    resolution = SimpleNamespace(**{name: getattr(row, f"r_{name}") for name in RESOLUTION_COLUMNS},
                                 recorded_by=people.users[row.r_recorded_by_id])
    contested = row.reopened_at is not None and row.reopened_at >= row.r_recorded_at
    return {**resolution_to_dict(resolution, contested), "history_count": row.history}


def report_row(place: dict, row, resolution: dict | None, batches: dict, people: People) -> dict:
    """reads/queue._report_row from a row of ordered_rows."""
    author = people.author(row.author_id)
    batch = row.r_batch_id
    if row.status == "hidden":
        text = HIDDEN_TEXT
    elif row.redacted_at is not None:
        text = REDACTED_TEXT
    else:
        text = row.body
    return {
        "clause_number": place["number"], "clause_heading": place["heading"], "comment_id": row.id,
        "parent_id": row.parent_id,
        "answered_with": [i for i in batches.get(batch, []) if i != row.id] if batch else [],
        "author": author["name"], "group": author["group"], "group_name": author["group_name"],
        "kind": row.kind, "status": row.status, "comment": text, "comment_language": row.language,
        "created_at": isoformat(row.created_at), "clause_heading_language": place.get("heading_language", "en"),
        "disposition": resolution["disposition"] if resolution else None,
        "rationale": resolution["rationale"] if resolution else None,
        "rationale_language": "en" if resolution else None,
        "version": resolution["version"] if resolution else None,
        "version_pending": bool(resolution and resolution["version_pending"]),
        "resolved_at": resolution["recorded_at"] if resolution else None,
        "contested": bool(resolution and resolution["contested"]),
        "coverage_item": row.coverage_item_id,
    }
