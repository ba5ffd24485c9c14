import json

import pytest

from collab.errors import Forbidden, Invalid, NotFound
from collab.events import text_digest
from collab.reads.documents import document_view
from collab.services.resolutions import record_resolution
from collab.services.moderation import redact_resolution
from collab.services.translations import import_translations, set_clause_translation
from collab.services.versions import publish_version
from collab.translation import detect_language, translator
from tests.conftest import any_database, events_of


def data_of(event) -> dict:
    return json.loads(event.data)

SPANISH = "El programa mantiene a los estudiantes seguros y apoya el aprendizaje."


def current_clauses(document):
    return [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]


@any_database
def test_a_translation_is_stored_on_the_clause_and_recorded_with_digests(make):
    document = make.document()
    admin = make.admin()
    first = make.clause_ids(document)[0]
    set_clause_translation(admin, first, "es", heading="Propósito", body=SPANISH)
    clause = document_view(document.id)["clauses"][0]
    assert clause["translations"]["es"]["body"] == SPANISH
    assert clause["translations"]["es"]["heading"] == "Propósito"
    assert clause["translations"]["es"]["status"] == "current"
    assert clause["translations"]["es"]["machine_translated"] is False
    [event] = events_of("clause.translation_added")
    assert data_of(event)["body_sha256"] == text_digest(SPANISH)
    assert data_of(event)["language"] == "es" and data_of(event)["version"] == 1
    assert SPANISH not in event.data
    assert document_view(document.id)["clauses"][1]["translations"] == {}


@any_database
def test_only_admins_translate_and_only_into_known_languages(make):
    document = make.document()
    first = make.clause_ids(document)[0]
    with pytest.raises(Forbidden):
        set_clause_translation(make.user(), first, "es", body=SPANISH)
    with pytest.raises(NotFound):
        set_clause_translation(make.admin(), first, "fr", body="Le programme.")
    with pytest.raises(Invalid):
        set_clause_translation(make.admin(), first, "es", body="   ")
    assert events_of("clause.translation_added") == []


@any_database
def test_publishing_carries_unchanged_translations_and_marks_changed_ones_outdated(make):
    document = make.document()
    admin = make.admin()
    one, two, _three = make.clause_ids(document)
    set_clause_translation(admin, one, "es", heading="Propósito", body=SPANISH)
    set_clause_translation(admin, two, "es", heading="Disciplina", body="Los oficiales no aplican las reglas.")
    clauses = current_clauses(document)
    clauses[1]["body"] = "Officers never enforce school rules or discipline."
    publish_version(admin, document.id, clauses=clauses)
    view = document_view(document.id)
    assert view["clauses"][0]["translations"]["es"]["status"] == "current"
    assert view["clauses"][0]["translations"]["es"]["body"] == SPANISH
    assert view["clauses"][1]["translations"]["es"]["status"] == "outdated"
    # The earlier version keeps its own translation, current.
    assert document_view(document.id, version=1)["clauses"][1]["translations"]["es"]["status"] == "current"
    [published] = events_of("version.published")
    assert {"clause_id": two, "language": "es", "status": "outdated"} in data_of(published)["translations_carried"]
    set_clause_translation(admin, two, "es", body="Los oficiales nunca aplican las reglas.")
    assert document_view(document.id)["clauses"][1]["translations"]["es"]["status"] == "current"


@any_database
def test_a_translated_file_is_matched_by_clause_number(make):
    document = make.document()
    admin = make.admin()
    result = import_translations(admin, document.id, "es", text=(
        "# Acuerdo\n\n## 1. Propósito\n\n" + SPANISH + "\n\n## 3. Arrestos\n\nEl arresto es el último recurso.\n"))
    assert result["translated"] == ["1", "3"] and result["missing"] == ["2"]
    clauses = document_view(document.id)["clauses"]
    assert clauses[0]["translations"]["es"]["body"] == SPANISH
    assert clauses[2]["translations"]["es"]["heading"] == "Arrestos"
    assert len(events_of("clause.translation_added")) == 2


@any_database
def test_a_translated_file_with_an_unknown_number_stores_nothing(make):
    document = make.document()
    with pytest.raises(Invalid) as refused:
        import_translations(make.admin(), document.id, "es", text="## 1. Propósito\n\nTexto.\n\n## 9. Otro\n\nMás.")
    assert refused.value.code == "unknown_clause_number"
    assert events_of("clause.translation_added") == []


@any_database
def test_a_comment_records_its_chosen_or_detected_language(make):
    document = make.document()
    make.open_period(document)
    first = make.clause_ids(document)[0]
    author = make.user()
    spanish = make.comment(author, first, body="Los padres deben estar presentes cuando la policía habla con "
                                               "nuestros hijos.")
    english = make.comment(author, first, body="Parents should be present when the police talk to students.")
    chosen = make.comment(author, first, body="OK", language="es")
    assert (spanish.language, english.language, chosen.language) == ("es", "en", "es")
    assert [data_of(e)["language"] for e in events_of("comment.created")] == ["es", "en", "es"]
    with pytest.raises(Invalid):
        make.comment(author, first, body="Bonjour", language="fr")


def test_language_detection_uses_common_words_and_keeps_the_default_when_unsure():
    assert detect_language("¿Quién decide cuándo se llama a la policía?") == "es"
    assert detect_language("Who decides when the police are called?") == "en"
    assert detect_language("OK", default="es") == "es"
    assert detect_language("") == "en"


def test_no_machine_translator_is_registered():
    assert translator() is None


@any_database
def test_a_spanish_rationale_is_kept_beside_the_english_and_redacted_with_it(make):
    document = make.document()
    make.open_period(document)
    comment = make.comment(make.user(), make.clause_ids(document)[0])
    admin = make.admin()
    resolution = record_resolution(admin, comment.id, disposition="noted", rationale="We will review it.",
                                   rationale_es="Lo revisaremos.")
    assert resolution.rationale_es == "Lo revisaremos."
    [event] = events_of("resolution.recorded")
    assert "rationale_es_hmac" in event.data and "Lo revisaremos" not in event.data
    redact_resolution(admin, resolution.id, reason="Names a student.")
    assert resolution.rationale_es is None
    [redacted] = events_of("resolution.redacted")
    assert data_of(event)["rationale_es_hmac"] in data_of(redacted)["removed_hmac"]
