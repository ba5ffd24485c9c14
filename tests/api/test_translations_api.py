import csv
import io

from collab.reads.documents import document_view
from collab.services.translations import set_clause_translation
from tests.api.helpers import assert_error
from tests.conftest import any_database, events_of


@any_database
def test_an_admin_puts_a_translation_and_the_document_shows_it(client, make):
    document = make.document()
    admin = make.admin()
    first = make.clause_ids(document)[0]
    answer = client.put(f"/api/v1/clauses/{first}/translations/es", headers=make.bearer(admin),
                        json={"heading": "Propósito", "body": "El programa mantiene seguros a los estudiantes."})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["translation"]["status"] == "current"
    shown = client.get(f"/api/v1/documents/{document.id}", headers=make.bearer(make.user())).get_json()
    assert shown["document"]["clauses"][0]["translations"]["es"]["heading"] == "Propósito"
    versioned = client.get(f"/api/v1/documents/{document.id}/versions/1", headers=make.bearer(admin)).get_json()
    assert versioned["document"]["clauses"][0]["translations"]["es"]["machine_translated"] is False


@any_database
def test_a_participant_cannot_put_a_translation_and_nothing_is_stored(client, make):
    document = make.document()
    first = make.clause_ids(document)[0]
    answer = client.put(f"/api/v1/clauses/{first}/translations/es", headers=make.bearer(make.user()),
                        json={"body": "Texto."})
    assert_error(answer, 403)
    assert_error(client.put(f"/api/v1/clauses/{first}/translations/fr", headers=make.bearer(make.admin()),
                            json={"body": "Texte."}), 404, "unknown_language")
    assert_error(client.put(f"/api/v1/clauses/{first}/translations/es", headers=make.bearer(make.admin()),
                            json={"heading": 5, "body": "Texto."}), 400, "invalid_heading")
    assert events_of("clause.translation_added") == []


@any_database
def test_a_comment_posted_in_spanish_carries_its_language(client, make):
    document = make.document()
    make.open_period(document)
    first = make.clause_ids(document)[0]
    author = make.user()
    answer = client.post(f"/api/v1/clauses/{first}/comments", headers=make.bearer(author),
                         json={"body": "Los padres deben estar presentes.", "kind": "concern"})
    assert answer.get_json()["comment"]["language"] == "es"
    chosen = client.post(f"/api/v1/clauses/{first}/comments", headers=make.bearer(author),
                         json={"body": "Sí.", "kind": "support", "language": "en"})
    assert chosen.get_json()["comment"]["language"] == "en"
    assert_error(client.post(f"/api/v1/clauses/{first}/comments", headers=make.bearer(author),
                             json={"body": "Oui.", "kind": "support", "language": "fr"}), 400)


@any_database
def test_the_report_in_spanish_uses_the_spanish_and_marks_what_stayed_english(client, make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    one, two, _three = make.clause_ids(document)
    set_clause_translation(admin, one, "es", heading="Propósito", body="El programa.")
    answered_es = make.comment(make.user(), one, body="Los padres deben saber.")
    answered_en = make.comment(make.user(), two, body="Officers should stay out of discipline.")
    headers = make.bearer(admin)
    assert client.post(f"/api/v1/comments/{answered_es.id}/resolution", headers=headers, json={
        "disposition": "noted", "rationale": "We will tell parents.",
        "rationale_es": "Informaremos a los padres."}).get_json()["resolution"]["rationale_es"] == \
        "Informaremos a los padres."
    client.post(f"/api/v1/comments/{answered_en.id}/resolution", headers=headers,
                json={"disposition": "noted", "rationale": "Agreed in principle."})
    report = client.get(f"/api/v1/documents/{document.id}/report.json?lang=es", headers=headers).get_json()
    assert report["language"] == "es"
    first, second = report["rows"]
    assert (first["clause_heading"], first["clause_heading_language"]) == ("Propósito", "es")
    assert (first["rationale"], first["rationale_language"]) == ("Informaremos a los padres.", "es")
    assert first["comment_language"] == "es"
    assert (second["clause_heading"], second["clause_heading_language"]) == ("Discipline", "en")
    assert (second["rationale"], second["rationale_language"]) == ("Agreed in principle.", "en")
    english = client.get(f"/api/v1/documents/{document.id}/report.json", headers=headers).get_json()
    assert english["rows"][0]["rationale"] == "We will tell parents."
    answer = client.get(f"/api/v1/documents/{document.id}/report.csv?lang=es", headers=headers)
    assert "-es.csv" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0]["rationale"] == "Informaremos a los padres." and rows[0]["clause_heading"] == "Propósito"
    assert rows[1]["rationale"] == "[en inglés] Agreed in principle."
    assert rows[1]["clause_heading"] == "[en inglés] Discipline"
    assert_error(client.get(f"/api/v1/documents/{document.id}/report.json?lang=fr", headers=headers), 400)
    assert document_view(document.id)["clauses"][0]["translations"]["es"]["heading"] == "Propósito"
