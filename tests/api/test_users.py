"""GET /groups, GET/POST /users, PATCH /users/{id}."""
import pytest

from tests.api.helpers import assert_error, stored_rows
from tests.conftest import events_of

DEFAULT_GROUPS = {"families", "students", "educators", "school-leaders", "law-enforcement",
                  "juvenile-justice", "civil-rights", "community", "district"}

NEW_USER = {"email": "Rosa.Reyes@Example.org", "name": "Rosa Reyes", "password": "a long passphrase",
            "role": "participant", "group": "civil-rights"}


def test_groups_lists_the_default_stakeholder_groups(api, observer):
    response = api.get("/groups", observer)
    assert response.status_code == 200
    groups = response.get_json()["groups"]
    assert DEFAULT_GROUPS <= {g["slug"] for g in groups}
    assert all({"slug", "name", "is_open_to_sign_up", "needs_approval"} == set(g) and g["name"] for g in groups)


def test_groups_need_sign_in(api):
    assert_error(api.get("/groups"), 401, "unauthenticated")


def test_admin_lists_users(api, admin, participant):
    response = api.get("/users", admin)
    assert response.status_code == 200
    assert {u["email"] for u in response.get_json()["users"]} == {admin.email, participant.email}


@pytest.mark.parametrize("role", ["facilitator", "participant", "observer"])
def test_only_admins_list_users(api, make, role):
    assert_error(api.get("/users", api.user(role=role)), 403, "forbidden")


def test_admin_creates_a_user(api, admin):
    response = api.post("/users", admin, json=NEW_USER)
    assert response.status_code == 201
    user = response.get_json()["user"]
    assert user == {"id": user["id"], "email": "rosa.reyes@example.org", "name": "Rosa Reyes",
                    "role": "participant", "group": "civil-rights", "is_active": True,
                    # An account an administrator makes counts as verified and approved.
                    "email_verified": True, "approval_status": "approved", "language": "en", "show_name": True,
                    "organisation": None, "organisation_verified": False}
    event = events_of("user.created")[-1]
    assert (event.actor_id, event.subject) == (admin.id, f"user:{user['id']}")
    assert "a long passphrase" not in event.data and "Rosa" not in event.data
    signed_in = api.post("/auth/tokens", json={"email": "rosa.reyes@example.org", "password": "a long passphrase"})
    assert signed_in.status_code == 201


def test_an_e_mail_taken_in_any_case_is_409(api, admin):
    assert api.post("/users", admin, json=NEW_USER).status_code == 201
    before = stored_rows()
    response = api.post("/users", admin, json={**NEW_USER, "email": "ROSA.REYES@example.org", "name": "Other"})
    assert_error(response, 409, "email_taken")
    assert stored_rows() == before


@pytest.mark.parametrize("role", ["facilitator", "participant", "observer"])
def test_only_admins_create_users(api, make, role):
    actor = api.user(role=role)
    before = stored_rows()
    assert_error(api.post("/users", actor, json=NEW_USER), 403, "forbidden")
    assert stored_rows() == before


@pytest.mark.parametrize("change, status, code", [
    ({"email": "not-an-address"}, 400, "invalid_email"),
    ({"email": ""}, 400, "empty_email"),
    ({"email": None}, 400, "invalid_email"),
    ({"name": "   "}, 400, "empty_name"),
    ({"name": "x" * 121}, 413, "name_too_long"),
    ({"name": 42}, 400, "invalid_name"),
    ({"password": "short"}, 400, "weak_password"),
    ({"password": None}, 400, "weak_password"),
    ({"role": "superuser"}, 400, "invalid_role"),
    ({"role": None}, 400, "invalid_role"),
    ({"group": "no-such-group"}, 400, "invalid_group"),
    ({"group": 3}, 400, "invalid_group"),
])
def test_invalid_new_user_is_refused_and_stores_nothing(api, admin, change, status, code):
    before = stored_rows()
    assert_error(api.post("/users", admin, json={**NEW_USER, **change}), status, code)
    assert stored_rows() == before


