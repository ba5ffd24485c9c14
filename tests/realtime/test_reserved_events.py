"""A client cannot play the server's lifecycle events (issue 11, item 7): an emitted
`disconnect` does not drop it from presence while it keeps watching, and an emitted
`connect` neither runs the connect handler again nor writes a traceback."""
import logging

import pytest

from tests.realtime.helpers import join, presence_ids, received


@pytest.fixture
def document(make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    return document


def test_an_emitted_disconnect_is_refused_and_the_socket_stays_present(document, make, client, socket_client,
                                                                        caplog):
    watcher_user = make.user(name="Priya Raman")
    sneaky_user = make.user(name="Sam Quiet")
    watcher = socket_client(token=make.token(watcher_user))
    join(watcher, document.id)
    sneaky = socket_client(token=make.token(sneaky_user))
    join(sneaky, document.id)
    received(watcher)
    received(sneaky)

    with caplog.at_level(logging.INFO):
        ack = sneaky.emit("disconnect", {"document_id": document.id}, callback=True)

    assert ack == {"ok": False, "error": {"code": "reserved_event", "message": "'disconnect' is a reserved event name."}}
    assert sneaky.is_connected()
    assert received(watcher, "presence") == []  # nobody was told the socket left
    assert presence_ids(join(watcher, document.id)) == [watcher_user.id, sneaky_user.id]
    response = client.post(f"/api/v1/clauses/{make.clause_ids(document)[0]}/comments",
                           json={"body": "Still delivered.", "kind": "concern"}, headers=make.bearer(make.user()))
    assert response.status_code == 201
    assert [c["comment"]["body"] for c in received(sneaky, "comment.created")] == ["Still delivered."]
    [record] = [r for r in caplog.records if r.name.startswith("collab")]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "reserved event name 'disconnect'" in record.getMessage()


def test_an_emitted_connect_is_refused_in_one_log_line_without_the_payload(document, make, socket_client, caplog):
    sock = socket_client(token=make.token(make.user()))
    with caplog.at_level(logging.INFO):
        ack = sock.emit("connect", {"token": "secret-looking-payload"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "reserved_event"
    assert sock.is_connected()
    assert join(sock, document.id)["ok"] is True
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1 and records[0].exc_info is None
    assert "secret-looking-payload" not in caplog.text and "Traceback" not in caplog.text


def test_a_real_disconnect_still_leaves_presence(document, make, socket_client):
    watcher_user = make.user(name="Priya Raman")
    leaver_user = make.user(name="Lee Leaving")
    watcher = socket_client(token=make.token(watcher_user))
    join(watcher, document.id)
    leaver = socket_client(token=make.token(leaver_user))
    join(leaver, document.id)
    received(watcher)
    leaver.disconnect()
    assert [presence_ids(p) for p in received(watcher, "presence")] == [[watcher_user.id]]
