"""What each committed event tells whom: `derive(event)` gives the candidate recipients.

Nothing here writes. The notifier removes the event's actor and anyone
`audience.may_know_about` refuses, then writes the rows."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select

from ..events import text_digest
from ..extensions import db
from ..models import ClauseFollow, Comment, Cosignature, DocumentFollow, Event, ModerationAction, User
from ..models.meetings import Meeting
from ..permissions import MODERATING_ROLES
from ..timeutil import isoformat


@dataclass
class Candidate:
    kind: str
    document_id: int | None = None
    clause_id: int | None = None
    comment: Comment | None = None
    details: dict = field(default_factory=dict)

    @property
    def comment_id(self) -> int | None:
        return self.comment.id if self.comment is not None else None


# When one event tells a person two things, the more personal one is kept (one row per event and person).
PRIORITY = {"suggestion_taken": 3, "clause_changed": 2, "version_published": 1}


def _put(found: dict[int, Candidate], user_id: int, candidate: Candidate) -> None:
    present = found.get(user_id)
    if present is None or PRIORITY.get(candidate.kind, 0) > PRIORITY.get(present.kind, 0):
        found[user_id] = candidate


def document_followers(document_id: int) -> list[int]:
    return list(db.session.execute(select(DocumentFollow.user_id).where(
        DocumentFollow.document_id == document_id, DocumentFollow.is_following.is_(True))).scalars())


def _clause_followers(clause_ids: list[int]) -> list[tuple[int, int]]:
    if not clause_ids:
        return []
    return [tuple(row) for row in db.session.execute(select(ClauseFollow.user_id, ClauseFollow.clause_id).where(
        ClauseFollow.clause_id.in_(clause_ids), ClauseFollow.is_following.is_(True)))]


def _staff(roles) -> list[int]:
    return list(db.session.execute(select(User.id).where(User.role.in_(roles), User.is_active.is_(True))).scalars())


def _comment(comment_id) -> Comment | None:
    return db.session.get(Comment, comment_id) if comment_id else None


def _moderation_reason(comment_id: int, action: str, reason_sha256: str | None) -> str | None:
    """The moderator's reason, which the event holds only as a digest."""
    actions = db.session.execute(select(ModerationAction).where(
        ModerationAction.comment_id == comment_id, ModerationAction.action == action)
        .order_by(ModerationAction.id.desc())).scalars()
    for moderation in actions:
        if text_digest(moderation.reason) == reason_sha256:
            return moderation.reason
    return None


def _answered(event: Event, data: dict) -> dict[int, Candidate]:
    comment = _comment(data.get("comment_id"))
    if comment is None:
        return {}
    kind = "answer_changed" if data.get("supersedes") else "comment_answered"
    details = {"disposition": data.get("disposition")}
    # Those who added their name to the comment hear of its answer too (the author's row wins).
    found = {user_id: Candidate("cosigned_answered", comment.document_id, comment.clause_id, comment, details)
             for user_id in db.session.execute(select(Cosignature.user_id).where(
                 Cosignature.comment_id == comment.id)).scalars()}
    found[comment.author_id] = Candidate(kind, comment.document_id, comment.clause_id, comment, details)
    return found


def _campaign_answered(event: Event, data: dict) -> dict[int, Candidate]:
    """One answer to a campaign: each member's author hears that their comment was answered."""
    ids = [i for i in data.get("comment_ids") or [] if isinstance(i, int)]
    found: dict[int, Candidate] = {}
    if not ids:
        return found
    for comment in db.session.execute(select(Comment).where(Comment.id.in_(ids)).order_by(Comment.id)).scalars():
        found.setdefault(comment.author_id, Candidate("comment_answered", comment.document_id, comment.clause_id,
                                                      comment, {"disposition": data.get("disposition")}))
    return found


def _replied(event: Event, data: dict) -> dict[int, Candidate]:
    if data.get("parent_id") is None:
        return {}  # a new thread tells nobody in particular (and loading it costs a query or three)
    parent = _comment(data.get("parent_id"))
    reply = _comment(data.get("comment_id"))
    if parent is None or reply is None:
        return {}
    return {parent.author_id: Candidate("comment_replied", reply.document_id, reply.clause_id, reply,
                                        {"parent_id": parent.id})}


