"""Password checks in a sign-in storm: OWASP's Argon2id parameters, re-hashing outdated
hashes at sign-in, a bounded pool that refuses at once when full, and link sign-in that
needs no hash at all."""
from __future__ import annotations

import threading

import pytest

from collab.extensions import db
from collab.models import User
from collab.runtime.blocking import BoundedPool
from tests.api.helpers import assert_error
from tests.api.test_accounts import link_in, mails_to
from tests.conftest import PASSWORD, any_database

STRONGER = {"time_cost": 2, "memory_cost": 2048, "parallelism": 1}


def stored_hash(user) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).password_hash


def sign_in(api, email, password=PASSWORD):
    return api.post("/auth/tokens", json={"email": email, "password": password})


@pytest.fixture
def small_pool(app, monkeypatch):
    """One thread, nobody waiting; a job holds the thread until the test lets go."""
    pool = BoundedPool(1, 0, "Too many people are signing in at this moment. Try again in a few seconds.")
    monkeypatch.setitem(app.extensions, "password_checks", pool)
    release = threading.Event()
    holder = threading.Thread(target=pool.run, args=(release.wait, 20))
    pool.hold = lambda: (holder.start(), _wait_until(lambda: pool.in_flight == 1))
    yield pool
    release.set()
    if holder.is_alive() or holder.ident:
        holder.join(20)


def _wait_until(condition, timeout=10.0):
    event = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        event.wait(0.01)
    raise AssertionError("the pool never filled")


@any_database
def test_sign_in_rehashes_a_password_stored_with_other_parameters(api, make, app, monkeypatch):
    user = make.user(email="old-hash@example.org")
    before = stored_hash(user)
    assert "m=1024,t=1,p=1" in before
    monkeypatch.setitem(app.config, "ARGON2_PARAMETERS", STRONGER)

    assert sign_in(api, "old-hash@example.org").status_code == 201
    after = stored_hash(user)
    assert after.startswith("$argon2id$v=19$m=2048,t=2,p=1$")
    # The new hash holds the same password, and is not re-hashed again.
    assert sign_in(api, "old-hash@example.org").status_code == 201
    assert stored_hash(user) == after


def test_a_wrong_password_rehashes_nothing(api, make, app, monkeypatch):
    user = make.user(email="old-hash@example.org")
    before = stored_hash(user)
    monkeypatch.setitem(app.config, "ARGON2_PARAMETERS", STRONGER)
    assert_error(sign_in(api, "old-hash@example.org", "not the password at all"), 401, "invalid_credentials")
    assert stored_hash(user) == before


def test_a_full_pool_refuses_with_503_and_retry_after_and_checks_nothing(api, make, small_pool):
    make.user(email="storm@example.org")
    small_pool.hold()
    checked = small_pool.completed
    answer = sign_in(api, "storm@example.org")
    assert_error(answer, 503, "busy")
    assert int(answer.headers["Retry-After"]) >= 1
    assert small_pool.refused == 1 and small_pool.completed == checked


def test_the_sign_in_page_keeps_the_address_when_the_pool_is_full(client, make, small_pool, csrf_token):
    make.user(email="storm@example.org")
    small_pool.hold()
    page = client.post("/sign-in", data={"email": "storm@example.org", "password": PASSWORD,
                                         "csrf_token": csrf_token(client)})
    assert page.status_code == 503 and int(page.headers["Retry-After"]) >= 1
    text = page.get_data(as_text=True)
    assert "Too many people are signing in at this moment" in text
    assert 'value="storm@example.org"' in text


def test_sign_in_by_mailed_link_needs_no_password_check(api, mail_sink, make, small_pool):
    make.user(email="parent@example.org")
    assert api.post("/auth/links", json={"email": "parent@example.org"}).status_code == 202
    _path, token = link_in(mails_to(mail_sink, "parent@example.org")[0])
    small_pool.hold()  # no password check could run now
    checked = small_pool.completed
    answer = api.post("/auth/links/redeem", json={"token": token})
    assert answer.status_code == 201 and answer.get_json()["token"]
    assert small_pool.completed == checked and small_pool.refused == 0


@pytest.fixture
def mail_sink(app, smtp):
    smtp.app = app
    return smtp


@pytest.fixture
def limited_app(app, database_url):
    """A second app on the same database with rate limits on (the tests' app has them off)."""
    from collab import create_app
    from tests.conftest import IsolatedClient, _config_dict

    built_apps = []

    def _build(**settings):
        built = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                            **settings})
        built.test_client_class = IsolatedClient
        built_apps.append(built)
        return built

    yield _build
    for built in built_apps:  # their own engines: close their connections now, not at garbage collection
        with built.app_context():
            db.engine.dispose()


def _hold_the_only_thread(app) -> threading.Event:
    pool = BoundedPool(1, 0, "Too many people are signing in at this moment. Try again in a few seconds.")
    app.extensions["password_checks"] = pool
    release = threading.Event()
    threading.Thread(target=pool.run, args=(release.wait, 20), daemon=True).start()
    _wait_until(lambda: pool.in_flight == 1)
    return release


