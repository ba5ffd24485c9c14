"""WebSocket frames built once per message, not once per socket.

python-socketio encodes a room emit once and hands the same string to every socket's
writer; simple-websocket then asks wsproto to build the frame again for each socket
(~5–8 µs of a ~30 µs delivery, measured). A server's frames are never masked, and with
per-message deflate declined (WithoutMessageCompression) every socket's frame for one
message is the same bytes: this keeps the last few messages' frames and sends those.

Installed on simple_websocket's Server class by init_realtime. Any connection that does not
look like a plain open server connection (an extension negotiated, not open, a library
version whose internals differ) goes through the library's own `send`.

On gevent every frame to a socket goes through its outbox (`write`): written at once when
the socket's buffer takes it, which never yields, else kept in order behind what waits and
written by one flushing greenlet. So a sender is never parked in the middle of a frame, and
a room emit (fanout.py) can write to each ready socket from its own loop: whatever was
written before, by the emit or by engine.io's writer, is either in the kernel or ahead in
the same outbox.
"""
from __future__ import annotations

import struct
import threading
from collections import deque

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


def raw_socket(ws):
    """The non-blocking socket under a gevent socket (its `send` raises BlockingIOError
    instead of waiting), or None for a blocking socket (threading mode)."""
    sock = ws.sock
    if hasattr(sock, "_write_event") and hasattr(sock, "_sock"):
        return sock._sock
    return None


def write(ws, frame: bytes) -> None:
    """Send a whole frame on a gevent WebSocket without waiting: into the kernel's buffer
    if nothing waits before it and it fits, else behind the waiting frames. Raises OSError
    if the connection is broken (the caller's path closes it, as a failed send did)."""
    pending = ws.__dict__.get("_outbox")
    if pending is not None:
        pending.append(frame)
        return
    try:
        sent = ws.__dict__["_raw"].send(frame)
    except BlockingIOError:
        sent = 0
    if sent < len(frame):
        ws._outbox = deque([memoryview(frame)[sent:] if sent else frame])
        import gevent

        ws._flusher = gevent.spawn(_flush, ws)


def _flush(ws) -> None:
    """Write what waits in a socket's outbox, in order, as the reader makes room; frames
    added meanwhile go out in the same loop. A broken connection drops them: its reading
    greenlet sees the connection end and engine.io closes the socket."""
    pending = ws._outbox
    try:
        while pending:
            data = pending[0] if len(pending) == 1 else b"".join(pending)
            count = len(pending)
            ws.sock.sendall(data)
            for _ in range(count):
                pending.popleft()
    except OSError:
        pending.clear()
    finally:
        ws._outbox = None  # nothing waits: the next frame may go straight to the kernel
        ws._flusher = None


def install() -> None:
    """Route simple-websocket servers' text sends through the shared frames (once)."""
    from simple_websocket import ws as simple_ws

    server_class = simple_ws.Server
    if getattr(server_class, "_shared_frames", False):
        return
    library_send, library_close = server_class.send, server_class.close

    def send(self, data):
        if isinstance(data, str) and self.connected and plain_open_server(self):
            frame = frame_for(data)
            if "_raw" not in self.__dict__:
                self._raw = raw_socket(self)
            if self._raw is not None:
                write(self, frame)
                return
            # Blocking socket: one send nearly always takes the whole frame (gevent's sendall
            # asks the socket's buffer size on every call); the rest follows in order.
            sent = self.sock.send(frame)
            if sent < len(frame):
                self.sock.sendall(memoryview(frame)[sent:])
        else:
            flush_outbox(self)
            library_send(self, data)

    def close(self, reason=None, message=None):
        flush_outbox(self)  # the close frame goes after every frame sent before it
        library_close(self, reason, message)

    server_class.send, server_class.close = send, close
    server_class._shared_frames = True


def flush_outbox(ws, timeout: float = 10) -> None:
    """Wait until a socket's outbox is written (for a frame that does not go through it)."""
    import gevent

    flusher = ws.__dict__.get("_flusher")
    if flusher is not None and flusher is not gevent.getcurrent():
        flusher.join(timeout)
