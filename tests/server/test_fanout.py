"""A room emit on a real server (gevent): written straight to each ready WebSocket
(collab/realtime/fanout.py), through engine.io's queue for long-polling sockets; either
way every reader gets every comment once, in seq order, and a reader that stops reading
for a while gets them all, in order, when it reads again."""
import json
import uuid

import pytest

from tests.server.conftest import FAMILY, OBSERVER
from tests.server.test_transport import _handshake, _read_frame, _send_text

pytestmark = pytest.mark.server

COMMENTS = 25
SLOW_READER_COMMENTS = 330  # x 10 kB: more than the kernel's buffers hold


def _post(site, clause_id: int, body: str) -> dict:
    response = site.api("POST", f"/clauses/{clause_id}/comments", FAMILY, json={"body": body, "kind": "concern"})
    assert response.status_code == 201, response.text
    return response.json()["comment"]


def test_websocket_and_long_polling_readers_get_every_comment_once_in_seq_order(sqlite_site, listeners):
    site = sqlite_site
    readers = [listeners(site.url(), token=site.token(OBSERVER), transports=["websocket"]),
               listeners(site.url(), token=site.token(OBSERVER), transports=["polling"])]
    for reader in readers:
        assert reader.call("join", {"document_id": site.document_id})["ok"] is True
    clause_id = site.clause_ids()[0]
    run = uuid.uuid4().hex[:8]

    posted = [_post(site, clause_id, f"Fan-out order {run} #{n}")["seq"] for n in range(COMMENTS)]

    for reader in readers:
        ours = reader.wait_for(lambda events: (lambda seqs: seqs if len(seqs) >= COMMENTS else None)(
            [p["seq"] for name, p in events if name == "comment.created" and run in p["comment"]["body"]]))
        assert ours == posted  # each once, in the order they were stored


def test_a_reader_that_stops_reading_gets_every_frame_in_order_when_it_reads_again(sqlite_site):
    site = sqlite_site
    sock, answer = _handshake(site.url(), None, receive_buffer=4096)
    try:
        assert answer.startswith("HTTP/1.1 101")
        _read_frame(sock)  # Engine.IO open
        _send_text(sock, "40" + json.dumps({"token": site.token(OBSERVER)}))
        _read_frame(sock)  # Socket.IO connect
        _send_text(sock, "420" + json.dumps(["join", {"document_id": site.document_id}]))
        while not _read_frame(sock)[1].startswith("430"):
            pass
        clause_id = site.clause_ids()[0]
        run = uuid.uuid4().hex[:8]
        # Long comments, not read meanwhile: past the ~2.8 MB the kernel buffers on loopback for
        # a reader that holds 4 kB, the rest waits in the socket's outbox while more arrive.
        posted = [_post(site, clause_id, f"Slow reader {run} #{n} " + "x" * 9900)["seq"]
                  for n in range(SLOW_READER_COMMENTS)]

        delivered = []
        while len(delivered) < SLOW_READER_COMMENTS:
            first, message = _read_frame(sock)
            assert first == 0x81
            if message.startswith("42") and run in message:
                event, payload = json.loads(message[2:])
                assert event == "comment.created"
                delivered.append(payload["seq"])
        assert delivered == posted
    finally:
        sock.close()