def test_malformed_user_body_is_400(api, admin):
    before = stored_rows()
    response = api.post("/users", admin, data="{", headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed_json")
    assert stored_rows() == before


def test_admin_changes_a_users_name_role_and_group(api, admin, participant):
    response = api.patch(f"/users/{participant.id}", admin,
                         json={"name": "Pat P.", "role": "facilitator", "group": "community"})
    assert response.status_code == 200
    user = response.get_json()["user"]
    assert (user["name"], user["role"], user["group"]) == ("Pat P.", "facilitator", "community")
    [event] = events_of("user.updated")
    assert event.subject == f"user:{participant.id}"
    assert "Pat P." not in event.data
    assert api.get("/me", participant).get_json()["user"]["role"] == "facilitator"


def test_a_role_change_takes_effect_on_the_next_request(api, admin, participant):
    assert api.get("/users", participant).status_code == 403
    api.patch(f"/users/{participant.id}", admin, json={"role": "admin"})
    assert api.get("/users", participant).status_code == 200


@pytest.mark.parametrize("changes, status, code", [
    ({}, 400, "nothing_to_change"),
    ({"email": "new@example.org"}, 400, "unknown_field"),
    ({"password": "a new long password"}, 400, "unknown_field"),
    ({"role": "owner"}, 400, "invalid_role"),
    ({"group": "nowhere"}, 400, "invalid_group"),
    ({"name": ""}, 400, "empty_name"),
    ({"is_active": "no"}, 400, "invalid_is_active"),
    ({"name": "Valid", "is_active": 0}, 400, "invalid_is_active"),
])
def test_invalid_user_change_is_refused_and_changes_nothing(api, admin, participant, changes, status, code):
    before = stored_rows()
    assert_error(api.patch(f"/users/{participant.id}", admin, json=changes), status, code)
    assert stored_rows() == before
    assert api.get("/me", participant).get_json()["user"]["name"] == "Pat Parent"


def test_changing_an_unknown_user_is_404(api, admin):
    assert_error(api.patch("/users/4242", admin, json={"name": "Ghost"}), 404, "not_found")


def test_only_admins_change_users(api, make, participant):
    facilitator = api.user(role="facilitator")
    before = stored_rows()
    assert_error(api.patch(f"/users/{participant.id}", facilitator, json={"role": "admin"}), 403, "forbidden")
    assert_error(api.patch(f"/users/{participant.id}", participant, json={"role": "admin"}), 403, "forbidden")
    assert stored_rows() == before


def test_an_admin_cannot_deactivate_themself(api, admin):
    before = stored_rows()
    assert_error(api.patch(f"/users/{admin.id}", admin, json={"is_active": False}), 409, "self_deactivation")
    assert stored_rows() == before


def test_user_change_body_must_be_an_object(api, admin, participant):
    assert_error(api.patch(f"/users/{participant.id}", admin, json=["name"]), 400, "malformed_json")


@pytest.mark.parametrize("changes", [{"role": "participant"}, {"group": "families"}, {"is_active": True},
                                     {"name": " Pat Parent "},
                                     {"name": "Pat Parent", "role": "participant", "group": "families",
                                      "is_active": True}])
def test_a_change_to_what_the_account_already_is_writes_no_event(api, admin, participant, changes):
    before = stored_rows()
    response = api.patch(f"/users/{participant.id}", admin, json=changes)
    assert response.status_code == 200 and response.get_json()["user"]["role"] == "participant"
    assert stored_rows() == before
    assert events_of("user.updated") == []


def test_a_real_change_among_unchanged_fields_is_recorded_once(api, admin, participant):
    response = api.patch(f"/users/{participant.id}", admin, json={"role": "facilitator", "group": "families"})
    assert response.status_code == 200
    [event] = events_of("user.updated")
    assert '"role":"facilitator"' in event.data


def test_the_last_active_administrator_cannot_demote_themselves(api, admin):
    error = assert_error(api.patch(f"/users/{admin.id}", admin, json={"role": "participant"}), 409, "last_admin")
    assert "last active administrator" in error["message"]
    assert api.get("/me", user=admin).get_json()["user"]["role"] == "admin"


def test_an_administrator_may_step_down_when_another_remains(api, admin, make):
    other = make.user(role="admin", group="district")
    assert api.patch(f"/users/{admin.id}", admin, json={"role": "facilitator"}).status_code == 200
    # The one left is now the last: neither demotion nor deactivation by themselves goes through.
    assert_error(api.patch(f"/users/{other.id}", other, json={"role": "observer"}), 409, "last_admin")
    assert_error(api.patch(f"/users/{other.id}", other, json={"is_active": False}), 409)
