"""The seam between services and their subscribers: committed events and notices are
delivered in order, each subscriber on its own, and nothing on rollback."""
import logging

import pytest
from sqlalchemy import text

from collab.events import Notice, RecordedEvent, record_event, record_notice, subscribe, transaction
from collab.extensions import db
from collab.services.users import update_user
from tests.conftest import any_database, events_of
from tests.realtime.helpers import join

pytestmark = pytest.mark.real_commits  # subscribers read what was committed through another connection


class Recorder:
    """A subscriber that keeps what it was given, one list per committed transaction."""

    def __init__(self):
        self.deliveries: list[list] = []

    def __call__(self, items):
        self.deliveries.append(list(items))


def described(items) -> list[str]:
    return [item.event.action if isinstance(item, RecordedEvent) else f"notice {item.kind}" for item in items]


@any_database
def test_events_and_notices_arrive_after_the_commit_in_the_order_recorded(app):
    recorder = Recorder()
    committed_seqs = []

    def check_committed(items):
        # Read through another connection: what a subscriber is handed is already stored.
        with db.engine.connect() as other:
            seqs = [item.event.seq for item in items if isinstance(item, RecordedEvent)]
            committed_seqs.extend(other.execute(text("SELECT seq FROM events WHERE seq IN ({})".format(
                ",".join(str(s) for s in seqs)))).scalars())

    subscribe(recorder, app)
    subscribe(check_committed, app)
    with transaction():
        first = record_event("document.created", None, "document:1", {"n": 1}, document_id=1)
        record_notice("meeting.silent_round_progress", document_id=1, meeting_id=2, round_id=3, comment_count=1)
        second = record_event("comment.created", None, "comment:1", {"n": 2}, document_id=1, broadcast=False)

    [delivered] = recorder.deliveries
    assert described(delivered) == ["document.created", "notice meeting.silent_round_progress", "comment.created"]
    assert [delivered[0].event, delivered[2].event] == [first, second]
    assert delivered[1] == Notice("meeting.silent_round_progress",
                                  {"document_id": 1, "meeting_id": 2, "round_id": 3, "comment_count": 1})
    assert delivered[2].broadcast is False
    assert sorted(committed_seqs) == [first.seq, second.seq]


def test_a_failing_subscriber_is_logged_and_the_next_one_still_gets_the_items(app, caplog):
    def failing(_items):
        raise RuntimeError("mail server gone")

    recorder = Recorder()
    subscribe(failing, app)
    subscribe(recorder, app)
    with caplog.at_level(logging.ERROR, logger="collab.events"), transaction():
        event = record_event("document.created", None, "document:1", {}, document_id=1)

    assert [item.event for item in recorder.deliveries[0]] == [event]
    [logged] = [r for r in caplog.records if r.name == "collab.events"]
    assert "failing" in logged.getMessage() and logged.exc_info[0] is RuntimeError
    assert events_of() == [event]  # the commit stands


@any_database
def test_a_rolled_back_transaction_stores_and_delivers_nothing(app):
    recorder = Recorder()
    subscribe(recorder, app)
    with pytest.raises(RuntimeError, match="refused halfway"), transaction():
        record_event("document.created", None, "document:1", {}, document_id=1)
        record_notice("user.deactivated", user_id=1)
        raise RuntimeError("refused halfway")

    assert recorder.deliveries == []
    assert events_of() == []
    # The next transaction starts clean: nothing of the rolled-back one rides along.
    with transaction():
        record_notice("credential.revoked", credential_id=7)
    assert recorder.deliveries == [[Notice("credential.revoked", {"credential_id": 7})]]


def test_a_service_inside_a_transaction_delivers_once_after_the_outer_commit(app, make):
    admin, user = make.admin(), make.user()
    recorder = Recorder()
    subscribe(recorder, app)
    with transaction():
        record_event("document.created", admin, "document:1", {}, document_id=1)
        update_user(admin, user.id, {"is_active": False})
        assert recorder.deliveries == []

    assert [described(items) for items in recorder.deliveries] == [
        ["document.created", "user.updated", "notice user.deactivated"]]


def test_subscribing_twice_delivers_once(app):
    recorder = Recorder()
    subscribe(recorder, app)
    subscribe(recorder, app)
    with transaction():
        record_notice("credential.revoked", credential_id=1)
    assert len(recorder.deliveries) == 1


def test_recording_outside_a_transaction_is_refused(app):
    with pytest.raises(RuntimeError, match="inside transaction"):
        record_notice("user.deactivated", user_id=1)


def test_a_notice_reaches_the_live_channel_which_closes_the_sockets(app, make, socket_client):
    admin, user = make.admin(), make.user()
    document = make.document(admin=admin)
    sock = socket_client(token=make.token(user))
    assert join(sock, document.id)["ok"]
    recorder = Recorder()
    subscribe(recorder, app)

    update_user(admin, user.id, {"is_active": False})

    assert not sock.is_connected()
    assert described(recorder.deliveries[-1]) == ["user.updated", "notice user.deactivated"]
