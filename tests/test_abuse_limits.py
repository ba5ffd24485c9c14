"""Abuse limits that hold (issue 11, items 2 and 3): one comment budget per person
whatever the channel, duplicate texts refused, and sign-in throttling that a stranger
cannot turn against the account's owner."""
from datetime import timedelta

import pytest

from collab import create_app
from collab.extensions import db, socketio
from collab.models import Comment
from tests.api.helpers import assert_error
from tests.conftest import IsolatedClient
from tests.conftest import PASSWORD, REDIS_URL, _config_dict, skip_or_fail

COMMENT = {"body": "Please add a complaint process.", "kind": "suggestion"}


@pytest.fixture
def limited_app(app, database_url):
    def _build(**settings):
        built = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                            "WTF_CSRF_ENABLED": False, **settings})
        built.test_client_class = IsolatedClient
        return built

    return _build


@pytest.fixture
def scene(make):
    document = make.document()
    make.open_period(document)
    return make.user(), make.clause_ids(document)


def _page_client(app, make, user):
    from collab.auth import SESSION_KEY
    from collab.services.users import issue_credential

    client = app.test_client()
    _credential, secret = issue_credential(user, "session")
    with client.session_transaction() as session:
        session[SESSION_KEY] = secret
    return client


# --- item 2: one comment budget -----------------------------------------------------------

def test_the_api_the_page_form_and_the_live_channel_share_one_comment_budget(limited_app, make, scene):
    person, clause_ids = scene
    app = limited_app(COMMENT_RATE_LIMIT="3 per minute")
    api = app.test_client()
    page = _page_client(app, make, person)
    sock = socketio.test_client(app, auth={"token": make.token(person)})
    try:
        headers = make.bearer(person)
        path = f"/api/v1/clauses/{clause_ids[0]}/comments"
        assert api.post(path, json={**COMMENT, "body": "By the API."}, headers=headers).status_code == 201
        form = page.post(f"/documents/1/clauses/{clause_ids[0]}/comments", data={**COMMENT, "body": "By the form."})
        assert form.status_code == 302
        ack = sock.emit("comment.create", {**COMMENT, "clause_id": clause_ids[0], "body": "Live."}, callback=True)
        assert ack["ok"] is True
        # The budget of 3 is spent, whichever channel comes next.
        refused = api.post(path, json={**COMMENT, "body": "Fourth."}, headers=headers)
        assert_error(refused, 429, "rate_limited")
        assert int(refused.headers["Retry-After"]) > 0
        again = page.post(f"/documents/1/clauses/{clause_ids[0]}/comments", data={**COMMENT, "body": "Fifth, kept."})
        assert again.status_code == 429 and "Fifth, kept." in again.get_data(as_text=True)
        live = sock.emit("comment.create", {**COMMENT, "clause_id": clause_ids[0], "body": "Sixth."}, callback=True)
        assert live["error"]["code"] == "rate_limited"
        assert db.session.query(Comment).count() == 3
        # Somebody else's budget is untouched.
        other = make.user()
        assert api.post(path, json=COMMENT, headers=make.bearer(other)).status_code == 201
    finally:
        sock.disconnect()


def test_the_comment_budget_is_kept_in_the_shared_storage(limited_app, make, scene):
    redis_url = REDIS_URL
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_timeout=2).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is not reachable at {redis_url}: {error.__class__.__name__}")
    redis.Redis.from_url(redis_url).flushdb()
    person, clause_ids = scene
    headers = make.bearer(person)
    path = f"/api/v1/clauses/{clause_ids[0]}/comments"
    first = limited_app(COMMENT_RATE_LIMIT="2 per minute", RATELIMIT_STORAGE_URI=redis_url)
    assert first.test_client().post(path, json={**COMMENT, "body": "One."}, headers=headers).status_code == 201
    # A second process on the same storage sees the same count.
    second = limited_app(COMMENT_RATE_LIMIT="2 per minute", RATELIMIT_STORAGE_URI=redis_url)
    assert second.test_client().post(path, json={**COMMENT, "body": "Two."}, headers=headers).status_code == 201
    assert_error(second.test_client().post(path, json={**COMMENT, "body": "Three."}, headers=headers),
                 429, "rate_limited")
    assert any(b"comments" in key for key in redis.Redis.from_url(redis_url).keys("*"))


def test_the_same_text_on_the_same_clause_again_is_refused_as_a_duplicate(client, make, scene, socket_client):
    person, clause_ids = scene
    headers = make.bearer(person)
    path = f"/api/v1/clauses/{clause_ids[0]}/comments"
    assert client.post(path, json=COMMENT, headers=headers).status_code == 201
    error = assert_error(client.post(path, json=COMMENT, headers=headers), 409, "duplicate_comment")
    assert "same text" in error["message"]
    sock = socket_client(token=make.token(person))
    ack = sock.emit("comment.create", {**COMMENT, "clause_id": clause_ids[0]}, callback=True)
    assert ack["error"]["code"] == "duplicate_comment"
    # Another clause, another person, or another text are new comments.
    assert client.post(f"/api/v1/clauses/{clause_ids[1]}/comments", json=COMMENT, headers=headers).status_code == 201
    assert client.post(path, json=COMMENT, headers=make.bearer(make.user())).status_code == 201
    assert client.post(path, json={**COMMENT, "body": "Something new."}, headers=headers).status_code == 201
    assert db.session.query(Comment).count() == 4


