"""Versions of a document: publishing a new draft, taking a comment's wording,
carrying open comments forward onto the new text, and comparing versions."""
from __future__ import annotations

from difflib import SequenceMatcher

from sqlalchemy import select

from ..drafts.anchoring import Anchor, reanchor
from ..drafts.text import same_text
from ..drafts.worddiff import word_diff
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..audience import serving, shown_label
from ..events import attach_live, record_checkpoint, record_event, text_digest, transaction
from ..extensions import db
from ..models import (Clause, ClauseText, Comment, CommentPlacement, Document, User, Version,
                      VersionSuggestion)
from ..permissions import can_administer, can_comment, can_read, can_read_document, require
from ..serializers import comment_to_dict, version_to_dict
from ..timeutil import utcnow
from .coverage import carry_coverage_forward
from .documents import _valid_clauses
from .resolutions import link_pending_resolutions
from .translations import carry_translations_forward
from ..models.lookups import clause_texts, get_document
from ..parsing import id_list, optional_int, optional_text
from flask_babel import lazy_gettext as _l

NOTE_MAX = 5_000
FIELDS = ("number", "heading", "body")


def _clause_ids(items: list[dict]) -> list[int | None]:
    ids, seen = [], set()
    for index, item in enumerate(items, start=1):
        clause_id = optional_int(item.get("id"), "id")
        if clause_id is not None:
            if clause_id in seen:
                raise Invalid(_l("Clause id %(clause_id)s appears twice (clause %(index)s).", clause_id=clause_id, index=index), "duplicate_clause_id")
            seen.add(clause_id)
        ids.append(clause_id)
    return ids


def publish_version(actor: User, document_id: int, *, clauses, note=None, base_version=None,
                    taken_comment_ids=None, allow_unchanged: bool = False) -> Version:
    """Publish the next version of a document. Admins only. Records `version.published`
    and then a checkpoint of the chain head.

    A clause with `id` is that clause revised (it keeps its id), one without is new,
    one left out is removed; the list's order is the new order. `base_version`, when
    given, must be the current version (else 409: someone published meanwhile).
    `taken_comment_ids` names comments whose suggested wording this version takes.
    Open comments on clauses still present are carried forward and their quotes
    re-anchored in the new text. Answers that promised "changed in the next version" on
    comments about a clause this version changes or removes are linked to it
    (`linked_resolutions` in the event). `allow_unchanged` (for a review draft that restarts
    from the adopted text) lets a version repeat the one before it."""
    require(can_administer(actor), actor, _l("Only administrators publish versions."))
    note = optional_text(note, "note", NOTE_MAX) or ""
    cleaned = _valid_clauses(clauses)
    ids = _clause_ids(cleaned)
    base_version = optional_int(base_version, "base_version")
    taken = id_list(taken_comment_ids, "taken_comment_ids")
    with transaction():
        document = db.session.execute(
            select(Document).where(Document.id == document_id).with_for_update()).scalar_one_or_none()
        if document is None:
            raise NotFound(_l("No such document."))
        previous_number = document.current_version
        if base_version is not None and base_version != previous_number:
            raise Conflict(_l("Version %(previous_number)s was published after you started editing version %(base_version)s. Reload the draft and apply your changes again.", previous_number=previous_number, base_version=base_version),
                           "stale_version")
        previous = {t.clause_id: t for t in clause_texts(document, previous_number)}
        known = set(db.session.execute(
            select(Clause.id).where(Clause.document_id == document.id)).scalars())
        for clause_id in ids:
            if clause_id is not None and clause_id not in known:
                raise Invalid(_l("Clause id %(clause_id)s is not a clause of this document.", clause_id=clause_id), "unknown_clause")
        if not allow_unchanged and not _changes_anything(previous, cleaned, ids):
            raise Invalid(_l("This version changes nothing: edit, add, remove or reorder a clause first."),
                          "no_changes")
        version = Version(document_id=document.id, number=previous_number + 1, note=note,
                          published_by_id=actor.id, published_at=utcnow())
        db.session.add(version)
        db.session.flush()
        new_texts: dict[int, ClauseText] = {}
        written = []
        for position, (item, clause_id) in enumerate(zip(cleaned, ids)):
            if clause_id is None:
                clause = Clause(document_id=document.id)
                db.session.add(clause)
                db.session.flush()
                clause_id = clause.id
            text = ClauseText(version_id=version.id, clause_id=clause_id, position=position,
                              number=item["number"], heading=item["heading"], body=item["body"])
            db.session.add(text)
            new_texts[clause_id] = text
            written.append({"id": clause_id, "number": item["number"],
                            "heading_sha256": text_digest(item["heading"]),
                            "body_sha256": text_digest(item["body"])})
        document.current_version = version.number
        db.session.flush()
        for comment_id in taken:
            _take(comment_id, document, version, new_texts)
        carried = _carry_forward(document, previous_number, previous, version.number, new_texts)
        tags_carried = carry_coverage_forward(previous, new_texts)
        translations = carry_translations_forward(previous, new_texts)
        summary = _summary(previous, new_texts)
        linked = link_pending_resolutions(document.id, version.number,
                                          set(summary["changed"]) | set(summary["removed"]))
        linked_data = [{"resolution_id": r.id, "comment_id": r.comment_id} for r in linked]
        event = record_event("version.published", actor, f"version:{version.id}", {
            "version": version.number, "base_version": previous_number, "note_sha256": text_digest(note),
            "clauses": written, **summary, "taken_comment_ids": taken,
            "carried_forward": [{"comment_id": p.comment_id, "clause_present": p.is_clause_present,
                                 "anchor": p.anchor_status} for p in carried],
            **({"linked_resolutions": linked_data} if linked_data else {}),
            "coverage_tags_carried": tags_carried,
            **({"translations_carried": translations} if translations else {}),
        }, document_id=document.id)
        attach_live(event, {
            "version": version_to_dict(version),
            "changes": summary,
            "carried_forward": [{"comment_id": p.comment_id, "written_on_version": p.comment.version,
                                 "clause_id": p.comment.clause_id, "clause_present": p.is_clause_present,
                                 "anchor": _anchor_dict(p)} for p in carried],
            "linked_resolutions": linked_data,
        })
        record_checkpoint("version.published", document.id)
    return version


