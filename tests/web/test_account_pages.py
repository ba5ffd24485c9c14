"""The account pages: sign-up, mailed links, My account, and the administrators' pages for
approval, organisations, sign-up settings and invitations."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from collab.extensions import db
from collab.models import Invitation, User
from collab.services.accounts import update_group_settings
from tests.api.test_accounts import link_in
from tests.conftest import events_of, send_due_mail
from tests.web.helpers import page_csrf


@pytest.fixture
def mail(app, smtp):
    return smtp


def delivered(app, smtp, count=1):
    send_due_mail(app)
    return smtp.wait_for(count)


@pytest.fixture
def families_open(make):
    admin = make.admin()
    update_group_settings(admin, "families", {"is_open_to_sign_up": True})
    update_group_settings(admin, "law-enforcement", {"is_open_to_sign_up": True})
    return admin


def test_sign_up_page_keeps_the_input_and_shows_errors_beside_fields(client, families_open):
    page = client.get("/sign-up").get_data(as_text=True)
    assert '<option value="families"' in page and '<option value="students"' not in page
    assert "(an administrator approves first)" in page
    answer = client.post("/sign-up", data={"csrf_token": page_csrf(client, "/sign-up"), "email": "not an address",
                                           "name": "Rosa", "group": "families", "organisation": "PTA",
                                           "show_name": "no", "language": "es"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'id="email-error"' in page and "email is not a valid e-mail address." in page
    assert 'value="not an address"' in page and 'value="Rosa"' in page and 'value="PTA"' in page
    assert 'value="no" checked' in page and '<option value="es" lang="es" selected' in page


def test_sign_up_verify_and_comment_through_the_pages(app, client, mail, families_open, make):
    document = make.document(families_open)
    make.open_period(document, families_open)
    clause_id = make.clause_ids(document)[0]
    answer = client.post("/sign-up", data={"csrf_token": page_csrf(client, "/sign-up"),
                                           "email": "rosa@example.org", "name": "Rosa", "group": "families",
                                           "show_name": "yes", "language": "en"})
    assert answer.status_code == 200 and "Check your mail" in answer.get_data(as_text=True)
    path, token = link_in(delivered(app, mail)[0])
    landing = client.get(f"/{path}?token={token}").get_data(as_text=True)
    assert "Confirm my address" in landing
    assert db.session.execute(select(User.email_verified_at).where(User.email == "rosa@example.org")).scalar() is None
    confirmed = client.post("/verify-email", data={"csrf_token": page_csrf(client, f"/{path}?token={token}"),
                                                   "token": token})
    assert confirmed.status_code == 302
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Rosa" in page
    csrf = page_csrf(client, f"/documents/{document.id}")
    commented = client.post(f"/api/v1/clauses/{clause_id}/comments", json={"body": "Tell parents first.",
                                                                             "kind": "concern"},
                            headers={"X-CSRFToken": csrf})
    assert commented.status_code == 201, commented.get_data(as_text=True)


def test_a_used_link_page_says_so(app, client, mail, make):
    make.user(email="rosa@example.org")
    client.post("/sign-in/email-link", data={"csrf_token": page_csrf(client), "email": "rosa@example.org"})
    path, token = link_in(delivered(app, mail)[0])
    form = {"csrf_token": page_csrf(client, f"/{path}?token={token}"), "token": token}
    assert client.post("/sign-in/link", data=form).status_code == 302
    client.post("/sign-out", data={"csrf_token": page_csrf(client, "/documents")})
    again = client.post("/sign-in/link", data={"csrf_token": page_csrf(client), "token": token})
    assert again.status_code == 400 and "used already" in again.get_data(as_text=True)


def test_the_pages_about_an_address_answer_alike(client, make):
    make.user(email="known@example.org")
    answers = []
    for email in ["known@example.org", "unknown@example.org"]:
        link = client.post("/sign-in/email-link", data={"csrf_token": page_csrf(client), "email": email})
        reset = client.post("/forgot-password", data={"csrf_token": page_csrf(client), "email": email})
        answers.append([(r.status_code, r.get_data(as_text=True).replace(email, "ADDRESS")) for r in (link, reset)])
    assert answers[0] == answers[1]


def test_password_reset_page_signs_in_and_ends_other_sessions(app, client, mail, make, sign_in):
    user = make.user(email="rosa@example.org")
    other = sign_in(app.test_client(), user)
    client.post("/forgot-password", data={"csrf_token": page_csrf(client), "email": "rosa@example.org"})
    path, token = link_in(delivered(app, mail)[0])
    short = client.post("/reset-password", data={"csrf_token": page_csrf(client, f"/{path}?token={token}"),
                                                 "token": token, "password": "short"})
    assert short.status_code == 400 and 'id="password-error"' in short.get_data(as_text=True)
    done = client.post("/reset-password", data={"csrf_token": page_csrf(client, f"/{path}?token={token}"),
                                                "token": token, "password": "a new long password"})
    assert done.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_my_account_changes_exports_and_deletes(app, client, make, sign_in):
    user = make.user(email="rosa@example.org", name="Rosa")
    sign_in(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert "rosa@example.org" in page and "Download my data" in page
    empty = client.post("/account/profile", data={"csrf_token": page_csrf(client, "/account"), "name": " ",
                                                  "language": "es", "organisation": "PTA", "show_name": "no"})
    assert empty.status_code == 400
    kept = empty.get_data(as_text=True)
    assert 'id="name-error"' in kept and 'value="PTA"' in kept
    saved = client.post("/account/profile", data={"csrf_token": page_csrf(client, "/account"), "name": "Rosa D.",
                                                  "language": "es", "organisation": "PTA", "show_name": "no"})
    assert saved.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert (stored.name, stored.language, stored.organisation, stored.show_name) == ("Rosa D.", "es", "PTA", False)
    wrong = client.post("/account/password", data={"csrf_token": page_csrf(client, "/account"),
                                                   "current_password": "nope", "password": "a new long password"})
    assert wrong.status_code == 401 and 'id="pw-current-error"' in wrong.get_data(as_text=True)
    exported = client.get("/account/export.json")
    assert json.loads(exported.get_data())["user"]["email"] == "rosa@example.org"
    refused = client.post("/account/delete", data={"csrf_token": page_csrf(client, "/account")})
    assert refused.status_code == 400
    deleted = client.post("/account/delete", data={"csrf_token": page_csrf(client, "/account"), "confirm": "yes"})
    assert deleted.status_code == 302
    assert client.get("/account").status_code == 302
    assert events_of("user.deleted")[-1].subject == f"user:{user.id}"


def test_admin_approves_confirms_organisations_and_opens_groups(app, client, make, sign_in, families_open, mail):
    from collab.services.accounts import sign_up

    sign_up(email="officer@example.org", name="Officer O", group="law-enforcement", organisation="City PD")
    sign_in(client, families_open)
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert "officer@example.org" in page and "City PD" in page
    officer = db.session.execute(select(User).where(User.email == "officer@example.org")).scalar_one()
    csrf = page_csrf(client, "/admin/accounts")
    assert client.post(f"/admin/accounts/{officer.id}/approve", data={"csrf_token": csrf}).status_code == 302
    assert client.post(f"/admin/accounts/{officer.id}/organisation",
                       data={"csrf_token": csrf, "verified": "true"}).status_code == 302
    assert client.post("/admin/groups/students", data={"csrf_token": csrf, "is_open_to_sign_up": "yes"}).status_code == 302
    db.session.expire_all()
    officer = db.session.get(User, officer.id)
    assert officer.approval_status == "approved" and officer.organisation_verified_at is not None
    assert "students" in client.get("/sign-up").get_data(as_text=True)


def test_admin_previews_a_pasted_list_then_sends_and_manages_invitations(app, client, make, sign_in, mail):
    admin = make.admin()
    sign_in(client, admin)
    lines = "ana@example.org, Ana, families, participant\nbad line\nben@example.org, Ben, pirates, participant"
    preview = client.post("/admin/invitations", data={"csrf_token": page_csrf(client, "/admin/invitations"),
                                                       "lines": lines, "action": "preview"})
    page = preview.get_data(as_text=True)
    assert "Preview: 1 invitation ready to send" in page and "Line 2:" in page and "Line 3:" in page
    assert "ana@example.org, Ana, families" in page  # the pasted text is kept
    assert db.session.execute(select(Invitation)).first() is None
    sent = client.post("/admin/invitations", data={"csrf_token": page_csrf(client, "/admin/invitations"),
                                                    "lines": lines, "action": "send"})
    page = sent.get_data(as_text=True)
    assert "1 invitation sent." in page and "bad line" in page and "ana@example.org, Ana" not in page.split("</textarea>")[0]
    invitation = db.session.execute(select(Invitation)).scalar_one()
    csrf = page_csrf(client, "/admin/invitations")
    assert client.post(f"/admin/invitations/{invitation.id}/resend", data={"csrf_token": csrf}).status_code == 302
    assert client.post(f"/admin/invitations/{invitation.id}/withdraw", data={"csrf_token": csrf}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).status == "withdrawn"
    assert len(delivered(app, mail, 2)) == 2


def test_accepting_an_invitation_through_the_page(app, client, make, mail):
    from collab.services.invitations import create_invitations, parse_invitation_list

    admin = make.admin()
    create_invitations(admin, parse_invitation_list("ana@example.org, Ana, educators, facilitator")[0])
    path, token = link_in(delivered(app, mail)[0])
    assert "Set up my account" in client.get(f"/{path}?token={token}").get_data(as_text=True)
    done = client.post("/accept-invitation", data={"csrf_token": page_csrf(client, f"/{path}?token={token}"),
                                                   "token": token, "password": ""})
    assert done.status_code == 302
    assert "Ana" in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/accounts", "/admin/invitations"])
def test_account_administration_is_for_administrators(client, make, sign_in, path):
    sign_in(client, make.user())
    assert client.get(path).status_code == 403


def test_a_refusal_shown_beside_its_field_is_not_flashed_as_well(client, make, sign_in, families_open):
    """These pages say it once, at the field; the flash banner is for pages without one."""
    bad_sign_up = client.post("/sign-up", data={"csrf_token": page_csrf(client, "/sign-up"), "email": "not an address",
                                                "name": "Rosa", "group": "families", "language": "en"})
    page = bad_sign_up.get_data(as_text=True)
    assert bad_sign_up.status_code == 400
    assert page.count("email is not a valid e-mail address.") == 1 and "flash-error" not in page
    sign_in(client, make.user(email="rosa@example.org"))
    wrong = client.post("/account/email", data={"csrf_token": page_csrf(client, "/account"),
                                                "email": "new@example.org", "current_password": "nope"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 401 and 'id="email-current-error"' in page and 'value="new@example.org"' in page
    assert "flash-error" not in page
    unticked = client.post("/account/delete", data={"csrf_token": page_csrf(client, "/account")})
    page = unticked.get_data(as_text=True)
    assert page.count("Tick the box to confirm that you want to delete your account.") == 1
    assert 'id="delete-error"' in page and "flash-error" not in page


def test_a_refused_action_on_an_admin_list_goes_back_with_the_reason_flashed(client, sign_in, families_open):
    sign_in(client, families_open)
    csrf = page_csrf(client, "/admin/accounts")
    answer = client.post("/admin/accounts/999999/approve", data={"csrf_token": csrf})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/accounts#waiting")
    assert "flash-error" in client.get("/admin/accounts").get_data(as_text=True)
    gone = client.post("/admin/invitations/999999/withdraw", data={"csrf_token": csrf})
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/admin/invitations#pending")
    assert "flash-error" in client.get("/admin/invitations").get_data(as_text=True)
    refused = client.post("/admin/invitations", data={"csrf_token": csrf, "lines": "  ", "action": "send"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "flash-error" not in page
    assert page.count("Paste at least one line: e-mail, name, group, role.") == 1
    assert '<textarea id="invite-lines" name="lines"' in page and ">  </textarea>" in page
