"""The administrators' outbox page and its JSON API."""
from __future__ import annotations

import pytest

from collab.events import transaction
from collab.mail import enqueue_mail
from tests.conftest import events_of, send_due_mail
from tests.mail.test_outbox import queue, rows
from tests.web.helpers import page_csrf


@pytest.fixture
def admin_client(client, make, sign_in):
    admin = make.user(role="admin", group="district", name="Helen Admin", email="helen@example.org")
    sign_in(client, admin)
    client.admin = admin
    return client


def _form(client, **fields):
    return {"csrf_token": page_csrf(client, "/admin/outbox"), **fields}


@pytest.mark.parametrize("role", ["participant", "facilitator", "observer"])
def test_the_outbox_is_refused_to_everyone_but_admins(client, make, sign_in, role):
    user = make.user(role=role)
    sign_in(client, user)
    assert client.get("/admin/outbox").status_code == 403
    form = {"csrf_token": page_csrf(client, "/documents"), "to": "x@example.org"}
    assert client.post("/admin/outbox/test", data=form).status_code == 403
    headers = make.bearer(user)
    assert client.get("/api/v1/admin/outbox", headers=headers).status_code == 403
    assert client.post("/api/v1/admin/outbox/test", json={"to": "x@example.org"},
                       headers=headers).status_code == 403
    assert rows() == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.get("/admin/outbox")
    assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"]
    assert client.get("/api/v1/admin/outbox").status_code == 401


def test_the_page_lists_sent_and_failed_mail_with_the_reason_and_retries(app, admin_client, smtp):
    queue(1, to="parent{}@example.org")
    queue(1, to="refused{}@example.org")
    send_due_mail(app)
    page = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert "parent0@example.org" in page and "refused0@example.org" in page
    assert "No such mailbox here" in page and "Failed" in page and "Sent" in page
    assert "All (2)" in page and "Failed (1)" in page
    failed_only = admin_client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "refused0@example.org" in failed_only and "parent0@example.org" not in failed_only

    failed = rows()[1]
    answer = admin_client.post(f"/admin/outbox/{failed.id}/retry", data=_form(admin_client))
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"#mail-{failed.id}")
    assert (rows()[1].status, rows()[1].attempts) == ("queued", 0)
    assert events_of("mail.retried")[-1].subject == f"mail:{failed.id}"
    sent = rows()[0]
    again = admin_client.post(f"/admin/outbox/{sent.id}/retry", data=_form(admin_client), follow_redirects=True)
    assert "This mail was sent already." in again.get_data(as_text=True)


def test_send_a_test_mail_from_the_page(app, admin_client, smtp):
    answer = admin_client.post("/admin/outbox/test", data=_form(admin_client, to="not an address"))
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "email is not a valid e-mail address." in page and 'value="not an address"' in page
    assert rows() == []

    answer = admin_client.post("/admin/outbox/test", data=_form(admin_client, to="clerk@example.org"))
    assert answer.status_code == 302
    send_due_mail(app)
    (message,) = smtp.wait_for(1)
    assert message["To"] == "clerk@example.org" and "Helen Admin asked" in message.get_body(("plain",)).get_content()
    assert "Sent" in admin_client.get("/admin/outbox").get_data(as_text=True)


def test_the_page_is_phone_first_and_labelled(admin_client):
    page = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert 'name="viewport"' in page
    assert '<label for="test-to">' in page and 'aria-current="page"' in page


def test_the_outbox_api_lists_pages_and_retries(app, client, make, smtp):
    admin = make.admin()
    headers = make.bearer(admin)
    queue(3, to="refused{}@example.org")
    with transaction():
        enqueue_mail(to="parent@example.org", subject="Hello", text="Hi", headers={"List-Unsubscribe": "<x>"})
    send_due_mail(app)

    answer = client.get("/api/v1/admin/outbox?limit=2", headers=headers)
    assert answer.status_code == 200
    body = answer.get_json()
    assert [m["recipient"] for m in body["mails"]] == ["parent@example.org", "refused2@example.org"]
    assert body["mails"][0]["headers"] == {"List-Unsubscribe": "<x>"} and body["mails"][0]["text_body"] == "Hi"
    assert body["counts"] == {"queued": 0, "sending": 0, "sent": 1, "failed": 3}
    rest = client.get(f"/api/v1/admin/outbox?limit=2&cursor={body['next']}", headers=headers).get_json()
    assert [m["recipient"] for m in rest["mails"]] == ["refused1@example.org", "refused0@example.org"]
    assert rest["next"] is None
    failed = client.get("/api/v1/admin/outbox?status=failed", headers=headers).get_json()["mails"]
    assert len(failed) == 3 and "550" in failed[0]["last_error"]

    retried = client.post(f"/api/v1/admin/outbox/{failed[0]['id']}/retry", headers=headers)
    assert retried.status_code == 200 and retried.get_json()["mail"]["status"] == "queued"
    sent_id = body["mails"][0]["id"]
    conflict = client.post(f"/api/v1/admin/outbox/{sent_id}/retry", headers=headers)
    assert conflict.status_code == 409 and conflict.get_json()["error"]["code"] == "mail_sent"
    assert client.post("/api/v1/admin/outbox/999/retry", headers=headers).status_code == 404

    created = client.post("/api/v1/admin/outbox/test", json={"to": "clerk@example.org"}, headers=headers)
    assert created.status_code == 201 and created.get_json()["mail"]["status"] == "queued"
    bad = client.post("/api/v1/admin/outbox/test", json={"to": 5}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_email"
    for query in ("status=lost", "limit=0", "limit=abc", "cursor=x"):
        refused = client.get(f"/api/v1/admin/outbox?{query}", headers=headers)
        assert refused.status_code == 400, query
