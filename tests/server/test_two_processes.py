"""Two `python app.py` processes sharing PostgreSQL and Redis behave as one site:
events, presence and deactivation cross from one process to the other."""
import time
import uuid

import pytest

from tests.server.conftest import ADMIN, EDUCATOR, FAMILY, OBSERVER, STUDENT

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]

SETTLE = 1.0  # seconds to wait for a duplicate that must not come


def test_comment_posted_on_one_process_reaches_a_client_of_the_other_exactly_once(two_process_site, listeners):
    site = two_process_site
    on_b = listeners(site.url(1), token=site.token(OBSERVER))
    on_a = listeners(site.url(0), token=site.token(EDUCATOR))
    assert on_b.call("join", {"document_id": site.document_id})["ok"] is True
    assert on_a.call("join", {"document_id": site.document_id})["ok"] is True
    body = f"Cross-process check {uuid.uuid4()}"

    response = site.api("POST", f"/clauses/{site.clause_ids()[0]}/comments", FAMILY, index=0,
                        json={"body": body, "kind": "concern"})

    assert response.status_code == 201
    comment = response.json()["comment"]
    for listener in (on_b, on_a):
        listener.wait_for(lambda events: [p for n, p in events if n == "comment.created"
                                          and p["comment"]["id"] == comment["id"]])
    time.sleep(SETTLE)
    for listener in (on_b, on_a):
        [delivered] = [p for p in listener.of("comment.created") if p["comment"]["id"] == comment["id"]]
        assert delivered["seq"] == comment["seq"]
        assert delivered["comment"] == comment
    stored = site.api("GET", f"/events?document_id={site.document_id}&after={comment['seq'] - 1}&limit=1",
                      ADMIN).json()["events"]
    assert stored[0]["seq"] == comment["seq"] and stored[0]["action"] == "comment.created"
    assert stored[0]["hash"] == delivered["hash"]


def test_comment_created_over_the_socket_on_one_process_reaches_the_other(two_process_site, listeners):
    site = two_process_site
    writer = listeners(site.url(0), token=site.token(STUDENT))
    reader = listeners(site.url(1), token=site.token(OBSERVER))
    reader.call("join", {"document_id": site.document_id})

    ack = writer.call("comment.create", {"clause_id": site.clause_ids()[1], "kind": "question",
                                         "body": f"Who supervises the officer? {uuid.uuid4()}"})

    assert ack["ok"] is True
    reader.wait_for(lambda events: [p for n, p in events if n == "comment.created"
                                    and p["comment"]["id"] == ack["comment"]["id"]])


def test_catch_up_on_the_other_process_returns_what_was_missed(two_process_site, listeners):
    site = two_process_site
    first = listeners(site.url(0), token=site.token(OBSERVER))
    seen = first.call("join", {"document_id": site.document_id})["head"]
    first.close()
    posted = [site.api("POST", f"/clauses/{site.clause_ids()[2]}/comments", FAMILY, index=i % 2,
                       json={"body": f"While away {i} {uuid.uuid4()}", "kind": "concern"}).json()["comment"]
              for i in range(3)]

    again = listeners(site.url(1), token=site.token(OBSERVER))
    ack = again.call("join", {"document_id": site.document_id, "since": seen})

    assert [m["comment"]["id"] for m in ack["missed"]] == [c["id"] for c in posted]
    assert [m["seq"] for m in ack["missed"]] == sorted(m["seq"] for m in ack["missed"])


def test_presence_spans_both_processes(two_process_site, listeners):
    site = two_process_site
    educator_id, student_id = site.user_id(EDUCATOR), site.user_id(STUDENT)
    on_a = listeners(site.url(0), token=site.fresh_token(EDUCATOR))
    on_a.call("join", {"document_id": site.document_id})
    on_b = listeners(site.url(1), token=site.fresh_token(STUDENT))

    ack = on_b.call("join", {"document_id": site.document_id})

    assert {educator_id, student_id} <= {p["user_id"] for p in ack["presence"]}
    on_a.wait_for(lambda events: [p for n, p in events if n == "presence"
                                  and student_id in {q["user_id"] for q in p["presence"]}])
    on_b.close()
    on_a.wait_for(lambda events: events and events[-1][0] == "presence"
                  and student_id not in {q["user_id"] for q in events[-1][1]["presence"]})


def test_deactivating_a_user_on_one_process_disconnects_their_socket_on_the_other(two_process_site, listeners):
    site = two_process_site
    email = f"visitor-{uuid.uuid4().hex[:8]}@example.org"
    created = site.api("POST", "/users", ADMIN, json={"email": email, "name": "Visiting Parent",
                                                      "password": "correct horse battery", "role": "participant",
                                                      "group": "families"})
    assert created.status_code == 201
    user_id = created.json()["user"]["id"]
    token = site.fresh_token(email, "correct horse battery")
    target = listeners(site.url(1), token=token)
    target.call("join", {"document_id": site.document_id})
    bystander = listeners(site.url(1), token=site.fresh_token(OBSERVER))

    response = site.api("PATCH", f"/users/{user_id}", ADMIN, index=0, json={"is_active": False})

    assert response.status_code == 200
    assert target.disconnected.wait(10), "the deactivated user's socket on the other process stayed open"
    assert bystander.client.connected
    assert site.api("GET", "/me", ADMIN, index=1, headers={"Authorization": f"Bearer {token}"}).status_code == 401
