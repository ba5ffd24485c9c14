from datetime import timedelta

import pytest

from collab.extensions import db
from collab.models import Attendance
from collab.services import meetings as service
from collab.timeutil import utcnow
from tests.conftest import any_database, events_of


@pytest.fixture
def room(make, socket_client):
    """A live meeting with a facilitator and two participants joined by socket."""
    facilitator = make.user(role="facilitator", group="community", name="Fay")
    document = make.document()
    clauses = make.clause_ids(document)
    meeting = service.create_meeting(facilitator, document.id, title="Forum",
                                     agenda=[{"clause_id": c, "minutes": 5} for c in clauses])
    service.start_meeting(facilitator, meeting.id)
    people = {"fay": facilitator, "ana": make.user(name="Ana"), "ben": make.user(name="Ben", group="students")}
    sockets = {}
    for key, user in people.items():
        sock = socket_client(token=make.token(user))
        ack = sock.emit("meeting.join", {"meeting_id": meeting.id}, callback=True)
        assert ack["ok"], ack
        sockets[key] = sock
    for sock in sockets.values():
        sock.get_received()
    return meeting, clauses, people, sockets


def _events(sock, prefix="meeting."):
    return [r for r in sock.get_received() if r["name"].startswith(prefix)]


@any_database
def test_focus_and_queue_events_reach_every_participant_once_and_in_order(room):
    meeting, clauses, people, sockets = room
    fay, ana, ben = sockets["fay"], sockets["ana"], sockets["ben"]
    assert fay.emit("meeting.focus", {"meeting_id": meeting.id, "clause_id": clauses[1]}, callback=True)["ok"]
    assert ana.emit("meeting.raise_hand", {"meeting_id": meeting.id}, callback=True)["ok"]
    assert ben.emit("meeting.raise_hand", {"meeting_id": meeting.id}, callback=True)["ok"]
    assert fay.emit("meeting.next_speaker", {"meeting_id": meeting.id}, callback=True)["ok"]
    assert fay.emit("meeting.focus", {"meeting_id": meeting.id, "clause_id": clauses[2]}, callback=True)["ok"]
    expected = ["meeting.focus", "meeting.hand_raised", "meeting.hand_raised", "meeting.speaker_called",
                "meeting.focus"]
    stored = [e.seq for e in events_of() if e.action in set(expected)][-5:]
    for sock in (fay, ana, ben):
        received = _events(sock)
        assert [r["name"] for r in received] == expected
        payloads = [r["args"][0] for r in received]
        assert [p["seq"] for p in payloads] == stored
        assert payloads[0]["meeting"]["focus"]["clause_id"] == clauses[1]
        # Ben, a student, shows only his group by default; the facilitator's socket sees his name.
        ben_shown = "Ben" if sock is fay else None
        assert [q["name"] for q in payloads[2]["meeting"]["queue"]] == ["Ana", ben_shown]
        assert payloads[3]["meeting"]["speaker"]["name"] == "Ana"
        assert [q["name"] for q in payloads[3]["meeting"]["queue"]] == [ben_shown]


@any_database
def test_a_refused_focus_stores_and_broadcasts_nothing(room):
    meeting, clauses, _people, sockets = room
    before = len(events_of())
    ack = sockets["ana"].emit("meeting.focus", {"meeting_id": meeting.id, "clause_id": clauses[0]}, callback=True)
    assert ack == {"ok": False, "error": {"code": "forbidden", "message": ack["error"]["message"]}}
    assert len(events_of()) == before
    assert all(_events(s) == [] for s in sockets.values())


