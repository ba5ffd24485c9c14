"""Accounts as people and administrators see them: one's own data to take away, accounts
waiting for approval or an organisation check, pending invitations, groups open to sign-up."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Comment, CommentRevision, Flag, Group, Invitation, User, Version
from ..parsing import choice
from ..permissions import can_administer, can_read, require
from ..serializers import comment_to_dict, resolution_to_dict, user_to_dict
from ..timeutil import isoformat, utcnow
from flask_babel import lazy_gettext as _l

INVITATION_LIST_MAX = 2000


def export_data(actor: User) -> dict:
    """Everything a person wrote and what happened to it: their account, comments (each with its
    earlier texts and every resolution the district recorded), flags they made and versions they
    published. Only that person's own data; a hidden comment's text is theirs to keep."""
    require(can_read(actor), actor, _l("Sign in first."))
    comments = list(db.session.execute(
        select(Comment).where(Comment.author_id == actor.id).order_by(Comment.id)).scalars())
    revisions: dict[int, list[dict]] = {}
    if comments:
        for revision in db.session.execute(
                select(CommentRevision).where(CommentRevision.comment_id.in_([c.id for c in comments]))
                .order_by(CommentRevision.id)).scalars():
            revisions.setdefault(revision.comment_id, []).append(
                {"body": revision.body, "written_at": isoformat(revision.written_at),
                 "replaced_at": isoformat(revision.replaced_at)})
    flags = db.session.execute(select(Flag).where(Flag.flagged_by_id == actor.id).order_by(Flag.id)).scalars()
    versions = db.session.execute(
        select(Version).where(Version.published_by_id == actor.id).order_by(Version.id)).scalars()
    return {
        "exported_at": isoformat(utcnow()),
        "user": {**user_to_dict(actor), "created_at": isoformat(actor.created_at)},
        "comments": [_own_comment(comment, revisions.get(comment.id, [])) for comment in comments],
        "flags": [{"id": flag.id, "comment_id": flag.comment_id, "reason": flag.reason,
                   "created_at": isoformat(flag.created_at), "handled_at": isoformat(flag.handled_at),
                   "outcome": flag.outcome} for flag in flags],
        "versions": [{"document_id": version.document_id, "number": version.number, "note": version.note,
                      "published_at": isoformat(version.published_at)} for version in versions],
    }


def _own_comment(comment: Comment, revisions: list[dict]) -> dict:
    shown = comment_to_dict(comment)
    if comment.redacted_at is None:
        # The author keeps their own text even while a moderator hides it from others.
        shown |= {"body": comment.body, "quote": comment.quote, "suggested_text": comment.suggested_text}
    return {**shown, "earlier_texts": revisions if comment.redacted_at is None else [],
            "resolutions": [resolution_to_dict(r) for r in comment.resolutions]}


def accounts_awaiting_approval(actor: User) -> list[User]:
    require(can_administer(actor), actor, _l("Only administrators approve accounts."))
    return list(db.session.execute(select(User).where(
        User.approval_status == "pending", User.deleted_at.is_(None)).order_by(User.created_at)).scalars())


def organisations_to_verify(actor: User) -> list[User]:
    require(can_administer(actor), actor, _l("Only administrators verify organisations."))
    return list(db.session.execute(select(User).where(
        User.organisation.is_not(None), User.organisation_verified_at.is_(None), User.deleted_at.is_(None))
        .order_by(User.created_at)).scalars())


def list_invitations(actor: User, status: str | None = "pending") -> list[Invitation]:
    require(can_administer(actor), actor, _l("Only administrators see invitations."))
    query = select(Invitation).order_by(Invitation.id.desc())
    if status:
        query = query.where(Invitation.status == choice(status, "status", ("pending", "accepted", "withdrawn")))
    return list(db.session.execute(query.limit(INVITATION_LIST_MAX)).scalars())


def groups_open_to_sign_up() -> list[Group]:
    return list(db.session.execute(select(Group).where(Group.is_open_to_sign_up.is_(True)).order_by(Group.id)).scalars())


def invitation_to_dict(invitation: Invitation) -> dict:
    return {"id": invitation.id, "email": invitation.email, "name": invitation.name,
            "group": invitation.group.slug, "role": invitation.role, "status": invitation.status,
            "created_at": isoformat(invitation.created_at), "last_sent_at": isoformat(invitation.last_sent_at),
            "send_count": invitation.send_count, "accepted_user_id": invitation.accepted_user_id}
