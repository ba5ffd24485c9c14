import threading
from datetime import timedelta

import pytest

from collab.errors import Conflict
from collab.extensions import db
from collab.models import Checkpoint, CommentPeriod
from collab.services.documents import close_period, create_period
from collab.services.schedule import next_transition_at, record_due_transitions
from collab.timeutil import isoformat, utcnow
from tests.conftest import any_database, events_of


def schedule(make, document, opens_in: float, closes_in: float) -> CommentPeriod:
    now = utcnow()
    return create_period(make.admin(), document.id, opens_at=isoformat(now + timedelta(seconds=opens_in)),
                         closes_at=isoformat(now + timedelta(seconds=closes_in)))


@any_database
def test_a_scheduled_period_opens_and_closes_once_at_its_moments(make):
    document = make.document()
    period = schedule(make, document, 60, 120)
    assert [e.action for e in events_of() if e.subject == f"period:{period.id}"] == ["period.scheduled"]
    assert record_due_transitions(period.opens_at - timedelta(seconds=1)) == []
    assert next_transition_at() == period.opens_at
    [opened] = record_due_transitions(period.opens_at)
    assert opened.action == "period.opened" and opened.actor_id is None
    assert record_due_transitions(period.opens_at + timedelta(seconds=1)) == []
    [closed] = record_due_transitions(period.closes_at)
    assert closed.action == "period.closed"
    assert record_due_transitions(period.closes_at + timedelta(seconds=5)) == []
    assert db.session.query(Checkpoint).filter_by(reason="period.closed").one().seq == closed.seq
    assert next_transition_at() is None


@any_database
def test_transitions_missed_while_no_server_ran_are_recorded_in_order(make):
    document = make.document()
    period = schedule(make, document, 60, 120)
    events = record_due_transitions(period.closes_at + timedelta(hours=1))
    assert [e.action for e in events] == ["period.opened", "period.closed"]


@any_database
def test_a_period_that_opens_at_once_is_not_opened_again(make):
    document = make.document()
    make.open_period(document)
    assert record_due_transitions() == []
    assert len(events_of("period.opened")) == 1


@any_database
def test_closing_early_is_not_recorded_again_by_the_scheduler(make):
    document = make.document()
    period = make.open_period(document)
    close_period(make.admin(), period.id)
    assert record_due_transitions(utcnow() + timedelta(days=30)) == []
    assert len(events_of("period.closed")) == 1


@any_database
def test_cancelling_a_scheduled_period_never_opens_it(make):
    document = make.document()
    period = schedule(make, document, 60, 120)
    close_period(make.admin(), period.id)
    assert record_due_transitions(utcnow() + timedelta(days=1)) == []
    assert events_of("period.opened") == []


@any_database
def test_closing_a_period_whose_opening_was_missed_records_the_opening_first(make, monkeypatch):
    document = make.document()
    period = schedule(make, document, 1, 3600)
    later = period.opens_at + timedelta(seconds=5)
    monkeypatch.setattr("collab.services.documents.utcnow", lambda: later)
    close_period(make.admin(), period.id)
    assert [e.action for e in events_of() if e.subject == f"period:{period.id}"] == [
        "period.scheduled", "period.opened", "period.closed"]


@any_database
def test_a_comment_one_second_before_closing_counts_and_one_second_after_is_refused(make, monkeypatch):
    document = make.document()
    period = schedule(make, document, -60, 3600)
    author = make.user()
    clause_id = make.clause_ids(document)[0]
    monkeypatch.setattr("collab.services.documents.utcnow", lambda: period.closes_at - timedelta(seconds=1))
    make.comment(author, clause_id, body="Just in time.")
    before = len(events_of())
    for moment in (period.closes_at, period.closes_at + timedelta(seconds=1)):
        monkeypatch.setattr("collab.services.documents.utcnow", lambda moment=moment: moment)
        with pytest.raises(Conflict) as raised:
            make.comment(author, clause_id, body="Too late.")
        assert raised.value.code == "commenting_closed"
    assert len(events_of()) == before


@any_database
def test_a_comment_one_second_before_opening_is_refused_and_at_opening_counts(make, monkeypatch):
    document = make.document()
    period = schedule(make, document, 3600, 7200)
    author = make.user()
    clause_id = make.clause_ids(document)[0]
    monkeypatch.setattr("collab.services.documents.utcnow", lambda: period.opens_at - timedelta(seconds=1))
    with pytest.raises(Conflict):
        make.comment(author, clause_id, body="Too early.")
    monkeypatch.setattr("collab.services.documents.utcnow", lambda: period.opens_at)
    make.comment(author, clause_id, body="Right on time.")


@pytest.mark.real_commits
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_concurrent_schedulers_record_each_transition_exactly_once(app, make):
    document = make.document()
    period = schedule(make, document, 60, 120)
    moment = period.closes_at + timedelta(seconds=1)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                record_due_transitions(moment)
            except Exception as error:  # noqa: BLE001 — reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    db.session.expire_all()
    assert len(events_of("period.opened")) == 1
    assert len(events_of("period.closed")) == 1
