"""Coverage: which checklist items (SECURe rubric items and model-agreement provisions) each
clause addresses, tags carried onto new versions, and new drafts started from a tagged model
agreement. Comments on an item no clause covers are in coverage_comments.py."""
from __future__ import annotations

from sqlalchemy import select

from ..domain.checklist import STRENGTHS, find_item
from ..errors import Invalid, NotFound
from ..events import record_event, transaction
from ..extensions import db
from ..models import ClauseCoverage, ClauseText, Document, User
from ..models.lookups import clause_texts, current_clause_text
from ..parsing import optional_int
from ..permissions import can_administer, require
from ..timeutil import utcnow
from .documents import create_document
from flask_babel import lazy_gettext as _l

TAG_STRENGTHS = (*STRENGTHS, "not")
MAX_TAGS = 100


def clean_tags(items) -> list[tuple[str, str]]:
    """[{id, strength}] -> [(item id, strength)] without the `not` ones; 400 on anything else."""
    if not isinstance(items, list):
        raise Invalid(_l("items must be a list of {id, strength}."), "invalid_items")
    if len(items) > MAX_TAGS:
        raise Invalid(_l("At most %(max_tags)s items.", max_tags=MAX_TAGS), "invalid_items")
    tags, seen = [], set()
    for index, entry in enumerate(items, start=1):
        if not isinstance(entry, dict):
            raise Invalid(_l("Item %(index)s must be an object with id and strength.", index=index), "invalid_items")
        item = find_item(entry.get("id"))
        if item is None:
            raise Invalid(_l("Item %(index)s: %(get)s is not a checklist item.", index=index, get=repr(entry.get('id'))), "unknown_item")
        if item.id in seen:
            raise Invalid(_l("Item %(id)s appears twice.", id=item.id), "duplicate_item")
        seen.add(item.id)
        strength = entry.get("strength", "addresses")
        if strength not in TAG_STRENGTHS:
            raise Invalid(_l("Item %(id)s: strength must be one of addresses, partly, not.", id=item.id), "invalid_strength")
        if strength != "not":
            tags.append((item.id, strength))
    return tags


def _tags_of(text: ClauseText) -> dict[str, ClauseCoverage]:
    return {tag.item_id: tag for tag in db.session.execute(
        select(ClauseCoverage).where(ClauseCoverage.clause_text_id == text.id)).scalars()}


def _write_tags(actor: User, text: ClauseText, document: Document, tags: list[tuple[str, str]]) -> list[dict]:
    """Make the text's tags exactly `tags`; record `clause.coverage_tagged` when that changes them."""
    existing = _tags_of(text)
    wanted = dict(tags)
    if {k: t.strength for k, t in existing.items()} == wanted:
        return [{"id": k, "strength": v} for k, v in tags]
    for item_id, tag in existing.items():
        if item_id not in wanted:
            db.session.delete(tag)
    now = utcnow()
    for item_id, strength in wanted.items():
        tag = existing.get(item_id)
        if tag is None:
            db.session.add(ClauseCoverage(clause_text_id=text.id, version_id=text.version_id,
                                          clause_id=text.clause_id, item_id=item_id, strength=strength,
                                          tagged_by_id=actor.id, tagged_at=now))
        elif tag.strength != strength:
            tag.strength, tag.tagged_by_id, tag.tagged_at = strength, actor.id, now
    db.session.flush()
    written = [{"id": k, "strength": v} for k, v in tags]
    record_event("clause.coverage_tagged", actor, f"clause:{text.clause_id}", {
        "clause_id": text.clause_id, "version": document.current_version, "items": written,
        "removed": sorted(set(existing) - set(wanted)),
    }, document_id=document.id, live={"coverage": {"clause_id": text.clause_id, "items": written}})
    return written


def tag_clause_coverage(actor: User, clause_id, *, items) -> list[dict]:
    """Set which checklist items a clause addresses in the current version, and how strongly
    (`addresses` or `partly`; `not` or leaving an item out removes its tag). Admins only.
    Records `clause.coverage_tagged` (nothing when the tags are unchanged)."""
    require(can_administer(actor), actor, _l("Only administrators tag what a clause covers."))
    clause_id = optional_int(clause_id, "clause_id")
    tags = clean_tags(items)
    with transaction():
        if clause_id is None:
            raise NotFound(_l("No such clause."), "clause_not_found")
        _clause, text, document = current_clause_text(clause_id)
        return _write_tags(actor, text, document, tags)


def carry_coverage_forward(previous: dict[int, ClauseText], new_texts: dict[int, ClauseText]) -> int:
    """Copy each kept clause's tags onto its text in the new version (changed or not: the
    district revises them on the coverage page). Inside publish_version's transaction;
    returns how many tags were carried."""
    kept = {previous[i].id: new_texts[i] for i in new_texts if i in previous}
    if not kept:
        return 0
    tags = list(db.session.execute(
        select(ClauseCoverage).where(ClauseCoverage.clause_text_id.in_(list(kept)))).scalars())
    for tag in tags:
        text = kept[tag.clause_text_id]
        db.session.add(ClauseCoverage(clause_text_id=text.id, version_id=text.version_id, clause_id=tag.clause_id,
                                      item_id=tag.item_id, strength=tag.strength, tagged_by_id=tag.tagged_by_id,
                                      tagged_at=tag.tagged_at))
    db.session.flush()
    return len(tags)


def start_from_model(actor: User, *, title, clauses, visibility=None) -> Document:
    """Start a new document from a model agreement: its clauses as version 1, each tagged as
    the model tags it (`coverage: {item id: strength}` on each clause). Admins only. Records
    `document.created` and a `clause.coverage_tagged` per tagged clause, in one transaction."""
    require(can_administer(actor), actor, _l("Only administrators start new drafts."))
    if not isinstance(clauses, list):
        raise Invalid(_l("clauses must be a non-empty list."), "invalid_clauses")
    coverage = [clean_tags([{"id": k, "strength": v} for k, v in (c.get("coverage") or {}).items()])
                if isinstance(c, dict) else [] for c in clauses]
    with transaction():
        document = create_document(actor, title=title, visibility=visibility, clauses=[
            {k: v for k, v in c.items() if k != "coverage"} if isinstance(c, dict) else c for c in clauses])
        for text, tags in zip(clause_texts(document, 1), coverage):
            if tags:
                _write_tags(actor, text, document, tags)
    return document
