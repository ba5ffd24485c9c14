"""The dict shapes shared by the JSON API, the pages and the live channel."""
from __future__ import annotations

import json

from .models import Comment, CommentPeriod, Event, Group, User
from .timeutil import isoformat, utcnow


def group_to_dict(group: Group) -> dict:
    return {"slug": group.slug, "name": group.name}


def user_to_dict(user: User) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "group": user.group.slug,
        "is_active": user.is_active,
    }


def author_to_dict(user: User) -> dict:
    return {"id": user.id, "name": user.name, "group": user.group.slug, "group_name": user.group.name}


def comment_to_dict(comment: Comment) -> dict:
    """A comment as GET shows it to everyone: a hidden comment shows no text."""
    hidden = comment.status == "hidden"
    return {
        "id": comment.id,
        "document_id": comment.document_id,
        "clause_id": comment.clause_id,
        "version": comment.version,
        "parent_id": comment.parent_id,
        "author": author_to_dict(comment.author),
        "kind": comment.kind,
        "body": None if hidden else comment.body,
        "quote": None if hidden else comment.quote,
        "suggested_text": None if hidden else comment.suggested_text,
        "status": comment.status,
        "created_at": isoformat(comment.created_at),
        "edited_at": isoformat(comment.edited_at),
        "seq": comment.seq,
        "resolution": None,
    }


def period_to_dict(period: CommentPeriod) -> dict:
    return {
        "id": period.id,
        "document_id": period.document_id,
        "opens_at": isoformat(period.opens_at),
        "closes_at": isoformat(period.closes_at),
        "is_open": period.is_open_at(utcnow()),
        "closed_early_at": isoformat(period.closed_early_at),
    }


def event_to_dict(event: Event) -> dict:
    return {
        "seq": event.seq,
        "at": isoformat(event.at),
        "actor": event.actor_id,
        "action": event.action,
        "document_id": event.document_id,
        "subject": event.subject,
        "data": json.loads(event.data),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def checkpoint_to_dict(checkpoint) -> dict:
    return {"seq": checkpoint.seq, "at": isoformat(checkpoint.at), "head_hash": checkpoint.head_hash,
            "reason": checkpoint.reason, "document_id": checkpoint.document_id}


def person_to_dict(user: User) -> dict:
    return {"user_id": user.id, "name": user.name, "group": user.group.slug, "group_name": user.group.name}


def speaker_request_to_dict(hand) -> dict:
    return {**person_to_dict(hand.user), "request_id": hand.id, "status": hand.status,
            "raised_at": isoformat(hand.raised_at), "called_at": isoformat(hand.called_at),
            "finished_at": isoformat(hand.finished_at)}


def attendance_to_dict(interval, left_at, is_present: bool) -> dict:
    """One attendance interval; `left_at` is where it ends as of now (a drop past the grace time)."""
    return {"id": interval.id, "user_id": interval.user_id, "name": interval.name,
            "group": interval.group.slug, "group_name": interval.group.name, "source": interval.source,
            "joined_at": isoformat(interval.joined_at), "left_at": isoformat(left_at),
            "is_present": is_present,
            "is_reconnecting": is_present and interval.disconnected_at is not None}
