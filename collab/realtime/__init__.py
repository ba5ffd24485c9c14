"""The live channel: Socket.IO on the default namespace (see API.md)."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask

from ..extensions import socketio
from . import state
from .registry import MemoryRegistry, RedisRegistry

log = logging.getLogger(__name__)


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


class OriginCheck:
    """Which browser origins may open the live channel: the site's own, and those named in
    SOCKETIO_ALLOWED_ORIGINS. The site's own is read from the Host header and the server's
    scheme; X-Forwarded-Host and -Proto count only behind PROXY_COUNT trusted proxies, and
    then only the value the nearest of them appended (as ProxyFix reads them). Engine.IO's
    default check believes any X-Forwarded-Host, which anyone can send."""

    def __init__(self, allowed: list[str], proxy_count: int) -> None:
        self.allowed = set(allowed)
        self.proxy_count = proxy_count

    def own_origin(self, environ: dict) -> str | None:
        host, scheme = environ.get("HTTP_HOST"), environ.get("wsgi.url_scheme", "http")
        if self.proxy_count:
            host = self._forwarded(environ.get("HTTP_X_FORWARDED_HOST")) or host
            scheme = self._forwarded(environ.get("HTTP_X_FORWARDED_PROTO")) or scheme
        return f"{scheme}://{host}" if host else None

    def _forwarded(self, header: str | None) -> str | None:
        values = [v.strip() for v in (header or "").split(",") if v.strip()]
        return values[-self.proxy_count] if len(values) >= self.proxy_count else None

    def __call__(self, origin: str | None, environ: dict) -> bool:
        return origin is not None and (origin in self.allowed or origin == self.own_origin(environ))


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
    # Presence broadcasts wait this long so that a burst of joins shares one (0: at once).
    app.config.setdefault("PRESENCE_DEBOUNCE_SECONDS", 0.3)
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE") or choose_async_mode(),
        message_queue=queue,
        channel=queue_channel(queue),
        cors_allowed_origins=OriginCheck(app.config.get("SOCKETIO_ALLOWED_ORIGINS") or [],
                                         app.config.get("PROXY_COUNT") or 0),
        # The handlers read the cookie session only at connect and keep the socket's
        # credential in its environ. (Flask-SocketIO 5.5's managed session cannot be
        # installed on Flask >= 3.1.3 request contexts.)
        manage_session=False,
        logger=False,
        engineio_logger=False,
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
    )
    state.registry = RedisRegistry(queue, socketio.start_background_task) if queue else MemoryRegistry()
    app.wsgi_app = WithoutMessageCompression(app.wsgi_app)
    from .framing import install as share_frames

    share_frames()  # one WebSocket frame per message, not per socket (framing.py)
    from .fanout import install as write_room_emits_directly

    write_room_emits_directly()  # a room emit writes to each ready WebSocket itself (fanout.py)
    from ..events import subscribe
    from .broadcast import deliver
    from .meetings import LiveNamespace

    # Committed events and notices reach the rooms through this subscription (once per app).
    subscribe(deliver, app)

    # Registered per app on the server init_app just built, so every app
    # (every test) gets its handlers. LiveNamespace adds the meeting handlers
    # to the document handlers (DocumentNamespace).
    socketio.on_namespace(LiveNamespace("/"))
