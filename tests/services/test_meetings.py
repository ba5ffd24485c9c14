from datetime import timedelta

import pytest

from collab.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from collab.events import text_digest
from collab.extensions import db
from collab.models import Attendance, Checkpoint
from collab.services import meetings as service
from collab.reads.comments import list_comments
from collab.timeutil import utcnow
from tests.conftest import any_database, events_of


@pytest.fixture
def setup(make):
    facilitator = make.user(role="facilitator", group="community", name="Fay Facilitator")
    document = make.document()
    clauses = make.clause_ids(document)
    return facilitator, document, clauses


def _meeting(setup, agenda=True):
    facilitator, document, clauses = setup
    items = [{"clause_id": clauses[0], "minutes": 5}, {"clause_id": clauses[1], "minutes": 10}] if agenda else None
    return service.create_meeting(facilitator, document.id, title="Evening forum", agenda=items)


def _live(setup):
    meeting = _meeting(setup)
    service.start_meeting(setup[0], meeting.id)
    return meeting


@any_database
def test_meeting_goes_from_planned_to_live_to_ended_with_its_events(setup):
    facilitator, document, clauses = setup
    meeting = _meeting(setup)
    assert meeting.status == "scheduled"
    assert [(i.clause_id, i.minutes) for i in meeting.agenda] == [(clauses[0], 5), (clauses[1], 10)]
    service.start_meeting(facilitator, meeting.id)
    service.end_meeting(facilitator, meeting.id)
    actions = [e.action for e in events_of() if e.subject == f"meeting:{meeting.id}"]
    assert actions == ["meeting.created", "meeting.started", "meeting.ended"]
    created = events_of("meeting.created")[0]
    assert text_digest("Evening forum") in created.data and "Evening forum" not in created.data


@any_database
def test_meeting_end_publishes_a_checkpoint_of_the_log_head(setup):
    meeting = _live(setup)
    service.end_meeting(setup[0], meeting.id)
    ended = events_of("meeting.ended")[0]
    checkpoint = db.session.query(Checkpoint).filter_by(reason="meeting.ended").one()
    assert (checkpoint.seq, checkpoint.head_hash) == (ended.seq, ended.hash)
    assert meeting.end_seq == ended.seq


@any_database
@pytest.mark.parametrize("role", ["participant", "observer"])
def test_only_admins_and_facilitators_run_meetings(setup, make, role):
    facilitator, document, clauses = setup
    someone = make.user(role=role)
    before = len(events_of())
    with pytest.raises(Forbidden):
        service.create_meeting(someone, document.id, title="Mine")
    meeting = _meeting(setup)
    before = len(events_of())
    for call in (lambda: service.start_meeting(someone, meeting.id),
                 lambda: service.end_meeting(someone, meeting.id),
                 lambda: service.focus_clause(someone, meeting.id, clauses[0]),
                 lambda: service.call_next_speaker(someone, meeting.id),
                 lambda: service.start_silent_round(someone, meeting.id, clauses[0]),
                 lambda: service.record_attendance(someone, meeting.id, name="A", group="families")):
        with pytest.raises(Forbidden):
            call()
    assert len(events_of()) == before


def test_admin_may_run_a_meeting(setup, make):
    admin = make.admin()
    meeting = service.create_meeting(admin, setup[1].id, title="Board session")
    assert service.start_meeting(admin, meeting.id).status == "live"


def test_signed_out_actor_is_unauthenticated(setup):
    with pytest.raises(Unauthenticated):
        service.create_meeting(None, setup[1].id, title="x")


@any_database
@pytest.mark.parametrize("agenda, code", [
    ("not a list", "invalid_agenda"),
    ([{"clause_id": 999, "minutes": 5}], "invalid_agenda"),
    ([{"clause_id": "CLAUSE", "minutes": 0}], "invalid_agenda"),
    ([{"clause_id": "CLAUSE", "minutes": 481}], "invalid_agenda"),
    ([{"clause_id": "CLAUSE", "minutes": 5}, {"clause_id": "CLAUSE", "minutes": 5}], "invalid_agenda"),
    (["x"], "invalid_agenda"),
])
def test_bad_agenda_is_refused_and_stores_nothing(setup, agenda, code):
    facilitator, document, clauses = setup
    if isinstance(agenda, list):
        agenda = [{**i, "clause_id": clauses[0]} if isinstance(i, dict) and i["clause_id"] == "CLAUSE" else i
                  for i in agenda]
    before = len(events_of())
    with pytest.raises(Invalid) as raised:
        service.create_meeting(facilitator, document.id, title="Forum", agenda=agenda)
    assert raised.value.code == code
    assert len(events_of()) == before