@any_database
def test_busy_keeps_its_short_retry_after_under_a_long_address_window(limited_app, make):
    """Flask-Limiter wrote the address limit's window reset (here most of an hour; with the
    default a minute) into every answer's Retry-After: a person told to come back in 1 s was
    told an hour, and a storm's refused sign-ins came back a minute later."""
    make.user(email="storm@example.org")
    app = limited_app(SIGN_IN_ADDRESS_RATE_LIMIT="1000 per hour")
    release = _hold_the_only_thread(app)
    try:
        answer = app.test_client().post("/api/v1/auth/tokens", json={"email": "storm@example.org",
                                                                     "password": PASSWORD})
        assert_error(answer, 503, "busy")
        assert answer.headers["Retry-After"] == "1"
        # The limit's own figures are still there for whoever reads them.
        assert answer.headers["X-RateLimit-Limit"] == "1000"
    finally:
        release.set()


def test_a_sign_in_answers_no_retry_after_when_nothing_is_refused(limited_app, make):
    make.user(email="calm@example.org")
    app = limited_app(SIGN_IN_ADDRESS_RATE_LIMIT="1000 per hour")
    answer = app.test_client().post("/api/v1/auth/tokens", json={"email": "calm@example.org", "password": PASSWORD})
    assert answer.status_code == 201
    assert "Retry-After" not in answer.headers


def test_the_address_limit_still_says_when_to_come_back(limited_app, make):
    app = limited_app(SIGN_IN_ADDRESS_RATE_LIMIT="2 per hour")
    client = app.test_client()
    wrong = {"email": "nobody@example.org", "password": "wrong password"}
    for _ in range(2):
        assert_error(client.post("/api/v1/auth/tokens", json=wrong), 401, "invalid_credentials")
    refused = client.post("/api/v1/auth/tokens", json=wrong)
    assert_error(refused, 429, "rate_limited")
    assert 3000 < int(refused.headers["Retry-After"]) <= 3601  # the window's reset, in whole seconds


@any_database
def test_many_sign_ins_of_one_account_are_not_limited_when_they_succeed(limited_app, make):
    """The per-account and per-pair limits count failed checks only: a person who signs in on
    many devices is never refused for it."""
    make.user(email="many-devices@example.org")
    app = limited_app(SIGN_IN_ACCOUNT_RATE_LIMIT="3 per 10 minutes", SIGN_IN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for _ in range(6):
        answer = client.post("/api/v1/auth/tokens", json={"email": "many-devices@example.org", "password": PASSWORD})
        assert answer.status_code == 201


@any_database
def test_a_full_pool_refuses_before_reading_the_account(api, make, small_pool, app):
    """Known and unknown addresses alike, and without a query: refusals in a storm are cheap."""
    from sqlalchemy import event

    make.user(email="storm@example.org")
    small_pool.hold()
    statements = []
    engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 — the statement's text
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for email in ("storm@example.org", "nobody@example.org"):
            assert_error(sign_in(api, email), 503, "busy")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert not [s for s in statements if "users" in s.lower()]
    assert small_pool.refused == 2


def test_a_finished_check_frees_its_place_while_the_event_loop_is_busy(monkeypatch):
    """Under gevent a check runs on a real thread and its request resumes when the event
    loop gets to it. Its place in the pool is given back when the check has run, not when the
    busy loop resumes the request: else the pool looked full with its thread idle."""
    import time

    import gevent

    from collab.runtime import blocking

    monkeypatch.setattr(blocking, "_gevent_is_serving", lambda: True)
    pool = BoundedPool(1, 0, "busy")
    checked = threading.Event()  # not monkey-patched here: waiting on it blocks the event loop

    def check():
        checked.set()
        return "checked"

    request = gevent.spawn(pool.run, check)
    gevent.sleep(0)  # the request hands its check to the thread and waits
    assert checked.wait(10)
    deadline = time.monotonic() + 10
    while pool.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)  # the loop stays busy: the request cannot resume meanwhile
    assert pool.in_flight == 0 and not request.ready()
    pool.refuse_if_full()  # a new sign-in would be let in
    assert request.get(timeout=10) == "checked" and pool.refused == 0


def test_one_password_thread_per_core_by_default(app, monkeypatch):
    """Hashing is bounded by the sign-ins that come, and a busy machine is shared per runnable
    thread: one thread on two cores got a quarter of a core in a storm (bench/README.md)."""
    from collab.runtime import blocking
    from collab.services.users import password_pool

    monkeypatch.setattr(blocking.os, "cpu_count", lambda: 2)
    monkeypatch.delitem(app.extensions, "password_checks", raising=False)
    monkeypatch.setitem(app.config, "PASSWORD_CHECK_WORKERS", 0)
    assert password_pool().workers == 2
    monkeypatch.setitem(app.extensions, "password_checks", None)
    monkeypatch.setitem(app.config, "PASSWORD_CHECK_WORKERS", 1)
    assert password_pool().workers == 1
