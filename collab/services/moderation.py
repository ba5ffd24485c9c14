"""Moderation: flags with reasons, hiding and unhiding, and redaction of personal data.
Nothing is deleted: a hidden comment keeps its text for its author and the moderators;
a redacted text is replaced by a marker while the chain, which holds only its digest,
still verifies."""
from __future__ import annotations

import logging

from sqlalchemy import select

from ..errors import Conflict, Forbidden, NotFound
from ..events import (new_salt, record_notice, record_event, salted_digest, stored_text_digest, text_digest,
                      transaction)
from ..extensions import db
from ..models import Comment, CommentRevision, CommentScan, Flag, ModerationAction, Reopening, Resolution, User
from ..permissions import can_flag, can_hide, can_moderate, can_redact, require, require_confirmed_account
from ..serializers import REDACTED_TEXT, comment_to_dict
from ..timeutil import utcnow
from ..parsing import required_text
from flask_babel import lazy_gettext as _l
from .campaigns import leave_grouping
from .intake import discard_scans

REASON_MAX = 2_000
log = logging.getLogger(__name__)


def _comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_l("No such comment."))
    return comment


def _open_flags(comment_id: int) -> list[Flag]:
    return list(db.session.execute(
        select(Flag).where(Flag.comment_id == comment_id, Flag.handled_at.is_(None)).order_by(Flag.id)
    ).scalars())


def _handle_flags(actor: User, comment_id: int, outcome: str) -> list[int]:
    now = utcnow()
    flags = _open_flags(comment_id)
    for flag in flags:
        flag.handled_at, flag.handled_by_id, flag.outcome = now, actor.id, outcome
    return [f.id for f in flags]


def _ensure_may_moderate(actor: User, comment: Comment) -> None:
    if not can_hide(actor, comment):
        raise Forbidden(_l("You cannot moderate your own comment: another moderator must."), "own_comment")


def flag_comment(actor: User, comment_id: int, *, reason) -> Flag:
    """Ask the moderators to look at a comment, saying why. Participants, facilitators and
    admins; not on one's own comment; one open flag per person and comment.
    Records `comment.flagged` (the reason is shown to moderators only)."""
    require(can_flag(actor), actor, _l("Observers cannot flag comments."))
    require_confirmed_account(actor)
    reason = required_text(reason, "reason", REASON_MAX)
    with transaction():
        comment = _comment(comment_id)
        if comment.author_id == actor.id:
            raise Forbidden(_l("You cannot flag your own comment; edit it instead."), "own_comment")
        if comment.status == "hidden":
            raise Conflict(_l("This comment is already hidden by a moderator."), "comment_hidden")
        already = db.session.execute(select(Flag.id).where(
            Flag.comment_id == comment.id, Flag.flagged_by_id == actor.id, Flag.handled_at.is_(None))).first()
        if already:
            raise Conflict(_l("You have already flagged this comment; a moderator will look at it."),
                           "already_flagged")
        flag = Flag(comment_id=comment.id, flagged_by_id=actor.id, flagged_by=actor, reason=reason,
                    reason_salt=new_salt(), created_at=utcnow())
        db.session.add(flag)
        db.session.flush()
        record_event("comment.flagged", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "flag_id": flag.id, "reason_hmac": salted_digest(reason, flag.reason_salt),
        }, document_id=comment.document_id, live={"comment": comment_to_dict(comment)})
    return flag


def hide_comment(actor: User, comment_id: int, *, reason) -> Comment:
    """Hide a comment: everyone else then sees no body, quote or suggested text, in every
    read path. Admins and facilitators, never on their own comment. Open flags on it are
    handled. Records `comment.hidden` (with the comment as everyone now sees it)."""
    require(can_moderate(actor), actor, _l("Only moderators hide comments."))
    reason = required_text(reason, "reason", REASON_MAX)
    with transaction():
        comment = _comment(comment_id)
        _ensure_may_moderate(actor, comment)
        if comment.status == "hidden":
            raise Conflict(_l("This comment is already hidden."), "already_hidden")
        now = utcnow()
        comment.status_before_hidden, comment.status, comment.hidden_at = comment.status, "hidden", now
        handled = _handle_flags(actor, comment.id, "hidden")
        leave_grouping(comment, redacted=False)
        db.session.add(ModerationAction(comment_id=comment.id, action="hidden", reason=reason,
                                        actor_id=actor.id, actor=actor, at=now))
        db.session.flush()
        record_event("comment.hidden", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "reason_sha256": text_digest(reason), "flags_handled": handled,
        }, document_id=comment.document_id, live={"comment": comment_to_dict(comment)})
    return comment


def unhide_comment(actor: User, comment_id: int, *, reason) -> Comment:
    """Show a hidden comment again, in the status it had. Admins and facilitators, never
    on their own comment. Records `comment.unhidden` (with the comment, live)."""
    require(can_moderate(actor), actor, _l("Only moderators unhide comments."))
    reason = required_text(reason, "reason", REASON_MAX)
    with transaction():
        comment = _comment(comment_id)
        _ensure_may_moderate(actor, comment)
        if comment.status != "hidden":
            raise Conflict(_l("This comment is not hidden."), "not_hidden")
        comment.status = comment.status_before_hidden or ("resolved" if comment.resolutions else "open")
        comment.status_before_hidden, comment.hidden_at = None, None
        db.session.add(ModerationAction(comment_id=comment.id, action="unhidden", reason=reason,
                                        actor_id=actor.id, actor=actor, at=utcnow()))
        db.session.flush()
        record_event("comment.unhidden", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "reason_sha256": text_digest(reason),
        }, document_id=comment.document_id, live={"comment": comment_to_dict(comment)})
    return comment