def test_join_needs_a_meeting_that_exists(room):
    _meeting, _clauses, _people, sockets = room
    ack = sockets["ana"].emit("meeting.join", {"meeting_id": 4242}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "meeting_not_found"
    ack = sockets["ana"].emit("meeting.join", {}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_meeting_id"


@any_database
def test_silent_round_reveals_all_its_comments_together_and_none_before(room, client, make):
    meeting, clauses, people, sockets = room
    fay, ana, ben = sockets["fay"], sockets["ana"], sockets["ben"]
    service.start_silent_round(people["fay"], meeting.id, clauses[0])
    for sock, body in ((ana, "Ana's view"), (ben, "Ben's view")):
        ack = sock.emit("comment.create", {"clause_id": clauses[0], "body": body, "kind": "concern"}, callback=True)
        assert ack["ok"], ack
    received_before = {k: s.get_received() for k, s in sockets.items()}
    for received in received_before.values():
        assert [r["name"] for r in received] == ["meeting.silent_round_started", "meeting.silent_round_progress",
                                                 "meeting.silent_round_progress"]
        assert received[0]["args"][0]["meeting"]["silent_round"]["clause_id"] == clauses[0]
        # Only how many: neither who nor what.
        assert [r["args"][0]["comment_count"] for r in received[1:]] == [1, 2]
        assert set(received[2]["args"][0]) == {"document_id", "meeting_id", "round_id", "comment_count"}
    # A client catching up by seq is not shown them either.
    catch_up = ben.emit("meeting.join", {"meeting_id": meeting.id, "since": 0}, callback=True)
    assert [e["action"] for e in catch_up["missed"]].count("comment.created") == 0
    ben.get_received()
    service.reveal_silent_round(people["fay"], meeting.id)
    for sock in (fay, ana, ben):
        [reveal] = [r for r in sock.get_received() if r["name"] != "presence"]
        assert reveal["name"] == "meeting.silent_round_revealed"
        assert sorted(c["body"] for c in reveal["args"][0]["comments"]) == ["Ana's view", "Ben's view"]


@any_database
def test_commenting_by_socket_during_a_live_meeting_carries_its_id(room):
    meeting, clauses, _people, sockets = room
    ack = sockets["ana"].emit("comment.create", {"clause_id": clauses[0], "body": "Live", "kind": "support"},
                              callback=True)
    assert ack["ok"]
    [event] = [r for r in sockets["ben"].get_received() if r["name"] == "comment.created"]
    assert event["args"][0]["comment"]["body"] == "Live"
    assert f'"meeting_id":{meeting.id}' in events_of("comment.created")[-1].data


@any_database
def test_a_reconnect_within_the_grace_time_is_one_attendance_interval(room, socket_client, make):
    meeting, _clauses, people, sockets = room
    ana = people["ana"]
    sockets["ana"].disconnect()
    interval = db.session.query(Attendance).filter_by(user_id=ana.id).one()
    db.session.refresh(interval)
    assert interval.disconnected_at is not None and interval.left_at is None
    again = socket_client(token=make.token(ana))
    assert again.emit("meeting.join", {"meeting_id": meeting.id}, callback=True)["ok"]
    intervals = db.session.query(Attendance).filter_by(user_id=ana.id).all()
    assert len(intervals) == 1
    db.session.refresh(intervals[0])
    assert intervals[0].disconnected_at is None
    assert len([e for e in events_of("meeting.joined") if f'"user_id":{ana.id}' in e.data]) == 1


@any_database
def test_a_closed_laptop_ends_its_interval_after_the_grace_time(room):
    from collab.realtime import state

    meeting, _clauses, people, sockets = room
    ben = people["ben"]
    sockets["ben"].disconnect()
    later = utcnow() + timedelta(seconds=45)
    assert service.sweep_attendance(state.registry.meeting_user_ids, now=later) == 1
    interval = db.session.query(Attendance).filter_by(user_id=ben.id).one()
    db.session.refresh(interval)
    assert interval.left_at is not None and interval.left_at < later
    left = [r for r in sockets["ana"].get_received() if r["name"] == "meeting.left"]
    assert len(left) == 1
    present = {a["name"] for a in left[0]["args"][0]["meeting"]["attendance"] if a["is_present"]}
    assert present == {"Fay", "Ana"}


def test_a_second_tab_keeps_the_person_present_when_one_closes(room, socket_client, make):
    meeting, _clauses, people, sockets = room
    ana = people["ana"]
    second = socket_client(token=make.token(ana))
    assert second.emit("meeting.join", {"meeting_id": meeting.id}, callback=True)["ok"]
    sockets["ana"].disconnect()
    interval = db.session.query(Attendance).filter_by(user_id=ana.id).one()
    db.session.refresh(interval)
    assert interval.disconnected_at is None


def test_people_on_the_page_before_the_start_are_present_from_it(make, client, socket_client):
    facilitator = make.user(role="facilitator", group="community")
    document = make.document()
    meeting = service.create_meeting(facilitator, document.id, title="Forum")
    ana, ben = make.user(name="Ana"), make.user(name="Ben", group="students")
    sockets = [socket_client(token=make.token(person)) for person in (ana, ben)]
    for sock in sockets:
        ack = sock.emit("meeting.join", {"meeting_id": meeting.id}, callback=True)
        assert ack["ok"] and ack["meeting"]["status"] == "scheduled"
        sock.get_received()
    assert db.session.query(Attendance).count() == 0

    # The API (the edge) names the people connected; the service records them in the start's transaction.
    response = client.post(f"/api/v1/meetings/{meeting.id}/start", headers=make.bearer(facilitator))

    assert response.status_code == 200
    assert sorted(a.user_id for a in db.session.query(Attendance).all()) == sorted([ana.id, ben.id])
    started, *joined = [e for e in events_of() if e.action.startswith("meeting.")][1:]
    assert (started.action, [e.action for e in joined]) == ("meeting.started", ["meeting.joined"] * 2)
    for sock in sockets:
        received = _events(sock)
        assert [r["name"] for r in received] == ["meeting.started", "meeting.joined", "meeting.joined"]
        assert [r["args"][0]["seq"] for r in received] == [started.seq] + [e.seq for e in joined]
        # Each carries the meeting as it stands after the start, everyone present (Ben, a student,
        # shows only his group to readers who are not moderators).
        for r in received:
            present = [a for a in r["args"][0]["meeting"]["attendance"] if a["is_present"]]
            assert sorted((a["name"] or "", a["group"]) for a in present) == [("", "students"), ("Ana", "families")]


def test_leaving_on_purpose_ends_the_interval_at_once(room):
    meeting, _clauses, people, sockets = room
    assert sockets["ben"].emit("meeting.leave", {"meeting_id": meeting.id}, callback=True)["ok"]
    interval = db.session.query(Attendance).filter_by(user_id=people["ben"].id).one()
    db.session.refresh(interval)
    assert interval.left_at is not None
