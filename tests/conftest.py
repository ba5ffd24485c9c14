"""Fixtures shared by every test: an app on a fresh, migrated database per test
(SQLite by default; PostgreSQL where a test asks for `any_database`), clients
signed in by token or cookie, Socket.IO test clients, and small factories."""
from __future__ import annotations

import os
import shutil
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import create_engine, inspect, text

from collab import create_app
from collab.config import TestConfig
from collab.extensions import db, socketio

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("DATABASE_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "correct horse battery"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


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


@pytest.fixture
def database_url(request, tmp_path, sqlite_template) -> str:
    """SQLite unless the test is parametrised through `any_database`."""
    kind = getattr(request, "param", "sqlite")
    if kind == "postgresql":
        snapshot = request.getfixturevalue("postgres_snapshot")
        _reset_postgres(snapshot)
        return POSTGRES_URL
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


any_database = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def app(database_url):
    app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url})

    @app.before_request
    def _forget_previous_requester():
        # Test requests run inside the app context pushed below, so they share `g`:
        # without this, Flask-Login's cached user (and our g.credential) of one
        # request would answer for the next request, whoever sends it.
        g.pop("_login_user", None)
        g.pop("credential", None)

    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    db.engine.dispose()
    ctx.pop()


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

        with test_client.application.test_request_context():
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
