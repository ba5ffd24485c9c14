"""Preferences, digests, one-click unsubscribe, the API and pages, and the live room."""
from __future__ import annotations

from datetime import timedelta

import pytest

from collab.extensions import db
from collab.models.notifications import Notification, NotificationPreference
from collab.notifications.notifier import send_due_digests
from collab.notifications.tokens import unsubscribe_token
from collab.services.meetings import create_meeting
from collab.services.notifications import follow_document, update_notification_preferences
from collab.services.resolutions import record_resolution
from collab.timeutil import utcnow
from tests.conftest import any_database, send_due_mail
from tests.notifications.helpers import notified, notify


def _answered(make, app, parent=None):
    document = make.document()
    make.open_period(document)
    parent = parent or make.user()
    comment = make.comment(parent, make.clause_ids(document)[0])
    record_resolution(make.admin(), comment.id, disposition="accepted", rationale="Agreed.")
    notify(app)
    return document, parent


def test_never_and_kind_off_send_no_mail_but_keep_the_notification(app, make, smtp):
    parent, other = make.user(), make.user()
    update_notification_preferences(parent, {"email": "never"})
    update_notification_preferences(other, {"kinds": {"comment_answered": False}})
    _answered(make, app, parent)
    _answered(make, app, other)
    assert len(notified("comment_answered")) == 2
    assert send_due_mail(app) == 0 and smtp.messages == []


