"""Resolutions: the district's reasoned answer to each comment, and the author's
"this does not address my concern"."""
from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import and_, func, select, update

from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..events import attach_live, new_salt, record_event, salted_digest, transaction
from ..extensions import db
from ..models import Comment, Document, Reopening, Resolution, User, Version
from ..models.resolutions import CHANGING_DISPOSITIONS, DISPOSITIONS, NEXT_VERSION
from ..permissions import can_administer, can_comment, can_resolve, require
from ..serializers import comment_to_dict, current_resolution_dict
from ..timeutil import utcnow
from ..parsing import choice, id_list, optional_int, optional_text, required_text
from flask_babel import lazy_gettext as _l

RATIONALE_MAX = 20_000
ORDER_CHUNK = 500  # ids per IN list while keeping the report's order
REOPEN_REASON_MAX = 5_000
BATCH_MAX = 200


def _comment_for_update(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_l("No such comment: %(comment_id)s.", comment_id=comment_id))
    return comment


def valid_version(document_id: int, version: int | None) -> None:
    if version is None:
        return
    exists = db.session.execute(
        select(Version.id).where(Version.document_id == document_id, Version.number == version)).first()
    if not exists:
        raise Invalid(_l("Version %(version)s of this document does not exist.", version=version), "invalid_version")


def _write_resolution(actor: User, comment: Comment, disposition: str, rationale: str,
                      version: int | None, batch_id: str | None, pending: bool = False,
                      rationale_es: str | None = None) -> Resolution:
    if not can_resolve(actor, comment):
        raise Forbidden(_l("You cannot resolve your own comment: another administrator must answer it."),
                        "own_comment")
    if comment.status == "hidden":
        raise Conflict(_l("Comment %(id)s is hidden; unhide it before resolving it.", id=comment.id), "comment_hidden")
    previous = comment.resolutions[-1] if comment.resolutions else None
    resolution = Resolution(document_id=comment.document_id, disposition=disposition, rationale=rationale,
                            rationale_salt=new_salt(), rationale_es=rationale_es,
                            rationale_es_salt=new_salt() if rationale_es is not None else None, version=version, is_version_pending=pending, batch_id=batch_id,
                            recorded_by_id=actor.id, recorded_by=actor, recorded_at=utcnow())
    comment.resolutions.append(resolution)
    comment.status = "resolved"
    db.session.flush()
    event = record_event("resolution.recorded", actor, f"comment:{comment.id}", {
        "resolution_id": resolution.id, "comment_id": comment.id, "disposition": disposition,
        "rationale_hmac": salted_digest(rationale, resolution.rationale_salt), "version": version, "batch_id": batch_id,
        "supersedes": previous.id if previous else None, **({"version_pending": True} if pending else {}),
        **({"rationale_es_hmac": salted_digest(rationale_es, resolution.rationale_es_salt)}
           if rationale_es is not None else {}),
    }, document_id=comment.document_id)
    resolution.seq = event.seq
    db.session.flush()
    attach_live(event, {"comment": comment_to_dict(comment), "resolution": current_resolution_dict(comment)})
    return resolution


def valid_answer(disposition, rationale, version) -> tuple[str, str, int | None, bool]:
    """(disposition, rationale, version, pending): `version` "next" promises the change for the
    version not published yet (accepted answers only); it is linked when that version comes."""
    disposition = choice(disposition, "disposition", DISPOSITIONS)
    rationale = required_text(rationale, "rationale", RATIONALE_MAX)
    if isinstance(version, str) and version.strip().lower() == NEXT_VERSION:
        if disposition not in CHANGING_DISPOSITIONS:
            raise Invalid(_l("Only an accepted answer (accepted, or accepted with changes) can promise a change in the next version."), "invalid_version")
        return disposition, rationale, None, True
    version = optional_int(version, "version")
    return disposition, rationale, version, False


