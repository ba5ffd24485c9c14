"""What staff read about comments entered on someone's behalf: the scan of a letter (it may
hold personal information, so only staff ever get it), and the people they may pick."""
from __future__ import annotations

import os

from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..models import CommentScan, Group, User
from ..models.cosigning import scan_directory
from ..permissions import can_enter_on_behalf, require
from .access import readable_comment
from flask_babel import lazy_gettext as _l


def staff_scan(viewer: User | None, comment_id: int) -> tuple[CommentScan, str]:
    """The scan row and its file's path; 404 when the comment has none, 401/403 for non-staff."""
    require(can_enter_on_behalf(viewer), viewer, _l("Only district staff see scans: they may hold personal information."))
    readable_comment(viewer, comment_id)
    scan = db.session.execute(select(CommentScan).where(CommentScan.comment_id == comment_id)).scalar_one_or_none()
    path = os.path.join(scan_directory(), scan.stored_name) if scan is not None else None
    if scan is None or not os.path.isfile(path):
        raise NotFound(_l("This comment has no scan."), "scan_not_found")
    return scan, path


def scan_summary(viewer: User | None, comment_id: int) -> dict | None:
    """{filename, content_type, size} of a comment's scan for staff, else None."""
    if not can_enter_on_behalf(viewer):
        return None
    scan = db.session.execute(select(CommentScan).where(CommentScan.comment_id == comment_id)).scalar_one_or_none()
    if scan is None:
        return None
    return {"filename": scan.filename, "content_type": scan.content_type, "size": scan.size}


def intake_people(viewer: User | None) -> list[dict]:
    """People staff entered comments for before (offline accounts), to pick again: name and group."""
    require(can_enter_on_behalf(viewer), viewer, _l("Only district staff enter comments for someone else."))
    rows = db.session.execute(select(User.id, User.name, Group.slug).join(Group, User.group_id == Group.id)
                              .where(User.offline.is_(True), User.deleted_at.is_(None))
                              .order_by(User.name, User.id).limit(500)).all()
    return [{"id": user_id, "name": name, "group": slug} for user_id, name, slug in rows]
