"""Faults answer 503, not 500 (issue 11, item 4): the database down or its connections
dropped, Redis down under the rate limits and the live channel. The server recovers by
itself once the database is back."""
import logging
import socket
import threading

import pytest

from collab import create_app
from tests.api.helpers import assert_error
from tests.conftest import IsolatedClient
from tests.conftest import PASSWORD, POSTGRES_URL, _config_dict

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TcpRelay:
    """Forwards 127.0.0.1:<port> to a server; stop() drops every connection and refuses new
    ones (the database going away), start() serves again on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = _closed_port()
        self._listener = None
        self._sockets: list[socket.socket] = []

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()

    def stop(self) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked in the other thread
        self._listener.close()
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass
        self._sockets = []


@pytest.fixture(autouse=True)
def _loggers_enabled(monkeypatch):
    # Alembic's fileConfig (the migrations run by the fixtures) disables the loggers that
    # existed before it; these tests read what the app logs.
    for name in ("collab", "collab.rate_limits", "collab.http", "collab.realtime", "collab.realtime.registry",
                 "flask-limiter"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)


def _app(url: str, **settings):
    built = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": url, **settings})
    built.test_client_class = IsolatedClient
    return built


def test_database_unreachable_is_a_503_with_retry_after_for_the_api_and_the_pages():
    dead = _app(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nowhere")
    client = dead.test_client()
    for response in (client.get("/api/v1/documents", headers={"Authorization": "Bearer abc"}),
                     client.post("/api/v1/auth/tokens", json={"email": "a@example.org", "password": "x" * 12}),
                     client.post("/api/v1/clauses/1/comments", json={"body": "Hi", "kind": "concern"},
                                 headers={"Authorization": "Bearer abc"})):
        error = assert_error(response, 503, "unavailable")
        assert "try again" in error["message"]
        assert int(response.headers["Retry-After"]) > 0
    from collab.auth import SESSION_KEY

    with client.session_transaction() as session:
        session[SESSION_KEY] = "a-session-secret"
    page = client.get("/documents")
    assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0
    assert page.content_type.startswith("text/html")
    assert "The database cannot be reached just now" in page.get_data(as_text=True)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_server_answers_503_while_the_database_is_gone_and_recovers_by_itself(database_url, make, app):
    from sqlalchemy.engine import make_url

    user = make.user()
    token = make.token(user)
    target = make_url(POSTGRES_URL)
    relay = TcpRelay(target.host or "127.0.0.1", target.port or 5432)
    relay.start()
    relayed = _app(target.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False))
    client = relayed.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    relay.stop()  # every pooled connection is cut, and no new one can be made
    assert_error(client.get("/api/v1/me", headers=headers), 503, "unavailable")
    assert client.get("/documents", headers=headers).status_code == 503
    relay.start()
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # no restart needed
    relay.stop()
    with relayed.app_context():
        from collab.extensions import db

        db.engine.dispose()


@pytest.fixture
def limiter_revived():
    """Flask-Limiter keeps "the storage is dead" on its one shared object: the next test's app
    would count in its fallback memory (a timer thread per hit) unless that is undone."""
    from collab.extensions import limiter

    yield
    limiter._storage_dead = False


def test_comments_and_sign_ins_still_work_while_the_rate_limit_storage_is_down(database_url, make, caplog,
                                                                                limiter_revived):
    document = make.document()
    make.open_period(document)
    clause_id = make.clause_ids(document)[0]
    user = make.user()
    limited = _app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=CLOSED_PORT_REDIS,
                   COMMENT_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    headers = {"Authorization": f"Bearer {make.token(user)}"}
    path = f"/api/v1/clauses/{clause_id}/comments"
    with caplog.at_level(logging.WARNING):
        assert client.post(path, json={"body": "One.", "kind": "concern"}, headers=headers).status_code == 201
        assert client.post(path, json={"body": "Two.", "kind": "concern"}, headers=headers).status_code == 201
        # The limit still holds, counted in this process meanwhile.
        assert_error(client.post(path, json={"body": "Three.", "kind": "concern"}, headers=headers),
                     429, "rate_limited")
        assert client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD}).status_code == 201
    assert any("storage unreachable" in record.getMessage().lower() for record in caplog.records), caplog.text


def test_the_live_registry_serves_this_process_while_redis_is_down_and_shares_again_after(caplog):
    import redis
    from urllib.parse import urlsplit

    from collab.realtime.registry import Connection, RedisRegistry
    from tests.conftest import REDIS_URL

    parts = urlsplit(REDIS_URL)
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except redis.RedisError as error:
        from tests.conftest import skip_or_fail

        skip_or_fail(f"Redis is not reachable at {REDIS_URL}: {error.__class__.__name__}")
    relay = TcpRelay(parts.hostname, parts.port or 6379)
    relay.start()
    url = f"redis://127.0.0.1:{relay.port}{parts.path}"
    registry = RedisRegistry(url, start_background_task=lambda task: None)
    other_process = RedisRegistry(REDIS_URL, start_background_task=lambda task: None)
    ana = Connection(sid="s1", user_id=1, name="Ana", group="families", credential_id=11)
    registry.add(ana)
    registry.join("s1", 7)
    assert [p["name"] for p in other_process.presence(7)] == ["Ana"]
    relay.stop()
    with caplog.at_level(logging.WARNING):
        ben = Connection(sid="s2", user_id=2, name="Ben", group="district", credential_id=12)
        registry.add(ben)  # neither refused nor lost
        registry.join("s2", 7)
        assert [p["name"] for p in registry.presence(7)] == ["Ana", "Ben"]
        assert registry.sids_where(user_id=2) == ["s2"]
        registry.leave("s1", 7)
        assert [p["name"] for p in registry.presence(7)] == ["Ben"]
    assert sum("Redis unreachable" in r.getMessage() for r in caplog.records) == 1  # once per outage
    relay.start()
    registry._beat()
    registry._write_back()  # what the heartbeat does once Redis answers again
    assert [p["name"] for p in other_process.presence(7)] == ["Ben"]
    assert other_process.sids_where(user_id=2) == ["s2"]
    relay.stop()
    registry._redis.close()
    other_process._redis.close()
