"""CSRF, session cookies and fixation, security headers, size and rate limits, password hashing."""
import re

import pytest

from collab import create_app
from collab.extensions import db
from collab.models import User
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import PASSWORD, IsolatedClient, _config_dict


@pytest.fixture
def setup(make):
    document = make.document()
    make.open_period(document)
    participant = make.user(name="Pat Parent")
    return participant, make.clause_ids(document)[0]


@pytest.fixture
def other_app(app, database_url):
    """A second app on the same database, with settings of the test's choosing."""
    def _build(**settings):
        built = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, **settings})
        built.test_client_class = IsolatedClient
        return built

    return _build


COMMENT = {"body": "Please add a complaint process.", "kind": "suggestion"}


# --- CSRF -----------------------------------------------------------------------

def test_a_cookie_request_without_the_csrf_token_is_403_and_changes_nothing(client, sign_in, setup):
    participant, clause_id = setup
    sign_in(client, participant)
    before = stored_rows()
    response = client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT)
    assert_error(response, 403, "csrf_failed")
    response = client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT,
                           headers={"X-CSRFToken": "forged"})
    assert_error(response, 403, "csrf_failed")
    assert stored_rows() == before


def test_a_cookie_request_with_the_csrf_token_passes(client, sign_in, csrf_token, setup):
    participant, clause_id = setup
    sign_in(client, participant)
    response = client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT,
                           headers={"X-CSRFToken": csrf_token()})
    assert response.status_code == 201


@pytest.mark.parametrize("method, path, body", [
    ("PATCH", "/api/v1/users/1", {"name": "Mallory"}),
    ("DELETE", "/api/v1/auth/tokens/current", None),
    ("POST", "/api/v1/documents", {"title": "T", "clauses": [{"number": "1", "body": "B"}]}),
])
def test_every_unsafe_cookie_request_needs_the_csrf_token(client, sign_in, make, method, path, body):
    sign_in(client, make.user(role="admin", group="district"))
    before = stored_rows()
    assert_error(client.open(path, method=method, json=body), 403, "csrf_failed")
    assert stored_rows() == before
    assert client.get("/api/v1/me").status_code == 200  # still signed in


def test_a_bearer_request_needs_no_csrf_token(client, make, setup):
    participant, clause_id = setup
    response = client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT, headers=make.bearer(participant))
    assert response.status_code == 201


def test_a_made_up_authorization_header_does_not_carry_the_cookie_past_csrf(client, sign_in, setup):
    participant, clause_id = setup
    sign_in(client, participant)
    before = stored_rows()
    response = client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT,
                           headers={"Authorization": "Bearer anything"})
    assert_error(response, 401, "unauthenticated")
    assert stored_rows() == before


def test_the_sign_in_form_needs_the_csrf_token(client, make):
    user = make.user()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


# --- session cookie ----------------------------------------------------------------

def page_csrf_token(client, path="/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in_by_form(client, user, password=PASSWORD):
    token = page_csrf_token(client)
    return client.post("/sign-in", data={"email": user.email, "password": password, "csrf_token": token})


def session_cookie(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("cg_session=")]
    return header


def test_the_session_cookie_is_httponly_and_samesite_lax(client, make):
    response = sign_in_by_form(client, make.user())
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_when_configured(other_app):
    secure_app = other_app(SESSION_COOKIE_SECURE=True)
    with secure_app.app_context():
        from tests.conftest import Factory

        user = Factory(secure_app).user()
    client = secure_app.test_client()
    response = sign_in_by_form(client, user)
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert secure_app.test_client().get("/sign-in").headers["Strict-Transport-Security"].startswith("max-age=")


def test_sign_in_starts_a_fresh_session(client, make):
    user = make.user()
    page_csrf_token(client)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"  # what a fixated cookie would carry
    before_cookie = client.get_cookie("cg_session").value
    response = sign_in_by_form(client, user)
    assert response.status_code == 302
    after_cookie = client.get_cookie("cg_session").value
    assert after_cookie != before_cookie
    with client.session_transaction() as session:
        assert "planted" not in session
    assert client.get("/api/v1/me").get_json()["user"]["id"] == user.id
    # The cookie the attacker knew is not signed in.
    client.set_cookie("cg_session", before_cookie)
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


def test_wrong_password_on_the_page_starts_no_session(client, make):
    response = sign_in_by_form(client, make.user(), password="not the password")
    assert response.status_code == 401
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


def test_signing_out_ends_the_session_even_for_a_copied_cookie(client, make):
    sign_in_by_form(client, make.user())
    copied = client.get_cookie("cg_session").value
    token = page_csrf_token(client, "/documents")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    client.set_cookie("cg_session", copied)
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


# --- headers, limits ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/sign-in", "/api/v1/openapi.json", "/api/v1/me", "/api/v1/nothing-here",
                                  "/nothing-here"])
