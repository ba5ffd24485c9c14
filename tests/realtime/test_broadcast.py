"""Joining a document, and what joined (and not joined) clients receive."""
import pytest

from collab.extensions import db
from collab.models import Comment
from collab.events import event_to_dict
from tests.conftest import any_database, events_of
from tests.realtime.helpers import join, presence_ids, received


@pytest.fixture
def scene(make):
    """A document with an open comment period, a commenting participant and an admin."""
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)

    class Scene:
        pass

    scene = Scene()
    scene.admin, scene.document = admin, document
    scene.author = make.user(name="Angela Whitfield", group="families")
    scene.clause_ids = make.clause_ids(document)
    return scene


def post_comment(client, make, user, clause_id, body="Officers should not search lockers.", **extra):
    return client.post(f"/api/v1/clauses/{clause_id}/comments", json={"body": body, "kind": "concern", **extra},
                       headers=make.bearer(user))


@any_database
def test_join_acknowledges_head_presence_and_no_missed_events(scene, make, socket_client):
    reader = make.user(name="Jordan Okafor", group="students")
    sock = socket_client(token=make.token(reader))

    ack = join(sock, scene.document.id)

    head = events_of()[-1]
    # Presence goes to every reader in the room: a student shows only their group by default.
    assert ack == {"ok": True, "head": head.seq, "head_hash": head.hash, "missed": [], "anonymous": 0,
                   "presence": [{"user_id": reader.id, "name": None, "group": "students"}]}
    assert received(sock, "presence") == [{"document_id": scene.document.id, "presence": ack["presence"],
                                           "anonymous": 0}]


@pytest.mark.parametrize("payload, code", [
    ({}, "invalid_document_id"),
    ({"document_id": "seven"}, "invalid_document_id"),
    ({"document_id": 1, "since": "yesterday"}, "invalid_since"),
    ({"document_id": 4242}, "not_found"),
])
def test_bad_join_is_refused_and_joins_nothing(scene, make, client, socket_client, payload, code):
    sock = socket_client(token=make.token(make.user()))

    ack = sock.emit("join", payload, callback=True)

    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]
    assert post_comment(client, make, scene.author, scene.clause_ids[0]).status_code == 201
    assert received(sock) == []


def test_join_with_a_payload_that_is_not_an_object_is_refused(scene, make, socket_client):
    sock = socket_client(token=make.token(make.user()))
    ack = sock.emit("join", ["document_id", scene.document.id], callback=True)
    assert ack == {"ok": False, "error": {"code": "malformed_payload", "message": "Send an object."}}


@any_database
def test_comment_posted_over_http_reaches_another_joined_client_exactly_once(scene, make, client, socket_client):
    reader = socket_client(token=make.token(make.user(role="observer")))
    join(reader, scene.document.id)
    received(reader)

    response = post_comment(client, make, scene.author, scene.clause_ids[1], quote="school rules")

    assert response.status_code == 201
    [event] = events_of("comment.created")
    deliveries = received(reader)
    assert deliveries == [{**event_to_dict(event), "comment": response.get_json()["comment"]}]
    [delivered] = deliveries
    assert delivered["seq"] == event.seq == delivered["comment"]["seq"]
    listed = client.get(f"/api/v1/documents/{scene.document.id}/comments", headers=make.bearer(scene.admin))
    assert delivered["comment"] == listed.get_json()["comments"][0]
    assert "Officers should not" not in event.data  # the chain holds digests; the payload holds the text


def test_clients_receive_events_in_seq_order(scene, make, client, socket_client):
    reader = socket_client(token=make.token(make.user()))
    join(reader, scene.document.id)
    received(reader)

    for number in range(5):
        assert post_comment(client, make, scene.author, scene.clause_ids[number % 3], body=f"Point {number}").status_code == 201

    seqs = [payload["seq"] for payload in received(reader, "comment.created")]
    assert seqs == [e.seq for e in events_of("comment.created")]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5


