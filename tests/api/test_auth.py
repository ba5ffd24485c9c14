"""POST /auth/tokens, DELETE /auth/tokens/current, GET /me."""
import pytest

from tests.api.helpers import assert_error, stored_rows
from tests.conftest import PASSWORD

USER_FIELDS = {"id", "email", "name", "role", "group", "is_active"}


def test_signing_in_issues_a_token_that_works(api, participant):
    response = api.post("/auth/tokens", json={"email": participant.email, "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "user"}
    # The contract's fields (API.md); the accounts fields come beside them.
    assert {field: body["user"][field] for field in USER_FIELDS} == {"id": participant.id, "email": participant.email, "name": "Pat Parent",
                            "role": "participant", "group": "families", "is_active": True}
    me = api.get("/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.get_json()["user"]["id"] == participant.id


def test_e_mail_is_matched_regardless_of_case_and_spaces(api, participant):
    response = api.post("/auth/tokens", json={"email": f"  {participant.email.upper()} ", "password": PASSWORD})
    assert response.status_code == 201


@pytest.mark.parametrize("credentials", [
    {"email": "participant1@example.org", "password": "wrong password!"},
    {"email": "nobody@example.org", "password": PASSWORD},
    {"email": "participant1@example.org"},
    {"password": PASSWORD},
    {},
    {"email": ["participant1@example.org"], "password": PASSWORD},
    {"email": "participant1@example.org", "password": 12345678901},
])
def test_wrong_credentials_get_401_and_no_token(api, make, credentials):
    make.user(email="participant1@example.org")
    before = stored_rows()
    assert_error(api.post("/auth/tokens", json=credentials), 401, "invalid_credentials")
    assert stored_rows() == before


def test_a_deactivated_user_cannot_get_a_token(api, admin, participant):
    assert api.patch(f"/users/{participant.id}", admin, json={"is_active": False}).status_code == 200
    response = api.post("/auth/tokens", json={"email": participant.email, "password": PASSWORD})
    assert_error(response, 401, "invalid_credentials")


@pytest.mark.parametrize("data, content_type", [
    ("", "application/json"),
    ("{not json", "application/json"),
    ('["a", "list"]', "application/json"),
    ('"a string"', "application/json"),
    ("email=a@b.org&password=x", "application/x-www-form-urlencoded"),
])
def test_malformed_sign_in_body_is_400(client, data, content_type):
    before = stored_rows()
    response = client.post("/api/v1/auth/tokens", data=data, content_type=content_type)
    assert_error(response, 400, "malformed_json")
    assert stored_rows() == before


def test_revoking_the_current_token_ends_it_at_once(api, make, participant):
    headers = make.bearer(participant)
    other = make.bearer(participant)
    assert api.get("/me", headers=headers).status_code == 200
    response = api.delete("/auth/tokens/current", headers=headers)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(api.get("/me", headers=headers), 401, "unauthenticated")
    assert_error(api.delete("/auth/tokens/current", headers=headers), 401, "unauthenticated")
    assert api.get("/me", headers=other).status_code == 200  # only the token used is revoked


def test_revoking_without_a_token_is_401(api):
    assert_error(api.delete("/auth/tokens/current"), 401, "unauthenticated")


def test_me_shows_the_signed_in_user(api, observer):
    response = api.get("/me", observer)
    assert response.status_code == 200
    user = response.get_json()["user"]
    assert USER_FIELDS <= set(user)  # the accounts fields come beside the contract's
    assert (user["role"], user["group"], user["is_active"]) == ("observer", "community", True)


def test_me_works_with_the_session_cookie(client, sign_in, participant):
    sign_in(client, participant)
    assert client.get("/api/v1/me").get_json()["user"]["id"] == participant.id


@pytest.mark.parametrize("authorization", [
    None,
    "Bearer ",
    "Bearer not-a-real-token",
    "Basic dXNlcjpwYXNz",
    "Token abc",
])
def test_me_without_a_valid_token_is_401(client, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_a_session_secret_is_not_accepted_as_a_bearer_token(api, participant):
    from collab.services.users import issue_credential

    _credential, session_secret = issue_credential(participant, "session")
    assert_error(api.get("/me", headers={"Authorization": f"Bearer {session_secret}"}), 401)


def test_a_deactivated_users_token_stops_working_at_once(api, make, admin, participant):
    headers = make.bearer(participant)
    assert api.get("/me", headers=headers).status_code == 200
    assert api.patch(f"/users/{participant.id}", admin, json={"is_active": False}).status_code == 200
    assert_error(api.get("/me", headers=headers), 401, "unauthenticated")
    assert api.patch(f"/users/{participant.id}", admin, json={"is_active": True}).status_code == 200
    # Deactivation ended the token for good: re-activation does not revive it.
    assert_error(api.get("/me", headers=headers), 401, "unauthenticated")
    assert api.get("/me", headers=make.bearer(participant)).status_code == 200


def test_a_deactivated_users_session_stops_working_at_once(api, client, sign_in, app, admin, participant):
    browser = sign_in(app.test_client(), participant)
    assert browser.get("/api/v1/me").status_code == 200
    assert api.patch(f"/users/{participant.id}", admin, json={"is_active": False}).status_code == 200
    assert_error(browser.get("/api/v1/me"), 401, "unauthenticated")


def test_reactivation_does_not_revive_an_old_session_cookie(api, sign_in, app, admin, participant):
    browser = sign_in(app.test_client(), participant)
    assert api.patch(f"/users/{participant.id}", admin, json={"is_active": False}).status_code == 200
    assert api.patch(f"/users/{participant.id}", admin, json={"is_active": True}).status_code == 200
    assert_error(browser.get("/api/v1/me"), 401, "unauthenticated")
    assert browser.get("/documents").status_code == 302  # pages send the person to sign in afresh
