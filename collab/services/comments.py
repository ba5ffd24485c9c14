"""Comments: create, edit, read."""
from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

from flask import current_app

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from ..audience import MODERATORS, hides_names, serving
from ..errors import Conflict, Forbidden, IdempotencyMismatch, Invalid, NotFound, TooLarge
from ..events import (canonical_json, new_salt, next_seq, record_event, record_notice, salted_digest, stored_row,
                      transaction)
from ..extensions import db
from ..models import Comment, CommentRevision, User
from ..models.comments import KINDS
from ..permissions import can_comment, can_edit_comment, require, require_confirmed_account
from ..serializers import comment_to_dict
from ..timeutil import utcnow
from .documents import comment_target
from ..models.lookups import commenting_state
from ..parsing import choice, optional_int, optional_text, required_text
from ..translation import LANGUAGES, detect_language
from .versions import place_new_comment
from flask_babel import lazy_gettext as _l

BODY_MAX = 10_000
QUOTE_MAX = 2_000
SUGGESTED_TEXT_MAX = 20_000
IDEMPOTENCY_KEY_MAX = 200


def _request_digest(fields: dict) -> str:
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


def _find_by_key(author_id: int, key: str) -> Comment | None:
    return db.session.execute(
        select(Comment).where(Comment.author_id == author_id, Comment.idempotency_key == key)
    ).scalar_one_or_none()


def _replay(existing: Comment, digest: str) -> Comment:
    if existing.request_digest != digest:
        raise IdempotencyMismatch(_l("This Idempotency-Key was used for a different comment."))
    return existing


COMMENTING_CLOSED = _l("Commenting on this document is closed: no comment period is open and no meeting is live.")


def _ensure_commenting_open(document_id: int):
    state = commenting_state(document_id)
    if not state.is_open:
        raise Conflict(COMMENTING_CLOSED, "commenting_closed")
    return state


def _refuse_over_long(value, field: str, label: str, limit: int) -> None:
    """Long text is refused whole, never cut: the message says how long it is and the limit."""
    if isinstance(value, str) and len(value.strip()) > limit:
        raise TooLarge(_l("%(label)s is %(count)s characters long; the limit is %(limit)s. Shorten it and send it again: nothing was saved or cut.", label=label, count=format(len(value.strip()), ','), limit=format(limit, ',')), f"{field}_too_long")


