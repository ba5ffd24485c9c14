"""Intake on behalf: district staff enter a comment received on paper, by phone, at a
meeting's microphone or by e-mail, for a named person with a group, optionally with a scan.

The person is an account row like any other (so counts, the equity page, answers and the
report treat the comment like any other), reused when staff pick one, else made `offline`:
no password and an address that can never receive mail, so nobody can sign in with it."""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from ..errors import Invalid, NotFound, TooLarge
from ..events import Notice, on_rollback, record_event, record_notice, transaction
from ..extensions import db
from ..models import Comment, CommentScan, User
from ..models.cosigning import SOURCES, scan_directory
from ..models.users import NO_PASSWORD, default_show_name
from ..parsing import choice, optional_int, required_text
from ..permissions import can_enter_on_behalf, require, require_confirmed_account
from .comments import _write_comment, cleaned_fields
from .users import _group_by_slug, _valid_email
from flask_babel import lazy_gettext as _l

# The notice after whose commit a scan's file is removed (its row is gone: replaced, redacted, left).
SCAN_DISCARDED = "scan.discarded"
SCAN_MAX_BYTES = 4 * 1024 * 1024
SCAN_NAME_MAX = 200
# What a scan may be, told from its first bytes (never from its name or the browser's claim).
SCAN_SIGNATURES = ((b"%PDF-", "application/pdf", ".pdf"), (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
                   (b"\xff\xd8\xff", "image/jpeg", ".jpg"))


@dataclass
class ScanUpload:
    filename: str
    data: bytes


def enter_comment_on_behalf(actor: User, clause_id: int, *, on_behalf_of, source, body, kind, quote=None,
                            suggested_text=None, language=None, scan: ScanUpload | None = None) -> Comment:
    """A comment for someone who sent it by letter, phone, meeting or e-mail (`source`).
    `on_behalf_of` is {user_id} (an existing person) or {name, group, email?} (an e-mail finds
    an existing account; without one, an offline account is made and the address is not kept).
    Admins and facilitators, while commenting is open. Records `comment.created` with the
    author and source (and `user.created` for a new offline account, `comment.scan_attached`)."""
    require(can_enter_on_behalf(actor), actor, _l("Only district staff enter comments for someone else."))
    require_confirmed_account(actor)
    source = choice(source, "source", SOURCES)
    body, kind, _parent, quote, suggested_text, language, _chosen = cleaned_fields(
        body, kind, None, quote, suggested_text, language)
    person = _person_fields(on_behalf_of)
    checked = _checked_scan(scan) if scan is not None else None
    with transaction():
        author = _person(actor, person)
        comment = _write_comment(actor, clause_id, body, kind, None, quote, suggested_text, None, None,
                                 language, author=author, source=source)
        if checked is not None:
            _store_scan(actor, comment, *checked)
    return comment


def attach_scan(actor: User, comment_id: int, scan: ScanUpload) -> CommentScan:
    """Attach (or replace) the scan of a comment staff entered. Admins and facilitators.
    Records `comment.scan_attached`."""
    require(can_enter_on_behalf(actor), actor, _l("Only district staff attach scans."))
    checked = _checked_scan(scan)
    with transaction():
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise NotFound(_l("No such comment."))
        if comment.entered_by_id is None:
            raise Invalid(_l("Only a comment staff entered for someone has a scan."), "not_entered_by_staff")
        _store_scan(actor, comment, *checked)
    return db.session.execute(select(CommentScan).where(CommentScan.comment_id == comment_id)).scalar_one()


def _person_fields(on_behalf_of) -> dict:
    if not isinstance(on_behalf_of, dict):
        raise Invalid(_l("on_behalf_of must be {user_id} or {name, group, email?}: whose comment is it?"),
                      "invalid_on_behalf_of")
    user_id = optional_int(on_behalf_of.get("user_id"), "user_id")
    if user_id is not None:
        return {"user_id": user_id}
    email = on_behalf_of.get("email")
    return {"name": required_text(on_behalf_of.get("name"), "name", 120),
            "group": on_behalf_of.get("group"),
            "email": _valid_email(email) if email not in (None, "") else None}


def _person(actor: User, person: dict) -> User:
    if "user_id" in person:
        user = db.session.get(User, person["user_id"])
        if user is None or user.deleted_at is not None:
            raise NotFound(_l("No such person: choose someone else or give a name and group."), "person_not_found")
        if user.id == actor.id:
            raise Invalid(_l("This form is for comments others sent: write your own on the document page."),
                          "on_behalf_of_self")
        return user
    group = _group_by_slug(person["group"])
    if person["email"]:
        existing = db.session.execute(select(User).where(User.email == person["email"])).scalar_one_or_none()
        if existing is not None and existing.deleted_at is None:
            return existing
    user = User(email=f"offline-{secrets.token_hex(12)}@offline.invalid", name=person["name"],
                password_hash=NO_PASSWORD, role="participant", group=group, offline=True,
                show_name=default_show_name(group.slug))
    db.session.add(user)
    db.session.flush()
    record_event("user.created", actor, f"user:{user.id}",
                 {"user_id": user.id, "role": user.role, "group": group.slug, "offline": True})
    return user


def _checked_scan(scan: ScanUpload) -> tuple[bytes, str, str, str]:
    """(data, content type, extension, filename) of an acceptable scan, else a clear refusal."""
    data = scan.data or b""
    if not data:
        raise Invalid(_l("The scan is empty: choose the PDF, PNG or JPEG file again."), "scan_empty")
    if len(data) > SCAN_MAX_BYTES:
        raise TooLarge(_l("The scan is %(value)s MB; the limit is %(value2)s MB. Scan it at a lower resolution: nothing was saved.", value=format(len(data) / 1048576, '.1f'), value2=SCAN_MAX_BYTES // 1048576), "scan_too_large")
    for signature, content_type, extension in SCAN_SIGNATURES:
        if data.startswith(signature):
            name = os.path.basename((scan.filename or "").replace("\\", "/")).strip() or f"scan{extension}"
            return data, content_type, extension, name[:SCAN_NAME_MAX]
    raise Invalid(_l("A scan must be a PDF, PNG or JPEG file (this one is none of them): nothing was saved."),
                  "scan_type")


def _store_scan(actor: User, comment: Comment, data: bytes, content_type: str, extension: str,
                filename: str) -> str:
    directory = scan_directory()
    os.makedirs(directory, mode=0o700, exist_ok=True)
    stored_name = secrets.token_hex(20) + extension
    path = os.path.join(directory, stored_name)
    digest = hashlib.sha256(data).hexdigest()
    replaced = discard_scans(CommentScan.comment_id == comment.id) > 0
    db.session.add(CommentScan(comment_id=comment.id, stored_name=stored_name, filename=filename,
                               content_type=content_type, size=len(data), sha256=digest, uploaded_by_id=actor.id))
    with open(path, "xb") as out:
        # Nothing of a refused or rolled-back comment or replacement is kept (the old scan's
        # file is removed only after the commit: remove_discarded_scan_files).
        on_rollback(lambda: os.path.exists(path) and os.remove(path))
        out.write(data)
    record_event("comment.scan_attached", actor, f"comment:{comment.id}",
                 {"comment_id": comment.id, "scan_sha256": digest, "content_type": content_type,
                  "replaced": replaced}, document_id=comment.document_id, broadcast=False)
    return path


def discard_scans(where) -> int:
    """Inside a service's transaction: drop the scan rows matching `where`; each file is removed
    once the transaction has committed (never before: a rollback keeps the row, so its file).
    How many."""
    scans = db.session.execute(select(CommentScan).where(where)).scalars().all()
    for scan in scans:
        db.session.delete(scan)
        record_notice(SCAN_DISCARDED, stored_name=scan.stored_name)
    if scans:
        db.session.flush()
    return len(scans)


def remove_discarded_scan_files(items) -> None:
    """Subscriber to committed changes: remove the files of the scans a transaction dropped."""
    for item in items:
        if isinstance(item, Notice) and item.kind == SCAN_DISCARDED:
            name = os.path.basename(item.payload["stored_name"])
            try:
                os.remove(os.path.join(scan_directory(), name))
            except FileNotFoundError:
                pass
