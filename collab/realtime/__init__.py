"""The live channel: Socket.IO on the default namespace (see API.md)."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask

from ..extensions import socketio
from .registry import MemoryRegistry, RedisRegistry

log = logging.getLogger(__name__)

registry: MemoryRegistry | RedisRegistry = MemoryRegistry()


def choose_async_mode() -> str:
    """gevent when the server process has patched the standard library (app.py does), else threads."""
    try:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            return "gevent"
    except ImportError:
        pass
    return "threading"


def queue_channel(queue_url: str | None) -> str:
    """The pub/sub channel of the message queue. Redis pub/sub ignores the database
    number, so the channel names it: deployments (or test runs) that share one Redis
    on different database numbers then never receive each other's events."""
    if not queue_url:
        return "flask-socketio"
    database = urlsplit(queue_url).path.strip("/") or "0"
    return f"common-ground-{database}"


class WithoutMessageCompression:
    """Declines the WebSocket per-message deflate that browsers offer.

    simple-websocket accepts it whenever a client asks, and then compresses every message
    for every client on its own: measured on our payloads, 8 µs a delivery became 31 µs
    (136 µs for a connection's first message), plus a compressor's memory per socket. A
    comment goes to everyone in the room, so that cost is multiplied by the room's size."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if "HTTP_SEC_WEBSOCKET_EXTENSIONS" in environ and environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            del environ["HTTP_SEC_WEBSOCKET_EXTENSIONS"]
        return self.wsgi_app(environ, start_response)


def init_realtime(app: Flask) -> None:
    global registry
    # Presence broadcasts wait this long so that a burst of joins shares one (0: at once).
    app.config.setdefault("PRESENCE_DEBOUNCE_SECONDS", 0.3)
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    allowed = list(app.config.get("SOCKETIO_ALLOWED_ORIGINS") or [])
    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE") or choose_async_mode(),
        message_queue=queue,
        channel=queue_channel(queue),
        # None: only the site's own origin; more may be named in SOCKETIO_ALLOWED_ORIGINS.
        cors_allowed_origins=allowed or None,
        # The handlers read the cookie session only at connect and keep the socket's
        # credential in its environ. (Flask-SocketIO 5.5's managed session cannot be
        # installed on Flask >= 3.1.3 request contexts.)
        manage_session=False,
        logger=False,
        engineio_logger=False,
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
    )
    registry = RedisRegistry(queue, socketio.start_background_task) if queue else MemoryRegistry()
    app.wsgi_app = WithoutMessageCompression(app.wsgi_app)
    from .. import events
    from .handlers import payload_with_names
    from .meetings import LiveNamespace

    events.names_payload = payload_with_names

    # Registered per app on the server init_app just built, so every app
    # (every test) gets its handlers. LiveNamespace adds the meeting handlers
    # to the document handlers (DocumentNamespace).
    socketio.on_namespace(LiveNamespace("/"))


def disconnect_sockets(user_id: int | None = None, credential_id: int | None = None) -> None:
    """Close open sockets of a user or of one credential, on whichever process holds them."""
    for sid in registry.sids_where(user_id=user_id, credential_id=credential_id):
        try:
            socketio.server.disconnect(sid, namespace="/")
        except Exception:  # noqa: BLE001
            log.exception("could not disconnect socket %s", sid)


def meeting_started(meeting_id: int) -> None:
    from .meetings import meeting_started as _started

    _started(meeting_id)


def silent_round_progress(document_id: int, meeting_id: int, round_id: int) -> None:
    from .meetings import silent_round_progress as _progress

    _progress(document_id, meeting_id, round_id)