def create_comment(actor: User, clause_id: int, *, body, kind, parent_id=None, quote=None,
                   suggested_text=None, idempotency_key=None, language=None) -> tuple[Comment, bool]:
    """Comment on a clause (or reply in a thread). Participants, facilitators and admins,
    while a comment period is open. Records `comment.created`. `language` ("en" or "es")
    is the one the author chose; without it, it is told from the text (collab.translation).

    Returns (comment, created); with a repeated Idempotency-Key the first comment
    comes back and `created` is False."""
    require(can_comment(actor), actor, _l("Observers cannot comment."))
    require_confirmed_account(actor)
    body, kind, parent_id, quote, suggested_text, language, chosen = cleaned_fields(
        body, kind, parent_id, quote, suggested_text, language)
    if idempotency_key is not None:
        idempotency_key = required_text(idempotency_key, "idempotency_key", IDEMPOTENCY_KEY_MAX)
    # A chosen language is part of the request; a detected one follows from the text already.
    digest = _request_digest({"clause_id": clause_id, "body": body, "kind": kind, "parent_id": parent_id,
                              "quote": quote, "suggested_text": suggested_text,
                              **({"language": chosen} if chosen else {})})
    if idempotency_key:
        existing = _find_by_key(actor.id, idempotency_key)
        if existing is not None:
            return _replay(existing, digest), False
    try:
        with transaction():
            comment = _write_comment(actor, clause_id, body, kind, parent_id, quote, suggested_text,
                                     idempotency_key, digest, language)
    except (IntegrityError, _KeyAlreadyUsed):
        # Two requests with one key raced; the other one won.
        existing = _find_by_key(actor.id, idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return _replay(existing, digest), False
    return comment, True


def cleaned_fields(body, kind, parent_id, quote, suggested_text, language):
    """A comment's fields checked and tidied: (body, kind, parent_id, quote, suggested_text,
    language, chosen) where `chosen` is the language the author named (else None: told from the text)."""
    _refuse_over_long(body, "body", "Your comment", BODY_MAX)
    _refuse_over_long(quote, "quote", "The quoted passage", QUOTE_MAX)
    _refuse_over_long(suggested_text, "suggested_text", "The suggested wording", SUGGESTED_TEXT_MAX)
    body = required_text(body, "body", BODY_MAX)
    parent_id = optional_int(parent_id, "parent_id")
    if kind is None and parent_id is not None:
        kind = "reply"  # a reply needs no kind of its own
    kind = choice(kind, "kind", KINDS)
    if kind == "reply" and parent_id is None:
        raise Invalid(_l("Only a reply in a thread can have kind reply; choose concern, suggestion, support or question."), "invalid_kind")
    quote = optional_text(quote, "quote", QUOTE_MAX)
    suggested_text = optional_text(suggested_text, "suggested_text", SUGGESTED_TEXT_MAX)
    chosen = choice(language, "language", LANGUAGES) if language is not None else None
    return body, kind, parent_id, quote, suggested_text, chosen or detect_language(body), chosen


def _write_comment(actor, clause_id, body, kind, parent_id, quote, suggested_text, key, digest,
                   language="en", author: User | None = None, source: str | None = None) -> Comment:
    """Write a comment by `author` (the actor, unless staff enter it for someone from a `source`)."""
    author = author or actor
    entered_by = actor if author is not actor else None
    # The clause and the chain head, read and locked in one statement.
    target = comment_target(clause_id, lock_head=True)
    clause_id, document_id = target.clause_id, target.document_id
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.document_id != document_id:
            raise NotFound(_l("The comment you reply to does not exist."), "parent_not_found")
        root_id = parent.parent_id or parent.id
        root = db.session.get(Comment, root_id)
        if root.clause_id != clause_id:
            raise Invalid(_l("A reply must be on its thread's clause."), "wrong_clause")
        parent_id = root_id
    if quote is not None and quote not in target.text_body:
        raise Invalid(_l("The quoted passage is not in this clause's current text."), "quote_not_found")
    if not target.is_open:
        raise Conflict(COMMENTING_CLOSED, "commenting_closed")
    silent_round_id = target.silent_round_id
    # The comment carries its event's seq from the INSERT on: the chain head stays
    # locked until the commit, so no other event can take that seq. Taking the lock
    # before the duplicate check lets that check see every comment committed before.
    seq = next_seq()
    _refuse_duplicate(author, clause_id, parent_id, body, key)
    salts = {name: new_salt() if value is not None else None
             for name, value in (("body", body), ("quote", quote), ("suggested_text", suggested_text))}
    row = dict(_EMPTY_COMMENT, document_id=document_id, clause_id=clause_id, version=target.current_version,
               parent_id=parent_id, author_id=author.id, kind=kind, body=body, language=language,
               entered_by_id=entered_by.id if entered_by else None, source=source,
               quote=quote, suggested_text=suggested_text, body_salt=salts["body"],
               quote_salt=salts["quote"], suggested_text_salt=salts["suggested_text"],
               created_at=utcnow(), idempotency_key=key, request_digest=digest, meeting_id=target.meeting_id,
               silent_round_id=silent_round_id, seq=seq)
    # One Core INSERT (no unit of work): the object below then stands for the stored row.
    comment_id = db.session.connection().execute(_INSERT_COMMENT, row).inserted_primary_key[0]
    # A new comment has no resolutions and no placements but the one written below:
    # serialising it must not query for them.
    comment = stored_row(Comment, {**row, "id": comment_id, "author": author, "entered_by": entered_by},
                         empty_collections=("resolutions", "cosigner_groups", "placements"))
    place_new_comment(comment, target.text_body)
    data = {
        "comment_id": comment.id, "clause_id": clause_id, "version": comment.version,
        "parent_id": parent_id, "kind": kind, "language": language,
        "body_hmac": salted_digest(body, salts["body"]),
        "quote_hmac": salted_digest(quote, salts["quote"]),
        "suggested_text_hmac": salted_digest(suggested_text, salts["suggested_text"]),
    }
    if entered_by is not None:
        data.update(author_id=author.id, source=source)
    if comment.meeting_id:
        data["meeting_id"] = comment.meeting_id
    if silent_round_id:
        data["silent_round_id"] = silent_round_id
    # A silent round's comments are sent together at the reveal, not one by one.
    event = record_event("comment.created", actor, f"comment:{comment.id}", data,
                         document_id=document_id, broadcast=silent_round_id is None)
    if event.seq != comment.seq:
        raise RuntimeError("another event took the comment's seq")
    if silent_round_id is not None:
        # Only how many comments the round holds is told to the room, never who or what.
        # Counted while this transaction holds the log's head, so each commit's count is exact.
        count = db.session.execute(
            select(func.count()).where(Comment.silent_round_id == silent_round_id)).scalar_one()
        record_notice("meeting.silent_round_progress", document_id=document_id, meeting_id=target.meeting_id,
                      round_id=silent_round_id, comment_count=count)
    _attach(event, comment)
    return comment


_INSERT_COMMENT = insert(Comment.__table__)
# Every column of a new comment, at the value a new comment has unless it is given: the
# object standing for the row must hold them all, or reading one would query the database.
_EMPTY_COMMENT = {column.key: None for column in Comment.__table__.columns if column.key != "id"}
_EMPTY_COMMENT.update(status="open", cosigner_count=0, language="en")


class _KeyAlreadyUsed(Exception):
    """Another request with this Idempotency-Key committed while this one waited for the lock."""


def _refuse_duplicate(actor: User, clause_id: int, parent_id: int | None, body: str, key: str | None) -> None:
    """The same text from the same person in the same thread of a clause, again within
    DUPLICATE_COMMENT_WINDOW_SECONDS, is a double post (or spam), not a new comment.
    A retry with the same Idempotency-Key is not refused: it replays the first."""
    window = current_app.config.get("DUPLICATE_COMMENT_WINDOW_SECONDS", 0)
    if not window:
        return
    since = utcnow() - timedelta(seconds=window)
    found = db.session.connection().execute(_duplicate_query(parent_id is None), {
        "author_id": actor.id, "clause_id": clause_id, "parent_id": parent_id, "body": body, "since": since,
    }).first()
    if found is not None:
        earlier, earlier_key = found
        if key is not None and earlier_key == key:
            raise _KeyAlreadyUsed()
        minutes = max(1, round(window / 60))
        raise Conflict(_l("You posted this same text here less than %(minutes)s minutes ago (comment %(earlier)s). Edit that comment to change it, or write something new.", minutes=minutes, earlier=earlier), "duplicate_comment")


@functools.cache
def _duplicate_query(top_level: bool):
    """Built once (building and keying the statement cost more than running it)."""
    return select(Comment.id, Comment.idempotency_key).where(
        Comment.author_id == bindparam("author_id"), Comment.clause_id == bindparam("clause_id"),
        Comment.parent_id.is_(None) if top_level else Comment.parent_id == bindparam("parent_id"),
        Comment.body == bindparam("body"), Comment.created_at >= bindparam("since"),
        Comment.redacted_at.is_(None)).limit(1)


def _attach(event, comment: Comment) -> None:
    """The comment as the public sees it on the event's broadcast, and as moderators see it
    when its author shows only their group: made here from the objects at hand, so the live
    channel does not read the comment again after the commit for the moderators' room."""
    from ..events import attach_live

    public = comment_to_dict(comment)
    with_names = None
    if hides_names(public):
        with serving(MODERATORS):
            with_names = {"comment": comment_to_dict(comment)}
    attach_live(event, {"comment": public}, with_names=with_names)


def edit_comment(actor: User, comment_id: int, *, body) -> Comment:
    """Change a comment's text. Its author only, while commenting is open; the
    earlier text is kept as a revision. Records `comment.edited`."""
    require(can_comment(actor), actor, _l("Observers cannot edit comments."))
    _refuse_over_long(body, "body", "Your comment", BODY_MAX)
    body = required_text(body, "body", BODY_MAX)
    with transaction():
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise NotFound(_l("No such comment."))
        if not can_edit_comment(actor, comment):
            raise Forbidden(_l("Only the comment's author can edit it."))
        if comment.status == "hidden":
            raise Conflict(_l("A hidden comment cannot be edited."), "comment_hidden")
        if comment.redacted_at is not None:
            raise Conflict(_l("A redacted comment cannot be edited."), "comment_redacted")
        _ensure_commenting_open(comment.document_id)
        if body == comment.body:
            return comment
        now = utcnow()
        db.session.add(CommentRevision(comment_id=comment.id, body=comment.body, body_salt=comment.body_salt,
                                       written_at=comment.edited_at or comment.created_at, replaced_at=now))
        comment.body, comment.body_salt = body, new_salt()
        comment.edited_at = now
        event = record_event("comment.edited", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "body_hmac": salted_digest(body, comment.body_salt),
        }, document_id=comment.document_id, broadcast=not comment.is_withheld)
        _attach(event, comment)
    return comment


