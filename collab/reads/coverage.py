"""Coverage as readers see it: for one version, every checklist item with the clauses that
address it, the open comments about it and the gaps; what a clause's text seems to address
(suggestions for the district, never tags); which items a newer version covers or drops."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select

from ..domain.checklist import checklist, find_item, suggest_items
from ..errors import Invalid
from ..extensions import db
from ..models import ClauseCoverage, ClauseText, Comment, User
from ..models.lookups import clause_texts, current_clause_text, get_document
from ..parsing import optional_int
from ..serializers import comment_to_dict
from .access import readable_document
from .comments import visible_to
from flask_babel import lazy_gettext as _l

STANDINGS = ("gap", "partly", "addresses")  # weakest first: the page shows gaps first


def _version_number(document, version) -> int:
    number = optional_int(version if version not in ("", None) else None, "version")
    if number is not None and number < 1:
        raise Invalid(_l("version must be a version number (1 or more)."), "invalid_version")
    return number or document.current_version


def _tags(texts: list[ClauseText]) -> list[ClauseCoverage]:
    return list(db.session.execute(
        select(ClauseCoverage).where(ClauseCoverage.version_id == texts[0].version_id)
        .order_by(ClauseCoverage.id)).scalars())


def _standing(strengths: list[str]) -> str:
    if "addresses" in strengths:
        return "addresses"
    return "partly" if strengths else "gap"


def standings_at(document, number: int) -> dict[str, str]:
    """item id -> gap, partly or addresses in that version."""
    strengths: dict[str, list[str]] = defaultdict(list)
    for tag in _tags(clause_texts(document, number)):
        strengths[tag.item_id].append(tag.strength)
    return {item.id: _standing(strengths.get(item.id, [])) for item in checklist()}


def coverage_view(actor: User | None, document_id: int, version=None) -> dict:
    """Every checklist item at one version (the current one by default), in checklist order:
    the clauses that address it (with strength), its standing (`gap` when no clause does),
    the open comments about it (on those clauses, or on the item itself) and every comment on
    the item itself. Four queries, whatever the size. Readers without an account see public documents'."""
    document = readable_document(actor, document_id)
    number = _version_number(document, version)
    texts = clause_texts(document, number)
    by_clause = {t.clause_id: t for t in texts}
    tagged: dict[str, list[dict]] = defaultdict(list)
    for tag in _tags(texts):
        text = by_clause[tag.clause_id]
        tagged[tag.item_id].append({"clause_id": tag.clause_id, "number": text.number, "heading": text.heading,
                                    "strength": tag.strength, "position": text.position})
    tagged_clauses = {c["clause_id"] for entries in tagged.values() for c in entries}
    comments = list(db.session.execute(
        select(Comment).where(Comment.document_id == document.id, visible_to(actor),
                              or_(Comment.coverage_item_id.is_not(None),
                                  (Comment.clause_id.in_(tagged_clauses) & (Comment.status == "open"))))
        .order_by(Comment.id)).scalars())
    open_by_clause: dict[int, list[dict]] = defaultdict(list)
    on_item: dict[str, list[dict]] = defaultdict(list)
    for comment in comments:
        shown = comment_to_dict(comment)
        if comment.coverage_item_id is not None:
            on_item[comment.coverage_item_id].append(shown)
        else:
            open_by_clause[comment.clause_id].append(shown)
    items = []
    for item in checklist():
        clauses = sorted(tagged.get(item.id, []), key=lambda c: c["position"])
        open_comments = [c for entry in clauses for c in open_by_clause.get(entry["clause_id"], [])]
        open_comments += [c for c in on_item.get(item.id, []) if c["status"] == "open"]
        items.append({**item.to_dict(), "standing": _standing([c["strength"] for c in clauses]),
                      "clauses": [{k: c[k] for k in ("clause_id", "number", "heading", "strength")} for c in clauses],
                      "open_comments": sorted(open_comments, key=lambda c: c["id"]),
                      "item_comments": on_item.get(item.id, [])})
    counts = {standing: sum(1 for i in items if i["standing"] == standing) for standing in STANDINGS}
    return {"document_id": document.id, "title": document.title, "version": number,
            "current_version": document.current_version, "counts": counts, "items": items}


def clause_coverage(actor: User | None, clause_id: int) -> dict:
    """A clause's current text, its tags, and the items its text seems to address that are
    not tagged yet (keyword suggestions for the district to confirm; nothing is stored)."""
    clause, text, document = current_clause_text(clause_id)
    readable_document(actor, document.id)
    tags = {tag.item_id: tag.strength for tag in db.session.execute(
        select(ClauseCoverage).where(ClauseCoverage.clause_text_id == text.id)).scalars()}
    return {"clause_id": clause.id, "document_id": document.id, "version": document.current_version,
            "number": text.number, "heading": text.heading, "body": text.body,
            "items": [{"id": item_id, "strength": strength} for item_id, strength in tags.items()],
            "suggestions": [s for s in suggest_items(text.heading, text.body) if s["id"] not in tags]}


def coverage_changes(document_id: int, from_version: int, to_version: int) -> list[dict]:
    """Items whose standing differs between two versions: `change` is `covered` (a gap
    before), `dropped` (a gap now), `stronger` (partly -> addresses) or `weaker`."""
    document = get_document(document_id)
    before, after = standings_at(document, from_version), standings_at(document, to_version)
    changes = []
    for item in checklist():
        old, new = before[item.id], after[item.id]
        if old == new:
            continue
        if old == "gap":
            change = "covered"
        elif new == "gap":
            change = "dropped"
        else:
            change = "stronger" if new == "addresses" else "weaker"
        changes.append({**item.to_dict(), "before": old, "after": new, "change": change})
    return changes


def item_label(item_id: str | None) -> str:
    item = find_item(item_id)
    return f"{item.id}: {item.text_in()}" if item else (item_id or "")