def record_resolution(actor: User, comment_id: int, *, disposition, rationale, version=None,
                      rationale_es=None) -> Resolution:
    """Record the district's answer to a comment; an earlier answer is superseded but kept.
    `version` names the version that carries the change, or is "next" for the version not
    published yet (see link_pending_resolutions). Admins only, never on their own comment, not
    on a hidden comment. `rationale_es`: the same answer in Spanish (optional). The comment becomes
    `resolved`. Records `resolution.recorded` (with the comment and the resolution, live)."""
    require(can_administer(actor), actor, _l("Only administrators record resolutions."))
    disposition, rationale, version, pending = valid_answer(disposition, rationale, version)
    rationale_es = optional_text(rationale_es, "rationale_es", RATIONALE_MAX)
    with transaction():
        comment = _comment_for_update(comment_id)
        valid_version(comment.document_id, version)
        resolution = _write_resolution(actor, comment, disposition, rationale, version, None, pending, rationale_es)
        keep_report_order([comment.id], None)
        return resolution


def record_resolutions(actor: User, document_id: int, comment_ids, *, disposition, rationale,
                       version=None, rationale_es=None) -> list[Resolution]:
    """Give one answer to several comments of a document that raise the same point: each
    comment gets its own resolution, all sharing a `batch_id` so the report groups them.
    Admins only; all or nothing. Records one `resolution.recorded` per comment."""
    require(can_administer(actor), actor, _l("Only administrators record resolutions."))
    if isinstance(comment_ids, list) and len(comment_ids) > BATCH_MAX:
        raise Invalid(_l("Answer at most %(batch_max)s comments at once.", batch_max=BATCH_MAX), "invalid_comment_ids")
    ids = id_list(comment_ids, "comment_ids", required=True)
    disposition, rationale, version, pending = valid_answer(disposition, rationale, version)
    rationale_es = optional_text(rationale_es, "rationale_es", RATIONALE_MAX)
    batch_id = uuid.uuid4().hex if len(ids) > 1 else None
    with transaction():
        if db.session.get(Document, document_id) is None:
            raise NotFound(_l("No such document."))
        valid_version(document_id, version)
        comments = {c.id: c for c in db.session.execute(
            select(Comment).where(Comment.id.in_(ids))).scalars()}
        for comment_id in ids:
            comment = comments.get(comment_id)
            if comment is None or comment.document_id != document_id:
                raise NotFound(_l("Comment %(comment_id)s is not a comment on this document.", comment_id=comment_id))
        resolutions = [_write_resolution(actor, comments[i], disposition, rationale, version, batch_id, pending,
                                         rationale_es)
                       for i in ids]
        keep_report_order(ids, batch_id)
        return resolutions


