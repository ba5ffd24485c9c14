"""The administration page: refusals for everyone but admins, and each admin action."""
from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from collab.extensions import db
from collab.models import CommentPeriod, Document, User
from collab.timeutil import utcnow
from tests.conftest import PASSWORD, events_of
from tests.web.helpers import page_csrf

CLAUSES_TEXT = """1. Purpose
The program keeps students safe.

It supports learning.
4.2 Questioning students
Parents are told first.
"""


@pytest.fixture
def admin_client(client, make, sign_in):
    admin = make.user(role="admin", group="district", name="Helen Admin")
    sign_in(client, admin)
    client.admin = admin
    return client


def _form(client, **fields):
    return {"csrf_token": page_csrf(client, "/admin"), **fields}


@pytest.mark.parametrize("role", ["participant", "facilitator", "observer"])
def test_admin_page_is_refused_to_everyone_else(client, make, sign_in, role):
    sign_in(client, make.user(role=role))
    answer = client.get("/admin")
    assert answer.status_code == 403
    assert "Only administrators can open the administration page." in answer.get_data(as_text=True)


def test_admin_actions_are_refused_to_participants_and_change_nothing(client, make, sign_in):
    participant = make.user()
    document = make.document()
    sign_in(client, participant)
    token = page_csrf(client, "/documents")
    before = len(events_of())
    answers = [
        client.post("/admin/users", data={"csrf_token": token, "email": "x@example.org", "name": "X",
                                          "password": PASSWORD, "role": "admin", "group": "district"}),
        client.post(f"/admin/users/{participant.id}", data={"csrf_token": token, "role": "admin"}),
        client.post("/admin/documents", data={"csrf_token": token, "title": "T", "clauses": CLAUSES_TEXT,
                                              "action": "create"}),
        client.post(f"/admin/documents/{document.id}/periods", data={"csrf_token": token,
                                                                     "closes_at": "2099-01-01T00:00"}),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    db.session.refresh(participant)
    assert participant.role == "participant"
    assert db.session.query(Document).count() == 1 and db.session.query(CommentPeriod).count() == 0
    assert len(events_of()) == before


def test_admin_page_lists_accounts_documents_and_periods(admin_client, make):
    document = make.document(admin_client.admin, title="Draft MOU")
    make.open_period(document, admin_client.admin)
    page = admin_client.get("/admin").get_data(as_text=True)
    assert "Helen Admin" in page and "Draft MOU" in page
    assert "Close now" in page and "local time (America/New_York)" in page
    assert 'for="role-' in page and 'for="user-group"' in page


def test_admin_creates_an_account(admin_client):
    answer = admin_client.post("/admin/users", data=_form(admin_client, email="New@Example.org", name="Nia New",
                                                          password=PASSWORD, role="participant", group="students"))
    assert answer.status_code == 302
    user = db.session.query(User).filter_by(email="new@example.org").one()
    assert (user.name, user.role, user.group.slug) == ("Nia New", "participant", "students")
    assert events_of("user.created")[-1].subject == f"user:{user.id}"
    assert "Account created for Nia New" in admin_client.get(answer.location).get_data(as_text=True)


def test_a_refused_account_keeps_the_form_and_says_why(admin_client, make):
    make.user(email="taken@example.org")
    count = db.session.query(User).count()
    answer = admin_client.post("/admin/users", data=_form(admin_client, email="taken@example.org", name="Second",
                                                          password=PASSWORD, role="observer", group="community"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "An account for taken@example.org exists already." in page
    assert 'value="Second"' in page and '<option value="community" selected>' in page
    assert db.session.query(User).count() == count

    answer = admin_client.post("/admin/users", data=_form(admin_client, email="short@example.org", name="Short",
                                                          password="short", role="observer", group="community"))
    assert answer.status_code == 400 and "at least 10 characters" in answer.get_data(as_text=True)


def test_admin_changes_a_role_and_deactivates_and_reactivates(admin_client, make):
    user = make.user()
    answer = admin_client.post(f"/admin/users/{user.id}", data=_form(admin_client, role="facilitator"))
    assert answer.status_code == 302
    db.session.refresh(user)
    assert user.role == "facilitator"
    admin_client.post(f"/admin/users/{user.id}", data=_form(admin_client, is_active="false"))
    db.session.refresh(user)
    assert user.is_active is False
    assert "Reactivate" in admin_client.get("/admin").get_data(as_text=True)
    admin_client.post(f"/admin/users/{user.id}", data=_form(admin_client, is_active="true"))
    db.session.refresh(user)
    assert user.is_active is True
    assert [e.data for e in events_of("user.updated")][-3:] == [
        f'{{"role":"facilitator","user_id":{user.id}}}', f'{{"is_active":false,"user_id":{user.id}}}',
        f'{{"is_active":true,"user_id":{user.id}}}']


def test_admin_cannot_deactivate_themselves(admin_client):
    answer = admin_client.post(f"/admin/users/{admin_client.admin.id}", data=_form(admin_client, is_active="false"))
    assert answer.status_code in (400, 403, 409)  # the page again, not a redirect that hides the status
    assert "You cannot deactivate your own account." in answer.get_data(as_text=True)
    db.session.refresh(admin_client.admin)
    assert admin_client.admin.is_active


def test_preview_shows_the_parsed_clauses_and_saves_nothing(admin_client):
    answer = admin_client.post("/admin/documents", data=_form(admin_client, title="New MOU", clauses=CLAUSES_TEXT,
                                                              action="preview"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Preview: 2 clauses" in page
    assert "<strong>1</strong> Purpose" in page and "<strong>4.2</strong> Questioning students" in page
    assert 'value="create"' in page and "Parents are told first.\n</textarea>" in page
    assert db.session.query(Document).count() == 0


def test_create_saves_the_document_as_version_one(admin_client):
    answer = admin_client.post("/admin/documents", data=_form(admin_client, title="New MOU", clauses=CLAUSES_TEXT,
                                                              action="create"))
    assert answer.status_code == 302
    document = db.session.query(Document).one()
    from collab.reads.documents import document_view

    clauses = document_view(document.id)["clauses"]
    assert [(c["number"], c["heading"], c["body"]) for c in clauses] == [
        ("1", "Purpose", "The program keeps students safe.\n\nIt supports learning."),
        ("4.2", "Questioning students", "Parents are told first.")]
    assert len(events_of("document.created")) == 1


def test_badly_formatted_clauses_are_refused_with_the_reason(admin_client):
    answer = admin_client.post("/admin/documents", data=_form(admin_client, title="New MOU",
                                                              clauses="Preamble first, with no numbered heading.",
                                                              action="create"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "No headings were found" in page and "Preamble first" in page
    assert db.session.query(Document).count() == 0


def test_admin_opens_a_period_now_and_closes_it(admin_client, make):
    document = make.document(admin_client.admin)
    closes_utc = utcnow() + timedelta(days=10)
    closes = closes_utc.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%dT%H:%M")
    answer = admin_client.post(f"/admin/documents/{document.id}/periods",
                               data=_form(admin_client, opens_at="", closes_at=closes))
    assert answer.status_code == 302
    period = db.session.query(CommentPeriod).one()
    assert period.is_open_at(utcnow()) and period.closes_at.strftime("%Y-%m-%dT%H:%M") == closes_utc.strftime(
        "%Y-%m-%dT%H:%M")
    assert len(events_of("period.opened")) == 1
    asked = admin_client.post(f"/admin/periods/{period.id}/close", data=_form(admin_client))
    assert asked.status_code == 200 and "Close the comment period now?" in asked.get_data(as_text=True)
    db.session.refresh(period)
    assert period.closed_early_at is None and events_of("period.closed") == []  # the first press only asks
    answer = admin_client.post(f"/admin/periods/{period.id}/close", data=_form(admin_client, confirm="yes"))
    assert answer.status_code == 302
    db.session.refresh(period)
    assert period.closed_early_at is not None and len(events_of("period.closed")) == 1


def test_admin_schedules_a_period_for_later(admin_client, make):
    document = make.document(admin_client.admin)
    opens = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    closes = (utcnow() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    admin_client.post(f"/admin/documents/{document.id}/periods",
                      data=_form(admin_client, opens_at=opens, closes_at=closes))
    assert len(events_of("period.scheduled")) == 1
    page = admin_client.get("/admin").get_data(as_text=True)
    assert "Scheduled" in page and "Cancel" in page


def test_a_period_that_closes_before_it_opens_is_refused_and_the_input_kept(admin_client, make):
    document = make.document(admin_client.admin)
    answer = admin_client.post(f"/admin/documents/{document.id}/periods",
                               data=_form(admin_client, opens_at="2099-02-01T10:00", closes_at="2099-01-01T10:00"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "closes_at must be after opens_at." in page and 'value="2099-02-01T10:00"' in page
    assert db.session.query(CommentPeriod).count() == 0


def test_admin_form_without_csrf_token_is_refused(admin_client):
    answer = admin_client.post("/admin/users", data={"email": "x@example.org", "name": "X", "password": PASSWORD,
                                                     "role": "admin", "group": "district"})
    assert answer.status_code == 403
    assert db.session.query(User).filter_by(email="x@example.org").count() == 0


def test_item16_periods_are_scheduled_and_shown_in_the_districts_time_zone(admin_client, make, app):
    document = make.document(admin_client.admin)
    page = admin_client.get("/admin").get_data(as_text=True)
    assert "Opens (America/New_York time)" in page
    admin_client.post(f"/admin/documents/{document.id}/periods",
                      data=_form(admin_client, opens_at="2099-01-15T09:00", closes_at="2099-07-15T17:30"))
    period = db.session.query(CommentPeriod).one()
    # 09:00 in New York in January is 14:00 UTC (EST); 17:30 in July is 21:30 UTC (EDT).
    assert period.opens_at.strftime("%Y-%m-%d %H:%M") == "2099-01-15 14:00"
    assert period.closes_at.strftime("%Y-%m-%d %H:%M") == "2099-07-15 21:30"
    page = admin_client.get("/admin").get_data(as_text=True)
    assert "Thu 15 Jan 2099, 09:00 EST" in page and "Wed 15 Jul 2099, 17:30 EDT" in page
    app.config["DISTRICT_TIME_ZONE"] = "America/Los_Angeles"
    page = admin_client.get("/admin").get_data(as_text=True)
    assert "Thu 15 Jan 2099, 06:00 PST" in page and "Opens (America/Los_Angeles time)" in page
    answer = admin_client.post(f"/admin/documents/{document.id}/periods",
                               data=_form(admin_client, opens_at="someday", closes_at="2099-12-01T10:00"))
    assert answer.status_code == 400 and 'value="someday"' in answer.get_data(as_text=True)
    assert "opens_at is not a date and time" in answer.get_data(as_text=True)


def test_item16_a_misspelt_district_time_zone_fails_at_start_up():
    from collab import create_app
    from collab.config import TestConfig

    class Misspelt(TestConfig):
        DISTRICT_TIME_ZONE = "America/New_Yrok"

    with pytest.raises(RuntimeError, match="DISTRICT_TIME_ZONE"):
        create_app(Misspelt)


def test_the_last_administrator_cannot_demote_themselves_and_the_page_says_why(admin_client):
    answer = admin_client.post(f"/admin/users/{admin_client.admin.id}", data=_form(admin_client, role="observer"))
    page = answer.get_data(as_text=True)  # the refused form's page comes back with the message
    assert answer.status_code == 409 and "You are the last active administrator" in page
    db.session.refresh(admin_client.admin)
    assert admin_client.admin.role == "admin"