def _changes_anything(previous: dict[int, ClauseText], cleaned: list[dict], ids: list) -> bool:
    if any(i is None for i in ids) or set(ids) != set(previous):
        return True
    ordered = sorted(previous.values(), key=lambda t: t.position)
    if [t.clause_id for t in ordered] != ids:
        return True
    return any(_differs(previous[i], item, f) for i, item in zip(ids, cleaned) for f in FIELDS)


def _field(text: ClauseText | dict, name: str) -> str:
    return text[name] if isinstance(text, dict) else getattr(text, name)


def _differs(old: ClauseText | dict, new: ClauseText | dict, name: str) -> bool:
    """Whether a field changed; line breaks and trailing spaces are not a change."""
    return not same_text(_field(old, name), _field(new, name))


def _text_changed(old: ClauseText, new: ClauseText) -> bool:
    """Whether the words of a clause changed (its heading or body, not its number)."""
    return _differs(old, new, "heading") or _differs(old, new, "body")


def _summary(previous: dict[int, ClauseText], new: dict[int, ClauseText]) -> dict:
    common_old = [t.clause_id for t in sorted(previous.values(), key=lambda t: t.position) if t.clause_id in new]
    common_new = [t.clause_id for t in sorted(new.values(), key=lambda t: t.position) if t.clause_id in previous]
    return {
        "added": [i for i in new if i not in previous],
        "removed": [i for i in previous if i not in new],
        "changed": [i for i in new if i in previous
                    and any(_differs(previous[i], new[i], f) for f in FIELDS)],
        "moved": sorted(_moved(common_old, common_new)),
    }


