"""Invitations (one, a pasted list, 1,000 at once), and leaving: one's own data export and
account deletion, over the API with mail through a real SMTP server."""
from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from collab.audit import verify_database
from collab.extensions import db
from collab.models import Invitation, OutboxMail, User
from collab.services.invitations import create_invitations, parse_invitation_list
from tests.api.helpers import assert_error, stored_rows
from tests.api.test_accounts import link_in, mails_to
from tests.conftest import any_database, events_of, send_due_mail


def invite(api, admin, *rows):
    return api.post("/invitations", admin, json={"invitations": [
        dict(zip(("email", "name", "group", "role"), row)) for row in rows]})


@any_database
def test_an_invitation_sets_up_the_account_in_its_group_and_role(api, app, smtp, admin):
    smtp.app = app
    answer = invite(api, admin, ("Coach@Example.org", "Casey Coach", "educators", "facilitator"),
                    ("bad address", "Nobody", "families", "participant"))
    assert answer.status_code == 201
    body = answer.get_json()
    assert [i["email"] for i in body["created"]] == ["coach@example.org"]
    assert body["errors"] == [{"line": 2, "message": "email is not a valid e-mail address."}]
    message = mails_to(smtp, "coach@example.org")[0]
    assert "Casey Coach" in message.get_body(("plain",)).get_content()
    path, token = link_in(message)
    assert path == "accept-invitation"

    accepted = api.post("/accounts/accept-invitation", json={"token": token})
    assert accepted.status_code == 201
    user = accepted.get_json()["user"]
    assert (user["email"], user["name"], user["group"], user["role"], user["email_verified"]) == (
        "coach@example.org", "Casey Coach", "educators", "facilitator", True)
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {accepted.get_json()['token']}"})
    assert me.status_code == 200
    assert_error(api.post("/accounts/accept-invitation", json={"token": token}), 400, "invalid_token")
    assert api.get("/invitations?status=accepted", admin).get_json()["invitations"][0]["accepted_user_id"] == user["id"]
    assert [e.action for e in events_of()][-2:] == ["user.created", "invitation.accepted"]
    assert events_of("invitation.accepted")[-1].subject == f"invitation:{body['created'][0]['id']}"


def test_resend_gives_a_new_link_and_withdraw_ends_it(api, app, smtp, admin):
    smtp.app = app
    created = invite(api, admin, ("parent@example.org", "Rosa", "families", "participant")).get_json()["created"][0]
    _path, first_token = link_in(mails_to(smtp, "parent@example.org")[0])
    resent = api.post(f"/invitations/{created['id']}/resend", admin)
    assert resent.status_code == 200 and resent.get_json()["invitation"]["send_count"] == 2
    _path, second_token = link_in(mails_to(smtp, "parent@example.org", 2)[1])
    assert_error(api.post("/accounts/accept-invitation", json={"token": first_token}), 400, "invalid_token")
    assert api.delete(f"/invitations/{created['id']}", admin).status_code == 204
    assert_error(api.post("/accounts/accept-invitation", json={"token": second_token}), 400, "invalid_token")
    assert_error(api.post(f"/invitations/{created['id']}/resend", admin), 409, "invitation_withdrawn")
    assert api.get("/invitations", admin).get_json()["invitations"] == []


def test_only_administrators_invite(api, participant):
    before = stored_rows()
    assert_error(invite(api, participant, ("x@example.org", "X", "families", "participant")), 403)
    assert_error(api.post("/invitations", None, json={"invitations": []}), 401)
    assert stored_rows() == before


def test_a_list_is_checked_line_by_line(api, admin, make):
    make.user(email="taken@example.org")
    invite(api, admin, ("pending@example.org", "P", "families", "participant"))
    rows, unreadable = parse_invitation_list(
        "email, name, group, role\n"
        "ok@example.org, Olga, families, participant\n"
        "\n"
        "taken@example.org, T, families, participant\n"
        "pending@example.org, P, families, participant\n"
        "ok@example.org, Olga again, families, participant\n"
        "no-group@example.org, N, pirates, participant\n"
        "no-role@example.org, N, families, king\n"
        "just-an-address@example.org\n"
        "tabbed@example.org\tTina\tstudents\tobserver\n")
    assert unreadable == [{"line": 9, "message": "Write e-mail, name, group and role, separated by commas."}]
    created, errors = create_invitations(db.session.get(User, admin.id), rows)
    assert sorted(i.email for i in created) == ["ok@example.org", "tabbed@example.org"]
    assert [e["line"] for e in errors] == [4, 5, 6, 7, 8]
    assert "has an account already" in errors[0]["message"] and "invited already" in errors[1]["message"]
    assert "twice" in errors[2]["message"] and "pirates" in errors[3]["message"]


