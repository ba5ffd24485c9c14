"""WebSocket frames built once per message, not once per socket.

python-socketio encodes a room emit once and hands the same string to every socket's
writer; simple-websocket then asks wsproto to build the frame again for each socket
(~5–8 µs of a ~30 µs delivery, measured). A server's frames are never masked, and with
per-message deflate declined (WithoutMessageCompression) every socket's frame for one
message is the same bytes: this keeps the last few messages' frames and sends those.

Installed on simple_websocket's Server class by init_realtime. Any connection that does not
look like a plain open server connection (an extension negotiated, not open, a library
version whose internals differ) goes through the library's own `send`.
"""
from __future__ import annotations

import struct
import threading

from wsproto.connection import ConnectionState

RECENT = 16  # frames kept: a burst of room emits reuses them; older ones are rebuilt if needed

_frames: dict[int, tuple[str, bytes]] = {}
_lock = threading.Lock()


def text_frame(message: str) -> bytes:
    """One unmasked, final text frame (RFC 6455 §5.2) carrying `message`."""
    payload = message.encode("utf-8")
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


def frame_for(message: str) -> bytes:
    """The frame of `message`, built at most once while it is among the recent ones. Keyed by
    the string object itself (python-socketio passes every recipient the same one)."""
    entry = _frames.get(id(message))
    if entry is not None and entry[0] is message:
        return entry[1]
    frame = text_frame(message)
    with _lock:
        if len(_frames) >= RECENT:
            _frames.pop(next(iter(_frames)))
        _frames[id(message)] = (message, frame)  # the message is kept alive, so its id stays its own
    return frame


def plain_open_server(ws) -> bool:
    """Whether a simple-websocket connection is a server's, open, with no extension (wsproto's
    WSConnection keeps the open connection in `.connection`, its frame protocol in `._proto`)."""
    try:
        connection = ws.ws.connection
        return (ws.is_server and connection is not None and connection.state is ConnectionState.OPEN
                and not connection._proto.extensions)
    except AttributeError:
        return False


def install() -> None:
    """Route simple-websocket servers' text sends through the shared frames (once)."""
    from simple_websocket import ws as simple_ws

    server_class = simple_ws.Server
    if getattr(server_class, "_shared_frames", False):
        return
    library_send = server_class.send

    def send(self, data):
        if isinstance(data, str) and self.connected and plain_open_server(self):
            frame = frame_for(data)
            # One send nearly always takes the whole frame (gevent's sendall first asks the
            # socket its buffer size, every time); the rest, if any, follows in order.
            sent = self.sock.send(frame)
            if sent < len(frame):
                self.sock.sendall(memoryview(frame)[sent:])
        else:
            library_send(self, data)

    server_class.send = send
    server_class._shared_frames = True
