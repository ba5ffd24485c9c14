"""Self-service accounts over the API, with mail through a real SMTP server (aiosmtpd):
sign-up and verification, approval, link sign-in, password reset, one's own account."""
from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from collab.extensions import db
from collab.models import AccountLink, User
from collab.services.accounts import update_group_settings
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import PASSWORD, any_database, events_of, send_due_mail

LINK = re.compile(r"https://common-ground\.test/([a-z/-]+)\?token=([A-Za-z0-9_-]+)")


def open_groups(admin, *slugs):
    for slug in slugs:
        update_group_settings(admin, slug, {"is_open_to_sign_up": True})


def link_in(message) -> tuple[str, str]:
    """The path and token of the link in a mail (the same in its text and HTML parts)."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    path, token = LINK.search(text).groups()
    assert f"{path}?token={token}" in html
    return path, token


def mails_to(smtp, address: str, count: int = 1) -> list:
    send_due_mail(smtp.app)
    return [m for m in smtp.wait_for(count) if m["To"] == address]


@pytest.fixture
def mail(app, smtp):
    smtp.app = app
    return smtp


@pytest.fixture
def opened(admin):
    open_groups(admin, "families", "students", "educators", "community", "law-enforcement")
    return admin


def sign_up(api, email="parent@example.org", group="families", **extra):
    return api.post("/accounts", json={"email": email, "name": "Rosa Parent", "group": group, **extra})


@any_database
def test_sign_up_then_the_verification_link_then_the_first_comment(api, mail, opened, open_document, clause_id):
    answer = sign_up(api, organisation="Eastside PTA", language="es")
    assert answer.status_code == 202 and answer.get_json() == {}
    user = db.session.execute(select(User).where(User.email == "parent@example.org")).scalar_one()
    assert (user.role, user.group.slug, user.language, user.password_hash) == ("participant", "families", "es", "")
    assert user.email_verified_at is None and user.show_name is True
    assert events_of("user.signed_up")[-1].subject == f"user:{user.id}"
    assert "parent@example.org" not in events_of("user.signed_up")[-1].data

    # Before verifying: reading works, commenting does not.
    asked = api.post("/auth/links", json={"email": "parent@example.org"})
    assert asked.status_code == 202
    messages = mails_to(mail, "parent@example.org", 2)
    # She chose Spanish when signing up: her mails are written in it.
    verification = next(m for m in messages if "confirme su dirección" in m["Subject"])
    path, token = link_in(verification)
    assert path == "verify-email"
    sign_in_path, sign_in_token = link_in(next(m for m in messages if "enlace para iniciar sesión" in m["Subject"]))
    assert sign_in_path == "sign-in/link"
    # No password was chosen: password sign-in is refused like any wrong password.
    assert_error(api.post("/auth/tokens", json={"email": "parent@example.org", "password": "any password at all"}),
                 401, "invalid_credentials")
    stored = db.session.execute(select(AccountLink).where(AccountLink.purpose == "verify_email")).scalar_one()
    assert stored.token_hash != token and len(stored.token_hash) == 64

    verified = api.post("/auth/verify-email", json={"token": token})
    assert verified.status_code == 200 and verified.get_json()["user"]["email_verified"] is True
    assert_error(api.post("/auth/verify-email", json={"token": token}), 400, "invalid_token")

    signed_in = api.post("/auth/links/redeem", json={"token": sign_in_token})
    assert signed_in.status_code == 201
    bearer = {"Authorization": f"Bearer {signed_in.get_json()['token']}"}
    comment = api.client.post(f"/api/v1/clauses/{clause_id}/comments", headers=bearer,
                              json={"body": "Please tell parents before an officer questions a child.",
                                    "kind": "concern"})
    assert comment.status_code == 201, comment.get_data(as_text=True)


def test_commenting_before_verifying_is_refused_with_email_unverified(api, mail, opened, open_document, clause_id):
    sign_up(api, password="a long parent password")
    token = api.post("/auth/tokens", json={"email": "parent@example.org", "password": "a long parent password"})
    bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert api.client.get(f"/api/v1/documents/{open_document.id}", headers=bearer).status_code == 200
    before = stored_rows()
    refused = api.client.post(f"/api/v1/clauses/{clause_id}/comments", headers=bearer,
                              json={"body": "Too early.", "kind": "concern"})
    assert_error(refused, 403, "email_unverified")
    assert stored_rows() == before

    _path, token = link_in(mails_to(mail, "parent@example.org")[0])
    api.post("/auth/verify-email", json={"token": token})
    accepted = api.client.post(f"/api/v1/clauses/{clause_id}/comments", headers=bearer,
                               json={"body": "Now it counts.", "kind": "concern"})
    assert accepted.status_code == 201


def test_a_group_that_needs_approval_reads_but_comments_only_once_approved(api, mail, opened, open_document,
                                                                           clause_id):
    sign_up(api, email="officer@example.org", group="law-enforcement", password="a long officer password")
    officer = db.session.execute(select(User).where(User.email == "officer@example.org")).scalar_one()
    assert officer.approval_status == "pending"
    _path, token = link_in(mails_to(mail, "officer@example.org")[0])
    api.post("/auth/verify-email", json={"token": token})
    bearer = {"Authorization": "Bearer " + api.post("/auth/tokens", json={
        "email": "officer@example.org", "password": "a long officer password"}).get_json()["token"]}
    assert api.client.get(f"/api/v1/documents/{open_document.id}/comments", headers=bearer).status_code == 200
    assert_error(api.client.post(f"/api/v1/clauses/{clause_id}/comments", headers=bearer,
                                 json={"body": "SRO view.", "kind": "concern"}), 403, "approval_pending")

    waiting = api.get("/users/awaiting-approval", opened).get_json()["users"]
    assert [u["id"] for u in waiting] == [officer.id]
    assert_error(api.post(f"/users/{officer.id}/approve", api.user()), 403)
    approved = api.post(f"/users/{officer.id}/approve", opened)
    assert approved.status_code == 200 and approved.get_json()["user"]["approval_status"] == "approved"
    assert "approved" in mails_to(mail, "officer@example.org", 2)[-1]["Subject"]
    assert api.client.post(f"/api/v1/clauses/{clause_id}/comments", headers=bearer,
                           json={"body": "SRO view.", "kind": "concern"}).status_code == 201


def test_sign_up_is_refused_for_a_group_the_district_has_not_opened(api, admin):
    before = stored_rows()
    assert_error(sign_up(api, group="district"), 400, "group_closed")
    assert_error(sign_up(api, group="no-such-group"), 400, "invalid_group")
    assert_error(sign_up(api, email="not-an-address"), 400, "invalid_email")
    assert_error(sign_up(api, password="short"), 400, "weak_password")
    assert_error(sign_up(api, language="fr"), 400, "invalid_language")
    assert stored_rows() == before


def test_students_show_only_their_group_unless_they_choose(api, opened):
    sign_up(api, email="kid@example.org", group="students")
    sign_up(api, email="teen@example.org", group="students", show_name=True)
    shown = dict(db.session.execute(select(User.email, User.show_name).where(User.group.has(slug="students"))).all())
    assert shown == {"kid@example.org": False, "teen@example.org": True}


def test_link_sign_in_needs_no_password_and_the_link_works_once(api, mail, make):
    parent = make.user(email="parent@example.org")
    assert api.post("/auth/links", json={"email": "Parent@Example.org"}).status_code == 202
    path, token = link_in(mails_to(mail, "parent@example.org")[0])
    assert path == "sign-in/link"
    first = api.post("/auth/links/redeem", json={"token": token})
    assert first.status_code == 201 and first.get_json()["user"]["id"] == parent.id
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {first.get_json()['token']}"})
    assert me.get_json()["user"]["email"] == "parent@example.org"
    assert_error(api.post("/auth/links/redeem", json={"token": token}), 400, "invalid_token")


def test_an_expired_link_is_refused(api, mail, make):
    make.user(email="parent@example.org")
    api.post("/auth/links", json={"email": "parent@example.org"})
    _path, token = link_in(mails_to(mail, "parent@example.org")[0])
    db.session.execute(update(AccountLink).values(expires_at=AccountLink.created_at - timedelta(seconds=1)))
    db.session.commit()
    assert_error(api.post("/auth/links/redeem", json={"token": token}), 400, "invalid_token")
    for wrong in ["", "x" * 300, 42, None]:
        assert_error(api.post("/auth/links/redeem", json={"token": wrong}), 400, "invalid_token")


def test_a_link_of_one_purpose_does_not_work_for_another(api, mail, make):
    make.user(email="parent@example.org")
    api.post("/auth/password-reset", json={"email": "parent@example.org"})
    _path, token = link_in(mails_to(mail, "parent@example.org")[0])
    assert_error(api.post("/auth/links/redeem", json={"token": token}), 400, "invalid_token")
    assert_error(api.post("/auth/verify-email", json={"token": token}), 400, "invalid_token")


def test_links_die_when_the_account_is_deactivated_and_stay_dead_after_reactivation(api, mail, make, admin):
    parent = make.user(email="parent@example.org")
    api.post("/auth/links", json={"email": "parent@example.org"})
    _path, token = link_in(mails_to(mail, "parent@example.org")[0])
    api.patch(f"/users/{parent.id}", admin, json={"is_active": False})
    api.patch(f"/users/{parent.id}", admin, json={"is_active": True})
    assert_error(api.post("/auth/links/redeem", json={"token": token}), 400, "invalid_token")


def test_password_reset_ends_every_session_token_and_link(api, mail, make, sign_in, app):
    parent = make.user(email="parent@example.org")
    old_token = make.token(parent)
    browser = sign_in(app.test_client(), parent)
    api.post("/auth/links", json={"email": "parent@example.org"})
    assert api.post("/auth/password-reset", json={"email": "parent@example.org"}).status_code == 202
    messages = mails_to(mail, "parent@example.org", 2)
    _p, sign_in_token = link_in(messages[0])
    path, token = link_in(messages[1])
    assert path == "reset-password"
    assert_error(api.post("/auth/password-reset/confirm", json={"token": token, "password": "short"}), 400,
                 "weak_password")
    done = api.post("/auth/password-reset/confirm", json={"token": token, "password": "a brand new password"})
    assert done.status_code == 204
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    assert browser.get("/api/v1/me").status_code == 401
    assert_error(api.post("/auth/links/redeem", json={"token": sign_in_token}), 400, "invalid_token")
    assert api.post("/auth/tokens", json={"email": "parent@example.org", "password": PASSWORD}).status_code == 401
    assert api.post("/auth/tokens", json={"email": "parent@example.org",
                                          "password": "a brand new password"}).status_code == 201
    assert events_of("user.password_reset")[-1].subject == f"user:{parent.id}"


def test_changing_the_password_ends_every_other_session_but_this_one(api, make):
    parent = make.user(email="parent@example.org")
    other, this = make.token(parent), make.token(parent)
    this_headers = {"Authorization": f"Bearer {this}"}
    wrong = api.client.patch("/api/v1/me", headers=this_headers,
                             json={"password": "a brand new password", "current_password": "wrong one"})
    assert_error(wrong, 401, "wrong_password")
    changed = api.client.patch("/api/v1/me", headers=this_headers,
                               json={"password": "a brand new password", "current_password": PASSWORD})
    assert changed.status_code == 200
    assert api.client.get("/api/v1/me", headers=this_headers).status_code == 200
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_changing_the_email_takes_effect_with_its_link_and_ends_other_sessions(api, mail, make):
    parent = make.user(email="parent@example.org")
    other, this = make.token(parent), make.token(parent)
    this_headers = {"Authorization": f"Bearer {this}"}
    asked = api.client.patch("/api/v1/me", headers=this_headers,
                             json={"email": "rosa@example.net", "current_password": PASSWORD})
    assert asked.status_code == 200 and asked.get_json()["user"]["email"] == "parent@example.org"
    _path, token = link_in(mails_to(mail, "rosa@example.net")[0])
    confirmed = api.client.post("/api/v1/auth/verify-email", headers=this_headers, json={"token": token})
    assert confirmed.get_json()["user"]["email"] == "rosa@example.net"
    assert api.client.get("/api/v1/me", headers=this_headers).status_code == 200
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_profile_changes(api, participant):
    changed = api.patch("/me", participant, json={"name": "Pat P.", "language": "es", "show_name": False,
                                                  "organisation": "Families United"})
    user = changed.get_json()["user"]
    assert (user["name"], user["language"], user["show_name"], user["organisation"]) == (
        "Pat P.", "es", False, "Families United")
    assert user["organisation_verified"] is False
    assert_error(api.patch("/me", participant, json={"role": "admin"}), 400, "unknown_field")
    assert_error(api.patch("/me", participant, json={}), 400, "nothing_to_change")
    assert_error(api.patch("/me", None, json={"name": "x"}), 401)


def test_an_administrator_verifies_an_organisation_and_the_badge_shows(api, admin, participant, open_document,
                                                                      clause_id, make):
    api.patch("/me", participant, json={"organisation": "Families United"})
    make.comment(db.session.get(User, participant.id), clause_id)
    author = api.get(f"/documents/{open_document.id}/comments", participant).get_json()["comments"][0]["author"]
    assert "organisation" not in author  # a claim is not shown until checked
    assert_error(api.call("PUT", f"/users/{participant.id}/organisation-verification", participant,
                          json={"verified": True}), 403)
    verified = api.call("PUT", f"/users/{participant.id}/organisation-verification", admin, json={"verified": True})
    assert verified.get_json()["user"]["organisation_verified"] is True
    author = api.get(f"/documents/{open_document.id}/comments", participant).get_json()["comments"][0]["author"]
    assert author["organisation"] == "Families United"


def test_an_administrator_opens_a_group_to_sign_up(api, admin, participant):
    assert_error(api.patch("/groups/families", participant, json={"is_open_to_sign_up": True}), 403)
    opened = api.patch("/groups/families", admin, json={"is_open_to_sign_up": True})
    assert opened.get_json()["group"] == {"slug": "families", "name": opened.get_json()["group"]["name"],
                                          "is_open_to_sign_up": True, "needs_approval": False}
    assert_error(api.patch("/groups/families", admin, json={"colour": "red"}), 400, "unknown_field")
    assert events_of("group.updated")[-1].subject == "group:families"


# --- no answer tells whether an address has an account ----------------------------------

def _answers(api, email: str) -> list[tuple[int, bytes]]:
    return [(r.status_code, r.get_data()) for r in (
        api.post("/auth/links", json={"email": email}),
        api.post("/auth/password-reset", json={"email": email}),
        api.post("/accounts", json={"email": email, "name": "Someone", "group": "families"}))]


def test_known_and_unknown_addresses_get_the_same_answers(api, mail, opened, make):
    make.user(email="known@example.org")
    assert _answers(api, "known@example.org") == _answers(api, "unknown@example.org")
    # The known address hears about it; the unknown one was offered only a verification link to sign up.
    send_due_mail(mail.app)
    subjects = sorted(m["Subject"] for m in mail.messages if m["To"] == "known@example.org")
    assert subjects == ["Common Ground: reset your password", "Common Ground: you already have an account",
                        "Common Ground: your sign-in link"]
    assert [m["Subject"] for m in mail.messages if m["To"] == "unknown@example.org"] == [
        "Common Ground: confirm your e-mail address"]


@pytest.mark.parametrize("route", ["/auth/links", "/auth/password-reset", "/accounts"])
def test_known_and_unknown_addresses_take_the_same_time(api, opened, make, app, route):
    """The work a request does, with a realistic Argon2 cost, is the same for a known and an
    unknown address: medians of 15 interleaved pairs of requests (which goes first alternates)
    differ by less than a third of the smaller one, or by 10 ms at most.

    Measured as the process's CPU time (every thread: the password hashing runs in a pool), which
    other programs on the machine do not inflate as they do wall-clock time (at a load average of 8 on
    two cores the wall-clock medians of the same requests differed by a quarter), while an Argon2 hash
    skipped on one side (about 30 ms) still fails it. The wall-clock medians are printed."""
    app.config["ARGON2_PARAMETERS"] = {"time_cost": 2, "memory_cost": 16384, "parallelism": 1}
    make.user(email="known@example.org")
    fresh = iter(range(1000))

    def ask(email) -> tuple[float, float]:
        body = {"email": email, "name": "Someone", "group": "families", "password": "a long enough password"}
        cpu, wall = time.process_time(), time.perf_counter()
        answer = api.post(route, json=body if route == "/accounts" else {"email": email})
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert answer.status_code == 202
        return cpu, wall

    def unknown():
        # A new unknown address each time, so that sign-up keeps meeting an address without an account.
        return ask(f"new{next(fresh)}@example.org")

    ask("warm-up@example.org")
    ask("known@example.org")
    known, unknowns = [], []
    for round_ in range(15):
        if round_ % 2:
            unknowns.append(unknown())
            known.append(ask("known@example.org"))
        else:
            known.append(ask("known@example.org"))
            unknowns.append(unknown())
    (known_cpu, known_wall), (unknown_cpu, unknown_wall) = (
        tuple(statistics.median(sample[i] for sample in samples) for i in (0, 1)) for samples in (known, unknowns))
    print(f"\n{route}: median CPU known {known_cpu * 1000:.1f} ms, unknown {unknown_cpu * 1000:.1f} ms; "
          f"wall clock known {known_wall * 1000:.1f} ms, unknown {unknown_wall * 1000:.1f} ms")
    assert abs(known_cpu - unknown_cpu) < max(0.010, min(known_cpu, unknown_cpu) / 3), (known_cpu, unknown_cpu)


@pytest.mark.real_commits  # re-initialises the limiter: an app of its own
def test_the_anonymous_routes_are_rate_limited_per_address(api, app):
    app.config.update(RATELIMIT_ENABLED=True, ACCOUNT_MAIL_RATE_LIMIT="3 per minute")
    from collab.extensions import limiter

    limiter.init_app(app)
    try:
        codes = [api.post("/auth/links", json={"email": "same@example.org"}).status_code for _ in range(4)]
        assert codes == [202, 202, 202, 429]
        assert api.post("/auth/password-reset", json={"email": "same@example.org"}).status_code == 429
        assert api.post("/auth/links", json={"email": "other@example.org"}).status_code == 202
    finally:
        app.config["RATELIMIT_ENABLED"] = False
        limiter.init_app(app)
