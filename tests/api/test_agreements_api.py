"""The equity, summary, readability, adoption and review endpoints: answers match the served
OpenAPI schemas; bad input and other roles get the error shape and store nothing."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from collab.timeutil import utcnow
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import IsolatedClient
from tests.conftest import events_of
from tests.equity_data import build

TODAY = utcnow().date().isoformat()


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def matches(spec, response, path: str, method: str = "get") -> dict:
    described = spec["paths"][path][method]["responses"][str(response.status_code)]
    schema = described["content"]["application/json"]["schema"]
    errors = list(Draft202012Validator({**schema, "components": spec["components"]}).iter_errors(response.get_json()))
    assert not errors, errors[0]
    return response.get_json()


def test_equity_json_matches_the_hand_computed_figures_and_the_schema(client, spec, make):
    document, _admin, data = build(make)
    headers = make.bearer(data["officer"])
    body = matches(spec, client.get(f"/api/v1/documents/{document.id}/equity", headers=headers),
                   "/documents/{document_id}/equity")
    groups = {g["group"]: g for g in body["groups"]}
    assert (groups["civil-rights"]["declined"], groups["civil-rights"]["contested"]) == (4, 1)
    assert groups["civil-rights"]["flag"] == "accepted_share_lower"
    assert groups["law-enforcement"]["flag"] == "too_few_to_compare"
    assert groups["families"]["median_hours_to_answer"] == 4.5
    csv_answer = client.get(f"/api/v1/documents/{document.id}/equity.csv", headers=headers)
    assert csv_answer.status_code == 200 and csv_answer.data.startswith(b"scope,clause_number")
    assert_error(client.get(f"/api/v1/documents/{document.id}/equity"), 401)
    assert_error(client.get("/api/v1/documents/999/equity", headers=headers), 404)


def test_summaries_and_readability(client, spec, make):
    document = make.document()
    admin, participant = make.admin(), make.user()
    admin_headers, participant_headers = make.bearer(admin), make.bearer(participant)
    clause_id = make.clause_ids(document)[0]
    path = f"/api/v1/documents/{document.id}/versions/1/clauses/{clause_id}/summary"
    written = client.put(path, json={"text": "Officers do not punish students. Teachers do."}, headers=admin_headers)
    body = matches(spec, written, "/documents/{document_id}/versions/{number}/clauses/{clause_id}/summary", "put")
    assert body["summary"]["words"] == 7 and body["readability"]["reading_ease"] is not None
    listed = matches(spec, client.get(f"/api/v1/documents/{document.id}/versions/1/summaries",
                                      headers=participant_headers),
                     "/documents/{document_id}/versions/{number}/summaries")
    assert [s["clause_id"] for s in listed["summaries"]] == [clause_id]
    before = stored_rows()
    assert_error(client.put(path, json={"text": "word " * 151}, headers=admin_headers), 400, "summary_too_long")
    assert_error(client.put(path, json={"text": "Plain."}, headers=participant_headers), 403)
    assert_error(client.put(path, json={"text": 5}, headers=admin_headers), 400, "invalid_text")
    assert stored_rows() == before
    score = matches(spec, client.post("/api/v1/readability", json={"text": "word " * 151},
                                      headers=participant_headers), "/readability", "post")
    assert score["words"] == 151 and score["over_limit"] is True


def test_adoption_signature_review_date_and_review_through_the_api(client, spec, make):
    document = make.document()
    admin, participant = make.admin(), make.user()
    headers, participant_headers = make.bearer(admin), make.bearer(participant)
    assert client.get(f"/api/v1/documents/{document.id}/adoption", headers=headers).get_json() == {"adoption": None}
    before = stored_rows()
    assert_error(client.post(f"/api/v1/documents/{document.id}/adoptions", json={"adopted_on": "2026-13-01"},
                             headers=headers), 400, "invalid_date")
    assert_error(client.post(f"/api/v1/documents/{document.id}/adoptions", json={}, headers=participant_headers),
                 403)
    assert stored_rows() == before
    adopted = matches(spec, client.post(f"/api/v1/documents/{document.id}/adoptions", json={}, headers=headers),
                      "/documents/{document_id}/adoptions", "post")["adoption"]
    assert adopted["adopted_on"] == TODAY and adopted["version"] == 1
    signatures = f"/api/v1/adoptions/{adopted['id']}/signatures"
    before = stored_rows()
    assert_error(client.post(signatures, json={"name": "Lee", "title": "Chief", "signed_on": TODAY}, headers=headers),
                 400, "invalid_party")
    assert_error(client.post(signatures, json={"party": "police_agency", "name": "Lee", "title": "Chief",
                                               "signed_on": "soon"}, headers=headers), 400, "invalid_date")
    assert_error(client.post(signatures, json={"party": "police_agency", "name": "Lee", "title": "Chief",
                                               "signed_on": TODAY}, headers=participant_headers), 403)
    assert stored_rows() == before
    signed = matches(spec, client.post(signatures, json={"party": "police_agency", "name": "Lee Captain",
                                                         "title": "Chief of Police", "signed_on": TODAY},
                                       headers=headers), "/adoptions/{adoption_id}/signatures", "post")
    assert signed["signature"]["party_label"] == "Police agency"
    moved = matches(spec, client.put(f"/api/v1/adoptions/{adopted['id']}/review-date",
                                     json={"next_review_on": "2028-11-01"}, headers=headers),
                    "/adoptions/{adoption_id}/review-date", "put")
    assert moved["adoption"]["next_review_on"] == "2028-11-01"
    assert_error(client.put(f"/api/v1/adoptions/{adopted['id']}/review-date", json={"next_review_on": None},
                            headers=headers), 400, "invalid_date")
    shown = matches(spec, client.get(f"/api/v1/documents/{document.id}/adoption", headers=participant_headers),
                    "/documents/{document_id}/adoption")
    assert [s["name"] for s in shown["adoption"]["signatures"]] == ["Lee Captain"]
    review = matches(spec, client.post(f"/api/v1/documents/{document.id}/reviews", json={}, headers=headers),
                     "/documents/{document_id}/reviews", "post")
    assert review["version"]["number"] == 2 and review["carried_concerns"] == []
    assert_error(client.post(f"/api/v1/documents/{document.id}/reviews", json={}, headers=headers), 409,
                 "review_started")
    assert [e.action for e in events_of() if e.action in ("version.adopted", "adoption.signed", "review.scheduled",
                                                          "review.started")] == [
        "version.adopted", "adoption.signed", "review.scheduled", "review.started"]