def test_digest_groups_by_document_newest_first_and_skips_what_was_read(app, make, smtp, client):
    admin = make.admin()
    reader = make.user()
    first, second = make.document(title="First agreement"), make.document(title="Second agreement")
    for document in (first, second):
        follow_document(reader, document.id)
    create_meeting(admin, first.id, title="Early meeting")
    create_meeting(admin, second.id, title="Later meeting")
    create_meeting(admin, first.id, title="Read meeting")
    notify(app)
    read = db.session.query(Notification).filter_by(user_id=reader.id).order_by(Notification.id.desc()).first()
    assert client.post("/api/v1/me/notifications/read", json={"ids": [read.id]},
                       headers=make.bearer(reader)).status_code == 204
    tomorrow = utcnow() + timedelta(days=1)
    assert send_due_digests(tomorrow) == 1
    assert send_due_digests(tomorrow) == 0  # once per digest moment
    assert send_due_mail(app) == 1
    (mail,) = smtp.wait_for(1)
    text = mail.get_body(("plain",)).get_content()
    assert "your daily digest (2 notifications)" in mail["Subject"]
    assert text.index("== Second agreement ==") < text.index("== First agreement ==")
    assert "Later meeting" in text and "Early meeting" in text and "Read meeting" not in text
    assert str(mail["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"


def test_a_digest_with_everything_read_is_never_sent(app, make, smtp):
    admin, reader = make.admin(), make.user()
    document = make.document()
    follow_document(reader, document.id)
    create_meeting(admin, document.id, title="Seen")
    notify(app)
    db.session.query(Notification).update({"read_at": utcnow()})
    db.session.commit()
    assert send_due_digests(utcnow() + timedelta(days=1)) == 0
    assert send_due_mail(app) == 0


def test_weekly_digest_waits_for_monday(app, make):
    admin, reader = make.admin(), make.user()
    update_notification_preferences(reader, {"email": "weekly"})
    document = make.document()
    follow_document(reader, document.id)
    create_meeting(admin, document.id, title="Weekly")
    notify(app)
    now = utcnow()
    next_monday = (now + timedelta(days=7 - now.weekday())).replace(hour=8)
    assert send_due_digests(next_monday) == 1


@any_database
def test_one_click_unsubscribe_by_post_without_a_session(app, make, smtp):
    document, parent = _answered(make, app)
    assert send_due_mail(app) == 1
    (mail,) = smtp.wait_for(1)
    url = str(mail["List-Unsubscribe"]).strip()[1:-1]
    path = url.replace(app.config["SITE_URL"], "")
    anonymous = app.test_client()
    response = anonymous.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(NotificationPreference, parent.id).email_frequency == "never"
    page = anonymous.get(path)
    assert page.status_code == 200 and b"weekly digest" in page.data


@pytest.mark.parametrize("token", ["forged", None])
def test_forged_or_expired_unsubscribe_tokens_are_refused(app, make, token):
    user = make.user()
    if token is None:
        app.config["UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS"] = -1  # every token is past its age
        token = unsubscribe_token(user.id)
    response = app.test_client().post(f"/unsubscribe?token={token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    page = app.test_client().get(f"/unsubscribe?token={token}")
    assert page.status_code == 400 and (b"not valid" in page.data or b"expired" in page.data)
    assert db.session.get(NotificationPreference, user.id) is None


def test_the_api_lists_pages_and_marks_read(app, make, client):
    admin, reader = make.admin(), make.user()
    document = make.document()
    follow_document(reader, document.id)
    for number in range(3):
        create_meeting(admin, document.id, title=f"Meeting {number}")
    notify(app)
    headers = make.bearer(reader)
    first = client.get("/api/v1/me/notifications", headers=headers).get_json()
    assert first["unread"] == 3 and len(first["notifications"]) == 3 and first["next"] is None
    assert set(first["notifications"][0]) >= {"id", "kind", "event_seq", "document_id", "comment_id",
                                              "created_at", "read_at"}
    assert client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers).status_code == 204
    assert client.get("/api/v1/me/notifications", headers=headers).get_json()["unread"] == 0
    bad = client.post("/api/v1/me/notifications/read", json={"ids": "x"}, headers=headers)
    assert bad.status_code == 400
    patched = client.patch("/api/v1/me", json={"notifications": {"email": "weekly"}}, headers=headers)
    assert patched.status_code == 200 and patched.get_json()["notifications"]["email"] == "weekly"
    assert client.patch("/api/v1/me/notifications/preferences", json={"email": "hourly"},
                        headers=headers).status_code == 400
    assert client.delete(f"/api/v1/documents/{document.id}/follow", headers=headers).get_json() == {
        "following": False}


def test_the_centre_page_shows_and_marks_read_and_the_header_counts(app, make, client, sign_in):
    admin, reader = make.admin(), make.user()
    document = make.document()
    follow_document(reader, document.id)
    create_meeting(admin, document.id, title="Budget night")
    notify(app)
    sign_in(client, reader)
    home = client.get("/documents")
    assert b'id="unread-count"> 1' in home.data and b'aria-live="polite"' in home.data
    page = client.get("/notifications")
    assert b"Budget night" in page.data
    assert client.get("/api/v1/me/notifications").get_json()["unread"] == 0


def test_a_notification_reaches_only_its_owners_sockets(app, make, socket_client):
    admin, reader, other = make.admin(), make.user(), make.user()
    document = make.document()
    follow_document(reader, document.id)
    mine = socket_client(token=make.token(reader))
    theirs = socket_client(token=make.token(other))
    mine.get_received(), theirs.get_received()
    create_meeting(admin, document.id, title="Live")
    notify(app)
    received = [m for m in mine.get_received() if m["name"] == "notification"]
    assert len(received) == 1 and received[0]["args"][0]["kind"] == "meeting_scheduled"
    assert [m for m in theirs.get_received() if m["name"] == "notification"] == []


def test_the_settings_page_saves_by_form_and_refuses_a_bad_choice(app, make, client, sign_in, csrf_token):
    reader = make.user()
    sign_in(client, reader)
    token = csrf_token()
    saved = client.post("/notifications/preferences", data={"csrf_token": token, "email": "weekly",
                                                            "kind_flag_new": "on"}, follow_redirects=True)
    assert saved.status_code == 200 and b"settings are saved" in saved.data
    preference = db.session.get(NotificationPreference, reader.id)
    assert preference.email_frequency == "weekly" and preference.kinds["comment_replied"] is False
    assert preference.answers_immediately is False
    refused = client.post("/notifications/preferences", data={"csrf_token": token, "email": "hourly"})
    assert refused.status_code == 400 and b"email must be one of" in refused.data
