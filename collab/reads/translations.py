"""Translations as readers see them: a clause's `translations: {es: {heading, body, status}}`."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import ClauseText, ClauseTranslation
from ..timeutil import isoformat

# What a page says for each status, and for a translation no one has written.
STATUS_NOTES = {"outdated": "translation being updated"}


def translation_to_dict(translation: ClauseTranslation) -> dict:
    return {"heading": translation.heading, "body": translation.body, "status": translation.status,
            "machine_translated": translation.is_machine_translated,
            "translated_at": isoformat(translation.translated_at)}


def translations_of(texts: list[ClauseText]) -> dict[int, dict[str, dict]]:
    """clause text id -> language -> translation dict, for a list of clause texts (one query)."""
    found: dict[int, dict[str, dict]] = {}
    if not texts:
        return found
    for row in db.session.execute(select(ClauseTranslation).where(
            ClauseTranslation.clause_text_id.in_([t.id for t in texts]))).scalars():
        found.setdefault(row.clause_text_id, {})[row.language] = translation_to_dict(row)
    return found