def _moved(old_order: list[int], new_order: list[int]) -> set[int]:
    """Clauses outside the longest run kept in the same relative order."""
    kept = set()
    for block in SequenceMatcher(None, old_order, new_order, autojunk=False).get_matching_blocks():
        kept.update(old_order[block.a:block.a + block.size])
    return set(new_order) - kept


def _take(comment_id: int, document: Document, version: Version, new_texts: dict[int, ClauseText]) -> None:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.document_id != document.id:
        raise Invalid(_l("Comment %(comment_id)s is not a comment on this document.", comment_id=comment_id), "unknown_comment")
    if not comment.suggested_text or comment.status == "hidden":
        raise Invalid(_l("Comment %(comment_id)s suggests no wording to take.", comment_id=comment_id), "no_suggested_text")
    if comment.clause_id not in new_texts:
        raise Invalid(_l("Comment %(comment_id)s is about a clause this version removes.", comment_id=comment_id), "clause_removed")
    db.session.add(VersionSuggestion(version_id=version.id, comment_id=comment.id, clause_id=comment.clause_id))


def _latest_placement(comment: Comment) -> CommentPlacement | None:
    return comment.placements[-1] if comment.placements else None


def _carry_forward(document: Document, previous_number: int, previous: dict[int, ClauseText],
                   number: int, new_texts: dict[int, ClauseText]) -> list[CommentPlacement]:
    """Place every open comment that stood on the previous version in the new one."""
    comments = db.session.execute(
        select(Comment).where(Comment.document_id == document.id, Comment.status == "open",
                              Comment.clause_id.in_(list(previous)))
        .order_by(Comment.id)).scalars().all()
    placed = []
    for comment in comments:
        last = _latest_placement(comment)
        old_text = previous[comment.clause_id].body
        new_text = new_texts.get(comment.clause_id)
        if new_text is None:
            anchor = Anchor("lost") if comment.quote else None
        elif comment.quote:
            old_start = last.anchor_start if last is not None and last.version == previous_number else None
            anchor = reanchor(comment.quote, old_text, old_start, new_text.body)
        else:
            anchor = None
        placement = CommentPlacement(
            comment_id=comment.id, comment=comment, version=number, is_clause_present=new_text is not None,
            is_clause_changed=new_text is None or _text_changed(previous[comment.clause_id], new_text),
            anchor_status=anchor.status if anchor else None,
            anchor_start=anchor.start if anchor else None, anchor_end=anchor.end if anchor else None)
        db.session.add(placement)
        placed.append(placement)
    db.session.flush()
    return placed


def place_new_comment(comment: Comment, clause_body: str) -> None:
    """Record where a new comment's quote stands in the text it was written on."""
    if not comment.quote:
        return
    start = clause_body.find(comment.quote)
    if start < 0:
        return
    db.session.add(CommentPlacement(
        comment_id=comment.id, comment=comment, version=comment.version, is_clause_present=True,
        is_clause_changed=False, anchor_status="exact", anchor_start=start,
        anchor_end=start + len(comment.quote)))
    db.session.flush()


def _anchor_dict(placement: CommentPlacement) -> dict | None:
    if placement.anchor_status is None:
        return None
    return Anchor(placement.anchor_status, placement.anchor_start, placement.anchor_end).to_dict(placement.version)


