"""WebSocket frames built once per message (collab/realtime/framing.py), and what a
`comment.created` payload must hold whatever is done to make it cheaper (API.md)."""
import pytest
from wsproto.connection import Connection, ConnectionType
from wsproto.events import TextMessage

from collab.realtime.framing import frame_for, text_frame
from tests.conftest import events_of
from tests.realtime.helpers import join, received
from tests.realtime.test_broadcast import post_comment, scene  # noqa: F401 — the fixture

# API.md, "Live channel": the event object, and the comment as GET lists it.
EVENT_FIELDS = {"seq", "at", "actor", "action", "document_id", "subject", "data", "prev_hash", "hash"}
COMMENT_FIELDS = {"id", "clause_id", "version", "parent_id", "author", "kind", "body", "quote", "suggested_text",
                  "status", "created_at", "seq", "resolution"}


@pytest.mark.parametrize("size", [0, 1, 125, 126, 1205, 65535, 65536, 70001])
def test_a_shared_frame_is_the_frame_wsproto_builds(size):
    message = "é" * (size // 2) + "x" * (size % 2)  # multi-byte characters: the length is in bytes
    assert text_frame(message) == Connection(ConnectionType.SERVER).send(TextMessage(data=message))


def test_one_message_is_framed_once_and_an_equal_new_message_is_framed_again():
    message = "42" + '["comment.created",{"seq":1}]' * 3
    first = frame_for(message)
    assert frame_for(message) is first
    copy = "".join(list(message))  # equal text, another object: never mistaken for the first by id
    assert copy is not message and frame_for(copy) == first


def test_a_comment_created_payload_holds_every_field_the_contract_names(scene, make, client,  # noqa: F811
                                                                          socket_client):
    reader = socket_client(token=make.token(make.user()))
    join(reader, scene.document.id)
    received(reader)
    assert post_comment(client, make, scene.author, scene.clause_ids[0]).status_code == 201

    [payload] = received(reader, "comment.created")
    assert EVENT_FIELDS <= set(payload) and payload["action"] == "comment.created"
    assert COMMENT_FIELDS <= set(payload["comment"])
    assert {"id", "name", "group"} <= set(payload["comment"]["author"])
    assert payload["seq"] == payload["comment"]["seq"] == events_of("comment.created")[-1].seq


def _server_side(offer_deflate: bool):
    """A wsproto server connection after a real handshake, as simple-websocket holds it."""
    from wsproto import WSConnection
    from wsproto.events import AcceptConnection, Request
    from wsproto.extensions import PerMessageDeflate

    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    extensions = [PerMessageDeflate()] if offer_deflate else []
    server.receive_data(client.send(Request(host="localhost", target="/socket.io/", extensions=extensions)))
    request = next(server.events())
    server.send(AcceptConnection(extensions=[PerMessageDeflate()] if request.extensions else []))

    class Held:
        is_server = True
        ws = server

    return Held()


def test_only_a_plain_open_server_connection_takes_the_shared_frames():
    from collab.realtime.framing import plain_open_server

    assert plain_open_server(_server_side(offer_deflate=False))
    assert not plain_open_server(_server_side(offer_deflate=True))  # its frames differ per socket


def test_frames_that_do_not_fit_wait_in_the_outbox_and_go_out_whole_and_in_order():
    """framing.write never waits (a room emit writes to a thousand sockets from one loop):
    what the socket's buffer does not take waits in its outbox, behind nothing else, and
    one flushing greenlet writes it as the reader makes room."""
    import socket

    import gevent
    from gevent import socket as gevent_socket

    from collab.realtime.framing import raw_socket, write

    server_side, client_side = gevent_socket.socketpair()
    server_side.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    client_side.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)

    class Connection:
        connected = True
        sock = server_side

    ws = Connection()
    ws._raw = raw_socket(ws)
    frames = [text_frame(f'42["comment.created",{{"seq":{n}}}]' + "x" * 2000) for n in range(200)]
    try:
        for frame in frames:
            write(ws, frame)  # returns at once, full buffer or not
        assert ws._outbox, "400 kB fit in a 4 kB socket buffer"
        expected, received = b"".join(frames), b""
        while len(received) < len(expected):
            received += client_side.recv(65536)  # waiting here lets the flusher run
        assert received == expected
        gevent.sleep(0)
        assert ws._outbox is None  # drained: the next frame goes straight to the kernel again
        write(ws, frames[0])
        assert ws._outbox is None and client_side.recv(65536) == frames[0]
    finally:
        server_side.close()
        client_side.close()
