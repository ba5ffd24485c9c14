"""POST/GET /documents, GET /documents/{id}, GET /documents/{id}/versions/{n},
POST /documents/{id}/periods, POST /periods/{id}/close."""
from datetime import timedelta

import pytest

from collab.timeutil import isoformat, utcnow
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import events_of

CLAUSES = [
    {"number": "1", "heading": "Purpose", "body": "The program supports a safe learning environment."},
    {"number": "2", "heading": "Discipline", "body": "School staff, not officers, handle school discipline."},
]


def later(**delta) -> str:
    return isoformat(utcnow() + timedelta(**delta))


def test_admin_creates_a_document_at_version_1(api, admin):
    response = api.post("/documents", admin, json={"title": "  Draft MOU 2026  ", "clauses": CLAUSES})
    assert response.status_code == 201
    document = response.get_json()["document"]
    assert (document["title"], document["version"], document["commenting_open"]) == ("Draft MOU 2026", 1, False)
    assert [(c["number"], c["heading"], c["body"], c["comment_count"], c["open_count"])
            for c in document["clauses"]] == [(c["number"], c["heading"], c["body"], 0, 0) for c in CLAUSES]
    assert all(isinstance(c["id"], int) for c in document["clauses"])
    [event] = events_of("document.created")
    assert (event.document_id, event.actor_id) == (document["id"], admin.id)
    assert "safe learning" not in event.data


@pytest.mark.parametrize("role", ["facilitator", "participant", "observer"])
def test_only_admins_create_documents(api, role):
    actor = api.user(role=role)
    before = stored_rows()
    assert_error(api.post("/documents", actor, json={"title": "Mine", "clauses": CLAUSES}), 403, "forbidden")
    assert stored_rows() == before


def test_creating_a_document_needs_sign_in(api):
    assert_error(api.post("/documents", json={"title": "Mine", "clauses": CLAUSES}), 401, "unauthenticated")


@pytest.mark.parametrize("payload, status, code", [
    ({"clauses": CLAUSES}, 400, "invalid_title"),
    ({"title": "  ", "clauses": CLAUSES}, 400, "empty_title"),
    ({"title": "t" * 301, "clauses": CLAUSES}, 413, "title_too_long"),
    ({"title": "Draft"}, 400, "invalid_clauses"),
    ({"title": "Draft", "clauses": []}, 400, "invalid_clauses"),
    ({"title": "Draft", "clauses": "1. Purpose"}, 400, "invalid_clauses"),
    ({"title": "Draft", "clauses": ["1. Purpose"]}, 400, "invalid_clauses"),
    ({"title": "Draft", "clauses": [{"number": "1", "heading": "Purpose"}]}, 400, "invalid_body"),
    ({"title": "Draft", "clauses": [{"number": "1", "body": " "}]}, 400, "empty_body"),
    ({"title": "Draft", "clauses": [{"heading": "No number", "body": "Text"}]}, 400, "empty_number"),
    ({"title": "Draft", "clauses": [{"number": "1", "heading": 7, "body": "Text"}]}, 400, "invalid_heading"),
    ({"title": "Draft", "clauses": [{"number": "1", "body": "A"}, {"number": "1", "body": "B"}]},
     400, "duplicate_clause_number"),
    ({"title": "Draft", "clauses": [{"number": "1", "body": "x" * 20_001}]}, 413, "body_too_long"),
    ({"title": "Draft", "clauses": [{"number": str(n), "body": "Text"} for n in range(501)]},
     400, "too_many_clauses"),
])
def test_invalid_document_is_refused_and_stores_nothing(api, admin, payload, status, code):
    before = stored_rows()
    assert_error(api.post("/documents", admin, json=payload), status, code)
    assert stored_rows() == before


def test_a_document_may_have_500_clauses_and_clauses_of_20000_characters(api, admin):
    # 500 clauses of 20,000 characters would pass MAX_CONTENT_LENGTH (5 MiB): the request limit binds first.
    clauses = [{"number": str(n), "heading": "", "body": "x" * (20_000 if n == 1 else 2_000)}
               for n in range(1, 501)]
    response = api.post("/documents", admin, json={"title": "Long", "clauses": clauses})
    assert response.status_code == 201
    assert len(response.get_json()["document"]["clauses"]) == 500


