"""Read models: what the API, the pages and the live channel show. No writes here."""
from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import select

from ..campaigns.live import LIVE_ACTIONS as CAMPAIGN_LIVE_ACTIONS, campaign_payloads
from ..events import chain_head
from ..extensions import db
from ..models import Event, Version
from ..events import event_to_dict
from ..serializers import period_to_dict, version_to_dict
from ..serializers import meeting_view

EVENTS_PAGE_MAX = 1000


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

    withheld = {cid for cid, c in comments.items() if c.is_withheld}
    periods = {p.id: p for p in db.session.execute(
        select(CommentPeriod).where(CommentPeriod.id.in_(period_ids))).scalars()} if period_ids else {}
    versions = {v.id: v for v in db.session.execute(
        select(Version).where(Version.id.in_(version_ids))).scalars()} if version_ids else {}
    # Every campaign of the window in one go, with the comments that left each (`campaign.left`).
    left: dict[int, list[int]] = defaultdict(list)
    for event in events:
        if event.action == "campaign.left":
            left[int(event.subject.split(":", 1)[1])].extend(json.loads(event.data).get("comment_ids", []))
    campaigns = campaign_payloads(sorted({int(e.subject.split(":", 1)[1]) for e in events
                                          if e.action in CAMPAIGN_LIVE_ACTIONS}), left)
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
            elif event.action in ("comment.cosigned", "comment.cosign_withdrawn"):
                payload["cosigners"] = payload["comment"]["cosigners"]
        elif kind == "period" and int(raw_id) in periods:
            payload["period"] = period_to_dict(periods[int(raw_id)])
        elif kind == "version" and int(raw_id) in versions:
            payload["version"] = version_to_dict(versions[int(raw_id)])
        elif kind == "meeting":
            _attach_meeting(payload, int(raw_id), meeting_cache)
        elif kind == "campaign" and event.action in CAMPAIGN_LIVE_ACTIONS:
            payload.update(campaigns.get(int(raw_id), {}))
            if event.action == "campaign.left":
                left = set(payload["data"].get("comment_ids", []))
                payload["comments"] = [c for c in payload.get("comments", []) if c["id"] in left]
            else:
                payload.pop("comments", None)
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