def take_suggestion(actor: User, comment_id: int, *, note=None, base_version=None) -> Version:
    """Publish the next version with one comment's suggested wording taken in, in one step.
    Admins only. The comment's quoted passage is replaced by the suggestion (the whole
    clause text when it quotes nothing). Records `version.published` naming the comment
    in `taken_comment_ids`, so its resolution can link to that version."""
    require(can_administer(actor), actor, _l("Only administrators take suggested wording into a draft."))
    comment = db.session.get(Comment, optional_int(comment_id, "comment_id"))
    if comment is None:
        raise NotFound(_l("No such comment."))
    if not comment.suggested_text or comment.status == "hidden":
        raise Invalid(_l("This comment suggests no wording to take."), "no_suggested_text")
    document = get_document(comment.document_id)
    texts = clause_texts(document)
    target = next((t for t in texts if t.clause_id == comment.clause_id), None)
    if target is None:
        raise Conflict(_l("The clause this comment is about was removed from the current version."),
                       "clause_removed")
    body = _with_suggestion(comment, target, document.current_version)
    clauses = [{"id": t.clause_id, "number": t.number, "heading": t.heading,
                "body": body if t.clause_id == comment.clause_id else t.body} for t in texts]
    with serving(None):  # the note is public: the author appears as they chose to
        label = shown_label(comment.author)
    note = note if optional_text(note, "note", NOTE_MAX) else (
        f"Clause {target.number}: took the wording suggested by {label} (comment #{comment.id}).")
    return publish_version(actor, document.id, clauses=clauses, note=note,
                           base_version=base_version if base_version is not None else document.current_version,
                           taken_comment_ids=[comment.id])


def _with_suggestion(comment: Comment, target: ClauseText, current: int) -> str:
    suggestion = comment.suggested_text.strip()
    if not comment.quote:
        return suggestion
    last = _latest_placement(comment)
    if last is not None and last.version == current and last.anchor_status in ("exact", "moved", "fuzzy"):
        start, end = last.anchor_start, last.anchor_end
    else:
        start = target.body.find(comment.quote)
        end = start + len(comment.quote)
    if start is None or start < 0:
        raise Conflict(_l("The passage this suggestion rewrites is no longer in the clause. Edit the clause on the draft page instead."), "passage_changed")
    return target.body[:start] + suggestion + target.body[end:]


def review_carried_comment(actor: User, comment_id: int, *, resolves) -> CommentPlacement:
    """The author of a comment carried onto a newer version answers whether the new text
    resolves their concern. Its author only. Records `comment.reviewed`."""
    require(can_comment(actor), actor, _l("Observers have no comments to review."))
    if not isinstance(resolves, bool):
        raise Invalid(_l("resolves must be true or false."), "invalid_resolves")
    with transaction():
        comment = db.session.get(Comment, optional_int(comment_id, "comment_id"))
        if comment is None:
            raise NotFound(_l("No such comment."))
        if comment.author_id != actor.id:
            raise Forbidden(_l("Only the comment's author can say whether the new text resolves it."))
        placement = _latest_placement(comment)
        if placement is None or placement.version == comment.version:
            raise Conflict(_l("This comment has not been carried onto a newer version."), "not_carried_forward")
        if not any(p.is_clause_changed for p in comment.placements if p.version > comment.version):
            raise Conflict(_l("The clause this comment is about has not changed since it was written: there is no new text to judge."), "clause_unchanged")
        if comment.status != "open":
            raise Conflict(_l("This comment is no longer open."), "comment_not_open")
        placement.author_says_resolved = resolves
        placement.author_answered_at = utcnow()
        event = record_event("comment.reviewed", actor, f"comment:{comment.id}", {
            "comment_id": comment.id, "version": placement.version, "resolves": resolves,
        }, document_id=comment.document_id)
        db.session.flush()
        attach_live(event, {"comment": comment_to_dict(comment)})
    return placement


# --- reading ----------------------------------------------------------------

def list_versions(document_id: int) -> list[Version]:
    get_document(document_id)
    return list(db.session.execute(
        select(Version).where(Version.document_id == document_id).order_by(Version.number)).scalars())


def _text_dict(text: ClauseText | None) -> dict | None:
    if text is None:
        return None
    return {"number": text.number, "heading": text.heading, "body": text.body, "position": text.position}


