"""`python app.py --workers 2`: two gevent processes on one port, sharing the database and
Redis, behave as one site — live events and presence cross between them, rate limits are
counted once, each mail goes once, each scheduled transition is recorded once, and
SIGTERM or SIGINT to the parent stops every worker."""
from __future__ import annotations

import json
import os
import re
import secrets
import signal
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import redis
import requests

from tests.conftest import POSTGRES_URL, REDIS_URL, SmtpSink, skip_or_fail
from tests.live_server import start_server
from tests.server.conftest import (ADMIN, EDUCATOR, FAMILY, GENEROUS_LIMITS, OBSERVER, STUDENT, WAIT, Site,
                                   _demo, _schema_url)

pytestmark = [pytest.mark.server, pytest.mark.redis]

SCHEMA = "live_workers"
SETTLE = 1.5  # seconds to wait for a duplicate that must not come
MAIL_LIMIT = 3  # sign-ups mailing one address, per 10 minutes


def _postgres_url() -> str:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.__class__.__name__}")
    return _schema_url(POSTGRES_URL, SCHEMA)


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def workers_site(request, tmp_path_factory):
    """`python app.py --workers 2` on a fresh demo, with mail going to a real SMTP server."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except Exception as error:  # noqa: BLE001
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}: {error.__class__.__name__}")
    url = (_postgres_url() if request.param == "postgresql"
           else f"sqlite:///{tmp_path_factory.mktemp('workers') / 'site.sqlite3'}")
    smtp = SmtpSink().start()
    env = {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
           "RATELIMIT_STORAGE_URI": "memory://",  # --workers counts limits in the queue's Redis
           "MAIL_BACKEND": "smtp", "MAIL_SERVER": smtp.host, "MAIL_PORT": str(smtp.port),
           "MAIL_POLL_SECONDS": "0.2", "ACCOUNT_MAIL_RATE_LIMIT": f"{MAIL_LIMIT} per 10 minutes",
           **GENEROUS_LIMITS}
    document_id = _demo(env)
    server = start_server(env, args=("--workers", "2"))
    try:
        yield Site([server], document_id), smtp, server
    finally:
        server.stop()
        smtp.stop()


def _worker_of(listener) -> str:
    """Which process holds this socket: the presence registry in Redis names it."""
    record = redis.Redis.from_url(REDIS_URL, decode_responses=True).get(f"cg:conn:{listener.client.get_sid('/')}")
    return json.loads(record)["server"]


def _spread(listeners, url: str, token_for, count: int) -> dict[str, list]:
    """Open sockets until both workers hold at least one (the kernel picks the process)."""
    by_worker: dict[str, list] = {}
    for _ in range(40):
        listener = listeners(url, token=token_for())
        by_worker.setdefault(_worker_of(listener), []).append(listener)
        if len(by_worker) == 2 and sum(map(len, by_worker.values())) >= count:
            return by_worker
    raise AssertionError(f"40 sockets, all on {list(by_worker)}")


def test_comments_reach_readers_on_both_workers_exactly_once(workers_site, listeners):
    site, _, _ = workers_site
    by_worker = _spread(listeners, site.url(), lambda: site.token(OBSERVER), 6)
    readers = [listener for group in by_worker.values() for listener in group]
    for reader in readers:
        assert reader.call("join", {"document_id": site.document_id})["ok"] is True
    clause_id = site.clause_ids()[0]

    # A new connection for each POST: the kernel hands them to both workers.
    posted = [requests.post(f"{site.url()}/api/v1/clauses/{clause_id}/comments",
                            headers={"Authorization": f"Bearer {site.token(FAMILY)}"}, timeout=WAIT,
                            json={"body": f"Across workers {i} {uuid.uuid4()}", "kind": "concern"})
              for i in range(6)]

    assert [response.status_code for response in posted] == [201] * 6
    ids = {response.json()["comment"]["id"] for response in posted}
    for reader in readers:
        reader.wait_for(lambda events: ids <= {p["comment"]["id"] for n, p in events if n == "comment.created"})
    time.sleep(SETTLE)
    for reader in readers:
        delivered = [p["comment"]["id"] for p in reader.of("comment.created") if p["comment"]["id"] in ids]
        assert sorted(delivered) == sorted(ids)  # each once


def test_each_notification_is_written_once(workers_site):
    """Every worker runs the notifier; the cursor's lock lets one of them write each row."""
    site, _, _ = workers_site
    clause_id = site.clause_ids()[1]
    thread = site.api("POST", f"/clauses/{clause_id}/comments", FAMILY,
                      json={"body": f"A thread {uuid.uuid4()}", "kind": "question"}).json()["comment"]
    replies = [requests.post(f"{site.url()}/api/v1/clauses/{clause_id}/comments", timeout=WAIT,
                             headers={"Authorization": f"Bearer {site.token(EDUCATOR)}"},
                             json={"body": f"An answer {i} {uuid.uuid4()}", "parent_id": thread["id"]})
               for i in range(4)]
    assert [r.status_code for r in replies] == [201] * 4
    reply_ids = {r.json()["comment"]["id"] for r in replies}

    def replied() -> list[int]:
        notifications = site.api("GET", "/me/notifications", FAMILY).json()["notifications"]
        return [n["comment_id"] for n in notifications if n["kind"] == "comment_replied"
                and n["comment_id"] in reply_ids]

    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and len(replied()) < 4:
        time.sleep(0.3)
    time.sleep(SETTLE)
    assert sorted(replied()) == sorted(reply_ids)


