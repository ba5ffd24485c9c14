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


def latest_headings(document_id: int, language: str) -> dict[int, dict]:
    """clause id -> {heading, status} of its translation in the latest version holding the
    clause (a clause whose latest text has no translation is absent). One query."""
    from ..models import Version

    rows = db.session.execute(
        select(ClauseText.clause_id, Version.number, ClauseTranslation.heading, ClauseTranslation.status)
        .select_from(ClauseText).join(Version, Version.id == ClauseText.version_id)
        .outerjoin(ClauseTranslation, (ClauseTranslation.clause_text_id == ClauseText.id)
                   & (ClauseTranslation.language == language))
        .where(Version.document_id == document_id).order_by(Version.number)).all()
    latest: dict[int, dict | None] = {}
    for clause_id, _number, heading, status in rows:
        latest[clause_id] = {"heading": heading, "status": status} if status is not None else None
    return {clause_id: found for clause_id, found in latest.items() if found is not None}


def translation_diff(document, from_version: int, to_version: int, language: str) -> dict[int, dict]:
    """clause id -> how its `language` text differs between two versions: word segments when
    both versions have one, else which side has it (`before`/`after` None where missing)."""
    from ..drafts.text import same_text
    from ..drafts.worddiff import word_diff
    from ..models.lookups import clause_texts

    before_texts = clause_texts(document, from_version)
    after_texts = clause_texts(document, to_version)
    found = translations_of(before_texts + after_texts)
    before = {t.clause_id: found.get(t.id, {}).get(language) for t in before_texts}
    after = {t.clause_id: found.get(t.id, {}).get(language) for t in after_texts}
    result = {}
    for clause_id in set(before) | set(after):
        old, new = before.get(clause_id), after.get(clause_id)
        entry = {"before": old, "after": new, "words": None, "heading_words": None, "changed": False}
        if old and new:
            entry["changed"] = not (same_text(old["body"], new["body"]) and same_text(old["heading"], new["heading"]))
            entry["words"] = word_diff(old["body"], new["body"])
            if not same_text(old["heading"], new["heading"]):
                entry["heading_words"] = word_diff(old["heading"], new["heading"])
        result[clause_id] = entry
    return result
