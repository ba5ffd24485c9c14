"""Read models: what the API, the pages and the live channel show. No writes here."""
from __future__ import annotations

import json

from sqlalchemy import select

from .events import chain_head
from .extensions import db
from .models import Event, Version
from .serializers import event_to_dict, period_to_dict, version_to_dict
from .services.documents import clause_texts, comment_counts, commenting_state, get_document
from .timeutil import isoformat

EVENTS_PAGE_MAX = 1000


def document_view(document_id: int, version: int | None = None, with_clauses: bool = True) -> dict:
    """A document as GET /documents/{id} shows it, at its current version or at `version`."""
    document = get_document(document_id)
    state = commenting_state(document.id)
    view = {
        "id": document.id,
        "title": document.title,
        "version": version or document.current_version,
        "current_version": document.current_version,
        "created_at": isoformat(document.created_at),
        "commenting_open": state.is_open,
        "period": period_to_dict(state.period) if state.period else None,
    }
    if with_clauses:
        counts = comment_counts(document.id)
        view["clauses"] = [
            {"id": t.clause_id, "number": t.number, "heading": t.heading, "body": t.body,
             "comment_count": counts.get(t.clause_id, (0, 0))[0],
             "open_count": counts.get(t.clause_id, (0, 0))[1]}
            for t in clause_texts(document, version)
        ]
        view["versions"] = [
            {"number": v.number, "note": v.note, "published_at": isoformat(v.published_at)}
            for v in db.session.execute(
                select(Version).where(Version.document_id == document.id).order_by(Version.number)
            ).scalars()
        ]
    return view


def list_events(document_id: int | None = None, after: int = 0, limit: int = 100) -> tuple[list[dict], str]:
    """Events after `after` in seq order (at most `limit`, capped), and the chain's head hash."""
    limit = max(1, min(limit, EVENTS_PAGE_MAX))
    query = select(Event).where(Event.seq > after).order_by(Event.seq).limit(limit)
    if document_id is not None:
        query = query.where(Event.document_id == document_id)
    events = [event_to_dict(e) for e in db.session.execute(query).scalars()]
    return events, chain_head()[1]


def live_payloads(events: list[Event]) -> list[dict]:
    """Events as the live channel sends them, each with its object as GET shows it now
    (so catch-up never shows text that was hidden since)."""
    from .models import Comment, CommentPeriod
    from .serializers import comment_to_dict

    def ids(prefix: str) -> set[int]:
        return {int(e.subject.split(":", 1)[1]) for e in events if e.subject.startswith(prefix + ":")}

    comment_ids, period_ids, version_ids = ids("comment"), ids("period"), ids("version")
    comments = {c.id: c for c in db.session.execute(
        select(Comment).where(Comment.id.in_(comment_ids))).scalars()} if comment_ids else {}
    periods = {p.id: p for p in db.session.execute(
        select(CommentPeriod).where(CommentPeriod.id.in_(period_ids))).scalars()} if period_ids else {}
    versions = {v.id: v for v in db.session.execute(
        select(Version).where(Version.id.in_(version_ids))).scalars()} if version_ids else {}
    payloads = []
    for event in events:
        payload = event_to_dict(event)
        kind, _, raw_id = event.subject.partition(":")
        if kind == "comment" and int(raw_id) in comments:
            comment = comments[int(raw_id)]
            payload["comment"] = comment_to_dict(comment)
            if event.action == "resolution.recorded":
                payload["resolution"] = _recorded_resolution(comment, json.loads(event.data))
        elif kind == "period" and int(raw_id) in periods:
            payload["period"] = period_to_dict(periods[int(raw_id)])
        elif kind == "version" and int(raw_id) in versions:
            payload["version"] = version_to_dict(versions[int(raw_id)])
        payloads.append(payload)
    return payloads


def _recorded_resolution(comment, data: dict) -> dict | None:
    """The resolution a `resolution.recorded` event recorded, as GET shows it now."""
    from .serializers import current_resolution_dict, resolution_to_dict

    latest = current_resolution_dict(comment)
    if latest and latest["id"] == data.get("resolution_id"):
        return latest
    for resolution in comment.resolutions:
        if resolution.id == data.get("resolution_id"):
            return {**resolution_to_dict(resolution), "history_count": len(comment.resolutions)}
    return None


CATCH_UP_MAX = 5000


def catch_up(document_id: int, since: int | None) -> tuple[int, str, list[dict]]:
    """The chain head (seq, hash) and a document's events after `since`, for `join`
    (none when the client has not seen any: it loads the page's state instead)."""
    head_seq, head_hash = chain_head()
    if since is None:
        return head_seq, head_hash, []
    events = list(db.session.execute(
        select(Event).where(Event.document_id == document_id, Event.seq > since, Event.seq <= head_seq)
        .order_by(Event.seq).limit(CATCH_UP_MAX)
    ).scalars())
    return head_seq, head_hash, live_payloads(events)


def list_checkpoints() -> list[dict]:
    from .models import Checkpoint
    from .serializers import checkpoint_to_dict

    return [checkpoint_to_dict(c) for c in db.session.execute(select(Checkpoint).order_by(Checkpoint.seq, Checkpoint.id)).scalars()]