def test_malformed_document_body_is_400(api, admin):
    before = stored_rows()
    assert_error(api.post("/documents", admin, data="title=x", content_type="text/plain"), 400, "malformed_json")
    assert stored_rows() == before


def test_documents_are_listed_to_every_signed_in_user(api, observer, document):
    response = api.get("/documents", observer)
    assert response.status_code == 200
    [listed] = response.get_json()["documents"]
    assert (listed["id"], listed["title"], listed["version"]) == (document.id, "Sample SRO agreement", 1)
    assert "clauses" not in listed


def test_listing_documents_without_an_account_shows_only_public_ones(api, make, observer, document):
    make.invited(make.document(title="Invited draft"))
    assert [d["title"] for d in api.get("/documents").get_json()["documents"]] == ["Sample SRO agreement"]
    assert len(api.get("/documents", observer).get_json()["documents"]) == 2


def test_a_document_shows_its_clauses_with_comment_counts(api, make, observer, open_document, clause_id):
    make.comment(make.user(), clause_id)
    response = api.get(f"/documents/{open_document.id}", observer)
    assert response.status_code == 200
    document = response.get_json()["document"]
    assert document["commenting_open"] is True
    counted = {c["id"]: (c["comment_count"], c["open_count"]) for c in document["clauses"]}
    assert counted[clause_id] == (1, 1)
    assert all(set(c) >= {"id", "number", "heading", "body", "comment_count", "open_count"}
               for c in document["clauses"])


def test_an_unknown_document_is_404(api, observer):
    assert_error(api.get("/documents/4242", observer), 404, "not_found")


def test_an_invited_document_needs_sign_in(api, make, document):
    make.invited(document)
    assert_error(api.get(f"/documents/{document.id}"), 401, "unauthenticated")


def test_version_1_shows_the_document_as_it_stood(api, observer, document):
    response = api.get(f"/documents/{document.id}/versions/1", observer)
    assert response.status_code == 200
    shown = response.get_json()["document"]
    assert shown["version"] == 1
    assert [c["number"] for c in shown["clauses"]] == ["1", "2", "3"]


@pytest.mark.parametrize("path", ["/documents/{id}/versions/2", "/documents/{id}/versions/0",
                                  "/documents/4242/versions/1"])
def test_an_unknown_version_is_404(api, observer, document, path):
    assert_error(api.get(path.format(id=document.id), observer), 404, "not_found")


def test_a_version_of_an_invited_document_needs_sign_in(api, make, document):
    make.invited(document)
    assert_error(api.get(f"/documents/{document.id}/versions/1"), 401, "unauthenticated")


# --- comment periods ----------------------------------------------------------

def test_admin_opens_a_comment_period_now(api, admin, document):
    response = api.post(f"/documents/{document.id}/periods", admin,
                        json={"opens_at": later(seconds=-1), "closes_at": later(days=14)})
    assert response.status_code == 201
    period = response.get_json()["period"]
    assert (period["document_id"], period["is_open"], period["closed_early_at"]) == (document.id, True, None)
    assert period["closes_at"].endswith("Z")
    [event] = events_of("period.opened")
    assert event.subject == f"period:{period['id']}"
    assert api.get(f"/documents/{document.id}", admin).get_json()["document"]["commenting_open"] is True


def test_a_period_without_opens_at_opens_now(api, admin, document):
    response = api.post(f"/documents/{document.id}/periods", admin, json={"closes_at": later(days=1)})
    assert response.status_code == 201
    assert response.get_json()["period"]["is_open"] is True


def test_a_period_in_the_future_is_scheduled(api, admin, document):
    response = api.post(f"/documents/{document.id}/periods", admin,
                        json={"opens_at": later(days=1), "closes_at": later(days=8)})
    assert response.status_code == 201
    assert response.get_json()["period"]["is_open"] is False
    assert len(events_of("period.scheduled")) == 1
    assert api.get(f"/documents/{document.id}", admin).get_json()["document"]["commenting_open"] is False


