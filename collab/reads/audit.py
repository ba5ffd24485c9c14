"""Read models: what the API, the pages and the live channel show. No writes here."""
from __future__ import annotations

import json

from sqlalchemy import select

from ..events import chain_head
from ..extensions import db
from ..models import Event, User, Version
from ..serializers import event_to_dict, period_to_dict, version_to_dict
from ..services.documents import clause_texts, comment_counts, commenting_state, get_document
from ..timeutil import isoformat, parse_iso, utcnow

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
    from ..models import Comment, CommentPeriod
    from ..serializers import comment_to_dict

    def ids(prefix: str) -> set[int]:
        return {int(e.subject.split(":", 1)[1]) for e in events if e.subject.startswith(prefix + ":")}

    comment_ids, period_ids, version_ids = ids("comment"), ids("period"), ids("version")
    comments = {c.id: c for c in db.session.execute(
        select(Comment).where(Comment.id.in_(comment_ids))).scalars()} if comment_ids else {}
    # A silent round's comments stay unseen until the reveal sends them together.
    from ..services.comments import is_withheld

    withheld = {cid for cid, c in comments.items() if is_withheld(c)}
    periods = {p.id: p for p in db.session.execute(
        select(CommentPeriod).where(CommentPeriod.id.in_(period_ids))).scalars()} if period_ids else {}
    versions = {v.id: v for v in db.session.execute(
        select(Version).where(Version.id.in_(version_ids))).scalars()} if version_ids else {}
    payloads = []
    meeting_cache: dict[int, dict] = {}
    for event in events:
        payload = event_to_dict(event)
        kind, _, raw_id = event.subject.partition(":")
        if kind == "comment" and int(raw_id) in withheld:
            continue
        if kind == "comment" and int(raw_id) in comments:
            comment = comments[int(raw_id)]
            payload["comment"] = comment_to_dict(comment)
            if event.action == "resolution.recorded":
                payload["resolution"] = _recorded_resolution(comment, json.loads(event.data))
        elif kind == "period" and int(raw_id) in periods:
            payload["period"] = period_to_dict(periods[int(raw_id)])
        elif kind == "version" and int(raw_id) in versions:
            payload["version"] = version_to_dict(versions[int(raw_id)])
        elif kind == "meeting":
            _attach_meeting(payload, int(raw_id), meeting_cache)
        payloads.append(payload)
    return payloads


def _recorded_resolution(comment, data: dict) -> dict | None:
    """The resolution a `resolution.recorded` event recorded, as GET shows it now."""
    from ..serializers import current_resolution_dict, resolution_to_dict

    latest = current_resolution_dict(comment)
    if latest and latest["id"] == data.get("resolution_id"):
        return latest
    for resolution in comment.resolutions:
        if resolution.id == data.get("resolution_id"):
            return {**resolution_to_dict(resolution), "history_count": len(comment.resolutions)}
    return None


def _attach_meeting(payload: dict, meeting_id: int, cache: dict[int, dict]) -> None:
    """A meeting event as the live channel sends it: the meeting as it stands now, and
    for a silent round's reveal the comments it revealed."""
    from ..models import Comment, Meeting
    from ..serializers import comment_to_dict

    if meeting_id not in cache:
        meeting = db.session.get(Meeting, meeting_id)
        cache[meeting_id] = meeting_view(meeting) if meeting else None
    if cache[meeting_id] is not None:
        payload["meeting"] = cache[meeting_id]
    if payload["action"] == "meeting.silent_round_revealed":
        ids = payload["data"].get("comment_ids") or []
        payload["comments"] = [comment_to_dict(c) for c in db.session.execute(
            select(Comment).where(Comment.id.in_(ids)).order_by(Comment.id)).scalars()] if ids else []


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
    from ..models import Checkpoint
    from ..serializers import checkpoint_to_dict

    return [checkpoint_to_dict(c) for c in db.session.execute(select(Checkpoint).order_by(Checkpoint.seq, Checkpoint.id)).scalars()]


# --- meetings ---------------------------------------------------------------

def _effective_end(interval, now, grace):
    """Where an attendance interval ends as of `now`: a drop older than the grace time ends it."""
    if interval.left_at is not None:
        return interval.left_at
    if interval.disconnected_at is not None and now - interval.disconnected_at > grace:
        return interval.disconnected_at
    return None


def _seconds_per_clause(meeting, focus_rows, now) -> dict[int, float]:
    spent: dict[int, float] = {}
    for row in focus_rows:
        end = row.ended_at or meeting.ended_at or now
        spent[row.clause_id] = spent.get(row.clause_id, 0.0) + max(0.0, (end - row.focused_at).total_seconds())
    return spent