def test_client_not_joined_to_the_document_receives_nothing(scene, make, client, socket_client):
    elsewhere = make.document(admin=scene.admin, title="Another agreement")
    connected_only = socket_client(token=make.token(make.user()))
    on_other_document = socket_client(token=make.token(make.user()))
    join(on_other_document, elsewhere.id)
    received(on_other_document)

    assert post_comment(client, make, scene.author, scene.clause_ids[0]).status_code == 201

    assert received(connected_only) == []
    assert received(on_other_document) == []


def test_client_that_left_receives_nothing_more(scene, make, client, socket_client):
    stayer_user, leaver_user = make.user(), make.user()
    stayer = socket_client(token=make.token(stayer_user))
    leaver = socket_client(token=make.token(leaver_user))
    join(stayer, scene.document.id)
    join(leaver, scene.document.id)
    received(stayer), received(leaver)

    assert leaver.emit("leave", {"document_id": scene.document.id}, callback=True) == {"ok": True}
    assert post_comment(client, make, scene.author, scene.clause_ids[0]).status_code == 201

    assert received(leaver) == []
    stayer_got = stayer.get_received()
    assert [p["name"] for p in stayer_got] == ["presence", "comment.created"]
    assert presence_ids(stayer_got[0]["args"][0]) == [stayer_user.id]
    assert stayer_got[1]["args"][0]["seq"] == events_of("comment.created")[0].seq


def test_joined_client_receives_other_document_events_such_as_a_closed_period(scene, make, client, socket_client):
    reader = socket_client(token=make.token(make.user()))
    join(reader, scene.document.id)
    received(reader)
    period_id = client.get(f"/api/v1/documents/{scene.document.id}",
                           headers=make.bearer(scene.admin)).get_json()["document"]["period"]["id"]

    response = client.post(f"/api/v1/periods/{period_id}/close", headers=make.bearer(scene.admin))

    assert response.status_code == 200
    [event] = events_of("period.closed")
    assert received(reader) == [{**event_to_dict(event), "period": response.get_json()["period"]}]


# --- comment.create over the socket -------------------------------------------------

def test_comment_create_acknowledges_the_comment_and_broadcasts_it_once(scene, make, socket_client):
    writer = socket_client(token=make.token(scene.author))
    reader = socket_client(token=make.token(make.user()))
    join(writer, scene.document.id)
    join(reader, scene.document.id)
    received(writer), received(reader)

    ack = writer.emit("comment.create", {"clause_id": scene.clause_ids[2], "body": "Diversion first, always.",
                                          "kind": "support"}, callback=True)

    assert ack["ok"] is True
    comment = ack["comment"]
    assert (comment["clause_id"], comment["body"], comment["kind"], comment["author"]["id"]) == (
        scene.clause_ids[2], "Diversion first, always.", "support", scene.author.id)
    [event] = events_of("comment.created")
    assert comment["seq"] == event.seq
    expected = [{**event_to_dict(event), "comment": comment}]
    assert received(reader) == expected
    assert received(writer) == expected  # the author's other tabs see it too


def test_comment_create_with_the_same_idempotency_key_stores_and_broadcasts_one_comment(
        scene, make, socket_client):
    writer = socket_client(token=make.token(scene.author))
    reader = socket_client(token=make.token(make.user()))
    join(reader, scene.document.id)
    received(reader)
    payload = {"clause_id": scene.clause_ids[0], "body": "Name the supervisor.", "kind": "suggestion",
               "idempotency_key": "retry-1"}

    first = writer.emit("comment.create", payload, callback=True)
    second = writer.emit("comment.create", payload, callback=True)

    assert first == second and first["ok"] is True
    assert len(events_of("comment.created")) == 1
    assert len(received(reader, "comment.created")) == 1