def dismiss_flags(actor: User, comment_id: int, *, reason) -> Comment:
    """Close a comment's open flags without hiding it. Admins and facilitators, never on
    their own comment. Records `comment.flags_dismissed`."""
    require(can_moderate(actor), actor, _l("Only moderators dismiss flags."))
    reason = required_text(reason, "reason", REASON_MAX)
    with transaction():
        comment = _comment(comment_id)
        _ensure_may_moderate(actor, comment)
        handled = _handle_flags(actor, comment.id, "dismissed")
        if not handled:
            raise Conflict(_l("This comment has no open flags."), "no_open_flags")
        db.session.add(ModerationAction(comment_id=comment.id, action="flags_dismissed", reason=reason,
                                        actor_id=actor.id, actor=actor, at=utcnow()))
        db.session.flush()
        record_event("comment.flags_dismissed", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "reason_sha256": text_digest(reason), "flags_handled": handled,
        }, document_id=comment.document_id)
    return comment


def redact_comment(actor: User, comment_id: int, *, reason) -> Comment:
    """Remove a comment's texts for good (e.g. a student's personal data): its body, quote,
    suggested text, earlier revisions, and the flag and reopening reasons written about it
    are replaced by a marker in the database, every read path and every export. The chain
    holds only their digests, so it still verifies. Admins only.
    Records `comment.redacted` (the redaction reason must not repeat the data)."""
    require(can_redact(actor), actor, _l("Only administrators redact comments."))
    reason = required_text(reason, "reason", REASON_MAX)
    with transaction():
        comment = _comment(comment_id)
        if comment.redacted_at is not None:
            raise Conflict(_l("This comment is already redacted."), "already_redacted")
        now = utcnow()
        removed: dict[str, set] = {"sha256": set(), "hmac": set()}

        def remove(row, field: str, salted: bool) -> None:
            # The text and its salt go together: without the salt its digest confirms no guess.
            text = getattr(row, field)
            if text is None:
                return
            kind, digest = stored_text_digest(text, getattr(row, f"{field}_salt") if salted else None)
            removed[kind].add(digest)
            setattr(row, field, REDACTED_TEXT)
            if salted:
                setattr(row, f"{field}_salt", None)

        for field in ("body", "quote", "suggested_text"):
            remove(comment, field, salted=True)
        # The request digest is a plain hash over the texts too.
        comment.request_digest = None
        comment.redacted_at = now
        leave_grouping(comment, redacted=True)
        # The scan of the letter holds the same words (and often an address): it goes too.
        discard_scans(CommentScan.comment_id == comment.id)
        for revision in db.session.execute(
                select(CommentRevision).where(CommentRevision.comment_id == comment.id)).scalars():
            remove(revision, "body", salted=True)
        for flag in db.session.execute(select(Flag).where(Flag.comment_id == comment.id)).scalars():
            remove(flag, "reason", salted=True)
        for reopening in db.session.execute(select(Reopening).where(Reopening.comment_id == comment.id)).scalars():
            remove(reopening, "reason", salted=True)
        db.session.add(ModerationAction(comment_id=comment.id, action="redacted", reason=reason,
                                        actor_id=actor.id, actor=actor, at=now))
        db.session.flush()
        record_event("comment.redacted", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "reason_sha256": text_digest(reason),
            "removed_sha256": sorted(removed["sha256"]), "removed_hmac": sorted(removed["hmac"]),
        }, document_id=comment.document_id, live={"comment": comment_to_dict(comment)})
        record_notice("text.redacted")
    return comment


def redact_resolution(actor: User, resolution_id: int, *, reason) -> Resolution:
    """Remove a resolution's rationale for good (personal data written into an answer);
    the disposition stays. Admins only. Records `resolution.redacted`."""
    require(can_redact(actor), actor, _l("Only administrators redact resolutions."))
    reason = required_text(reason, "reason", REASON_MAX)
    with transaction():
        resolution = db.session.get(Resolution, resolution_id)
        if resolution is None:
            raise NotFound(_l("No such resolution."))
        if resolution.redacted_at is not None:
            raise Conflict(_l("This rationale is already redacted."), "already_redacted")
        kind, removed = stored_text_digest(resolution.rationale, resolution.rationale_salt)
        resolution.rationale, resolution.rationale_salt, resolution.redacted_at = REDACTED_TEXT, None, utcnow()
        removed_es = None
        if resolution.rationale_es is not None:
            removed_es = salted_digest(resolution.rationale_es, resolution.rationale_es_salt)
            resolution.rationale_es, resolution.rationale_es_salt = None, None
        comment = _comment(resolution.comment_id)
        db.session.add(ModerationAction(comment_id=comment.id, action="redacted", reason=reason,
                                        actor_id=actor.id, actor=actor, at=resolution.redacted_at))
        db.session.flush()
        record_event("resolution.redacted", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "resolution_id": resolution.id, "reason_sha256": text_digest(reason),
            "removed_sha256": [removed] if kind == "sha256" else [],
            "removed_hmac": sorted(([removed] if kind == "hmac" else []) + ([removed_es] if removed_es else [])),
        }, document_id=comment.document_id, live={"comment": comment_to_dict(comment)})
        record_notice("text.redacted")
    return resolution