def diff_versions(actor: User, document_id: int, from_version, to_version) -> dict:
    """What changed between two versions, clause by clause, in the later order with removed
    clauses where they stood; word-level segments for changed text; the versions in
    between that changed each clause and the comments whose wording they took."""
    document = get_document(document_id)
    require(can_read_document(actor, document), actor, _l("Sign in first."))
    a = optional_int(from_version, "from")
    b = optional_int(to_version, "to")
    if b is None:
        b = document.current_version
    if a is None:
        a = max(1, b - 1)
    if a < 1 or b < 1:
        raise Invalid(_l("from and to must be version numbers (1 or more)."), "invalid_version")
    before = {t.clause_id: t for t in clause_texts(document, a)}
    after = {t.clause_id: t for t in clause_texts(document, b)}
    low, high = min(a, b), max(a, b)
    history = _history(document.id, low, high)
    answered = comments_answered_in(document.id, range(low + 1, high + 1))
    old_order = [t.clause_id for t in sorted(before.values(), key=lambda t: t.position)]
    new_order = [t.clause_id for t in sorted(after.values(), key=lambda t: t.position)]
    moved = _moved([i for i in old_order if i in after], [i for i in new_order if i in before])
    changes = []
    for clause_id in _merged_order(old_order, new_order):
        old, new = before.get(clause_id), after.get(clause_id)
        if old is None:
            change, fields = "added", list(FIELDS)
        elif new is None:
            change, fields = "removed", list(FIELDS)
        else:
            fields = [f for f in FIELDS if _differs(old, new, f)]
            change = "changed" if fields else "unchanged"
        entry = {"clause_id": clause_id, "change": change, "before": _text_dict(old), "after": _text_dict(new),
                 "fields": fields, "moved": clause_id in moved,
                 "changed_in": history.get(clause_id, []),
                 "answered_comment_ids": sorted(answered.get(clause_id, set()))}
        if change == "changed":
            entry["words"] = word_diff(old.body, new.body)
            if "heading" in fields:
                entry["heading_words"] = word_diff(old.heading, new.heading)
        changes.append(entry)
    return {"document_id": document.id, "from": a, "to": b, "changes": changes}


def _merged_order(old_order: list[int], new_order: list[int]) -> list[int]:
    """The new order, with each removed clause placed after the clause it followed before."""
    present = set(new_order)
    merged = list(new_order)
    for index, clause_id in enumerate(old_order):
        if clause_id in present:
            continue
        anchor = next((old_order[j] for j in range(index - 1, -1, -1) if old_order[j] in merged), None)
        merged.insert(merged.index(anchor) + 1 if anchor is not None else 0, clause_id)
    return merged


def _history(document_id: int, low: int, high: int) -> dict[int, list[int]]:
    """clause id -> the versions in (low, high] whose text of it differs from the one before."""
    rows = db.session.execute(
        select(ClauseText, Version.number).join(Version)
        .where(Version.document_id == document_id, Version.number >= low, Version.number <= high)
    ).all()
    by_version: dict[int, dict[int, ClauseText]] = {}
    for text, number in rows:
        by_version.setdefault(number, {})[text.clause_id] = text
    changed: dict[int, list[int]] = {}
    for number in range(low + 1, high + 1):
        old, new = by_version.get(number - 1, {}), by_version.get(number, {})
        for clause_id in set(old) | set(new):
            a, b = old.get(clause_id), new.get(clause_id)
            if a is None or b is None or any(_differs(a, b, f) for f in FIELDS):
                changed.setdefault(clause_id, []).append(number)
    return changed


def comments_answered_in(document_id: int, numbers) -> dict[int, set[int]]:
    """clause id -> ids of the comments a version in `numbers` answered: those whose
    suggested wording it took. (Resolutions that name one of these versions belong here too.)"""
    numbers = list(numbers)
    if not numbers:
        return {}
    rows = db.session.execute(
        select(VersionSuggestion.clause_id, VersionSuggestion.comment_id).join(Version)
        .where(Version.document_id == document_id, Version.number.in_(numbers))).all()
    answered: dict[int, set[int]] = {}
    for clause_id, comment_id in rows:
        answered.setdefault(clause_id, set()).add(comment_id)
    return answered


def comments_for_diff(document_id: int, clause_ids: set[int], low: int, high: int) -> list[Comment]:
    """Root comments on these clauses written on versions low..high-1 (what led to the change)."""
    if not clause_ids:
        return []
    return list(db.session.execute(
        select(Comment).where(Comment.document_id == document_id, Comment.clause_id.in_(clause_ids),
                              Comment.parent_id.is_(None), Comment.version >= low, Comment.version < high)
        .order_by(Comment.id)).scalars())


