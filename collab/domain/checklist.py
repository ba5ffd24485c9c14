"""The coverage checklist: SECURe rubric items and model-agreement provisions (checklist.json),
and keyword suggestions of the items a clause's text seems to address.

Suggestions are hints for the district, never tags: nothing here writes anything."""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

CHECKLIST_PATH = Path(__file__).with_name("checklist.json")
KINDS = ("secure", "provision")
STRENGTHS = ("addresses", "partly")  # "not" is the absence of a tag
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    kind: str
    text: dict  # language -> text, None where no translation exists yet
    why: dict
    keywords: tuple[str, ...]

    def text_in(self, language: str = "en") -> str:
        return self.text.get(language) or self.text["en"]

    def why_in(self, language: str = "en") -> str:
        return self.why.get(language) or self.why["en"]

    def to_dict(self, language: str = "en") -> dict:
        return {"id": self.id, "kind": self.kind, "text": self.text_in(language), "why": self.why_in(language)}


@functools.cache
def checklist() -> tuple[ChecklistItem, ...]:
    """Every item, SECURe items first, in the file's order."""
    data = json.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))
    return tuple(ChecklistItem(id=item["id"], kind=item["kind"], text=dict(item["text"]), why=dict(item["why"]),
                               keywords=tuple(k.lower() for k in item["keywords"]))
                 for item in data["items"])


@functools.cache
def items_by_id() -> dict[str, ChecklistItem]:
    return {item.id: item for item in checklist()}


def find_item(item_id) -> ChecklistItem | None:
    return items_by_id().get(item_id) if isinstance(item_id, str) else None


def _has_keyword(text: str, keyword: str) -> bool:
    # At the start of a word: "arrest" finds "arrests", "pay" does not find "repay".
    return re.search(r"(?<![a-z0-9])" + re.escape(keyword), text) is not None


def suggest_items(heading: str, body: str, *, minimum: int = 1) -> list[dict]:
    """Items whose keywords occur in a clause's heading or text, best match first:
    [{id, kind, text, matched: [keywords]}]. A keyword in the heading counts double."""
    heading_text, body_text = (heading or "").lower(), (body or "").lower()
    scored = []
    for position, item in enumerate(checklist()):
        matched = [k for k in item.keywords if _has_keyword(heading_text, k) or _has_keyword(body_text, k)]
        score = len(matched) + sum(1 for k in item.keywords if _has_keyword(heading_text, k))
        if len(matched) >= minimum:
            scored.append((-score, position, item, matched))
    scored.sort(key=lambda entry: entry[:2])
    return [{**item.to_dict(), "matched": matched} for _score, _pos, item, matched in scored]