def meeting_view(meeting, now=None) -> dict:
    """A meeting as GET /meetings/{id} shows it: agenda with time spent, focus and its
    history, speaker queue, silent rounds and attendance. The same object rides on
    every meeting event."""
    from ..models import Attendance, Comment, MeetingFocus, SilentRound, SpeakerRequest
    from ..serializers import attendance_to_dict, person_to_dict, speaker_request_to_dict
    from ..services.meetings import grace_period
    from sqlalchemy import func

    now = now or utcnow()
    grace = grace_period()
    focus_rows = list(db.session.execute(
        select(MeetingFocus).where(MeetingFocus.meeting_id == meeting.id).order_by(MeetingFocus.id)).scalars())
    hands = list(db.session.execute(
        select(SpeakerRequest).where(SpeakerRequest.meeting_id == meeting.id,
                                     SpeakerRequest.status.in_(("waiting", "speaking")))
        .order_by(SpeakerRequest.id)).scalars())
    rounds = list(db.session.execute(
        select(SilentRound).where(SilentRound.meeting_id == meeting.id).order_by(SilentRound.id)).scalars())
    round_counts = dict(db.session.execute(
        select(Comment.silent_round_id, func.count()).where(Comment.meeting_id == meeting.id,
                                                            Comment.silent_round_id.is_not(None))
        .group_by(Comment.silent_round_id)).all())
    intervals = list(db.session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)).scalars())
    spent = _seconds_per_clause(meeting, focus_rows, now)
    current = next((f for f in focus_rows if f.ended_at is None), None) if meeting.status == "live" else None
    open_round = next((r for r in rounds if r.revealed_at is None), None)
    speaker = next((h for h in hands if h.status == "speaking"), None)
    attendance = []
    for interval in intervals:
        end = _effective_end(interval, now, grace)
        attendance.append(attendance_to_dict(interval, end, end is None and meeting.status == "live"))
    creator = db.session.get(User, meeting.created_by_id)

    def round_dict(r):
        return {"id": r.id, "clause_id": r.clause_id, "started_at": isoformat(r.started_at),
                "revealed_at": isoformat(r.revealed_at), "comment_count": round_counts.get(r.id, 0)}

    return {
        "id": meeting.id,
        "document_id": meeting.document_id,
        "title": meeting.title,
        "status": meeting.status,
        "created_by": person_to_dict(creator) if creator else None,
        "created_at": isoformat(meeting.created_at),
        "started_at": isoformat(meeting.started_at),
        "ended_at": isoformat(meeting.ended_at),
        "as_of": isoformat(now),
        "agenda": [{"id": item.id, "position": item.position, "clause_id": item.clause_id,
                    "minutes": item.minutes, "seconds_spent": round(spent.get(item.clause_id, 0.0), 1)}
                   for item in meeting.agenda],
        "focus": {"clause_id": current.clause_id, "since": isoformat(current.focused_at)} if current else None,
        "focus_history": [{"clause_id": f.clause_id, "focused_at": isoformat(f.focused_at),
                           "ended_at": isoformat(f.ended_at or meeting.ended_at)} for f in focus_rows],
        "speaker": speaker_request_to_dict(speaker) if speaker else None,
        "queue": [speaker_request_to_dict(h) for h in hands if h.status == "waiting"],
        "silent_round": round_dict(open_round) if open_round else None,
        "silent_rounds": [round_dict(r) for r in rounds],
        "attendance": attendance,
        "present_count": sum(1 for a in attendance if a["is_present"]),
        "end_checkpoint_seq": meeting.end_seq,
    }


def _clause_labels(document_id: int) -> dict[int, dict]:
    """Each clause's number and heading as it last stood (removed clauses keep their last text)."""
    from ..models import ClauseText

    labels = {}
    for text in db.session.execute(
            select(ClauseText).join(Version).where(Version.document_id == document_id)
            .order_by(Version.number, ClauseText.position)).scalars():
        labels[text.clause_id] = {"number": text.number, "heading": text.heading}
    return labels


def meeting_minutes(meeting) -> dict:
    """The minutes: attendance by group, time per clause, comments made, speakers, silent
    rounds, and resolutions recorded while the meeting was live (from the event log)."""
    from ..models import Checkpoint, Comment, Group, SpeakerRequest
    from ..serializers import comment_to_dict
    from ..services.comments import is_withheld

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
        members = sorted((p for p in people.values() if p["group"] == slug), key=lambda p: p["name"].lower())
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
        if not is_withheld(c)]
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
        {"name": h.user.name, "group": h.user.group.slug, "called_at": isoformat(h.called_at),
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
