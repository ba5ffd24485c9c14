"""Fixtures shared by every test: an app on a migrated database (SQLite by default;
PostgreSQL where a test asks for `any_database`), clients signed in by token or
cookie, Socket.IO test clients, and small factories.

Most tests run inside one database transaction that is rolled back at their end, on
an app built once per database: that is what keeps the suite fast. A test whose
writes must really commit (it starts threads, server processes, or other apps or
connections on the database) gets a fresh database and app of its own instead: it is
marked `real_commits`, or asks for `database_url` itself, or is a `server` or
`browser` test."""
from __future__ import annotations

import os
import shutil
from datetime import timedelta

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import ColumnProperty, scoped_session, sessionmaker

from collab import create_app
from collab.i18n import compile_catalogues
from collab.config import TestConfig
from collab.extensions import db, socketio

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("DATABASE_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "correct horse battery"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


compile_catalogues()  # `make install` compiles them; a bare `pytest` after editing a .po must not test stale ones


def skip_or_fail(reason: str) -> None:
    """Outside CI a missing service skips a test; in CI it is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _config_dict() -> dict:
    return {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()} | {
        "ARGON2_PARAMETERS": CHEAP_ARGON2, "PRESENCE_DEBOUNCE_SECONDS": 0}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def postgres_snapshot():
    """Migrate the PostgreSQL test database once; remember the rows the migrations seed."""
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # noqa: BLE001
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.__class__.__name__}")
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    _migrate(POSTGRES_URL)
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as connection:
        seeded = {t: [dict(r._mapping) for r in connection.execute(text(f'SELECT * FROM "{t}"'))] for t in tables}
    yield engine, tables, seeded
    engine.dispose()


def _reset_postgres(snapshot) -> None:
    engine, tables, seeded = snapshot
    with engine.begin() as connection:
        # The event log refuses TRUNCATE (an append-only trigger); replica mode, for this
        # test-reset transaction only, lets the fixture empty it.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        for table, rows in seeded.items():
            for row in rows:
                columns = ", ".join(f'"{c}"' for c in row)
                values = ", ".join(f":{c}" for c in row)
                connection.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({values})'), row)
        for table in [t for t, rows in seeded.items() if rows and "id" in rows[0]]:
            # Keep serial ids past the seeded rows.
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false) "
                f"WHERE pg_get_serial_sequence('\"{table}\"', 'id') IS NOT NULL"))


class IsolatedClient(FlaskClient):
    """Runs each request in an app context of its own, as a server does.

    The `app` fixture keeps one app context open for the whole test, and Flask would
    reuse it for test requests: `g` (where Flask-Login caches the user, and Flask-WTF
    the CSRF token) and the database session would then outlive a request and answer
    for the next one, hiding a revoked token or a deactivated user."""

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()  # the request sees what the test wrote
        # buffered: a streamed answer is read to its end inside the request's own context.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            # The test sees what the request wrote: a fresh snapshot, and its objects reloaded.
            db.session.commit()
            _reload_on_next_use(db.session)
        return response


def _reload_on_next_use(session) -> None:
    """Expire every loaded object but its primary key, which cannot change: reading an
    object's id (to build a URL, say) then costs no query."""
    for instance in list(session.identity_map.values()):
        mapper = inspect(instance).mapper
        session.expire(instance, [prop.key for prop in mapper.attrs
                                  if not (isinstance(prop, ColumnProperty)
                                          and all(column.primary_key for column in prop.columns))])


def commits_for_real(item: pytest.Item) -> bool:
    """Whether the test needs a database whose commits other connections see."""
    if any(item.get_closest_marker(name) for name in ("real_commits", "server", "browser")):
        return True
    # Asking for `database_url` (itself, or through a fixture other than `app`) means
    # building another app or a server process on the database.
    info = item._fixtureinfo
    if "database_url" in info.argnames:
        return True
    return any("database_url" in definition.argnames
               for name in info.names_closure if name not in ("app", "database_url")
               for definition in info.name2fixturedefs.get(name, ()))


# The Socket.IO servers built along with the shared apps (see _SharedDatabase.app).
_shared_socket_servers: set = set()


class _SharedDatabase:
    """One migrated database and one app on it, shared by the tests that roll back."""

    def __init__(self, url: str, reset=None):
        self.url = url
        self._reset = reset
        self.dirty = False  # a test of the real_commits kind committed to it since the last reset
        self._app = None

    def app(self):
        if self.dirty:
            self._reset()
            self.dirty = False
        # Every create_app binds the extensions (Socket.IO server, rate limiter, live
        # registry) to the app it builds. The shared apps differ only in their database,
        # so either binding serves both; after a test built an app of other settings,
        # build this one again.
        if self._app is None or socketio.server not in _shared_socket_servers:
            self.close()
            self._app = _build_app(self.url)
            _shared_socket_servers.add(socketio.server)
        return self._app

    def close(self) -> None:
        if self._app is not None:
            with self._app.app_context():
                db.engine.dispose()
            self._app = None


@pytest.fixture(scope="session")
def shared_sqlite(sqlite_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("shared") / "shared.sqlite3"
    shutil.copyfile(sqlite_template, path)
    shared = _SharedDatabase(f"sqlite:///{path}")
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def shared_postgres(postgres_snapshot):
    shared = _SharedDatabase(POSTGRES_URL, reset=lambda: _reset_postgres(postgres_snapshot))
    yield shared
    shared.close()


@pytest.fixture
def database_url(request, tmp_path, sqlite_template) -> str:
    """SQLite unless the test is parametrised through `any_database`. For a test of the
    real_commits kind a fresh copy of the migrated database, else the shared one."""
    kind = getattr(request, "param", "sqlite")
    if not commits_for_real(request.node):
        return request.getfixturevalue(f"shared_{'postgres' if kind == 'postgresql' else 'sqlite'}").url
    if kind == "postgresql":
        _reset_postgres(request.getfixturevalue("postgres_snapshot"))
        request.getfixturevalue("shared_postgres").dirty = True
        return POSTGRES_URL
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


any_database = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _build_app(url: str):
    app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = IsolatedClient
    return app


class _SessionOnTestConnection(FlaskSession):
    """Flask-SQLAlchemy's session, sending every statement through the test's connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def app(request, database_url):
    if commits_for_real(request.node):
        app = _build_app(database_url)
        ctx = app.app_context()
        ctx.push()
        yield app
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
        return

    shared = request.getfixturevalue(f"shared_{'postgres' if database_url == POSTGRES_URL else 'sqlite'}")
    app = shared.app()
    config = dict(app.config)
    subscribers = list(app.extensions.get("collab.subscribers", []))
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    # SQLAlchemy's recipe for joining a session into an external transaction: each
    # session (the test's, each request's) works in savepoints on this connection, so
    # services commit as usual while everything is rolled back below.
    factory = sessionmaker(class_=_SessionOnTestConnection,
                           **{**db.session.session_factory.kw, "bind": connection,
                              "join_transaction_mode": "create_savepoint"})
    app_session = db.session
    db.session = scoped_session(factory, scopefunc=_app_ctx_id)
    ctx = app.app_context()
    ctx.push()
    try:
        yield app
    finally:
        ctx.pop()  # removes the test's session
        db.session = app_session
        outer.rollback()
        connection.close()
        app.config.clear()
        app.config.update(config)
        app.extensions["collab.subscribers"] = subscribers  # a test's own subscriber goes with it


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Small builders that go through the services, as real use does."""

    def __init__(self, app):
        self.app = app
        self._count = 0

    def user(self, role="participant", group="families", name=None, email=None):
        from collab.services.users import create_user

        self._count += 1
        email = email or f"{role}{self._count}@example.org"
        return create_user(None, email=email, name=name or f"{role.title()} {self._count}",
                           password=PASSWORD, role=role, group=group)

    def document(self, admin=None, clauses=None, title="Sample SRO agreement", visibility=None):
        from collab.services.documents import create_document

        admin = admin or self.user(role="admin", group="district")
        clauses = clauses or [
            {"number": "1", "heading": "Purpose", "body": "The program keeps students safe and supports learning."},
            {"number": "2", "heading": "Discipline", "body": "Officers do not enforce school rules or discipline."},
            {"number": "3", "heading": "Arrests", "body": "Arrest is a last resort after diversion is considered."},
        ]
        return create_document(admin, title=title, clauses=clauses, visibility=visibility)

    def invited(self, document, admin=None):
        """Make a document readable by signed-in people only."""
        from collab.services.documents import update_document

        return update_document(admin or self.admin(), document.id, {"visibility": "invited"})

    def open_period(self, document, admin=None, days=7):
        from collab.services.documents import create_period
        from collab.timeutil import isoformat, utcnow

        admin = admin or self.admin()
        now = utcnow()
        return create_period(admin, document.id, opens_at=isoformat(now - timedelta(seconds=5)),
                             closes_at=isoformat(now + timedelta(days=days)))

    def admin(self):
        from collab.models import User

        existing = db.session.query(User).filter_by(role="admin").first()
        return existing or self.user(role="admin", group="district")

    def clause_ids(self, document) -> list[int]:
        from collab.reads.documents import document_view

        return [c["id"] for c in document_view(document.id)["clauses"]]

    def comment(self, author, clause_id, body="A concern about this clause.", kind="concern", **kwargs):
        from collab.services.comments import create_comment

        return create_comment(author, clause_id, body=body, kind=kind, **kwargs)[0]

    def token(self, user) -> str:
        from collab.services.users import issue_credential

        return issue_credential(user, "token")[1]

    def bearer(self, user) -> dict:
        return {"Authorization": f"Bearer {self.token(user)}"}


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


@pytest.fixture
def sign_in():
    """Sign a test client in by cookie, as the sign-in page does; returns the client."""
    from collab.auth import SESSION_KEY
    from collab.services.users import issue_credential

    def _sign_in(client, user):
        _credential, secret = issue_credential(user, "session")
        with client.session_transaction() as session:
            session.clear()
            session[SESSION_KEY] = secret
        return client

    return _sign_in


@pytest.fixture
def csrf_token(client):
    """A CSRF token valid for `client`'s session (what the page's meta tag carries)."""
    def _token(test_client=None):
        test_client = test_client or client
        from flask_wtf.csrf import generate_csrf

        # An app context of its own: Flask-WTF caches the token on `g`.
        with test_client.application.app_context(), test_client.application.test_request_context():
            with test_client.session_transaction() as session:
                from flask import session as flask_session

                flask_session.update(session)
                token = generate_csrf()
                session.update(flask_session)
        return token

    return _token


@pytest.fixture
def socket_client(app):
    """Socket.IO test clients: by token (`auth`) or sharing a signed-in test client's cookie."""
    clients = []

    def _connect(token=None, flask_client=None):
        sock = socketio.test_client(app, flask_test_client=flask_client,
                                    auth={"token": token} if token else None)
        clients.append(sock)
        return sock

    yield _connect
    for sock in clients:
        if sock.is_connected():
            sock.disconnect()


def events_of(action: str | None = None):
    """The stored events, optionally of one action."""
    from collab.models import Event

    query = db.session.query(Event).order_by(Event.seq)
    if action:
        query = query.filter(Event.action == action)
    return query.all()


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free local port that keeps what it receives.

    `stop()` and `start()` take it down and bring it back on the same port. Recipients
    whose address starts with "refused" get a permanent 550. `hold_after(n)` stores the
    n-th message but keeps its sender waiting for the reply until `release()`: a test can
    kill a worker between the server's receipt and the worker's record of it."""

    def __init__(self):
        import socket
        import threading

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.host = "127.0.0.1"
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._hold_at: int | None = None
        self.messages: list = []
        self._controller = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refused"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            hold = self._hold_at is not None and len(self.messages) >= self._hold_at
        while hold and not self._released.is_set():
            await asyncio.sleep(0.02)
        return "250 Message accepted"

    def start(self) -> "SmtpSink":
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._released.set()
            self._controller.stop()
            self._controller = None

    def hold_after(self, count: int) -> None:
        self._released.clear()
        self._hold_at = count

    def release(self) -> None:
        self._hold_at = None
        self._released.set()

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]) for m in self.messages]

    def wait_for(self, count: int, timeout: float = 20.0) -> list:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} mails, the SMTP server got {len(self.messages)}")


@pytest.fixture
def smtp_server():
    """A running SmtpSink (not tied to an app: subprocess tests point MAIL_PORT at it)."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp(app, smtp_server):
    """The test app's mail goes to `smtp_server`; returns the sink."""
    from collab.extensions import mailman

    app.config.update(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    mailman.init_app(app)  # Flask-Mailman reads its settings once, at init
    return smtp_server


def send_due_mail(app) -> int:
    """Run the mail worker until nothing is due; the number of mails it sent."""
    from collab.mail.worker import run_worker

    return run_worker(app, until_idle=True)
