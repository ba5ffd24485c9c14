"""Periods open and close live, at their moment, from real server processes — also after a restart."""
import threading
import time
from datetime import timedelta

import pytest
import socketio

from collab.extensions import db
from collab.services.documents import create_period
from collab.timeutil import isoformat, parse_iso, utcnow
from tests.conftest import REDIS_URL, events_of
from tests.live_server import start_server

pytestmark = pytest.mark.server


class Listener:
    """A Socket.IO client joined to a document, collecting period events."""

    def __init__(self, url: str, token: str, document_id: int):
        self.events: list[tuple[str, dict, float]] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        for action in ("period.opened", "period.closed"):
            self.client.on(action, lambda payload, action=action: self._got(action, payload))
        self.client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        answer = self.client.call("join", {"document_id": document_id}, timeout=10)
        assert answer["ok"], answer

    def _got(self, action, payload):
        with self.arrived:
            self.events.append((action, payload, time.time()))
            self.arrived.notify_all()

    def wait_for(self, action: str, timeout: float) -> tuple[dict, float]:
        deadline = time.time() + timeout
        with self.arrived:
            while True:
                found = [e for e in self.events if e[0] == action]
                if found:
                    return found[0][1], found[0][2]
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise AssertionError(f"no {action} within {timeout} s; got {self.events}")
                self.arrived.wait(remaining)

    def close(self):
        self.client.disconnect()


def server_env(database_url: str) -> dict:
    return {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}


def schedule(make, document, opens_in: float, closes_in: float):
    now = utcnow()
    return create_period(make.admin(), document.id, opens_at=isoformat(now + timedelta(seconds=opens_in)),
                         closes_at=isoformat(now + timedelta(seconds=closes_in)))


def test_opening_and_closing_reach_joined_clients_at_their_moment(make, database_url):
    document = make.document()
    token = make.token(make.user())
    server = start_server(server_env(database_url))
    listener = None
    try:
        listener = Listener(server.url, token, document.id)
        period = schedule(make, document, 2, 4)
        opened, opened_seen = listener.wait_for("period.opened", 10)
        closed, closed_seen = listener.wait_for("period.closed", 10)
        assert opened["period"]["id"] == period.id and opened["period"]["is_open"]
        assert closed["period"]["is_open"] is False
        # Recorded and sent at the moment, never before it. The scheduler wakes at least every
        # MAX_SLEEP_SECONDS (1 s); the bound leaves room for a loaded 2-core CI machine and still
        # fails a scheduler that polls, say, each minute.
        for payload, seen, moment in ((opened, opened_seen, period.opens_at), (closed, closed_seen, period.closes_at)):
            recorded_at = parse_iso(payload["at"], "at")
            assert timedelta(0) <= recorded_at - moment < timedelta(seconds=3)
            assert seen - (moment - utcnow()).total_seconds() - time.time() < 4
    finally:
        if listener:
            listener.close()
        server.stop()
    db.session.rollback()  # a fresh snapshot: the servers wrote meanwhile
    assert len(events_of("period.opened")) == 1 and len(events_of("period.closed")) == 1


def test_a_restarted_server_records_what_fell_due_and_keeps_the_schedule(make, database_url):
    document = make.document()
    token = make.token(make.user())
    first = start_server(server_env(database_url))
    first.stop()
    period = schedule(make, document, 1, 15)  # closes late enough for a slow start under load
    time.sleep(2)  # the period opens while no server runs
    db.session.rollback()  # a fresh snapshot: the servers wrote meanwhile
    assert events_of("period.opened") == []
    second = start_server(server_env(database_url))
    listener = None
    try:
        deadline = time.time() + 10
        while not events_of("period.opened") and time.time() < deadline:
            time.sleep(0.1)
            db.session.rollback()  # a fresh snapshot: the servers wrote meanwhile
        assert len(events_of("period.opened")) == 1
        listener = Listener(second.url, token, document.id)
        closed, _seen = listener.wait_for("period.closed", 25)
        recorded_at = parse_iso(closed["at"], "at")
        assert timedelta(0) <= recorded_at - period.closes_at < timedelta(seconds=1)
    finally:
        if listener:
            listener.close()
        second.stop()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_server_processes_record_each_transition_once(make, database_url):
    document = make.document()
    token = make.token(make.user())
    # The processes share rooms through Redis, as a deployment with several processes does.
    env = {**server_env(database_url), "SOCKETIO_MESSAGE_QUEUE": REDIS_URL}
    servers = [start_server(env) for _ in range(2)]
    listeners = []
    try:
        listeners = [Listener(s.url, token, document.id) for s in servers]
        schedule(make, document, 2, 3)
        for listener in listeners:
            listener.wait_for("period.closed", 25)  # generous: a loaded machine
        time.sleep(1.5)  # room for a duplicate to show up
        for listener in listeners:
            assert [e[0] for e in listener.events] == ["period.opened", "period.closed"]
    finally:
        for listener in listeners:
            listener.close()
        for server in servers:
            server.stop()
    db.session.rollback()  # a fresh snapshot: the servers wrote meanwhile
    assert len(events_of("period.opened")) == 1 and len(events_of("period.closed")) == 1