def test_presence_counts_people_on_both_workers(workers_site, listeners):
    site, _, _ = workers_site
    educator_id, student_id = site.user_id(EDUCATOR), site.user_id(STUDENT)
    educator = listeners(site.url(), token=site.fresh_token(EDUCATOR))
    educator.call("join", {"document_id": site.document_id})
    student = None
    for _ in range(40):  # the student's socket on the other worker
        candidate = listeners(site.url(), token=site.fresh_token(STUDENT))
        if _worker_of(candidate) != _worker_of(educator):
            student = candidate
            break
        candidate.close()
    assert student is not None, "every socket landed on one worker"

    ack = student.call("join", {"document_id": site.document_id})

    assert {educator_id, student_id} <= {p["user_id"] for p in ack["presence"]}
    educator.wait_for(lambda events: [p for n, p in events if n == "presence"
                                      and student_id in {q["user_id"] for q in p["presence"]}])
    student.close()
    educator.wait_for(lambda events: events and events[-1][0] == "presence"
                      and student_id not in {q["user_id"] for q in events[-1][1]["presence"]})


def _sign_up(site: Site, email: str) -> requests.Response:
    return requests.post(f"{site.url()}/api/v1/accounts", timeout=WAIT, json={
        "email": email, "name": "New Parent", "group": "families", "password": "correct horse battery"})


def test_each_mail_goes_once_and_rate_limits_count_across_workers(workers_site):
    site, smtp, _ = workers_site
    before = len(smtp.message_ids())
    addresses = [f"parent-{uuid.uuid4().hex[:8]}@example.org" for _ in range(6)]
    assert [_sign_up(site, a).status_code for a in addresses] == [202] * 6
    smtp.wait_for(before + 6)
    time.sleep(SETTLE)
    ids = smtp.message_ids()[before:]
    assert len(ids) == len(set(ids)) == 6
    recipients = sorted(str(m["To"]) for m in smtp.messages[before:])
    assert recipients == sorted(addresses)

    # One address, many new connections spread over both workers: the limit holds for the site.
    repeated = addresses[0]
    answers = [_sign_up(site, repeated).status_code for _ in range(MAIL_LIMIT + 3)]
    assert answers.count(429) == 4  # the first sign-up above counted too


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def test_a_scheduled_period_opens_and_closes_once(workers_site):
    site, _, _ = workers_site
    created = site.api("POST", "/documents", ADMIN, json={"title": f"Schedule check {uuid.uuid4().hex[:6]}",
                                                          "clauses": [{"number": "1", "heading": "One",
                                                                       "body": "A clause."}]})
    assert created.status_code == 201
    document_id = created.json()["document"]["id"]
    now = datetime.now(timezone.utc)
    period = site.api("POST", f"/documents/{document_id}/periods", ADMIN,
                      json={"opens_at": _iso(now + timedelta(seconds=3)), "closes_at": _iso(now + timedelta(seconds=5))})
    assert period.status_code == 201

    deadline = time.monotonic() + 20
    actions: list[str] = []
    while time.monotonic() < deadline and "period.closed" not in actions:
        time.sleep(0.5)
        events = site.api("GET", f"/events?document_id={document_id}&limit=100", ADMIN).json()["events"]
        actions = [e["action"] for e in events]
    time.sleep(SETTLE + 1)  # the other worker's scheduler has had its turn
    events = site.api("GET", f"/events?document_id={document_id}&limit=100", ADMIN).json()["events"]
    actions = [e["action"] for e in events]
    assert actions.count("period.opened") == 1 and actions.count("period.closed") == 1, actions


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_parent_stops_every_worker(tmp_path, stop_signal):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'stop.sqlite3'}", "SECRET_KEY": "test-secret",
           "SOCKETIO_MESSAGE_QUEUE": REDIS_URL}
    from tests.live_server import flask_command

    flask_command(["db", "upgrade"], env)
    server = start_server(env, args=("--workers", "2"))
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and len(_worker_pids(server)) < 2:
            time.sleep(0.1)
        workers = _worker_pids(server)
        assert len(workers) == 2 and all(map(_alive, workers))
        assert requests.get(f"{server.url}/", timeout=WAIT).status_code == 200

        server.process.send_signal(stop_signal)

        assert server.process.wait(timeout=20) == 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(map(_alive, workers)):
            time.sleep(0.1)
        assert not any(map(_alive, workers))
    finally:
        server.stop()


def _worker_pids(server) -> list[int]:
    return [int(pid) for pid in re.findall(r"worker \d+ \(pid (\d+)\) accepting", "".join(server.output))]


def test_without_a_message_queue_several_workers_are_refused(tmp_path):
    import subprocess
    import sys

    from tests.live_server import ROOT

    result = subprocess.run([sys.executable, "app.py", "--port", "0", "--workers", "2"], cwd=ROOT, timeout=60,
                            env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                                 "SECRET_KEY": "test-secret", "SOCKETIO_MESSAGE_QUEUE": ""},
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "needs SOCKETIO_MESSAGE_QUEUE" in result.stderr
