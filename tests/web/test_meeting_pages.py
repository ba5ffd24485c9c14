import pytest

from collab.reads.meetings import list_meetings
from collab.services import meetings as service
from tests.conftest import events_of


@pytest.fixture
def live(make):
    facilitator = make.user(role="facilitator", group="community", name="Fay")
    document = make.document()
    clauses = make.clause_ids(document)
    meeting = service.create_meeting(facilitator, document.id, title="Evening forum",
                                     agenda=[{"clause_id": clauses[0], "minutes": 5}])
    service.start_meeting(facilitator, meeting.id)
    service.focus_clause(facilitator, meeting.id, clauses[0])
    return facilitator, document, clauses, meeting


def test_every_meeting_page_renders_for_a_facilitator(client, sign_in, live, make):
    facilitator, document, clauses, meeting = live
    make.comment(make.user(name="Ana"), clauses[0], body="Said during the forum")
    sign_in(client, facilitator)
    for path in (f"/documents/{document.id}/meetings", f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/console",
                 f"/meetings/{meeting.id}/projector", f"/meetings/{meeting.id}/minutes"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "Evening forum" in page.get_data(as_text=True)
    projector = client.get(f"/meetings/{meeting.id}/projector").get_data(as_text=True)
    assert "Said during the forum" in projector


def test_participants_may_not_open_the_console_or_plan_meetings(client, sign_in, live, make, csrf_token):
    _facilitator, document, _clauses, meeting = live
    sign_in(client, make.user())
    assert client.get(f"/meetings/{meeting.id}/console").status_code == 403
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    before = len(events_of())
    assert client.post(f"/documents/{document.id}/meetings", data={"title": "Mine", "csrf_token": csrf_token()}).status_code == 403
    assert len(events_of()) == before
    assert "Plan a meeting" not in client.get(f"/documents/{document.id}/meetings").get_data(as_text=True)


def test_meeting_pages_of_an_invited_document_need_a_sign_in(client, make, live):
    make.invited(_document(live[3]))
    for path in (f"/meetings/{live[3].id}", f"/meetings/{live[3].id}/minutes"):
        assert client.get(path).status_code == 302


def _document(meeting):
    from collab.models import Document
    from collab.extensions import db

    return db.session.get(Document, meeting.document_id)


def test_a_meeting_is_planned_through_the_form(client, sign_in, make, csrf_token):
    facilitator = make.user(role="facilitator")
    document = make.document()
    clauses = make.clause_ids(document)
    sign_in(client, facilitator)
    answer = client.post(f"/documents/{document.id}/meetings", data={
        "csrf_token": csrf_token(), "title": "Spring forum", f"include-{clauses[2]}": "1", f"minutes-{clauses[2]}": "12",
        f"include-{clauses[0]}": "1", f"minutes-{clauses[0]}": "3"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/console")
    [meeting] = list_meetings(facilitator, document.id)
    assert [(i.clause_id, i.minutes) for i in meeting.agenda] == [(clauses[0], 3), (clauses[2], 12)]


def test_a_bad_plan_is_shown_again_with_its_error_and_stores_nothing(client, sign_in, make, csrf_token):
    facilitator = make.user(role="facilitator")
    document = make.document()
    clause = make.clause_ids(document)[0]
    sign_in(client, facilitator)
    before = len(events_of())
    answer = client.post(f"/documents/{document.id}/meetings", data={
        "csrf_token": csrf_token(), "title": "Forum", f"include-{clause}": "1", f"minutes-{clause}": "0"})
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "minutes must be a whole number" in text and 'value="Forum"' in text
    assert len(events_of()) == before


def test_the_minutes_page_shows_what_happened(client, sign_in, live, make):
    facilitator, _document, clauses, meeting = live
    service.record_attendance(facilitator, meeting.id, name="Grandparent Rosa", group="families")
    make.comment(make.user(name="Ana"), clauses[0], body="Our concern", kind="concern")
    service.end_meeting(facilitator, meeting.id)
    sign_in(client, make.user(role="observer"))
    text = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "Grandparent Rosa" in text and "Our concern" in text and "checkpoint" in text
