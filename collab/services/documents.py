"""Documents, their versions and clauses, and comment periods."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, exists, select

from ..errors import Conflict, Invalid, NotFound
from ..events import hold_locked_head, holds_locked_head, record_checkpoint, record_event, text_digest, transaction
from ..extensions import db
from ..models import ChainHead, Clause, ClauseText, CommentPeriod, Document, Meeting, SilentRound, User, Version
from ..models.documents import VISIBILITIES
from ..models.lookups import get_document
from ..permissions import can_administer, require
from ..serializers import period_to_dict
from ..timeutil import isoformat, parse_iso, utcnow
from ..drafts.text import normalize_text
from ..parsing import choice, required_text
from flask_babel import lazy_gettext as _l

MAX_CLAUSES = 500
CLAUSE_BODY_MAX = 20_000


def _valid_clauses(clauses: object) -> list[dict]:
    if not isinstance(clauses, list) or not clauses:
        raise Invalid(_l("clauses must be a non-empty list."), "invalid_clauses")
    if len(clauses) > MAX_CLAUSES:
        raise Invalid(_l("A document has at most %(max_clauses)s clauses.", max_clauses=MAX_CLAUSES), "too_many_clauses")
    cleaned, numbers = [], set()
    for index, clause in enumerate(clauses, start=1):
        if not isinstance(clause, dict):
            raise Invalid(_l("Clause %(index)s must be an object with number, heading and body.", index=index), "invalid_clauses")
        number = required_text(str(clause.get("number", "")) if clause.get("number") is not None else "",
                               "number", 20)
        if number in numbers:
            raise Invalid(_l("Clause number %(number)s is used twice.", number=number), "duplicate_clause_number")
        numbers.add(number)
        heading = clause.get("heading") or ""
        if not isinstance(heading, str) or len(heading) > 300:
            raise Invalid(_l("Clause %(number)s: heading must be text of at most 300 characters.", number=number), "invalid_heading")
        heading = normalize_text(heading).strip()
        body = required_text(clause.get("body"), "body", CLAUSE_BODY_MAX)
        cleaned.append({"id": clause.get("id"), "number": number, "heading": heading,
                        "body": normalize_text(body)})
    return cleaned


def _valid_visibility(visibility: object) -> str:
    return choice(visibility, "visibility", VISIBILITIES)


def create_document(actor: User | None, *, title, clauses, visibility=None) -> Document:
    """Create a document with its first version, `public` unless `visibility` says `invited`.
    Admins only. Records `document.created`."""
    if actor is None:
        raise Invalid(_l("A document needs an author."), "no_author")
    require(can_administer(actor), actor, _l("Only administrators create documents."))
    title = required_text(title, "title", 300)
    visibility = "public" if visibility is None else _valid_visibility(visibility)
    cleaned = _valid_clauses(clauses)
    with transaction():
        document = Document(title=title, current_version=1, created_by_id=actor.id, visibility=visibility)
        db.session.add(document)
        db.session.flush()
        version = Version(document_id=document.id, number=1, note="", published_by_id=actor.id)
        db.session.add(version)
        db.session.flush()
        written = []
        for position, item in enumerate(cleaned):
            clause = Clause(document_id=document.id)
            db.session.add(clause)
            db.session.flush()
            db.session.add(ClauseText(version_id=version.id, clause_id=clause.id, position=position,
                                      number=item["number"], heading=item["heading"], body=item["body"]))
            written.append({"id": clause.id, "number": item["number"],
                            "heading_sha256": text_digest(item["heading"]),
                            "body_sha256": text_digest(item["body"])})
        record_event("document.created", actor, f"document:{document.id}",
                     {"title_sha256": text_digest(title), "version": 1, "clauses": written,
                      "visibility": visibility},
                     document_id=document.id)
    return document


def update_document(actor: User, document_id: int, changes: object) -> Document:
    """Change a document's title or visibility (`public`: anyone reads it; `invited`: only
    people with an account). Admins only. Records `document.updated`."""
    require(can_administer(actor), actor, _l("Only administrators change documents."))
    if not isinstance(changes, dict) or not changes:
        raise Invalid(_l("Send at least one of title, visibility."), "nothing_to_change")
    unknown = set(changes) - {"title", "visibility"}
    if unknown:
        raise Invalid(_l("Unknown fields: %(sorted)s.", sorted=', '.join(sorted(unknown))), "unknown_field")
    title = required_text(changes["title"], "title", 300) if "title" in changes else None
    visibility = _valid_visibility(changes["visibility"]) if "visibility" in changes else None
    with transaction():
        document = get_document(document_id)
        recorded: dict = {}
        if title is not None and title != document.title:
            document.title = title
            recorded["title_sha256"] = text_digest(title)
        if visibility is not None and visibility != document.visibility:
            document.visibility = visibility
            recorded["visibility"] = visibility
        if recorded:
            record_event("document.updated", actor, f"document:{document.id}", recorded,
                         document_id=document.id)
    return document


# --- comment periods -------------------------------------------------------

@dataclass
class CommentTarget:
    """What writing a comment on a clause needs to know, read in one query (plain columns:
    loading the clause, its text and its document as objects cost more than the query)."""
    clause_id: int
    document_id: int
    current_version: int  # the document's
    text_body: str  # the clause's text in that version
    is_open: bool  # as commenting_state(document).is_open
    meeting_id: int | None  # the document's live meeting
    silent_round_id: int | None  # the live meeting's unrevealed silent round on this clause


@functools.cache
def _comment_target_query(lock_head: bool):
    """Built once: building and keying the statement cost more than running it. With `lock_head`
    it also reads the chain head and locks it (FOR UPDATE OF chain_head on PostgreSQL; on SQLite
    the write transaction holds the database), saving the comment its own round trip for it."""
    clause_id, moment = bindparam("clause_id"), bindparam("moment")
    live_meeting = (select(Meeting.id).where(Meeting.document_id == Clause.document_id, Meeting.status == "live")
                    .order_by(Meeting.id).limit(1).scalar_subquery())
    # The same rule as CommentPeriod.is_open_at, in SQL.
    period_open = exists().where(CommentPeriod.document_id == Clause.document_id,
                                 CommentPeriod.opens_at <= moment, CommentPeriod.closes_at > moment)
    silent_round = (select(SilentRound.id).where(SilentRound.meeting_id == live_meeting,
                                                 SilentRound.clause_id == Clause.id,
                                                 SilentRound.revealed_at.is_(None))
                    .order_by(SilentRound.id).limit(1).scalar_subquery())
    query = (
        select(Clause.id, Clause.document_id, Document.current_version, ClauseText.id.label("text_id"),
               ClauseText.body, period_open.label("period_open"), live_meeting.label("meeting_id"),
               silent_round.label("silent_round_id"))
        .join(Document, Document.id == Clause.document_id)
        .outerjoin(Version, and_(Version.document_id == Document.id, Version.number == Document.current_version))
        .outerjoin(ClauseText, and_(ClauseText.version_id == Version.id, ClauseText.clause_id == Clause.id))
        .where(Clause.id == clause_id)
    )
    if lock_head:
        head = ChainHead.__table__
        query = (query.add_columns(head.c.seq.label("head_seq"), head.c.hash.label("head_hash"))
                 .join(head, head.c.id == 1).with_for_update(of=head))
    return query


def comment_target(clause_id: int, lock_head: bool = False) -> CommentTarget:
    """A clause with its current text and document, whether commenting is open, and the
    live meeting and silent round a comment on it belongs to, in one query (the comment
    write path's reads). 404 for an unknown clause; 409 if the current version dropped it.
    `lock_head` (inside a service transaction): the same query reads and locks the chain
    head, unless this transaction holds it already."""
    lock_head = lock_head and not holds_locked_head()
    # Plain columns: run on the session's connection, past the ORM's execution layer.
    row = db.session.connection().execute(_comment_target_query(lock_head),
                                          {"clause_id": clause_id, "moment": utcnow()}).one_or_none()
    if row is None:
        raise NotFound(_l("No such clause."), "clause_not_found")
    clause_id, document_id, current_version, text_id, text_body, period_open_now, meeting_id, silent_round_id = row[:8]
    if lock_head:
        hold_locked_head(row.head_seq, row.head_hash)
    if text_id is None:
        raise Conflict(_l("This clause was removed from the current version."), "clause_removed")
    return CommentTarget(clause_id, document_id, current_version, text_body,
                         bool(period_open_now) or meeting_id is not None, meeting_id, silent_round_id)


def create_period(actor: User, document_id: int, *, opens_at, closes_at) -> CommentPeriod:
    """Schedule a comment period. Admins only. Records `period.opened` when it opens
    at once, `period.scheduled` when it opens later."""
    require(can_administer(actor), actor, _l("Only administrators open comment periods."))
    opens = parse_iso(opens_at, "opens_at") if opens_at is not None else utcnow()
    closes = parse_iso(closes_at, "closes_at")
    if closes <= opens:
        raise Invalid(_l("closes_at must be after opens_at."), "invalid_period")
    now = utcnow()
    if closes <= now:
        raise Invalid(_l("closes_at is in the past."), "invalid_period")
    with transaction():
        get_document(document_id)
        overlapping = db.session.execute(
            select(CommentPeriod.id).where(
                CommentPeriod.document_id == document_id,
                CommentPeriod.opens_at < closes, CommentPeriod.closes_at > opens)
        ).first()
        if overlapping:
            raise Conflict(_l("This period overlaps another comment period of the document."), "period_overlap")
        period = CommentPeriod(document_id=document_id, opens_at=opens, closes_at=closes,
                               created_by_id=actor.id)
        db.session.add(period)
        db.session.flush()
        if opens <= now:
            period.opened_recorded_at = now  # the scheduler must not record it again
        action = "period.opened" if opens <= now else "period.scheduled"
        record_event(action, actor, f"period:{period.id}",
                     {"period_id": period.id, "opens_at": isoformat(opens), "closes_at": isoformat(closes)},
                     document_id=document_id, live={"period": period_to_dict(period)})
    return period


def close_period(actor: User, period_id: int) -> CommentPeriod:
    """Close a comment period now. Admins only. Records `period.closed`."""
    require(can_administer(actor), actor, _l("Only administrators close comment periods."))
    with transaction():
        period = db.session.get(CommentPeriod, period_id, with_for_update=True)
        if period is None:
            raise NotFound(_l("No such comment period."))
        now = utcnow()
        if period.closes_at <= now:
            raise Conflict(_l("This comment period is already closed."), "period_closed")
        from .schedule import record_period_transitions

        record_period_transitions(period.id, now)  # an opening not recorded yet comes first
        period = db.session.get(CommentPeriod, period_id, populate_existing=True)
        period.closes_at = now
        period.closed_early_at = now
        period.closed_recorded_at = now
        if period.opens_at > now:
            period.opens_at = now  # a scheduled period cancelled before it opened
            period.opened_recorded_at = now
        record_event("period.closed", actor, f"period:{period.id}",
                     {"period_id": period.id, "closes_at": isoformat(now)},
                     document_id=period.document_id, live={"period": period_to_dict(period)})
        record_checkpoint("period.closed", period.document_id)
    return period


