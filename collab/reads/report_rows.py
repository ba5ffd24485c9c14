"""The report's rows read as plain columns, not ORM objects: one query per place (clause or
checklist item) with each comment's author and current answer joined in.
Loading 55,000 Comment objects with their resolutions and placements cost ~0.6 ms a row;
these rows are built from tuples and equal reads/queue._report_row's (tests pin it)."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Iterator

from sqlalchemy import func, select

from ..extensions import db
from ..models import Comment, Group, Resolution, User
from ..serializers import REDACTED_TEXT, author_to_dict, resolution_to_dict
from ..timeutil import isoformat
from .comments import HIDDEN_TEXT

RESOLUTION_COLUMNS = ("id", "comment_id", "disposition", "rationale", "rationale_es", "version",
                      "is_version_pending", "batch_id", "recorded_by_id", "recorded_at", "redacted_at", "seq")


PERSON_COLUMNS = ("id", "name", "show_name", "organisation", "organisation_verified_at")


class People:
    """The authors and recorders met in the rows (their columns come joined in each row),
    serialised once per person."""

    def __init__(self):
        self._authors: dict[int, dict] = {}
        self._recorders: dict[int, SimpleNamespace] = {}

    def author(self, row) -> dict:
        found = self._authors.get(row.author_id)
        if found is None:
            found = self._authors[row.author_id] = author_to_dict(_person(row, "a_"))
        return found

    def recorder(self, row) -> SimpleNamespace:
        found = self._recorders.get(row.r_recorded_by_id)
        if found is None:
            found = self._recorders[row.r_recorded_by_id] = _person(row, "rb_")
        return found


def _person(row, prefix: str) -> SimpleNamespace:
    """What author_to_dict and shown_name read of a User, from a row's columns."""
    return SimpleNamespace(**{name: getattr(row, prefix + name) for name in PERSON_COLUMNS},
                           group=SimpleNamespace(slug=getattr(row, prefix + "group"),
                                                 name=getattr(row, prefix + "group_name")))


def _person_columns(user, group, prefix: str) -> list:
    return [*[user.c[name].label(prefix + name) for name in PERSON_COLUMNS],
            group.c.slug.label(prefix + "group"), group.c.name.label(prefix + "group_name")]


def ordered_rows(document_id: int, which, after_lead: int | None, batch: int, whole: bool = False) -> Iterator:
    """The comments of one place with their current answer, ordered by the first comment of
    their answer (`lead`: comments answered together come out next to each other), then id.
    The lead is stored (Comment.report_lead_id, kept by the answer services) and indexed with
    the order (ix_comments_report_order): a page walks the index from its cursor and stops.
    `whole`: every comment of the place is read (CSV, JSON), see ordered_query."""
    result = db.session.execute(ordered_query(document_id, which, after_lead, whole).execution_options(yield_per=batch))
    names = list(result.keys())
    try:
        for row in result:
            # A plain object: each row's ~35 columns are read several times, and a Row's
            # attribute lookup by name costs more than an instance's (zip: Row._asdict costs more).
            yield SimpleNamespace(**dict(zip(names, row)))
    finally:
        result.close()  # a page stops reading early: PostgreSQL's server-side cursor is closed now


def ordered_query(document_id: int, which, after_lead: int | None, whole: bool = False):
    """ordered_rows' statement, in the index's order. For a page, a comment's current answer and
    the length of its history are looked up per comment (a few index entries each), so it reads
    what it shows and no more. For the `whole` place, one pass grouping the document's answers
    by comment costs less than 55,000 lookups (1.5 s against 3.6-4.2 s for the whole period,
    measured at load 11)."""
    if whole:
        latest = (select(Resolution.comment_id, func.max(Resolution.id).label("resolution_id"),
                         func.count().label("history"))
                  .where(Resolution.document_id == document_id).group_by(Resolution.comment_id).subquery())
        latest_id, history_count = latest.c.resolution_id, latest.c.history
    else:
        history = Resolution.__table__.alias("history")
        latest_id = select(func.max(history.c.id)).where(history.c.comment_id == Comment.id).scalar_subquery()
        history_count = select(func.count()).where(history.c.comment_id == Comment.id).scalar_subquery()
    current = Resolution.__table__.alias("current_answer")
    lead = func.coalesce(Comment.report_lead_id, Comment.id)
    author, author_group = User.__table__.alias("author"), Group.__table__.alias("author_group")
    recorder, recorder_group = User.__table__.alias("recorder"), Group.__table__.alias("recorder_group")
    query = (select(Comment.id, Comment.parent_id, Comment.author_id, Comment.kind, Comment.status,
                    Comment.body, Comment.language, Comment.created_at, Comment.redacted_at,
                    Comment.reopened_at, Comment.coverage_item_id, Comment.source, Comment.cosigner_count,
                    history_count.label("history"),
                    *[current.c[name].label(f"r_{name}") for name in RESOLUTION_COLUMNS],
                    *_person_columns(author, author_group, "a_"),
                    *_person_columns(recorder, recorder_group, "rb_"), lead.label("lead"))
             .select_from(Comment)
             .join(author, author.c.id == Comment.author_id)
             .join(author_group, author_group.c.id == author.c.group_id))
    if whole:
        query = query.outerjoin(latest, latest.c.comment_id == Comment.id)
    query = (query.outerjoin(current, current.c.id == latest_id)
             .outerjoin(recorder, recorder.c.id == current.c.recorded_by_id)
             .outerjoin(recorder_group, recorder_group.c.id == recorder.c.group_id)
             .where(Comment.document_id == document_id, which))
    if after_lead is not None:
        query = query.where(lead > after_lead)
    return query.order_by(lead, Comment.id)


def current_answer(row, people: People) -> dict | None:
    """current_resolution_dict's shape from a row of ordered_rows."""
    if row.r_id is None:
        return None
    resolution = SimpleNamespace(**{name: getattr(row, f"r_{name}") for name in RESOLUTION_COLUMNS},
                                 recorded_by=people.recorder(row))
    contested = row.reopened_at is not None and row.reopened_at >= row.r_recorded_at
    return {**resolution_to_dict(resolution, contested), "history_count": row.history}


def answer_columns(resolution: dict | None) -> dict:
    """The report row's columns about a comment's current answer (None: not answered yet)."""
    return {
        "disposition": resolution["disposition"] if resolution else None,
        "rationale": resolution["rationale"] if resolution else None,
        "rationale_language": "en" if resolution else None,
        "version": resolution["version"] if resolution else None,
        "version_pending": bool(resolution and resolution["version_pending"]),
        "resolved_at": resolution["recorded_at"] if resolution else None,
        "contested": bool(resolution and resolution["contested"]),
    }


def report_row(place: dict, row, resolution: dict | None, batches: dict, people: People) -> dict:
    """reads/queue._report_row from a row of ordered_rows."""
    author = people.author(row)
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
        **answer_columns(resolution),
        "coverage_item": row.coverage_item_id,
        "source": row.source, "cosigners": row.cosigner_count,
    }
