"""Co-signing: "add my name to this comment", once per person, withdrawable while the comment
period is open. The total (comments.cosigner_count) and the counts by group (cosigner_counts)
are kept here, in the transaction that adds or removes the name, so reads never count rows."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..events import attach_live, next_seq, record_event, transaction
from ..extensions import db
from ..models import Comment, Cosignature, CosignerCount, User
from ..models.lookups import commenting_state, get_document
from ..permissions import can_comment, can_cosign, can_read_document, require, require_confirmed_account
from ..serializers import comment_to_dict, cosigners_to_dict
from flask_babel import lazy_gettext as _l

COSIGNING_CLOSED = ("Co-signing is closed: the comment period of this document is not open, so names can "
                    "no longer be added or withdrawn.")


def cosign_comment(actor: User, comment_id: int) -> dict:
    """Add the actor's name to someone else's comment (a thread's first comment). Those who may
    comment, while commenting is open; once per person (409 already_cosigned). Records
    `comment.cosigned`; returns the comment's cosigners {count, by_group}."""
    require(can_comment(actor), actor, _l("Observers cannot co-sign comments."))
    require_confirmed_account(actor)
    try:
        with transaction():
            comment = _cosignable(actor, comment_id)
            if _has_cosigned(actor.id, comment.id):
                raise Conflict(_l("You already added your name to this comment."), "already_cosigned")
            db.session.add(Cosignature(comment_id=comment.id, user_id=actor.id))
            db.session.flush()
            _count(comment, actor.group_id, +1)
            _record("comment.cosigned", actor, comment)
    except IntegrityError:
        # Another request of the same person won the race for the unique (comment, person) row.
        raise Conflict(_l("You already added your name to this comment."), "already_cosigned") from None
    return cosigners_to_dict(comment)


def withdraw_cosignature(actor: User, comment_id: int) -> dict:
    """Take the actor's name off a comment again, while commenting is open. Records
    `comment.cosign_withdrawn`; returns the comment's cosigners."""
    require(can_comment(actor), actor, _l("Observers cannot co-sign comments."))
    with transaction():
        comment = _cosignable(actor, comment_id, withdrawing=True)
        removed = db.session.execute(delete(Cosignature).where(
            Cosignature.comment_id == comment.id, Cosignature.user_id == actor.id)).rowcount
        if not removed:
            raise NotFound(_l("Your name is not on this comment."), "not_cosigned")
        _count(comment, actor.group_id, -1)
        _record("comment.cosign_withdrawn", actor, comment)
    return cosigners_to_dict(comment)


def _cosignable(actor: User, comment_id: int, withdrawing: bool = False) -> Comment:
    """The comment, if the actor may add (or, `withdrawing`, take off) their name now. A name on a
    comment that was hidden since may still be taken off."""
    # The chain head is locked first: every co-signing of any comment waits for the one before,
    # so the counts below never race (and a comment's count is exact at each event).
    next_seq()
    comment = db.session.get(Comment, comment_id, populate_existing=True)
    if comment is None or comment.is_withheld and comment.author_id != actor.id:
        raise NotFound(_l("No such comment."))
    require(can_read_document(actor, get_document(comment.document_id)), actor, _l("You may not read this document."))
    if withdrawing:
        if not commenting_state(comment.document_id).is_open:
            raise Conflict(COSIGNING_CLOSED, "commenting_closed")
        return comment
    if comment.author_id == actor.id:
        raise Forbidden(_l("This is your own comment: your name is on it already."), "own_comment")
    if comment.parent_id is not None:
        raise Invalid(_l("Add your name to the thread's first comment; replies are conversation."), "cosign_reply")
    if comment.status == "hidden" or comment.redacted_at is not None:
        raise Conflict(_l("A hidden or redacted comment cannot be co-signed."), "comment_hidden")
    if not can_cosign(actor, comment):
        raise Forbidden(_l("You may not co-sign this comment."))
    if not commenting_state(comment.document_id).is_open:
        raise Conflict(COSIGNING_CLOSED, "commenting_closed")
    return comment


def _has_cosigned(user_id: int, comment_id: int) -> bool:
    return db.session.execute(select(Cosignature.id).where(
        Cosignature.comment_id == comment_id, Cosignature.user_id == user_id)).first() is not None


def _count(comment: Comment, group_id: int, step: int) -> None:
    # The comment was read after the chain head was locked (populate_existing): no other
    # co-signing can change these counts before this transaction commits.
    comment.cosigner_count += step
    row = next((r for r in comment.cosigner_groups if r.group_id == group_id), None)
    if row is None:
        row = CosignerCount(comment_id=comment.id, group_id=group_id, count=0)
        comment.cosigner_groups.append(row)
    row.count = max(0, row.count + step)
    db.session.flush()


def _record(action: str, actor: User, comment: Comment) -> None:
    cosigners = cosigners_to_dict(comment)
    event = record_event(action, actor, f"comment:{comment.id}", {
        "comment_id": comment.id, "group": actor.group.slug, "count": cosigners["count"],
    }, document_id=comment.document_id, broadcast=not comment.is_withheld)
    attach_live(event, {"comment": comment_to_dict(comment), "cosigners": cosigners})
