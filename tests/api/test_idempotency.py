"""Idempotency-Key on POST /clauses/{id}/comments: a retried request never makes a second comment."""
import threading

import pytest

from collab.extensions import db
from collab.models import Comment
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import any_database, events_of

BODY = {"body": "Officers should not search students' phones.", "kind": "concern"}


def post(api, user, clause_id, key, body=None):
    return api.post(f"/clauses/{clause_id}/comments", user, json=body or BODY, headers={"Idempotency-Key": key})


def test_the_same_key_twice_gives_one_comment(api, participant, open_document, clause_id):
    first = post(api, participant, clause_id, "retry-1")
    again = post(api, participant, clause_id, "retry-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json()["comment"] == first.get_json()["comment"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert db.session.query(Comment).count() == 1
    assert len(events_of("comment.created")) == 1


def test_a_retry_after_the_period_closed_still_returns_the_comment(api, make, admin, participant, document,
                                                                   clause_id):
    period = make.open_period(document, admin)
    first = post(api, participant, clause_id, "retry-2")
    api.post(f"/periods/{period.id}/close", admin)
    again = post(api, participant, clause_id, "retry-2")
    assert again.status_code == 201
    assert again.get_json()["comment"]["id"] == first.get_json()["comment"]["id"]


@pytest.mark.parametrize("change", [
    {"body": "A different text."},
    {"kind": "question"},
    {"quote": "school rules"},
    {"suggested_text": "New wording."},
])
def test_the_same_key_with_another_body_is_422(api, participant, open_document, clause_id, change):
    post(api, participant, clause_id, "k")
    before = stored_rows()
    assert_error(post(api, participant, clause_id, "k", {**BODY, **change}), 422, "idempotency_key_reused")
    assert stored_rows() == before


def test_the_same_key_on_another_clause_is_422(api, make, participant, open_document, clause_id):
    post(api, participant, clause_id, "k")
    other = make.clause_ids(open_document)[0]
    before = stored_rows()
    assert_error(post(api, participant, other, "k"), 422, "idempotency_key_reused")
    assert stored_rows() == before


def test_keys_belong_to_their_author(api, make, participant, open_document, clause_id):
    neighbour = api.user(name="Neighbour")
    mine = post(api, participant, clause_id, "shared-key").get_json()["comment"]
    theirs = post(api, neighbour, clause_id, "shared-key").get_json()["comment"]
    assert mine["id"] != theirs["id"]
    assert db.session.query(Comment).count() == 2


@pytest.mark.parametrize("key, status, code", [
    ("", 400, "empty_idempotency_key"),
    ("   ", 400, "empty_idempotency_key"),
    ("k" * 201, 413, "idempotency_key_too_long"),
])
def test_an_invalid_key_is_refused(api, participant, open_document, clause_id, key, status, code):
    before = stored_rows()
    assert_error(post(api, participant, clause_id, key), status, code)
    assert stored_rows() == before


def test_without_a_key_each_request_makes_a_comment(api, participant, open_document, clause_id):
    api.post(f"/clauses/{clause_id}/comments", participant, json=BODY)
    api.post(f"/clauses/{clause_id}/comments", participant, json={**BODY, "body": "A second, different thought."})
    assert db.session.query(Comment).count() == 2


def race(app, headers: dict, path: str, bodies: list[dict]) -> list:
    """Send the requests at the same moment, each from its own thread and client."""
    barrier = threading.Barrier(len(bodies))
    responses: list = [None] * len(bodies)

    def send(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        responses[index] = client.post(path, json=bodies[index], headers=headers)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None for r in responses)
    return responses


@pytest.mark.real_commits
@any_database
def test_concurrent_requests_with_one_key_make_one_comment(app, client, api, participant, open_document, clause_id):
    headers = {**api.headers(participant), "Idempotency-Key": "double-click"}
    responses = race(app, headers, f"/api/v1/clauses/{clause_id}/comments", [BODY] * 8)
    assert [r.status_code for r in responses] == [201] * 8, [r.get_json() for r in responses]
    assert len({r.get_json()["comment"]["id"] for r in responses}) == 1
    assert sum(1 for r in responses if "Idempotent-Replayed" not in r.headers) == 1
    db.session.commit()
    assert db.session.query(Comment).count() == 1
    assert len(events_of("comment.created")) == 1


@pytest.mark.real_commits
@any_database
def test_concurrent_requests_with_one_key_and_two_bodies_make_one_comment(app, client, api, participant,
                                                                          open_document, clause_id):
    headers = {**api.headers(participant), "Idempotency-Key": "two-tabs"}
    other = {**BODY, "body": "Another text."}
    responses = race(app, headers, f"/api/v1/clauses/{clause_id}/comments", [BODY, other] * 4)
    db.session.commit()
    [stored] = db.session.query(Comment).all()
    for response in responses:
        if response.status_code == 201:
            assert response.get_json()["comment"]["id"] == stored.id
            assert response.get_json()["comment"]["body"] == stored.body
        else:
            assert_error(response, 422, "idempotency_key_reused")
    assert sum(r.status_code == 201 for r in responses) == 4
    assert len(events_of("comment.created")) == 1