def test_more_than_1000_invitations_at_once_are_refused(api, admin):
    rows = [(f"p{n}@example.org", f"P {n}", "families", "participant") for n in range(1001)]
    assert_error(invite(api, admin, *rows), 413, "too_many_invitations")


def test_a_thousand_line_paste_is_invited_and_every_mail_is_sent(api, app, smtp, admin):
    text = "\n".join(f"parent{n}@example.org, Parent {n}, families, participant" for n in range(1000))
    start = time.perf_counter()
    rows, unreadable = parse_invitation_list(text)
    created, errors = create_invitations(db.session.get(User, admin.id), rows)
    created_seconds = time.perf_counter() - start
    assert (len(created), errors, unreadable) == (1000, [], [])
    start = time.perf_counter()
    assert send_due_mail(app) == 1000
    sent_seconds = time.perf_counter() - start
    assert len(smtp.wait_for(1000)) == 1000
    assert db.session.execute(select(func.count()).select_from(Invitation)).scalar_one() == 1000
    assert {m.status for m in db.session.execute(select(OutboxMail)).scalars()} == {"sent"}
    print(f"\n1,000 invitations: created and queued in {created_seconds:.2f} s, sent over SMTP in {sent_seconds:.2f} s")


# --- leaving and taking one's data ----------------------------------------------------

def test_the_export_holds_only_that_persons_data(api, make, admin, participant, open_document, clause_id):
    other = make.user(name="Other Person", email="other@example.org")
    mine = make.comment(db.session.get(User, participant.id), clause_id, body="My own concern.")
    api.patch(f"/comments/{mine.id}", participant, json={"body": "My own concern, edited."})
    theirs = make.comment(other, clause_id, body="Someone else's words.")
    api.post(f"/comments/{theirs.id}/flags", participant, json={"reason": "Off topic."})
    api.post(f"/comments/{mine.id}/flags", make.user(), json={"reason": "Someone flags me."})
    api.post(f"/comments/{mine.id}/resolution", admin, json={"disposition": "noted", "rationale": "Heard."})

    answer = api.get("/me/export", participant)
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    data = answer.get_json()
    assert data["user"]["email"] == participant.email
    assert [c["body"] for c in data["comments"]] == ["My own concern, edited."]
    assert data["comments"][0]["earlier_texts"][0]["body"] == "My own concern."
    assert data["comments"][0]["resolutions"][0]["disposition"] == "noted"
    assert [f["reason"] for f in data["flags"]] == ["Off topic."]
    text = json.dumps(data)
    for foreign in ["Someone else's words.", "other@example.org", "Someone flags me.", "Other Person"]:
        assert foreign not in text
    event = events_of("user.data_exported")[-1]
    assert event.subject == f"user:{participant.id}" and participant.email not in event.data
    assert_error(api.get("/me/export"), 401)


@any_database
def test_deleting_an_account_blanks_it_ends_its_credentials_and_keeps_the_chain(api, make, app, participant,
                                                                                open_document, clause_id):
    user = db.session.get(User, participant.id)
    address = user.email
    comment = make.comment(user, clause_id, body="Words that stay.")
    other_token = make.token(user)
    assert api.delete("/me", participant).status_code == 204

    db.session.expire_all()
    user = db.session.get(User, participant.id)
    assert (user.name, user.email, user.password_hash, user.is_active) == (
        "Former participant", f"deleted-{user.id}@deleted.invalid", "", False)
    assert user.organisation is None and user.deleted_at is not None
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {other_token}"}).status_code == 401
    shown = api.get(f"/documents/{open_document.id}/comments", make.user()).get_json()["comments"]
    assert (shown[0]["id"], shown[0]["body"], shown[0]["author"]["name"], shown[0]["author"]["group"]) == (
        comment.id, "Words that stay.", "Former participant", "families")
    deleted = events_of("user.deleted")[-1]
    assert json.loads(deleted.data) == {"user_id": user.id, "group": "families"}
    assert verify_database().ok
    result = app.test_cli_runner().invoke(args=["events", "verify"])
    assert result.exit_code == 0, result.output
    # The address is free again.
    assert make.user(email=address).id != user.id


def test_the_last_administrator_cannot_leave(api, admin):
    assert_error(api.delete("/me", admin), 409, "last_admin")
