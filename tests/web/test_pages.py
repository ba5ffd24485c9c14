"""Signing in and out, the documents list, and the socket.io-client route."""
from __future__ import annotations

from collab.models import Credential
from collab.extensions import db
from tests.conftest import PASSWORD
from tests.web.helpers import page_csrf


def test_sign_in_page_renders_a_labelled_form(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<label for="email">E-mail</label>' in page
    assert '<label for="password">Password</label>' in page
    assert 'name="csrf_token"' in page


def test_sign_in_with_the_right_password_starts_a_session(app, client, make):
    make.user(email="ana@example.org")
    answer = client.post("/sign-in", data={"email": "ana@example.org", "password": PASSWORD,
                                             "csrf_token": page_csrf(client)})
    assert answer.status_code == 302 and answer.location == "/documents"
    assert client.get("/documents").status_code == 200


def test_sign_in_follows_a_local_next_but_never_another_site(client, make):
    make.user(email="ana@example.org")
    answer = client.post("/sign-in?next=//evil.example/x",
                         data={"email": "ana@example.org", "password": PASSWORD,
                                             "csrf_token": page_csrf(client)})
    assert answer.location == "/documents"
    client.post("/sign-out", data={"csrf_token": page_csrf(client)})
    # The session was cleared: take the token from the page, as a browser does.
    answer = client.post("/sign-in?next=/admin", data={"email": "ana@example.org", "password": PASSWORD,
                                                       "csrf_token": page_csrf(client)})
    assert answer.location == "/admin"


def test_sign_in_with_a_wrong_password_says_so_and_keeps_the_email(client, make):
    make.user(email="ana@example.org")
    answer = client.post("/sign-in", data={"email": "ana@example.org", "password": "not the password",
                                             "csrf_token": page_csrf(client)})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 401
    assert "Wrong e-mail or password." in page and 'role="alert"' in page
    assert 'value="ana@example.org"' in page
    assert db.session.query(Credential).count() == 0
    assert 'href="/sign-in"' in client.get("/documents").get_data(as_text=True)  # still signed out


def test_sign_in_is_rate_limited(database_url):
    from collab import create_app
    from tests.conftest import _config_dict

    limited = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                          "SIGN_IN_RATE_LIMIT": "3 per minute", "WTF_CSRF_ENABLED": False})
    client = limited.test_client()
    answers = [client.post("/sign-in", data={"email": "x@example.org", "password": "wrong password"}).status_code
               for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    again = client.post("/sign-in", data={"email": "x@example.org", "password": "wrong password"})
    assert "Too many failed sign-ins for this account" in again.get_data(as_text=True)


def test_sign_out_revokes_the_session_so_the_old_cookie_no_longer_works(client, make, sign_in):
    sign_in(client, make.user())
    with client.session_transaction() as session:
        old_session = dict(session)
    assert client.get("/documents").status_code == 200
    answer = client.post("/sign-out", data={"csrf_token": page_csrf(client)})
    assert answer.status_code == 302 and answer.location == "/sign-in"
    credential = db.session.query(Credential).one()
    db.session.refresh(credential)
    assert credential.revoked_at is not None
    with client.session_transaction() as session:  # replay the cookie from before
        session.update(old_session)
    answer = client.get("/documents")
    assert answer.status_code == 302 and answer.location.startswith("/sign-in")


def test_sign_out_without_the_csrf_token_is_refused_and_the_session_stays(client, make, sign_in):
    sign_in(client, make.user())
    answer = client.post("/sign-out")
    assert answer.status_code == 403
    assert "The form expired" in answer.get_data(as_text=True)
    assert db.session.query(Credential).one().revoked_at is None
    assert client.get("/documents").status_code == 200


def test_pages_send_signed_out_visitors_to_sign_in(client, make):
    invited = make.invited(make.document(title="Invited draft"))
    for path in (f"/documents/{invited.id}", "/admin", "/me/comments"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.location.startswith("/sign-in?next="), path


def test_documents_list_shows_version_commenting_state_and_counts(client, make, sign_in):
    admin = make.admin()
    open_doc = make.document(admin, title="Open draft")
    make.open_period(open_doc, admin)
    make.document(admin, title="Quiet draft")
    author = make.user()
    first = make.clause_ids(open_doc)[0]
    make.comment(author, first)
    make.comment(author, first, body="Second")
    sign_in(client, author)
    page = client.get("/documents").get_data(as_text=True)
    cards = page.split('<li class="document-card">')[1:]
    quiet_card, open_card = cards  # newest first
    assert "Open draft" in open_card and "Quiet draft" in quiet_card
    assert "Version</dt><dd>1" in open_card
    assert "Open</span> until" in open_card and ("EST" in open_card or "EDT" in open_card)
    assert "2 (2 open)" in open_card
    assert "no comment period yet" in quiet_card and "0 (0 open)" in quiet_card


def test_documents_list_escapes_titles(client, make, sign_in):
    make.document(title="<script>alert(1)</script>")
    sign_in(client, make.user())
    page = client.get("/documents").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_socket_io_client_is_served_from_node_modules(client):
    answer = client.get("/vendor/socket.io.min.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert b"io" in answer.data[:2000]
    answer.close()
