"""The bilingual agreement on the pages: reading in Spanish or both, the district's Spanish
text, comments marked with their language, quoting by sentences without a mouse, the report
and the diff in Spanish."""
from __future__ import annotations

import re

import pytest

from collab.models import Comment
from collab.extensions import db
from collab.services.resolutions import record_resolution
from collab.services.translations import set_clause_translation
from collab.services.versions import publish_version
from collab.reads.documents import document_view
from tests.conftest import events_of
from tests.web.helpers import page_csrf

SPANISH = "Los oficiales no aplican las reglas escolares ni la disciplina."


@pytest.fixture
def document(make):
    document = make.document()
    make.open_period(document)
    return document


def test_the_admin_pastes_a_spanish_text_and_readers_read_it_in_spanish_or_both(client, sign_in, make, document):
    admin = make.admin()
    second = make.clause_ids(document)[1]
    sign_in(client, admin)
    token = page_csrf(client, f"/documents/{document.id}")
    answer = client.post(f"/documents/{document.id}/clauses/{second}/translations/es",
                         data={"csrf_token": token, "heading": "Disciplina", "body": SPANISH})
    assert answer.status_code == 302 and "text=both" in answer.headers["Location"]
    assert len(events_of("clause.translation_added")) == 1
    sign_in(client, make.user())
    spanish = client.get(f"/documents/{document.id}?text=es").get_data(as_text=True)
    assert f'<p class="clause-body-translation" id="clause-{second}-body-es">{SPANISH}</p>' in spanish
    assert '<span lang="es">Disciplina</span>' in spanish
    assert "Todavía no hay texto en español" in spanish  # the other clauses
    both = client.get(f"/documents/{document.id}?text=both").get_data(as_text=True)
    assert "clause-texts text-both" in both and SPANISH in both
    assert 'aria-current="page">Both / Ambos' in both
    english = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert SPANISH not in english


def test_a_refused_translation_keeps_what_was_typed(client, sign_in, make, document):
    admin = make.admin()
    second = make.clause_ids(document)[1]
    sign_in(client, admin)
    token = page_csrf(client, f"/documents/{document.id}")
    answer = client.post(f"/documents/{document.id}/clauses/{second}/translations/es",
                         data={"csrf_token": token, "heading": "Disciplina a medias", "body": "  "})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'value="Disciplina a medias"' in page and "body" in page
    assert events_of("clause.translation_added") == []


def test_a_changed_clause_shows_its_spanish_as_being_updated(client, sign_in, make, document):
    admin = make.admin()
    one, two, _ = make.clause_ids(document)
    set_clause_translation(admin, two, "es", heading="Disciplina", body=SPANISH)
    clauses = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]
    clauses[1]["body"] = "Officers never enforce school rules or discipline."
    publish_version(admin, document.id, clauses=clauses)
    sign_in(client, make.user())
    page = client.get(f"/documents/{document.id}?text=es").get_data(as_text=True)
    assert "translation being updated" in page
    # The English, now current, is shown beside the outdated Spanish.
    assert "Officers never enforce school rules or discipline." in page
    diff = client.get(f"/documents/{document.id}/diff?from=1&to=2&text=es").get_data(as_text=True)
    assert 'class="diff-translation" lang="es"' in diff and "Traducción en revisión" in diff


def test_a_comment_by_sentences_without_javascript_quotes_the_passage_and_keeps_its_language(
        client, sign_in, make):
    admin = make.admin()
    body = "Officers do not enforce school rules. They act on crimes only. Arrest is a last resort."
    document = make.document(admin, clauses=[{"number": "1", "heading": "Limits", "body": body}])
    make.open_period(document, admin)
    [clause] = make.clause_ids(document)
    sign_in(client, make.user())
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert 'name="quote_sentence" value="They act on crimes only."' in page
    token = page_csrf(client, f"/documents/{document.id}")
    answer = client.post(f"/documents/{document.id}/clauses/{clause}/comments", data={
        "csrf_token": token, "kind": "concern", "body": "Los padres deben saberlo.", "language": "es",
        "quote_sentence": ["Officers do not enforce school rules.", "They act on crimes only."]})
    assert answer.status_code == 302
    comment = db.session.query(Comment).one()
    assert comment.quote == "Officers do not enforce school rules. They act on crimes only."
    assert comment.language == "es"
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert '<p class="comment-body" lang="es">Los padres deben saberlo.</p>' in page


def test_the_response_page_in_spanish_shows_the_spanish_answer_and_marks_english(client, sign_in, make, document):
    admin = make.admin()
    one, two, _ = make.clause_ids(document)
    set_clause_translation(admin, one, "es", heading="Propósito", body="El programa.")
    first = make.comment(make.user(), one, body="Una pregunta sobre el propósito.")
    second = make.comment(make.user(), two, body="A question about discipline.")
    record_resolution(admin, first.id, disposition="noted", rationale="Noted.", rationale_es="Anotado.")
    record_resolution(admin, second.id, disposition="noted", rationale="We agree.")
    sign_in(client, make.user())
    page = client.get(f"/documents/{document.id}/response?lang=es").get_data(as_text=True)
    assert '<span lang="es">Propósito</span>' in page and '<span lang="es">Anotado.</span>' in page
    assert re.search(r'<span lang="en">We agree.</span> <span class="note" lang="es">\(en inglés\)</span>', page)
    assert '<td lang="es">Una pregunta sobre el propósito.</td>' in page
    assert client.get(f"/documents/{document.id}/response?lang=fr").status_code == 400
