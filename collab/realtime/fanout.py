"""A room emit written straight to each ready WebSocket from the emit's own loop.

python-socketio hands each recipient's packet to engine.io, which puts it on the socket's
queue; the socket's writer greenlet wakes, takes it (a gevent Timeout started and
cancelled per `queue.get`, an Empty exception per batch), and sends it: two greenlet
switches and that bookkeeping per delivery, about half of a delivery's CPU in the
profiles (bench/README.md). Here the emit encodes the packet and its frame once, and
for each recipient whose socket is a plain open WebSocket with nothing queued writes the
frame through the socket's outbox (framing.write, never waits). Everything else goes
through engine.io as before: a socket still queuing earlier packets (so nothing
overtakes them), long-polling or upgrading sockets, a socket whose pong is overdue (its
send closes it, as before), emits with a callback or binary data, the test client's
sockets, and threading mode.

Emits are serialised by one lock and yield to the event loop between chunks of
recipients, so a large room does not hold up HTTP answers and pings for its whole
length, and two emits never interleave (a later event never reaches a socket first).
"""
from __future__ import annotations

import time

from engineio import packet as eio_packet
from socketio import packet as sio_packet

from .framing import frame_for, plain_open_server, raw_socket, write

CHUNK = 200  # recipients written between two yields to the event loop

_emit_lock = None


def _lock():
    global _emit_lock
    if _emit_lock is None:
        from gevent.lock import RLock

        _emit_lock = RLock()  # reentrant: a send that closes a socket may emit presence
    return _emit_lock


def direct_websocket(socket):
    """The simple-websocket connection an engine.io socket writes to directly, or None."""
    return socket.__dict__.get("direct_websocket")


def ready(socket, ws, now: float) -> bool:
    """Whether a frame may go to this socket now without passing anything engine.io holds
    for it and without skipping the checks engine.io's `send` makes."""
    return (socket.upgraded and not socket.upgrading and not socket.closing and not socket.closed
            and ws.connected and not socket.queue.qsize()
            and not (socket.last_ping and now - socket.last_ping > socket.server.ping_timeout))


def emit(manager, library_emit, event, data, namespace, room=None, skip_sid=None, callback=None, **kwargs):
    server = manager.server
    eio = server.eio
    if callback or eio.async_mode != "gevent" or namespace not in manager.rooms:
        return library_emit(manager, event, data, namespace, room=room, skip_sid=skip_sid, callback=callback,
                            **kwargs)
    room = kwargs.pop("to", None) or room
    arguments = list(data) if isinstance(data, tuple) else [] if data is None else [data]
    encoded = server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event] + arguments).encode()
    if isinstance(encoded, list):  # binary attachments: several packets, engine.io's path
        return library_emit(manager, event, data, namespace, room=room, skip_sid=skip_sid, **kwargs)
    skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
    packet = eio_packet.Packet(eio_packet.MESSAGE, encoded)
    frame = frame_for(packet.encode())
    recipients = [eio_sid for sid, eio_sid in manager.get_participants(namespace, room) if sid not in skip]
    sockets = eio.sockets
    with _lock():
        now = time.time()
        for index, eio_sid in enumerate(recipients):
            if index and not index % CHUNK:
                eio.sleep(0)  # let HTTP answers, pings and reads in; the lock keeps the order
                now = time.time()
            socket = sockets.get(eio_sid)
            ws = direct_websocket(socket) if socket is not None else None
            if ws is not None and ready(socket, ws, now):
                try:
                    write(ws, frame)
                    continue
                except OSError:
                    pass  # engine.io's writer meets the error too and closes the socket
            server._send_eio_packet(eio_sid, packet)


def install() -> None:
    """Patch python-socketio's Manager (the Redis manager's listener emits through it too)
    and engine.io's WebSocket handler (once)."""
    from engineio.socket import Socket
    from simple_websocket import Server as WebSocketServer
    from socketio.manager import Manager

    if getattr(Manager, "_direct_fanout", False):
        return
    library_emit, library_handler = Manager.emit, Socket._websocket_handler

    def manager_emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, **kwargs):
        return emit(self, library_emit, event, data, namespace, room=room, skip_sid=skip_sid, callback=callback,
                    **kwargs)

    def websocket_handler(self, ws):
        connection = getattr(ws, "ws", None)
        if (isinstance(connection, WebSocketServer) and plain_open_server(connection)
                and raw_socket(connection) is not None):
            connection._raw = raw_socket(connection)
            self.direct_websocket = connection
        try:
            return library_handler(self, ws)
        finally:
            self.direct_websocket = None

    Manager.emit, Socket._websocket_handler = manager_emit, websocket_handler
    Manager._direct_fanout = True
