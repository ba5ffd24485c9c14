"""Meetings as the API and pages show them after the fact: the list and the minutes."""
from __future__ import annotations

from sqlalchemy import select

from ..audience import shown_name
from ..events import event_to_dict
from ..extensions import db
from ..models import Checkpoint, ClauseText, Comment, Event, Group, Meeting, SpeakerRequest, User, Version
from ..models.lookups import get_document
from .access import readable_document
from ..serializers import comment_to_dict, meeting_view
from ..timeutil import isoformat, parse_iso


def _clause_labels(document_id: int) -> dict[int, dict]:
    """Each clause's number and heading as it last stood (removed clauses keep their last text)."""

    labels = {}
    for text in db.session.execute(
            select(ClauseText).join(Version).where(Version.document_id == document_id)
            .order_by(Version.number, ClauseText.position)).scalars():
        labels[text.clause_id] = {"number": text.number, "heading": text.heading}
    return labels


def meeting_minutes(meeting) -> dict:
    """The minutes: attendance by group, time per clause, comments made, speakers, silent
    rounds, and resolutions recorded while the meeting was live (from the event log)."""

    view = meeting_view(meeting)
    now = parse_iso(view["as_of"], "as_of")
    labels = _clause_labels(meeting.document_id)
    groups = {g.slug: g.name for g in db.session.execute(select(Group).order_by(Group.id)).scalars()}

    people: dict[tuple, dict] = {}
    for interval in view["attendance"]:
        key = ("user", interval["user_id"]) if interval["user_id"] else ("hand", interval["id"])
        person = people.setdefault(key, {"user_id": interval["user_id"], "name": interval["name"],
                                         "group": interval["group"], "source": interval["source"],
                                         "intervals": [], "seconds": 0.0})
        end = parse_iso(interval["left_at"], "left_at") if interval["left_at"] else now
        person["seconds"] += max(0.0, (end - parse_iso(interval["joined_at"], "joined_at")).total_seconds())
        person["intervals"].append({"joined_at": interval["joined_at"], "left_at": interval["left_at"]})
    by_group = []
    for slug, name in groups.items():
        members = sorted((p for p in people.values() if p["group"] == slug), key=lambda p: ((p["name"] or "").lower(), p["user_id"] or 0))
        if members:
            for member in members:
                member["seconds"] = round(member["seconds"], 1)
            by_group.append({"group": slug, "group_name": name, "count": len(members), "people": members})

    planned = {item["clause_id"]: item["minutes"] for item in view["agenda"]}
    spent: dict[int, float] = {}
    order: list[int] = [item["clause_id"] for item in view["agenda"]]
    for focus in view["focus_history"]:
        end = parse_iso(focus["ended_at"], "ended_at") if focus["ended_at"] else now
        seconds = max(0.0, (end - parse_iso(focus["focused_at"], "focused_at")).total_seconds())
        spent[focus["clause_id"]] = spent.get(focus["clause_id"], 0.0) + seconds
        if focus["clause_id"] not in order:
            order.append(focus["clause_id"])
    time_per_clause = [{"clause_id": cid, **labels.get(cid, {"number": "?", "heading": ""}),
                        "planned_minutes": planned.get(cid), "seconds": round(spent.get(cid, 0.0), 1)}
                       for cid in order]

    comments = [c for c in db.session.execute(
        select(Comment).where(Comment.meeting_id == meeting.id).order_by(Comment.id)).scalars()
        if not c.is_withheld]
    by_kind: dict[str, int] = {}
    by_group_count: dict[str, int] = {}
    for comment in comments:
        by_kind[comment.kind] = by_kind.get(comment.kind, 0) + 1
        by_group_count[comment.author.group.slug] = by_group_count.get(comment.author.group.slug, 0) + 1

    resolutions = []
    if meeting.started_at is not None:
        window_end = meeting.ended_at or now
        resolutions = [event_to_dict(e) for e in db.session.execute(
            select(Event).where(Event.action == "resolution.recorded", Event.document_id == meeting.document_id,
                                Event.at >= meeting.started_at, Event.at <= window_end)
            .order_by(Event.seq)).scalars()]

    speakers = [
        {"name": shown_name(h.user), "group": h.user.group.slug, "called_at": isoformat(h.called_at),
         "finished_at": isoformat(h.finished_at)}
        for h in db.session.execute(
            select(SpeakerRequest).where(SpeakerRequest.meeting_id == meeting.id,
                                         SpeakerRequest.called_at.is_not(None))
            .order_by(SpeakerRequest.called_at, SpeakerRequest.id)).scalars()]

    checkpoint = None
    if meeting.end_seq is not None:
        row = db.session.execute(select(Checkpoint).where(
            Checkpoint.seq == meeting.end_seq, Checkpoint.reason == "meeting.ended",
            Checkpoint.document_id == meeting.document_id)).scalars().first()
        if row is not None:
            checkpoint = {"seq": row.seq, "head_hash": row.head_hash, "at": isoformat(row.at)}

    started = parse_iso(view["started_at"], "started_at") if view["started_at"] else None
    ended = parse_iso(view["ended_at"], "ended_at") if view["ended_at"] else None
    return {
        "meeting": {k: view[k] for k in ("id", "document_id", "title", "status", "started_at", "ended_at")},
        "document_title": get_document(meeting.document_id).title,
        "is_final": meeting.status == "ended",
        "duration_seconds": round(((ended or now) - started).total_seconds(), 1) if started else 0,
        "attendance": {"people": len(people), "by_group": by_group},
        "time_per_clause": time_per_clause,
        "comments": {"count": len(comments), "by_kind": by_kind, "by_group": by_group_count,
                     "items": [{**comment_to_dict(c), **labels.get(c.clause_id, {})} for c in comments]},
        "speakers": speakers,
        "silent_rounds": [{**r, **labels.get(r["clause_id"], {})} for r in view["silent_rounds"]],
        "resolutions": {"count": len(resolutions), "events": resolutions},
        "checkpoint": checkpoint,
    }


def list_meetings(actor: User | None, document_id: int) -> list[Meeting]:
    readable_document(actor, document_id)
    return list(db.session.execute(
        select(Meeting).where(Meeting.document_id == document_id).order_by(Meeting.id.desc())).scalars())