def test_meeting_on_unknown_document_or_blank_title_is_refused(setup):
    with pytest.raises(NotFound):
        service.create_meeting(setup[0], 4242, title="Forum")
    with pytest.raises(Invalid):
        service.create_meeting(setup[0], setup[1].id, title="   ")


@any_database
def test_lifecycle_steps_out_of_order_are_conflicts(setup):
    facilitator, document, clauses = setup
    meeting = _meeting(setup)
    with pytest.raises(Conflict):
        service.end_meeting(facilitator, meeting.id)
    with pytest.raises(Conflict):
        service.focus_clause(facilitator, meeting.id, clauses[0])
    service.start_meeting(facilitator, meeting.id)
    with pytest.raises(Conflict):
        service.start_meeting(facilitator, meeting.id)
    other = _meeting(setup)
    with pytest.raises(Conflict) as raised:
        service.start_meeting(facilitator, other.id)
    assert raised.value.code == "meeting_already_live"
    service.end_meeting(facilitator, meeting.id)
    with pytest.raises(Conflict):
        service.start_meeting(facilitator, meeting.id)


@any_database
def test_focus_history_closes_each_stretch(setup, make):
    facilitator, document, clauses = setup
    meeting = _live(setup)
    service.focus_clause(facilitator, meeting.id, clauses[0])
    service.focus_clause(facilitator, meeting.id, clauses[0])  # already focused: no event
    service.focus_clause(facilitator, meeting.id, clauses[1])
    from collab.serializers import meeting_view

    view = meeting_view(meeting)
    assert view["focus"]["clause_id"] == clauses[1]
    assert [f["clause_id"] for f in view["focus_history"]] == [clauses[0], clauses[1]]
    assert view["focus_history"][0]["ended_at"] is not None
    assert len(events_of("meeting.focus")) == 2
    other = make.document(title="Another agreement")
    with pytest.raises(Invalid):
        service.focus_clause(facilitator, meeting.id, make.clause_ids(other)[0])
    with pytest.raises(NotFound):
        service.focus_clause(facilitator, meeting.id, 4242)


@any_database
def test_speaker_queue_keeps_order_and_one_hand_per_person(setup, make):
    facilitator, _document, _clauses = setup
    meeting = _live(setup)
    ana, ben, observer = make.user(name="Ana"), make.user(name="Ben", group="students"), make.user(role="observer")
    service.raise_hand(ana, meeting.id)
    service.raise_hand(ben, meeting.id)
    with pytest.raises(Conflict):
        service.raise_hand(ana, meeting.id)
    with pytest.raises(Forbidden):
        service.raise_hand(observer, meeting.id)
    from collab.audience import serving
    from collab.serializers import meeting_view

    # Ben is a student: the public sees only his group; the facilitator sees his name.
    assert [q["name"] for q in meeting_view(meeting)["queue"]] == ["Ana", None]
    with serving(facilitator):
        assert [q["name"] for q in meeting_view(meeting)["queue"]] == ["Ana", "Ben"]
    service.call_next_speaker(facilitator, meeting.id)
    with serving(facilitator):
        view = meeting_view(meeting)
    assert view["speaker"]["name"] == "Ana" and [q["name"] for q in view["queue"]] == ["Ben"]
    with pytest.raises(Forbidden):
        service.lower_hand(ana, meeting.id, ben.id)
    service.lower_hand(ben, meeting.id)
    with pytest.raises(Conflict):
        service.lower_hand(ben, meeting.id)
    service.call_next_speaker(facilitator, meeting.id)  # Ana is done, nobody waits
    assert meeting_view(meeting)["speaker"] is None
    with pytest.raises(Conflict) as raised:
        service.call_next_speaker(facilitator, meeting.id)
    assert raised.value.code == "queue_empty"


@any_database
def test_commenting_is_allowed_during_a_live_meeting_outside_any_period(setup, make):
    facilitator, document, clauses = setup
    author = make.user()
    with pytest.raises(Conflict):
        make.comment(author, clauses[0])
    meeting = _live(setup)
    comment = make.comment(author, clauses[0], body="Said in the meeting")
    assert comment.meeting_id == meeting.id
    assert '"meeting_id":%d' % meeting.id in events_of("comment.created")[-1].data
    service.end_meeting(facilitator, meeting.id)
    before = len(events_of())
    with pytest.raises(Conflict) as raised:
        make.comment(author, clauses[0], body="Too late")
    assert raised.value.code == "commenting_closed"
    assert len(events_of()) == before


