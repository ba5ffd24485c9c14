"""`flask notifications run` as real processes: killed with SIGKILL mid-fan-out, restarted as
two notifiers on the same database; every follower gets exactly one notification and one mail."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, insert, select

from collab.extensions import db
from collab.models import DocumentFollow, Group, OutboxMail, User
from collab.models.notifications import Notification, NotificationCursor, NotificationPreference
from collab.services.meetings import create_meeting
from tests.conftest import any_database, events_of
from tests.live_server import ROOT

FOLLOWERS = 1500


def start_notifier(database_url: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "NOTIFIER_BATCH_SIZE": "40", "NOTIFIER_POLL_SECONDS": "0.1", "SITE_URL": "https://common-ground.test",
           "MAIL_DEFAULT_SENDER": "Common Ground <no-reply@common-ground.test>"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "notifications", "run"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def add_followers(document_id: int, count: int) -> None:
    """Followers who want every mail at once, written directly: the test is about the fan-out."""
    group_id = db.session.execute(select(Group.id).where(Group.slug == "families")).scalar_one()
    first = (db.session.execute(select(func.max(User.id))).scalar() or 0) + 1
    ids = range(first, first + count)
    db.session.execute(insert(User), [{"id": i, "email": f"follower{i}@example.org", "name": f"Follower {i}",
                                       "password_hash": "-", "role": "participant", "group_id": group_id,
                                       "is_active": True} for i in ids])
    db.session.execute(insert(DocumentFollow), [{"user_id": i, "document_id": document_id, "is_following": True}
                                                for i in ids])
    db.session.execute(insert(NotificationPreference), [{"user_id": i, "email_frequency": "immediate",
                                                         "kinds": {}, "answers_immediately": True} for i in ids])
    db.session.commit()


def count(model) -> int:
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@any_database
def test_a_notifier_killed_mid_fan_out_and_two_restarted_write_each_notification_once(app, database_url, make):
    document = make.document()
    admin = make.admin()
    add_followers(document.id, FOLLOWERS)
    create_meeting(admin, document.id, title="Budget hearing")
    seq = events_of("meeting.created")[0].seq

    first = start_notifier(database_url)
    try:
        deadline = time.monotonic() + 60
        while count(Notification) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
        first.communicate(timeout=10)
    written_before_restart = count(Notification)
    assert 0 < written_before_restart < FOLLOWERS, "the kill should land mid-fan-out"

    notifiers = [start_notifier(database_url) for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            db.session.rollback()
            cursor = db.session.get(NotificationCursor, 1, populate_existing=True)
            if cursor.last_seq >= seq and cursor.partial_seq is None:
                break
            time.sleep(0.1)
    finally:
        for process in notifiers:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=20)[0] for process in notifiers]
    assert "Traceback" not in "".join(outputs)
    db.session.rollback()
    rows = db.session.execute(select(Notification.user_id, Notification.event_seq)).all()
    assert len(rows) == FOLLOWERS == len(set(rows))
    assert {event_seq for _, event_seq in rows} == {seq}
    mails = db.session.execute(select(OutboxMail.recipient, OutboxMail.caused_by_event_seq)).all()
    assert len(mails) == FOLLOWERS == len({recipient for recipient, _ in mails})
    assert {caused for _, caused in mails} == {seq}
