"""Real server processes (python app.py, gevent) for what the test client cannot show:
the Origin check, the real transports, and several processes sharing Redis and PostgreSQL."""
from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import socketio

from tests.conftest import POSTGRES_URL, REDIS_URL, skip_or_fail
from tests.live_server import demo_database, flask_command, start_server

DEMO_PASSWORD = "common-ground-demo"
ADMIN = "admin@demo.commonground.example"
FAMILY = "family@demo.commonground.example"
STUDENT = "student@demo.commonground.example"
EDUCATOR = "educator@demo.commonground.example"
OBSERVER = "press@demo.commonground.example"
SCHEMA = "live_servers"
WAIT = 10.0  # seconds any single expectation may take before the test fails

# The servers never rate-limit the tests' own sign-ins and comments.
GENEROUS_LIMITS = {"SIGN_IN_RATE_LIMIT": "1000 per minute", "COMMENT_RATE_LIMIT": "1000 per minute"}


class Site:
    """One or more server processes sharing one database, and the demo loaded into it."""

    def __init__(self, servers, document_id: int):
        self.servers = servers
        self.document_id = document_id
        self._tokens: dict[str, str] = {}

    def url(self, index: int = 0) -> str:
        return self.servers[index].url

    def token(self, email: str) -> str:
        if email not in self._tokens:
            response = requests.post(f"{self.url()}/api/v1/auth/tokens",
                                     json={"email": email, "password": DEMO_PASSWORD}, timeout=WAIT)
            response.raise_for_status()
            self._tokens[email] = response.json()["token"]
        return self._tokens[email]

    def fresh_token(self, email: str, password: str = DEMO_PASSWORD) -> str:
        response = requests.post(f"{self.url()}/api/v1/auth/tokens",
                                 json={"email": email, "password": password}, timeout=WAIT)
        response.raise_for_status()
        return response.json()["token"]

    def api(self, method: str, path: str, email: str, index: int = 0, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token(email)}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url(index)}/api/v1{path}", headers=headers, timeout=WAIT,
                                **kwargs)

    def clause_ids(self) -> list[int]:
        document = self.api("GET", f"/documents/{self.document_id}", ADMIN).json()["document"]
        return [clause["id"] for clause in document["clauses"]]

    def user_id(self, email: str) -> int:
        return self.api("GET", "/me", email).json()["user"]["id"]


class Listener:
    """A python-socketio client that records every event it receives."""

    def __init__(self, url: str, token: str | None = None, headers: dict | None = None,
                 transports: list[str] | None = None):
        headers = dict(headers or {})
        transports = transports or ["websocket"]
        websocket_options = {}
        if "Origin" in headers and transports == ["websocket"]:
            # websocket-client writes its own Origin header unless told which one to send.
            websocket_options["origin"] = headers.pop("Origin")
        self.client = socketio.Client(reconnection=False, websocket_extra_options=websocket_options)
        self.events: list[tuple[str, dict]] = []
        self.disconnected = threading.Event()
        self._changed = threading.Condition()

        @self.client.on("*")
        def _any(name, payload=None):
            with self._changed:
                self.events.append((name, payload))
                self._changed.notify_all()

        @self.client.event
        def disconnect(*_reason):
            self.disconnected.set()

        self.client.connect(url, auth={"token": token} if token else None, headers=headers,
                            transports=transports, wait_timeout=WAIT)

    def call(self, event: str, data: dict) -> dict:
        return self.client.call(event, data, timeout=WAIT)

    def of(self, name: str) -> list[dict]:
        with self._changed:
            return [payload for event, payload in self.events if event == name]

    def wait_for(self, predicate, timeout: float = WAIT):
        """Wait until predicate(events) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate(self.events)
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; received {self.events!r}")
                self._changed.wait(remaining)

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()
        self.client.shutdown()


@pytest.fixture
def listeners():
    opened: list[Listener] = []

    def _open(*args, **kwargs) -> Listener:
        listener = Listener(*args, **kwargs)
        opened.append(listener)
        return listener

    yield _open
    # Each close waits for its server to end the WebSocket: close them side by side.
    closing = [threading.Thread(target=listener.close, daemon=True) for listener in opened]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join(WAIT)


def _demo(env: dict) -> int:
    """Migrate the site's database and load the demo (a SQLite one is copied from the run's
    template); the demo document's id."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        printed = demo_database(Path(url.removeprefix("sqlite:///")))[1]
    else:
        flask_command(["db", "upgrade"], env)
        printed = flask_command(["demo", "--password", DEMO_PASSWORD], env).stdout
    return int(printed.split("(document ", 1)[1].split(")", 1)[0])


def _stop_all(servers) -> None:
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    """One server on a fresh SQLite file, as `make demo` runs it."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.sqlite3'}",
           "SECRET_KEY": secrets.token_hex(16), "SOCKETIO_MESSAGE_QUEUE": "", **GENEROUS_LIMITS}
    document_id = _demo(env)
    server = start_server(env)
    yield Site([server], document_id)
    server.stop()


def _schema_url(url: str, schema: str) -> str:
    """The PostgreSQL URL with its search_path set to `schema`, so the servers' tables
    stay apart from the tables the other tests reset in the same database."""
    parts = urlsplit(url)
    query = (parts.query + "&" if parts.query else "") + f"options=-csearch_path%3D{schema}"
    return urlunsplit(parts._replace(query=query))


@pytest.fixture(scope="module")
def two_process_site():
    """Two server processes sharing PostgreSQL (schema live_servers of the test
    database, emptied first) and Redis (the test database number, flushed first)."""
    import redis
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.__class__.__name__}")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except Exception as error:  # noqa: BLE001
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}: {error.__class__.__name__}")
    env = {"DATABASE_URL": _schema_url(POSTGRES_URL, SCHEMA), "SECRET_KEY": secrets.token_hex(16),
           "SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "RATELIMIT_STORAGE_URI": REDIS_URL, **GENEROUS_LIMITS}
    document_id = _demo(env)
    servers = []
    try:
        # One process each (with Redis the default is one per core): two servers, two processes.
        servers.append(start_server(env, args=("--workers", "1")))
        servers.append(start_server(env, args=("--workers", "1")))
        yield Site(servers, document_id)
    finally:
        _stop_all(servers)
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()