def test_the_same_reply_in_the_same_thread_again_is_a_duplicate_but_not_in_another_thread(client, make, scene):
    person, clause_ids = scene
    headers = make.bearer(person)
    path = f"/api/v1/clauses/{clause_ids[0]}/comments"
    threads = [client.post(path, json={**COMMENT, "body": f"Thread {n}."}, headers=headers).get_json()["comment"]["id"]
               for n in (1, 2)]
    reply = {"body": "I agree with this.", "parent_id": threads[0]}
    assert client.post(path, json=reply, headers=headers).status_code == 201
    assert_error(client.post(path, json=reply, headers=headers), 409, "duplicate_comment")
    assert client.post(path, json={**reply, "parent_id": threads[1]}, headers=headers).status_code == 201
    # A new thread with that text is not a reply repeated.
    assert client.post(path, json={**COMMENT, "body": reply["body"]}, headers=headers).status_code == 201


def test_the_duplicate_window_ends(client, make, scene):
    person, clause_ids = scene
    headers = make.bearer(person)
    path = f"/api/v1/clauses/{clause_ids[0]}/comments"
    assert client.post(path, json=COMMENT, headers=headers).status_code == 201
    first = db.session.query(Comment).one()
    first.created_at -= timedelta(seconds=client.application.config["DUPLICATE_COMMENT_WINDOW_SECONDS"] + 1)
    db.session.commit()
    assert client.post(path, json=COMMENT, headers=headers).status_code == 201


def test_an_idempotency_key_retry_still_replays_the_first_comment(client, make, scene):
    person, clause_ids = scene
    headers = {**make.bearer(person), "Idempotency-Key": "draft-1"}
    path = f"/api/v1/clauses/{clause_ids[0]}/comments"
    first = client.post(path, json=COMMENT, headers=headers)
    again = client.post(path, json=COMMENT, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    # A new key with the same text is a new attempt, and a duplicate.
    assert_error(client.post(path, json=COMMENT, headers={**headers, "Idempotency-Key": "draft-2"}),
                 409, "duplicate_comment")


def test_the_duplicate_code_is_documented(app):
    from collab.api.openapi_spec import openapi_document

    spec = openapi_document()
    assert "duplicate_comment" in spec["paths"]["/clauses/{clause_id}/comments"]["post"]["description"]
    assert "duplicate_comment" in spec["components"]["responses"]["Conflict"]["description"]


# --- item 3: sign-in throttling -----------------------------------------------------------

def _token_request(client, email, password, address):
    return client.post("/api/v1/auth/tokens", json={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_a_stranger_guessing_cannot_lock_the_owner_out(limited_app, make):
    owner = make.user()
    client = limited_app(SIGN_IN_RATE_LIMIT="3 per minute").test_client()
    answers = [_token_request(client, owner.email, "wrong password", "203.0.113.9").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    assert _token_request(client, owner.email, PASSWORD, "198.51.100.7").status_code == 201


def test_the_api_and_the_sign_in_page_share_the_failure_count(limited_app, make):
    owner = make.user()
    client = limited_app(SIGN_IN_RATE_LIMIT="3 per minute").test_client()
    for _ in range(2):
        assert _token_request(client, owner.email, "wrong password", "203.0.113.9").status_code == 401
    form = {"email": owner.email, "password": "wrong password"}
    assert client.post("/sign-in", data=form, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 401
    page = client.post("/sign-in", data=form, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert page.status_code == 429 and "Too many failed sign-ins" in page.get_data(as_text=True)
    refused = _token_request(client, owner.email, PASSWORD, "203.0.113.9")
    assert_error(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) > 0


def test_a_looser_ceiling_per_account_holds_across_addresses(limited_app, make):
    owner = make.user()
    client = limited_app(SIGN_IN_RATE_LIMIT="3 per minute", SIGN_IN_ACCOUNT_RATE_LIMIT="4 per minute").test_client()
    for address in ("203.0.113.1", "203.0.113.2"):
        for _ in range(2):
            assert _token_request(client, owner.email, "wrong password", address).status_code == 401
    assert_error(_token_request(client, owner.email, "wrong password", "203.0.113.3"), 429, "rate_limited")


def test_successful_sign_ins_do_not_count_as_failures(limited_app, make):
    owner = make.user()
    client = limited_app(SIGN_IN_RATE_LIMIT="2 per minute").test_client()
    for _ in range(4):
        assert _token_request(client, owner.email, PASSWORD, "203.0.113.9").status_code == 201