@any_database
def test_silent_round_comments_are_unseen_by_others_until_revealed_together(setup, make):
    facilitator, document, clauses = setup
    meeting = _live(setup)
    service.focus_clause(facilitator, meeting.id, clauses[1])
    round_ = service.start_silent_round(facilitator, meeting.id)
    assert round_.clause_id == clauses[1]
    with pytest.raises(Conflict):
        service.start_silent_round(facilitator, meeting.id)
    ana, ben, reader = make.user(name="Ana"), make.user(name="Ben"), make.user(role="observer")
    first = make.comment(ana, clauses[1], body="Ana's view")
    second = make.comment(ben, clauses[1], body="Ben's view")
    elsewhere = make.comment(ben, clauses[0], body="Not in the round")
    assert first.silent_round_id == round_.id and elsewhere.silent_round_id is None
    assert [c.id for c in list_comments(reader, document.id)] == [elsewhere.id]
    assert [c.id for c in list_comments(ana, document.id)] == [first.id, elsewhere.id]
    assert [c.id for c in list_comments(facilitator, document.id)] == [elsewhere.id]
    revealed = service.reveal_silent_round(facilitator, meeting.id)
    assert [c.id for c in revealed] == [first.id, second.id]
    assert {c.id for c in list_comments(reader, document.id)} == {first.id, second.id, elsewhere.id}
    event = events_of("meeting.silent_round_revealed")[0]
    assert f'"comment_ids":[{first.id},{second.id}]' in event.data
    with pytest.raises(Conflict):
        service.reveal_silent_round(facilitator, meeting.id)


def test_silent_round_needs_a_clause(setup):
    meeting = _live(setup)
    with pytest.raises(Invalid):
        service.start_silent_round(setup[0], meeting.id)


@any_database
def test_end_reveals_an_open_silent_round_and_closes_queue_and_attendance(setup, make):
    facilitator, document, clauses = setup
    meeting = _live(setup)
    ana = make.user(name="Ana")
    service.join_meeting(ana, meeting.id)
    service.raise_hand(ana, meeting.id)
    service.start_silent_round(facilitator, meeting.id, clauses[0])
    make.comment(ana, clauses[0], body="Hidden until the end")
    service.end_meeting(facilitator, meeting.id)
    actions = [e.action for e in events_of()][-2:]
    assert actions == ["meeting.silent_round_revealed", "meeting.ended"]
    assert len(list_comments(make.user(role="observer"), document.id)) == 1
    assert db.session.query(Attendance).filter(Attendance.left_at.is_(None)).count() == 0
    from collab.serializers import meeting_view

    assert meeting_view(meeting)["queue"] == [] and meeting_view(meeting)["speaker"] is None


@any_database
def test_attendance_by_hand_records_a_name_and_group(setup):
    facilitator, _document, _clauses = setup
    meeting = _live(setup)
    interval = service.record_attendance(facilitator, meeting.id, name="Grandparent Rosa", group="families")
    event = events_of("meeting.joined")[-1]
    assert text_digest("Grandparent Rosa") in event.data and "Rosa" not in event.data
    with pytest.raises(Invalid):
        service.record_attendance(facilitator, meeting.id, name="X", group="no-such-group")
    with pytest.raises(Invalid):
        service.record_attendance(facilitator, meeting.id, name=" ", group="families")
    service.end_attendance(facilitator, meeting.id, interval.id)
    with pytest.raises(Conflict):
        service.end_attendance(facilitator, meeting.id, interval.id)
    with pytest.raises(NotFound):
        service.end_attendance(facilitator, meeting.id, 4242)


@any_database
def test_a_return_within_the_grace_time_keeps_one_interval(setup, make):
    meeting = _live(setup)
    ana = make.user(name="Ana")
    start = utcnow()
    service.join_meeting(ana, meeting.id, now=start)
    service.mark_disconnected(ana.id, meeting.id, now=start + timedelta(seconds=10))
    service.join_meeting(ana, meeting.id, now=start + timedelta(seconds=25))
    assert service.sweep_attendance(lambda _mid: {ana.id}, now=start + timedelta(seconds=120)) == 0
    intervals = db.session.query(Attendance).filter_by(user_id=ana.id).all()
    assert len(intervals) == 1 and intervals[0].left_at is None and intervals[0].disconnected_at is None
    assert len(events_of("meeting.joined")) == 1