@pytest.mark.parametrize("payload, code", [
    ({"body": "", "kind": "concern"}, "empty_body"),
    ({"body": "   ", "kind": "concern"}, "empty_body"),
    ({"body": 42, "kind": "concern"}, "invalid_body"),
    ({"body": "x" * 10_001, "kind": "concern"}, "body_too_long"),
    ({"body": "Fine.", "kind": "rant"}, "invalid_kind"),
    ({"body": "Fine.", "kind": "concern", "quote": "not in the clause"}, "quote_not_found"),
    ({"body": "Fine.", "kind": "concern", "parent_id": 999}, "parent_not_found"),
    ({"body": "Fine.", "kind": "concern", "clause_id": None}, "invalid_clause_id"),
    ({"body": "Fine.", "kind": "concern", "clause_id": "two"}, "invalid_clause_id"),
    ({"body": "Fine.", "kind": "concern", "clause_id": 4242}, "clause_not_found"),
])
def test_bad_comment_create_is_refused_storing_and_broadcasting_nothing(scene, make, socket_client, payload, code):
    writer = socket_client(token=make.token(scene.author))
    reader = socket_client(token=make.token(make.user()))
    join(writer, scene.document.id)
    join(reader, scene.document.id)
    received(writer), received(reader)
    before = len(events_of())

    ack = writer.emit("comment.create", {"clause_id": scene.clause_ids[0], **payload}, callback=True)

    assert ack["ok"] is False
    assert ack["error"]["code"] == code and ack["error"]["message"]
    assert len(events_of()) == before
    assert db.session.query(Comment).count() == 0
    assert received(reader) == [] and received(writer) == []


def test_comment_create_is_refused_when_no_period_is_open(scene, make, client, socket_client):
    period_id = client.get(f"/api/v1/documents/{scene.document.id}",
                           headers=make.bearer(scene.admin)).get_json()["document"]["period"]["id"]
    assert client.post(f"/api/v1/periods/{period_id}/close", headers=make.bearer(scene.admin)).status_code == 200
    writer = socket_client(token=make.token(scene.author))
    reader = socket_client(token=make.token(make.user()))
    join(reader, scene.document.id)
    received(reader)
    before = len(events_of())

    ack = writer.emit("comment.create", {"clause_id": scene.clause_ids[0], "body": "Late.", "kind": "concern"},
                      callback=True)

    assert ack == {"ok": False, "error": {
        "code": "commenting_closed", "message": "Commenting on this document is closed: no comment period is open and no meeting is live."}}
    assert len(events_of()) == before
    assert received(reader) == []


def test_observer_may_join_but_comment_create_is_refused(scene, make, socket_client):
    observer = socket_client(token=make.token(make.user(role="observer", group="community")))
    reader = socket_client(token=make.token(make.user()))
    join(reader, scene.document.id)
    assert join(observer, scene.document.id)["ok"] is True
    received(reader)
    before = len(events_of())

    ack = observer.emit("comment.create", {"clause_id": scene.clause_ids[0], "body": "Hm.", "kind": "question"},
                        callback=True)

    assert ack == {"ok": False, "error": {"code": "forbidden", "message": "Observers cannot comment."}}
    assert len(events_of()) == before
    assert received(reader) == []


def test_comment_create_over_the_live_channel_is_rate_limited_per_person(scene, make, database_url):
    from collab import create_app
    from collab.extensions import socketio
    from tests.conftest import _config_dict

    limited = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url,
                          "RATELIMIT_ENABLED": True, "COMMENT_RATE_LIMIT": "1 per minute"})
    sock = socketio.test_client(limited, auth={"token": make.token(scene.author)})
    try:
        payload = {"clause_id": scene.clause_ids[0], "body": "First, within the limit.", "kind": "concern"}
        assert sock.emit("comment.create", payload, callback=True)["ok"] is True
        stored = len(events_of())
        refused = sock.emit("comment.create", {**payload, "body": "Second, too soon."}, callback=True)
        assert refused == {"ok": False, "error": {
            "code": "rate_limited", "message": "Too many comments in a short time. Wait a moment and try again."}}
        assert len(events_of()) == stored
    finally:
        sock.disconnect()