def _version(event: Event, data: dict) -> dict[int, Candidate]:
    found: dict[int, Candidate] = {}
    document_id = event.document_id
    details = {"version": data.get("version")}
    for user_id in document_followers(document_id):
        _put(found, user_id, Candidate("version_published", document_id, details=details))
    changed = list(data.get("changed") or [])
    for user_id, clause_id in _clause_followers(changed):
        _put(found, user_id, Candidate("clause_changed", document_id, clause_id, details=details))
    if changed:
        comments = db.session.execute(select(Comment).where(
            Comment.document_id == document_id, Comment.clause_id.in_(changed),
            Comment.version < data.get("version", 0)).order_by(Comment.id.desc())).scalars()
        for comment in comments:
            # Their latest comment there names the question "does the new text resolve it?".
            present = found.get(comment.author_id)
            if present is None or (present.comment is None and present.kind != "suggestion_taken"):
                found[comment.author_id] = Candidate("clause_changed", document_id, comment.clause_id, comment,
                                                     details)
    for comment_id in data.get("taken_comment_ids") or []:
        comment = _comment(comment_id)
        if comment is not None:
            _put(found, comment.author_id, Candidate("suggestion_taken", document_id, comment.clause_id, comment,
                                                     details))
    return found


def _moderated(kind: str, action: str):
    def derive_moderated(event: Event, data: dict) -> dict[int, Candidate]:
        comment = _comment(data.get("comment_id"))
        if comment is None:
            return {}
        reason = _moderation_reason(comment.id, action, data.get("reason_sha256"))
        return {comment.author_id: Candidate(kind, comment.document_id, comment.clause_id, comment,
                                             {"reason": reason})}
    return derive_moderated


def _to_followers(kind: str, detail_keys: tuple[str, ...]):
    def derive_for_followers(event: Event, data: dict) -> dict[int, Candidate]:
        details = {key: data.get(key) for key in detail_keys}
        if kind in ("meeting_scheduled", "meeting_starting"):
            meeting = db.session.get(Meeting, data.get("meeting_id"))
            details["title"] = meeting.title if meeting else None
            if meeting is not None and meeting.starts_at is not None:
                details["starts_at"] = isoformat(meeting.starts_at)
        return {user_id: Candidate(kind, event.document_id, details=details)
                for user_id in document_followers(event.document_id)}
    return derive_for_followers


def _flagged(event: Event, data: dict) -> dict[int, Candidate]:
    comment = _comment(data.get("comment_id"))
    if comment is None:
        return {}
    return {user_id: Candidate("flag_new", comment.document_id, comment.clause_id, comment)
            for user_id in _staff(MODERATING_ROLES)}


def _contested(event: Event, data: dict) -> dict[int, Candidate]:
    comment = _comment(data.get("comment_id"))
    if comment is None:
        return {}
    return {user_id: Candidate("answer_contested", comment.document_id, comment.clause_id, comment)
            for user_id in _staff({"admin"})}


def _approval(event: Event, data: dict) -> dict[int, Candidate]:
    # A sign-up in a group that needs an administrator's approval (law enforcement, juvenile
    # justice, the district) waits for one.
    if not data.get("needs_approval"):
        return {}
    return {user_id: Candidate("approval_requested", details={"user_id": data.get("user_id")})
            for user_id in _staff({"admin"})}


DERIVERS = {
    "resolution.recorded": _answered,
    "campaign.answered": _campaign_answered,
    "comment.created": _replied,
    "version.published": _version,
    "comment.hidden": _moderated("comment_hidden", "hidden"),
    "comment.unhidden": _moderated("comment_unhidden", "unhidden"),
    "period.opened": _to_followers("period_opened", ("period_id", "closes_at")),
    "period.closing_soon": _to_followers("period_closing", ("period_id", "closes_at", "hours")),
    "meeting.created": _to_followers("meeting_scheduled", ("meeting_id",)),
    "meeting.starting_soon": _to_followers("meeting_starting", ("meeting_id", "starts_at")),
    "comment.flagged": _flagged,
    "comment.reopened": _contested,
    "user.signed_up": _approval,
}


def derive(event: Event) -> dict[int, Candidate]:
    """Who hears about `event`, by user id (the actor and unreadable content not yet removed)."""
    deriver = DERIVERS.get(event.action)
    if deriver is None:
        return {}
    return deriver(event, json.loads(event.data))