def keep_report_order(comment_ids: list[int], batch_id: str | None) -> None:
    """Inside an answer's transaction, once `comment_ids` have their new current answer (shared
    by `batch_id`, or by no one: None): their Comment.report_lead_id, and that of the comments one
    of them led until now (answered together before, at the same place). Called after the
    answer's event, whose lock on the chain head keeps every other answer out until the commit,
    so what it reads is what the report will read."""
    places: dict[tuple, list[int]] = defaultdict(list)
    stored: dict[int, int | None] = {}
    for start in range(0, len(comment_ids), ORDER_CHUNK):
        for row in db.session.execute(
                select(Comment.id, Comment.document_id, Comment.clause_id, Comment.coverage_item_id,
                       Comment.report_lead_id).where(Comment.id.in_(comment_ids[start:start + ORDER_CHUNK]))):
            places[(row.document_id, row.clause_id, row.coverage_item_id)].append(row.id)
            stored[row.id] = row.report_lead_id
    leads: dict[int, int | None] = {}
    for ids in places.values():  # a new batch holds only these comments
        for comment_id in ids:
            leads[comment_id] = min(ids) if batch_id else None
    # Those a comment here led are left with the rest of their old batch: the first of them leads.
    key = func.coalesce(Comment.report_lead_id, Comment.id)
    left: dict[int, list[int]] = defaultdict(list)
    for (document_id, clause_id, item), ids in places.items():
        place = (Comment.clause_id == clause_id if clause_id is not None
                 else and_(Comment.clause_id.is_(None), Comment.coverage_item_id == item))
        for start in range(0, len(ids), ORDER_CHUNK):
            for comment_id, lead in db.session.execute(
                    select(Comment.id, Comment.report_lead_id)
                    .where(Comment.document_id == document_id, place, key.in_(ids[start:start + ORDER_CHUNK]),
                           Comment.report_lead_id.is_not(None))):
                if comment_id not in leads:
                    left[lead].append(comment_id)
                    stored[comment_id] = lead
    for ids in left.values():
        for comment_id in ids:
            leads[comment_id] = min(ids)
    changes: dict[int | None, list[int]] = defaultdict(list)
    for comment_id, lead in leads.items():
        if stored.get(comment_id) != lead:
            changes[lead].append(comment_id)
    for lead, ids in changes.items():
        for start in range(0, len(ids), ORDER_CHUNK):
            db.session.execute(update(Comment).where(Comment.id.in_(ids[start:start + ORDER_CHUNK]))
                               .values(report_lead_id=lead), execution_options={"synchronize_session": False})


def reopen_comment(actor: User, comment_id: int, *, reason=None) -> Comment:
    """"This does not address my concern": the author of a resolved comment sends it back
    to the district, optionally saying why. The comment becomes `open` again; the resolution
    stays in the history, marked as contested. Records `comment.reopened`."""
    require(can_comment(actor), actor, _l("Observers cannot reopen comments."))
    reason = optional_text(reason, "reason", REOPEN_REASON_MAX)
    with transaction():
        comment = _comment_for_update(comment_id)
        if comment.author_id != actor.id:
            raise Forbidden(_l("Only the comment's author can say a resolution does not address it."))
        if comment.status != "resolved" or not comment.resolutions:
            raise Conflict(_l("Only a resolved comment can be reopened."), "not_resolved")
        now = utcnow()
        reopening = Reopening(comment_id=comment.id, resolution_id=comment.resolutions[-1].id,
                              reopened_by_id=actor.id, reason=reason,
                              reason_salt=new_salt() if reason is not None else None, reopened_at=now)
        db.session.add(reopening)
        comment.status = "open"
        comment.reopened_at = now
        db.session.flush()
        record_event("comment.reopened", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "reopening_id": reopening.id,
            "resolution_id": reopening.resolution_id, "reason_hmac": salted_digest(reason, reopening.reason_salt),
        }, document_id=comment.document_id, live={"comment": comment_to_dict(comment)})
    return comment


def link_pending_resolutions(document_id: int, version: int, changed_clause_ids: set[int]) -> list[Resolution]:
    """Inside publishing: answers that promised "changed in the next version" now name the
    published version — those (still current) on comments about a clause this version changes
    or removes. A promise on a clause it leaves alone stays pending for a later version.
    The caller records the links in its `version.published` event."""
    if not changed_clause_ids:
        return []
    pending = db.session.execute(
        select(Resolution).join(Comment, Comment.id == Resolution.comment_id)
        .where(Resolution.document_id == document_id, Resolution.is_version_pending.is_(True),
               Comment.clause_id.in_(changed_clause_ids)).order_by(Resolution.id)).scalars().all()
    now = utcnow()
    linked = []
    for resolution in pending:
        comment = db.session.get(Comment, resolution.comment_id)
        if comment.resolutions[-1].id != resolution.id:
            continue  # superseded by a later answer: that one speaks now
        resolution.version = version
        resolution.is_version_pending = False
        resolution.version_linked_at = now
        linked.append(resolution)
    db.session.flush()
    return linked
