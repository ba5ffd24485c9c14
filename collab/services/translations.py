"""Spanish (human) translations of a version's clauses: added per clause, imported from a file
numbered like the agreement, and carried onto the next version when the English stays the same."""
from __future__ import annotations

from sqlalchemy import select

from ..drafts.text import normalize_text, same_text
from ..errors import Invalid, NotFound
from ..events import record_event, text_digest, transaction
from ..extensions import db
from ..models import Clause, ClauseText, ClauseTranslation, Document, User, Version
from ..models.lookups import clause_texts, get_document
from ..models.translations import TRANSLATION_LANGUAGES
from ..parsing import optional_int, required_text
from ..permissions import can_administer, require
from ..timeutil import utcnow
from flask_babel import lazy_gettext as _l

HEADING_MAX = 300
BODY_MAX = 20_000


def _language(language) -> str:
    if language not in TRANSLATION_LANGUAGES:
        raise NotFound(_l("Clauses are translated into %(translation_languages)s only.", translation_languages=', '.join(TRANSLATION_LANGUAGES)), "unknown_language")
    return language


def _clause_text(clause_id: int, version) -> ClauseText:
    clause = db.session.get(Clause, clause_id)
    if clause is None:
        raise NotFound(_l("No such clause."), "clause_not_found")
    document = db.session.get(Document, clause.document_id)
    number = optional_int(version, "version") or document.current_version
    text = db.session.execute(
        select(ClauseText).join(Version).where(ClauseText.clause_id == clause.id,
                                               Version.document_id == document.id, Version.number == number)
    ).scalar_one_or_none()
    if text is None:
        raise NotFound(_l("Version %(number)s of this document has no clause %(clause_id)s.", number=number, clause_id=clause_id), "clause_not_in_version")
    return text


def _valid_texts(heading, body) -> tuple[str, str]:
    heading = "" if heading is None else heading
    if not isinstance(heading, str) or len(heading) > HEADING_MAX:
        raise Invalid(_l("heading must be text of at most %(heading_max)s characters.", heading_max=HEADING_MAX), "invalid_heading")
    body = required_text(body, "body", BODY_MAX)
    return normalize_text(heading).strip(), normalize_text(body)


def _write(actor: User, text: ClauseText, language: str, heading: str, body: str) -> ClauseTranslation:
    translation = db.session.execute(
        select(ClauseTranslation).where(ClauseTranslation.clause_text_id == text.id,
                                        ClauseTranslation.language == language)).scalar_one_or_none()
    replaced = translation is not None
    if translation is None:
        translation = ClauseTranslation(clause_text_id=text.id, language=language)
        db.session.add(translation)
    translation.heading, translation.body, translation.status = heading, body, "current"
    translation.is_machine_translated = False
    translation.translated_by_id, translation.translated_at = actor.id, utcnow()
    db.session.flush()
    record_event("clause.translation_added", actor, f"clause:{text.clause_id}", {
        "clause_id": text.clause_id, "version": text.version.number, "language": language,
        "heading_sha256": text_digest(heading), "body_sha256": text_digest(body),
        "machine_translated": False, "replaced": replaced,
    }, document_id=text.version.document_id)
    return translation


def set_clause_translation(actor: User, clause_id: int, language, *, heading=None, body,
                           version=None) -> ClauseTranslation:
    """Add (or replace) the human translation of a clause in a version (the current one by
    default); it becomes `current`. Admins only. Records `clause.translation_added` (digests)."""
    require(can_administer(actor), actor, _l("Only administrators add translations."))
    language = _language(language)
    heading, body = _valid_texts(heading, body)
    with transaction():
        return _write(actor, _clause_text(clause_id, version), language, heading, body)


def import_translations(actor: User, document_id: int, language, *, text=None, docx_bytes: bytes | None = None,
                        version=None) -> dict:
    """Read a Word or Markdown file numbered like the version and store each clause's text as
    its translation, matched by clause number. Admins only; all or nothing. Records one
    `clause.translation_added` per clause. A number the version lacks is refused; a clause
    the file lacks is listed in `missing` and keeps its translation."""
    from ..drafts.importing import parse_docx, parse_text

    require(can_administer(actor), actor, _l("Only administrators import translations."))
    language = _language(language)
    parsed = parse_docx(docx_bytes) if docx_bytes is not None else parse_text(text)
    document = get_document(document_id)
    number = optional_int(version, "version") or document.current_version
    by_number = {t.number: t for t in clause_texts(document, number)}
    unknown = [c["number"] for c in parsed.clauses if c["number"] not in by_number]
    if unknown:
        raise Invalid(_l("Version %(number)s has no clause numbered %(unknown)s. Number the translated file as the English version is numbered.", number=number, unknown=', '.join(unknown)), "unknown_clause_number")
    cleaned = [(by_number[c["number"]], *_valid_texts(c["heading"], c["body"])) for c in parsed.clauses]
    with transaction():
        written = [_write(actor, clause_text, language, heading, body) for clause_text, heading, body in cleaned]
    imported = {c["number"] for c in parsed.clauses}
    return {"version": number, "language": language, "translated": [c["number"] for c in parsed.clauses],
            "missing": [n for n in by_number if n not in imported], "warnings": parsed.warnings,
            "count": len(written)}


def carry_translations_forward(previous: dict[int, ClauseText], new_texts: dict[int, ClauseText]) -> list[dict]:
    """Inside publishing: each translation of a clause kept by the new version is copied onto
    it — `current` if the clause's English (heading and body) is unchanged, else `outdated`
    ("translation being updated") until the district replaces it. Returns what it carried,
    for the `version.published` event."""
    kept = {previous[i].id: (previous[i], new_texts[i]) for i in new_texts if i in previous}
    if not kept:
        return []
    carried = []
    for old in db.session.execute(select(ClauseTranslation).where(
            ClauseTranslation.clause_text_id.in_(list(kept))).order_by(ClauseTranslation.id)).scalars():
        old_text, new_text = kept[old.clause_text_id]
        unchanged = same_text(old_text.heading, new_text.heading) and same_text(old_text.body, new_text.body)
        status = old.status if unchanged else "outdated"
        db.session.add(ClauseTranslation(
            clause_text_id=new_text.id, language=old.language, heading=old.heading, body=old.body, status=status,
            is_machine_translated=old.is_machine_translated, translated_by_id=old.translated_by_id,
            translated_at=old.translated_at))
        carried.append({"clause_id": new_text.clause_id, "language": old.language, "status": status})
    db.session.flush()
    return carried
