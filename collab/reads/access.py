"""Who may read what: the one read-permission check that pages, the API and the live channel
go through before they show a document or anything on it.

The viewer is a User, or None for someone without an account. A public document is read by
anyone; an invited one only by signed-in people (None gets 401, which pages turn into the
sign-in page).
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Comment, Document, Meeting, User
from ..models.lookups import get_comment, get_document, get_meeting
from ..permissions import can_read, can_read_document, require
from flask_babel import lazy_gettext as _l

SIGN_IN_FIRST = _l("Sign in first: this document is open to invited participants only.")


def readable_document(viewer: User | None, document_id: int) -> Document:
    """The document, if `viewer` may read it: 404 when there is none, else 401 or 403."""
    document = get_document(document_id)
    require(can_read_document(viewer, document), viewer, SIGN_IN_FIRST)
    return document


def readable_comment(viewer: User | None, comment_id: int) -> Comment:
    """A comment, if `viewer` may read its document (what of it they see is the serialiser's job)."""
    comment = get_comment(comment_id)
    readable_document(viewer, comment.document_id)
    return comment


def readable_meeting(viewer: User | None, meeting_id: int) -> Meeting:
    meeting = get_meeting(meeting_id)
    readable_document(viewer, meeting.document_id)
    return meeting


def readable_documents(viewer: User | None) -> list[Document]:
    """The documents `viewer` may read, newest first: all of them for signed-in people, the
    public ones for everyone else."""
    query = select(Document).order_by(Document.created_at.desc(), Document.id.desc())
    if not can_read(viewer):
        query = query.where(Document.visibility == "public")
    return list(db.session.execute(query).scalars())


def require_account(viewer: User | None) -> None:
    """Reads that span documents (a group's comments, one's own) are for signed-in people."""
    require(can_read(viewer), viewer, _l("Sign in first."))