@any_database
def test_a_return_after_the_grace_time_starts_a_second_interval(setup, make):
    meeting = _live(setup)
    ana = make.user(name="Ana")
    start = utcnow()
    service.join_meeting(ana, meeting.id, now=start)
    service.mark_disconnected(ana.id, meeting.id, now=start + timedelta(seconds=10))
    service.join_meeting(ana, meeting.id, now=start + timedelta(seconds=60))
    intervals = db.session.query(Attendance).filter_by(user_id=ana.id).order_by(Attendance.id).all()
    assert [(i.joined_at, i.left_at) for i in intervals] == [
        (start, start + timedelta(seconds=10)), (start + timedelta(seconds=60), None)]
    assert [e.action for e in events_of()][-2:] == ["meeting.left", "meeting.joined"]


@any_database
def test_sweep_closes_vanished_sockets_after_the_grace_time(setup, make):
    meeting = _live(setup)
    ana, ben = make.user(name="Ana"), make.user(name="Ben")
    start = utcnow()
    service.join_meeting(ana, meeting.id, now=start)
    service.join_meeting(ben, meeting.id, now=start)
    # Ben's laptop closed: his socket is gone from the registry without a goodbye.
    assert service.sweep_attendance(lambda _mid: {ana.id}, now=start + timedelta(seconds=5)) == 0
    assert service.sweep_attendance(lambda _mid: {ana.id}, now=start + timedelta(seconds=40)) == 1
    ben_interval = db.session.query(Attendance).filter_by(user_id=ben.id).one()
    assert ben_interval.left_at == start + timedelta(seconds=5)
    assert db.session.query(Attendance).filter_by(user_id=ana.id).one().left_at is None


@any_database
def test_minutes_match_what_happened(setup, make):
    facilitator, document, clauses = setup
    meeting = _live(setup)
    ana, ben = make.user(name="Ana", group="families"), make.user(name="Ben", group="students")
    service.join_meeting(ana, meeting.id)
    service.join_meeting(ben, meeting.id)
    service.record_attendance(facilitator, meeting.id, name="Rosa", group="families")
    service.focus_clause(facilitator, meeting.id, clauses[0])
    make.comment(ana, clauses[0], body="First", kind="concern")
    service.focus_clause(facilitator, meeting.id, clauses[1])
    make.comment(ben, clauses[1], body="Second", kind="question")
    service.raise_hand(ben, meeting.id)
    service.call_next_speaker(facilitator, meeting.id)
    service.end_meeting(facilitator, meeting.id)
    from collab.audience import serving
    from collab.reads.meetings import meeting_minutes

    public = meeting_minutes(meeting)  # Ben, a student, shows only his group to the public
    assert [p["name"] for g in public["attendance"]["by_group"] for p in g["people"]] == ["Ana", "Rosa", None]
    assert [s["name"] for s in public["speakers"]] == [None]
    with serving(facilitator):
        minutes = meeting_minutes(meeting)
    assert minutes["is_final"]
    groups = {g["group"]: [p["name"] for p in g["people"]] for g in minutes["attendance"]["by_group"]}
    assert groups == {"families": ["Ana", "Rosa"], "students": ["Ben"]}
    assert [(t["clause_id"], t["planned_minutes"]) for t in minutes["time_per_clause"]] == [
        (clauses[0], 5), (clauses[1], 10)]
    assert all(t["seconds"] >= 0 for t in minutes["time_per_clause"])
    assert minutes["comments"]["count"] == 2
    assert minutes["comments"]["by_kind"] == {"concern": 1, "question": 1}
    assert minutes["comments"]["by_group"] == {"families": 1, "students": 1}
    assert [s["name"] for s in minutes["speakers"]] == ["Ben"]
    assert minutes["resolutions"]["count"] == 0
    assert minutes["checkpoint"]["seq"] == events_of("meeting.ended")[0].seq


def test_minutes_count_resolutions_recorded_in_the_meetings_window(setup, make):
    from collab.events import record_event, transaction
    from collab.reads.meetings import meeting_minutes

    facilitator, document, clauses = setup
    with transaction():  # before the meeting: not counted
        record_event("resolution.recorded", make.admin(), "resolution:1", {"comment_id": 1}, document_id=document.id)
    meeting = _live(setup)
    with transaction():
        record_event("resolution.recorded", make.admin(), "resolution:2", {"comment_id": 2}, document_id=document.id)
    service.end_meeting(facilitator, meeting.id)
    with transaction():  # after the end: not counted
        record_event("resolution.recorded", make.admin(), "resolution:3", {"comment_id": 3}, document_id=document.id)
    minutes = meeting_minutes(meeting)
    assert minutes["resolutions"]["count"] == 1
    assert minutes["resolutions"]["events"][0]["subject"] == "resolution:2"