def carried_comments_of(actor: User, document_id: int | None = None) -> list[Comment]:
    """The actor's open comments carried onto a newer version whose text of their clause
    changed (or dropped it): only these have new text to judge."""
    require(can_read(actor), actor, _l("Sign in first."))
    query = (select(Comment).join(CommentPlacement, CommentPlacement.comment_id == Comment.id)
             .where(Comment.author_id == actor.id, Comment.status == "open",
                    CommentPlacement.version > Comment.version, CommentPlacement.is_clause_changed.is_(True))
             .distinct().order_by(Comment.document_id, Comment.id))
    if document_id is not None:
        query = query.where(Comment.document_id == document_id)
    return list(db.session.execute(query).scalars())


# --- getting a draft in and out -----------------------------------------------

EXPORT_FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def export_version(actor: User, document_id: int, number, fmt: str) -> tuple[str, str, bytes]:
    """A version as a Markdown or Word file: (file name, media type, content). Anyone who may read the document."""
    from ..drafts.exporting import to_docx, to_markdown
    from ..timeutil import isoformat

    if fmt not in EXPORT_FORMATS:
        raise NotFound(_l("Versions export as .md or .docx."), "unknown_format")
    document = get_document(document_id)
    require(can_read_document(actor, document), actor, _l("Sign in first."))
    number = optional_int(number, "version") or document.current_version
    version = db.session.execute(select(Version).where(
        Version.document_id == document.id, Version.number == number)).scalar_one_or_none()
    if version is None:
        raise NotFound(_l("Version %(number)s of this document does not exist.", number=number))
    clauses = [{"number": t.number, "heading": t.heading, "body": t.body} for t in clause_texts(document, number)]
    args = (document.title, number, isoformat(version.published_at), clauses, _adoption_of_version(version.id))
    content = to_markdown(*args).encode("utf-8") if fmt == "md" else to_docx(*args)
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in document.title.lower()).split())[:60] or "document"
    return f"{slug}-v{number}.{fmt}", EXPORT_FORMATS[fmt], content


def _adoption_of_version(version_id: int) -> dict | None:
    """The version's adoption as the exports print it, or None."""
    from ..models import Adoption
    from ..models.agreements import PARTY_LABELS

    adoption = db.session.execute(select(Adoption).where(Adoption.version_id == version_id)).scalar_one_or_none()
    if adoption is None:
        return None
    return {"adopted_on": adoption.adopted_on.isoformat(), "next_review_on": adoption.next_review_on.isoformat(),
            "signatures": [{"name": s.name, "title": s.title, "party_label": s.party_name or PARTY_LABELS[s.party],
                            "signed_on": s.signed_on.isoformat()} for s in adoption.signatures]}


def parse_draft(actor: User, *, text=None, docx_bytes: bytes | None = None, document_id=None) -> dict:
    """Read pasted text, Markdown or a Word file into clauses for review; stores nothing.
    Admins only. With `document_id`, each clause gets the id of the current clause it
    revises (same heading, else same number) so it can be published as the next version."""
    from ..drafts.importing import match_clauses, parse_docx, parse_text

    require(can_administer(actor), actor, _l("Only administrators import drafts."))
    parsed = parse_docx(docx_bytes) if docx_bytes is not None else parse_text(text)
    result = parsed.to_dict()
    document_id = optional_int(document_id, "document_id")
    if document_id is not None:
        document = get_document(document_id)
        current = [{"id": t.clause_id, "number": t.number, "heading": t.heading, "body": t.body}
                   for t in clause_texts(document)]
        result["clauses"] = match_clauses(current, parsed.clauses)
        result["document_id"] = document.id
        result["base_version"] = document.current_version
        matched = {c["id"] for c in result["clauses"] if c["id"] is not None}
        result["removed"] = [c for c in current if c["id"] not in matched]
    return result
