"""What publishing the editor's draft would change, shown before anything is saved."""
from __future__ import annotations

import re

from ..drafts.worddiff import word_diff
from ..models import Document
from ..models.lookups import clause_texts

FIELDS = ("number", "heading", "body")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def _same_text(text: str | None) -> str:
    # Browsers send textareas with \r\n: a clause only re-saved is not a changed clause.
    return _TRAILING_SPACE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def draft_changes(document: Document, clauses: list[dict]) -> dict:
    """The draft (the editor's clauses, in order) against the current version:
    {"changes": [{change, before, after, words, heading_words}], "counts": {...}}, removed
    clauses listed after the draft's own."""
    current = {t.clause_id: t for t in clause_texts(document)}
    changes, seen = [], set()
    for clause in clauses:
        old = current.get(clause["id"]) if clause["id"] is not None else None
        after = {name: clause[name] for name in FIELDS}
        if old is None:
            changes.append({"change": "added", "before": None, "after": after})
            continue
        seen.add(old.clause_id)
        before = {name: getattr(old, name) for name in FIELDS}
        fields = [name for name in FIELDS if _same_text(before[name]) != _same_text(after[name])]
        entry = {"change": "changed" if fields else "unchanged", "before": before, "after": after}
        if "body" in fields:
            entry["words"] = word_diff(_same_text(before["body"]), _same_text(after["body"]))
        if "heading" in fields:
            entry["heading_words"] = word_diff(before["heading"], after["heading"])
        changes.append(entry)
    for clause_id, old in current.items():
        if clause_id not in seen:
            changes.append({"change": "removed", "after": None,
                            "before": {name: getattr(old, name) for name in FIELDS}})
    counts = {kind: sum(1 for c in changes if c["change"] == kind)
              for kind in ("changed", "added", "removed", "unchanged")}
    return {"changes": changes, "counts": counts}
