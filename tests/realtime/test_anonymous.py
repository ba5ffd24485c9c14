"""The live channel without an account: public documents read-only, counted (never named) in
presence; invited documents and every write answer `unauthenticated`; withheld texts stay withheld."""
from __future__ import annotations

import pytest

from collab.realtime import state
from collab.services.moderation import hide_comment, redact_comment
from tests.api.helpers import stored_rows
from tests.conftest import any_database
from tests.realtime.helpers import join, received

HIDDEN_WORDS = "call me on 555 0100"
REDACTED_WORDS = "Jamie in room 12"


@pytest.fixture
def scene(make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    invited = make.invited(make.document(admin=admin, title="Invited draft"), admin)
    return {"admin": admin, "document": document, "invited": invited, "clause_ids": make.clause_ids(document),
            "student": make.user(name="Sam Student", group="students"),
            "parent": make.user(name="Pat Parent", group="families")}


def unauthenticated(ack) -> bool:
    return ack["ok"] is False and ack["error"]["code"] == "unauthenticated"


@any_database
def test_an_anonymous_reader_joins_a_public_document_and_receives_comments(client, make, scene, socket_client):
    reader = socket_client()
    ack = join(reader, scene["document"].id)
    assert ack["ok"] is True and ack["presence"] == [] and ack["anonymous"] == 1
    received(reader)
    answer = client.post(f"/api/v1/clauses/{scene['clause_ids'][0]}/comments",
                         json={"body": "Who reviews complaints?", "kind": "question"},
                         headers=make.bearer(scene["student"]))
    assert answer.status_code == 201
    [arrived] = received(reader, "comment.created")
    assert arrived["comment"]["body"] == "Who reviews complaints?"
    # A student shows only the group, also to the author's own broadcast audience.
    assert arrived["comment"]["author"] == {"id": scene["student"].id, "name": None, "group": "students",
                                            "group_name": "Students"}


def test_presence_counts_anonymous_readers_and_never_names_them(make, scene, socket_client):
    watcher = socket_client(token=make.token(scene["parent"]))
    join(watcher, scene["document"].id)
    received(watcher)
    first, second = socket_client(), socket_client()
    join(first, scene["document"].id)
    join(second, scene["document"].id)
    updates = received(watcher, "presence")
    assert [u["anonymous"] for u in updates] == [1, 2]
    assert updates[-1]["presence"] == [{"user_id": scene["parent"].id, "name": "Pat Parent", "group": "families"}]
    second.disconnect()
    assert received(watcher, "presence")[-1]["anonymous"] == 1


def test_an_invited_document_refuses_anonymous_joins(scene, socket_client):
    reader = socket_client()
    assert unauthenticated(join(reader, scene["invited"].id))
    assert reader.is_connected()  # still free to follow public documents
    assert join(reader, scene["document"].id)["ok"] is True


def test_every_write_without_credentials_answers_unauthenticated_and_stores_nothing(scene, socket_client):
    reader = socket_client()
    join(reader, scene["document"].id)
    before = stored_rows()
    assert unauthenticated(reader.emit("comment.create", {"clause_id": scene["clause_ids"][0], "body": "Hi.",
                                                          "kind": "concern"}, callback=True))
    assert unauthenticated(reader.emit("meeting.join", {"meeting_id": 1}, callback=True))
    assert unauthenticated(reader.emit("meeting.raise_hand", {"meeting_id": 1}, callback=True))
    assert stored_rows() == before
    assert reader.is_connected()


def test_invalid_credentials_are_still_refused(make, socket_client):
    assert not socket_client(token="not-a-token").is_connected()
    assert state.registry.sids_where(user_id=0) == []


def test_catch_up_withholds_hidden_and_redacted_texts_from_anonymous_readers(make, scene, socket_client):
    clause_id = scene["clause_ids"][0]
    since = join(socket_client(), scene["document"].id)["head"]
    hidden = make.comment(scene["parent"], clause_id, body=HIDDEN_WORDS)
    hide_comment(make.user(role="facilitator", group="community"), hidden.id, reason="Personal data.")
    redacted = make.comment(scene["parent"], clause_id, body=REDACTED_WORDS)
    redact_comment(scene["admin"], redacted.id, reason="A name.")
    make.comment(scene["student"], clause_id, body="Visible words.")
    ack = join(socket_client(), scene["document"].id, since=since)
    text = repr(ack["missed"])
    assert "Visible words." in text
    assert HIDDEN_WORDS not in text and REDACTED_WORDS not in text and "Personal data." not in text
    assert "Sam Student" not in text and "@example.org" not in text


def test_moderators_see_names_in_their_own_catch_up(make, scene, socket_client):
    since = join(socket_client(), scene["document"].id)["head"]
    make.comment(scene["student"], scene["clause_ids"][0], body="Visible words.")
    facilitator = make.user(role="facilitator", group="community")
    ack = join(socket_client(token=make.token(facilitator)), scene["document"].id, since=since)
    [created] = [e for e in ack["missed"] if e["action"] == "comment.created"]
    assert created["comment"]["author"]["name"] == "Sam Student"


def test_anonymous_joins_count_against_the_address_limit(app, database_url, scene):
    from collab import create_app
    from collab.extensions import socketio
    from tests.conftest import _config_dict

    limited = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://", "ANONYMOUS_RATE_LIMIT": "3 per minute"})
    reader = socketio.test_client(limited)  # the connect is the first of three
    try:
        assert [join(reader, scene["document"].id)["ok"] for _ in range(2)] == [True, True]
        refused = join(reader, scene["document"].id)
        assert refused["ok"] is False and refused["error"]["code"] == "rate_limited"
        assert not socketio.test_client(limited).is_connected()  # a new connection is refused too
    finally:
        reader.disconnect()


def test_moderators_receive_names_live_while_readers_receive_the_group(client, make, scene, socket_client):
    reader = socket_client()
    facilitator = socket_client(token=make.token(make.user(role="facilitator", group="community")))
    for sock in (reader, facilitator):
        join(sock, scene["document"].id)
        received(sock)
    client.post(f"/api/v1/clauses/{scene['clause_ids'][0]}/comments", json={"body": "Hi.", "kind": "concern"},
                headers=make.bearer(scene["student"]))
    [for_reader] = received(reader, "comment.created")
    [for_facilitator] = received(facilitator, "comment.created")
    assert for_reader["comment"]["author"]["name"] is None
    assert for_facilitator["comment"]["author"]["name"] == "Sam Student"
    assert for_reader["seq"] == for_facilitator["seq"]


def test_the_moderators_copy_of_a_comment_is_made_by_the_service_not_read_again(client, make, scene,
                                                                                  socket_client):
    from tests.api.test_comment_write_cost import statements_issued

    reader = socket_client()
    facilitator = socket_client(token=make.token(make.user(role="facilitator", group="community")))
    for sock in (reader, facilitator):
        join(sock, scene["document"].id)
        received(sock)
    headers = make.bearer(scene["student"])
    with statements_issued() as statements:
        created = client.post(f"/api/v1/clauses/{scene['clause_ids'][0]}/comments",
                              json={"body": "Who decides?", "kind": "question"}, headers=headers)
    assert created.status_code == 201
    # Nothing is read after the commit (the chain head's UPDATE is the last statement): both
    # parts of the room get the comment as the service made it.
    assert len(statements) == 6 and statements[-1].lstrip().upper().startswith("UPDATE CHAIN_HEAD"), \
        "\n".join(statements)
    assert_names_for_moderators_only(received(reader, "comment.created"), received(facilitator, "comment.created"))
    comment_id = created.get_json()["comment"]["id"]
    edited = client.patch(f"/api/v1/comments/{comment_id}", json={"body": "Who decides, and when?"},
                          headers=headers)
    assert edited.status_code == 200
    assert_names_for_moderators_only(received(reader, "comment.edited"), received(facilitator, "comment.edited"))


def assert_names_for_moderators_only(for_readers: list[dict], for_moderators: list[dict]) -> None:
    [for_reader], [for_facilitator] = for_readers, for_moderators
    assert for_reader["comment"]["author"]["name"] is None
    assert for_facilitator["comment"]["author"]["name"] == "Sam Student"
    assert {**for_facilitator["comment"], "author": None} == {**for_reader["comment"], "author": None}
