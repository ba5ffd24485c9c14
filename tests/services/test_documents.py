"""comment_target: the comment write path's one read agrees with commenting_state."""
from datetime import timedelta

import pytest

from collab.errors import Conflict, NotFound
from collab.services import meetings
from collab.services.documents import close_period, comment_target, create_period
from collab.models.lookups import clause_texts, commenting_state
from collab.services.versions import publish_version
from collab.timeutil import isoformat, utcnow
from tests.conftest import any_database


@pytest.fixture
def setup(make):
    admin = make.admin()
    document = make.document(admin)
    return admin, document, make.clause_ids(document)


def _agrees(document, clause_id):
    target = comment_target(clause_id)
    state = commenting_state(document.id)
    assert target.is_open == state.is_open
    assert target.meeting_id == (state.meeting.id if state.meeting else None)
    assert (target.document_id, target.clause_id, target.current_version) == (
        document.id, clause_id, document.current_version)
    [text] = [t for t in clause_texts(document) if t.clause_id == clause_id]
    assert target.text_body == text.body
    return target


@any_database
def test_commenting_is_closed_without_a_period_and_before_a_scheduled_one(setup):
    admin, document, clauses = setup
    assert not _agrees(document, clauses[0]).is_open
    now = utcnow()
    create_period(admin, document.id, opens_at=isoformat(now + timedelta(days=1)),
                  closes_at=isoformat(now + timedelta(days=2)))
    assert not _agrees(document, clauses[0]).is_open


@any_database
def test_commenting_is_open_during_a_period_and_closed_once_it_is_closed(setup, make):
    admin, document, clauses = setup
    period = make.open_period(document, admin)
    target = _agrees(document, clauses[1])
    assert target.is_open and target.meeting_id is None and target.silent_round_id is None
    assert target.current_version == document.current_version
    close_period(admin, period.id)
    assert not _agrees(document, clauses[1]).is_open


@any_database
def test_a_live_meeting_opens_commenting_and_its_silent_round_holds_one_clause(setup, make):
    _admin, document, clauses = setup
    facilitator = make.user(role="facilitator", group="community")
    meeting = meetings.create_meeting(facilitator, document.id, title="Evening forum")
    assert not _agrees(document, clauses[0]).is_open
    meetings.start_meeting(facilitator, meeting.id)
    target = _agrees(document, clauses[0])
    assert target.is_open and target.meeting_id == meeting.id and target.silent_round_id is None
    round_ = meetings.start_silent_round(facilitator, meeting.id, clauses[1])
    assert _agrees(document, clauses[1]).silent_round_id == round_.id
    assert _agrees(document, clauses[0]).silent_round_id is None
    meetings.reveal_silent_round(facilitator, meeting.id)
    assert _agrees(document, clauses[1]).silent_round_id is None
    meetings.end_meeting(facilitator, meeting.id)
    assert not _agrees(document, clauses[1]).is_open


@any_database
def test_an_unknown_clause_is_not_found_and_a_removed_one_is_a_conflict(setup, make):
    admin, document, clauses = setup
    with pytest.raises(NotFound) as unknown:
        comment_target(clauses[-1] + 100)
    assert unknown.value.code == "clause_not_found"
    publish_version(admin, document.id, clauses=[
        {"id": clauses[0], "number": "1", "heading": "Purpose", "body": "Students learn safely."}])
    with pytest.raises(Conflict) as removed:
        comment_target(clauses[1])
    assert removed.value.code == "clause_removed"
    assert comment_target(clauses[0]).text_body == "Students learn safely."
