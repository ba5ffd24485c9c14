"""Comments on a checklist item the document does not address (or not well enough): tied to
the document and the item, not to a clause, and answered like any other comment."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..domain.checklist import find_item
from ..errors import Conflict, Invalid, NotFound
from ..events import attach_live, new_salt, next_seq, record_event, salted_digest, transaction
from ..extensions import db
from ..models import Comment, User
from ..models.comments import KINDS
from ..models.lookups import commenting_state, get_document
from ..parsing import choice, optional_int, optional_text, required_text
from ..permissions import can_comment, require, require_confirmed_account
from ..serializers import comment_to_dict
from ..timeutil import utcnow
from .comments import (BODY_MAX, COMMENTING_CLOSED, IDEMPOTENCY_KEY_MAX, SUGGESTED_TEXT_MAX, _find_by_key,
                       _refuse_over_long, _replay, _request_digest)
from flask_babel import lazy_gettext as _l


def comment_on_item(actor: User, document_id, item_id, *, body, kind, parent_id=None, suggested_text=None,
                    idempotency_key=None) -> tuple[Comment, bool]:
    """Comment on a checklist item the document does not address (or not well enough): a
    comment on the document tied to no clause, answered like any other. Participants,
    facilitators and admins while commenting is open. Records `comment.created`.
    Returns (comment, created) as create_comment does for a repeated Idempotency-Key."""
    require(can_comment(actor), actor, _l("Observers cannot comment."))
    require_confirmed_account(actor)
    _refuse_over_long(body, "body", "Your comment", BODY_MAX)
    _refuse_over_long(suggested_text, "suggested_text", "The suggested wording", SUGGESTED_TEXT_MAX)
    document_id = optional_int(document_id, "document_id")
    item = find_item(item_id)
    if item is None:
        raise NotFound(_l("%(item_id)s is not a checklist item.", item_id=repr(item_id)), "unknown_item")
    body = required_text(body, "body", BODY_MAX)
    kind = choice(kind, "kind", KINDS)
    parent_id = optional_int(parent_id, "parent_id")
    suggested_text = optional_text(suggested_text, "suggested_text", SUGGESTED_TEXT_MAX)
    if idempotency_key is not None:
        idempotency_key = required_text(idempotency_key, "idempotency_key", IDEMPOTENCY_KEY_MAX)
    digest = _request_digest({"document_id": document_id, "coverage_item_id": item.id, "body": body, "kind": kind,
                              "parent_id": parent_id, "suggested_text": suggested_text})
    if idempotency_key:
        existing = _find_by_key(actor.id, idempotency_key)
        if existing is not None:
            return _replay(existing, digest), False
    try:
        with transaction():
            comment = _write_item_comment(actor, document_id, item.id, body, kind, parent_id, suggested_text,
                                          idempotency_key, digest)
    except IntegrityError:
        existing = _find_by_key(actor.id, idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return _replay(existing, digest), False
    return comment, True


def _write_item_comment(actor, document_id, item_id, body, kind, parent_id, suggested_text, key, digest) -> Comment:
    document = get_document(document_id)
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.document_id != document.id:
            raise NotFound(_l("The comment you reply to does not exist."), "parent_not_found")
        root = db.session.get(Comment, parent.parent_id or parent.id)
        if root.coverage_item_id != item_id:
            raise Invalid(_l("A reply must be about its thread's checklist item."), "wrong_item")
        parent_id = root.id
    state = commenting_state(document.id)
    if not state.is_open:
        raise Conflict(COMMENTING_CLOSED, "commenting_closed")
    body_salt = new_salt()
    suggested_text_salt = new_salt() if suggested_text is not None else None
    comment = Comment(document_id=document.id, clause_id=None, coverage_item_id=item_id,
                      version=document.current_version, parent_id=parent_id, author_id=actor.id, author=actor,
                      kind=kind, body=body, quote=None, suggested_text=suggested_text, status="open",
                      body_salt=body_salt, suggested_text_salt=suggested_text_salt,
                      created_at=utcnow(), idempotency_key=key, request_digest=digest,
                      meeting_id=state.meeting.id if state.meeting else None, seq=next_seq())
    comment.resolutions = []
    comment.cosigner_groups = []
    comment.placements = []
    db.session.add(comment)
    db.session.flush()
    data = {"comment_id": comment.id, "clause_id": None, "coverage_item_id": item_id, "version": comment.version,
            "parent_id": parent_id, "kind": kind, "body_hmac": salted_digest(body, body_salt), "quote_hmac": None,
            "suggested_text_hmac": salted_digest(suggested_text, suggested_text_salt)}
    if comment.meeting_id:
        data["meeting_id"] = comment.meeting_id
    event = record_event("comment.created", actor, f"comment:{comment.id}", data, document_id=document.id)
    if event.seq != comment.seq:
        raise RuntimeError("another event took the comment's seq")
    attach_live(event, {"comment": comment_to_dict(comment)})
    return comment