def test_a_period_with_an_offset_is_stored_in_utc(api, admin, document):
    response = api.post(f"/documents/{document.id}/periods", admin,
                        json={"opens_at": "2100-01-01T09:00:00-05:00", "closes_at": "2100-01-08T09:00:00-05:00"})
    assert response.status_code == 201
    assert response.get_json()["period"]["opens_at"] == "2100-01-01T14:00:00.000000Z"


@pytest.mark.parametrize("payload, code", [
    ({}, "invalid_datetime"),
    ({"closes_at": "next friday"}, "invalid_datetime"),
    ({"closes_at": 1767225600}, "invalid_datetime"),
    ({"opens_at": "2100-01-08T00:00:00Z", "closes_at": "2100-01-01T00:00:00Z"}, "invalid_period"),
    ({"opens_at": "2100-01-01T00:00:00Z", "closes_at": "2100-01-01T00:00:00Z"}, "invalid_period"),
    ({"opens_at": "2000-01-01T00:00:00Z", "closes_at": "2000-01-08T00:00:00Z"}, "invalid_period"),
])
def test_invalid_period_is_refused_and_stores_nothing(api, admin, document, payload, code):
    before = stored_rows()
    assert_error(api.post(f"/documents/{document.id}/periods", admin, json=payload), 400, code)
    assert stored_rows() == before


def test_an_overlapping_period_is_409(api, admin, document):
    assert api.post(f"/documents/{document.id}/periods", admin,
                    json={"opens_at": later(days=1), "closes_at": later(days=8)}).status_code == 201
    before = stored_rows()
    response = api.post(f"/documents/{document.id}/periods", admin,
                        json={"opens_at": later(days=7), "closes_at": later(days=10)})
    assert_error(response, 409, "period_overlap")
    assert stored_rows() == before
    back_to_back = api.post(f"/documents/{document.id}/periods", admin,
                            json={"opens_at": later(days=9), "closes_at": later(days=12)})
    assert back_to_back.status_code == 201


def test_a_period_for_an_unknown_document_is_404(api, admin):
    before = stored_rows()
    assert_error(api.post("/documents/4242/periods", admin, json={"closes_at": later(days=1)}), 404, "not_found")
    assert stored_rows() == before


@pytest.mark.parametrize("role", ["facilitator", "participant", "observer"])
def test_only_admins_open_periods(api, document, role):
    actor = api.user(role=role)
    before = stored_rows()
    assert_error(api.post(f"/documents/{document.id}/periods", actor, json={"closes_at": later(days=1)}),
                 403, "forbidden")
    assert stored_rows() == before


def test_admin_closes_a_period_now_and_a_checkpoint_is_published(api, make, admin, document):
    period = make.open_period(document, admin)
    response = api.post(f"/periods/{period.id}/close", admin)
    assert response.status_code == 200
    closed = response.get_json()["period"]
    assert closed["is_open"] is False and closed["closed_early_at"] is not None
    [event] = events_of("period.closed")
    checkpoints = api.get("/events/checkpoints", admin).get_json()["checkpoints"]
    assert [(c["seq"], c["head_hash"]) for c in checkpoints] == [(event.seq, event.hash)]
    assert api.get(f"/documents/{document.id}", admin).get_json()["document"]["commenting_open"] is False


def test_closing_a_closed_period_is_409(api, make, admin, document):
    period = make.open_period(document, admin)
    assert api.post(f"/periods/{period.id}/close", admin).status_code == 200
    before = stored_rows()
    assert_error(api.post(f"/periods/{period.id}/close", admin), 409, "period_closed")
    assert stored_rows() == before


def test_closing_an_unknown_period_is_404(api, admin):
    assert_error(api.post("/periods/4242/close", admin), 404, "not_found")


@pytest.mark.parametrize("role", ["facilitator", "participant", "observer"])
def test_only_admins_close_periods(api, make, admin, document, role):
    period = make.open_period(document, admin)
    actor = api.user(role=role)
    before = stored_rows()
    assert_error(api.post(f"/periods/{period.id}/close", actor), 403, "forbidden")
    assert stored_rows() == before