def test_content_security_policy_forbids_inline_script_everywhere(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_request_over_the_size_limit_is_a_json_413(other_app):
    small = other_app(MAX_CONTENT_LENGTH=1024)
    response = small.test_client().post("/api/v1/auth/tokens", json={"email": "a@b.org", "password": "x" * 2000})
    assert_error(response, 413, "too_large")


def test_a_page_request_over_the_size_limit_is_413(other_app):
    small = other_app(MAX_CONTENT_LENGTH=1024)
    response = small.test_client().post("/sign-in", data={"email": "a@b.org", "password": "x" * 2000})
    assert response.status_code == 413
    assert response.content_type.startswith("text/html")


def test_too_many_sign_in_attempts_are_429(other_app):
    limited = other_app(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    wrong = {"email": "nobody@example.org", "password": "wrong password"}
    for _ in range(3):
        assert_error(client.post("/api/v1/auth/tokens", json=wrong), 401, "invalid_credentials")
    response = client.post("/api/v1/auth/tokens", json=wrong)
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0


def test_sign_in_limit_is_per_account_so_a_shared_school_address_is_not_locked_out(other_app):
    limited = other_app(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="2 per minute",
                        SIGN_IN_ADDRESS_RATE_LIMIT="5 per minute")
    client = limited.test_client()
    for person in range(4):  # four people behind one address, each within their own limit
        wrong = {"email": f"student{person}@example.org", "password": "wrong password"}
        assert_error(client.post("/api/v1/auth/tokens", json=wrong), 401, "invalid_credentials")
    assert_error(client.post("/api/v1/auth/tokens", json={"email": "student0@example.org", "password": "x" * 10}),
                 401, "invalid_credentials")
    # The account's own limit (2) and then the address's (5) still hold.
    assert_error(client.post("/api/v1/auth/tokens", json={"email": "student0@example.org", "password": "y" * 10}),
                 429, "rate_limited")


def test_comment_limit_is_per_person(other_app, make, setup):
    participant, clause_id = setup
    limited = other_app(RATELIMIT_ENABLED=True, COMMENT_RATE_LIMIT="1 per minute")
    client = limited.test_client()
    first, second = make.bearer(participant), make.bearer(make.user())
    assert client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT, headers=first).status_code == 201
    assert client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT, headers=second).status_code == 201
    assert_error(client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT, headers=first),
                 429, "rate_limited")


def test_too_many_comments_are_429_and_store_nothing(other_app, make, setup):
    participant, clause_id = setup
    headers = make.bearer(participant)
    limited = other_app(RATELIMIT_ENABLED=True, COMMENT_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    for number in range(2):
        assert client.post(f"/api/v1/clauses/{clause_id}/comments", json={**COMMENT, "body": f"Point {number}."},
                           headers=headers).status_code == 201
    before = stored_rows()
    response = client.post(f"/api/v1/clauses/{clause_id}/comments", json=COMMENT, headers=headers)
    assert_error(response, 429, "rate_limited")
    assert stored_rows() == before


# --- passwords ---------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2id_hashes(make):
    user = make.user()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_production_password_hashing_uses_owasps_minimum_argon2id_cost(other_app):
    from collab.services.users import hash_password

    production = other_app(ARGON2_PARAMETERS=None)
    with production.app_context():
        hashed = hash_password(PASSWORD)
    # OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1.
    assert re.match(r"^\$argon2id\$v=19\$m=19456,t=2,p=1\$", hashed), hashed


# --- caching and 405 (issue 11, item 8) -----------------------------------------------------

@pytest.mark.parametrize("path", ["/admin", "/me/comments", "/moderation", "/documents", "/comments/{comment}",
                                  "/documents/{document}", "/no/such/page"])
def test_no_page_for_a_signed_in_person_is_stored_by_a_cache(client, sign_in, make, setup, path):
    participant, clause_id = setup
    comment = make.comment(participant, clause_id)
    sign_in(client, make.admin())
    response = client.get(path.format(comment=comment.id, document=comment.document_id))
    assert response.status_code in (200, 404)
    assert response.headers["Cache-Control"] == "no-store"


def test_every_api_answer_is_no_store_even_a_download(client, make):
    document = make.document()
    headers = make.bearer(make.admin())
    for path in ["/api/v1/me", f"/api/v1/documents/{document.id}/report.csv",
                 f"/api/v1/documents/{document.id}/versions/1/export.md"]:
        response = client.get(path, headers=headers)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path


def test_anonymous_pages_and_shared_assets_may_be_cached(client, sign_in, make):
    assert "no-store" not in client.get("/sign-in").headers.get("Cache-Control", "")
    sign_in(client, make.user())
    with client.get("/static/css/app.css") as asset:
        assert asset.status_code == 200 and "no-store" not in asset.headers.get("Cache-Control", "")


@pytest.mark.parametrize("method, path, allowed", [("PUT", "/api/v1/documents", {"GET", "POST"}),
                                                   ("DELETE", "/api/v1/groups", {"GET"}),
                                                   ("PUT", "/sign-in", {"GET", "POST"})])
def test_a_405_names_the_allowed_methods(client, make, method, path, allowed):
    response = client.open(path, method=method, headers=make.bearer(make.admin()))
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= allowed
