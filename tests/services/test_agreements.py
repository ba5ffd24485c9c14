"""Plain-language summaries, adoption with signatures and review date, the review reminder and
the review draft, each as one service call with its event (and checkpoint where it is a milestone)."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest

from collab.errors import Conflict, Forbidden, Invalid
from collab.extensions import db
from collab.models import Adoption, CarriedConcern, Checkpoint
from collab.reads.agreements import adoption_of, carried_concerns, summaries_of
from collab.services.agreements import (adopt_version, one_year_after, record_due_review_reminders,
                                        record_signature, set_review_date, start_review, write_clause_summary)
from collab.services.resolutions import record_resolution
from collab.timeutil import utcnow
from tests.conftest import any_database, events_of

TODAY = utcnow().date()
DAY = TODAY.isoformat()
PLAIN = "Police officers in school do not punish students for breaking school rules. Teachers do that."


def _checkpoint_reasons() -> list[str]:
    return [c.reason for c in db.session.query(Checkpoint).order_by(Checkpoint.id)]


@any_database
def test_a_summary_is_stored_per_clause_and_version_with_its_readability_and_event(make):
    document = make.document()
    admin = make.admin()
    clause_id = make.clause_ids(document)[1]
    summary = write_clause_summary(admin, document.id, clause_id, text=PLAIN)
    assert summary.word_count == 15
    assert summary.reading_ease > 50 and summary.grade_level < 10
    assert summaries_of(document.id, 1)[clause_id]["text"] == PLAIN
    event = events_of("summary.written")[-1]
    assert '"words":15' in event.data and PLAIN not in event.data
    write_clause_summary(admin, document.id, clause_id, text="")
    assert summaries_of(document.id, 1) == {}


def test_a_summary_over_150_words_is_refused_with_a_clear_message(make):
    document = make.document()
    admin = make.admin()
    clause_id = make.clause_ids(document)[0]
    with pytest.raises(Invalid) as refused:
        write_clause_summary(admin, document.id, clause_id, text="word " * 151)
    assert refused.value.code == "summary_too_long" and "151" in refused.value.message
    assert write_clause_summary(admin, document.id, clause_id, text="word " * 150).word_count == 150
    with pytest.raises(Forbidden):
        write_clause_summary(make.user(), document.id, clause_id, text=PLAIN)


@any_database
def test_adoption_signatures_and_review_date_are_events_with_checkpoints(make, runner):
    document = make.document()
    admin = make.admin()
    adoption = adopt_version(admin, document.id, adopted_on=DAY)
    assert adoption.next_review_on == one_year_after(TODAY)  # a year on by default
    record_signature(admin, adoption.id, party="district", name="Dana Chief", title="Superintendent",
                     signed_on=DAY)
    record_signature(admin, adoption.id, party="police_agency", name="Lee Captain", title="Chief of Police",
                     signed_on=DAY)
    set_review_date(admin, adoption.id, next_review_on=(TODAY + timedelta(days=600)).isoformat())
    assert [e.action for e in events_of() if e.action.startswith(("version.adopted", "adoption.", "review."))] == [
        "version.adopted", "adoption.signed", "adoption.signed", "review.scheduled"]
    assert _checkpoint_reasons()[-4:] == ["version.adopted", "adoption.signed", "adoption.signed",
                                          "review.scheduled"]
    shown = adoption_of(document.id)
    assert [s["name"] for s in shown["signatures"]] == ["Dana Chief", "Lee Captain"]
    assert shown["next_review_on"] == (TODAY + timedelta(days=600)).isoformat()
    assert "Dana Chief" not in events_of("adoption.signed")[0].data  # digests only in the chain
    result = runner.invoke(args=["events", "verify"])
    assert result.exit_code == 0, result.output


def test_bad_dates_missing_party_and_non_admins_are_refused(make):
    document = make.document()
    admin = make.admin()
    with pytest.raises(Invalid) as bad:
        adopt_version(admin, document.id, adopted_on="30/11/2026")
    assert bad.value.code == "invalid_date"
    with pytest.raises(Invalid) as before:
        adopt_version(admin, document.id, adopted_on=DAY, next_review_on=(TODAY - timedelta(days=1)).isoformat())
    assert before.value.code == "invalid_review_date"
    with pytest.raises(Forbidden):
        adopt_version(make.user(), document.id)
    adoption = adopt_version(admin, document.id)
    with pytest.raises(Conflict):
        adopt_version(admin, document.id)
    with pytest.raises(Invalid) as party:
        record_signature(admin, adoption.id, party=None, name="A", title="B", signed_on=DAY)
    assert party.value.code == "invalid_party"
    with pytest.raises(Invalid) as other:
        record_signature(admin, adoption.id, party="other", name="A", title="B", signed_on=DAY)
    assert other.value.code == "empty_party_name"
    with pytest.raises(Invalid) as day:
        record_signature(admin, adoption.id, party="district", name="A", title="B", signed_on="2026-02-30")
    assert day.value.code == "invalid_date"
    with pytest.raises(Forbidden):
        record_signature(make.user(), adoption.id, party="district", name="A", title="B", signed_on=DAY)
    assert events_of("adoption.signed") == []


def test_the_year_after_a_leap_day_is_the_28th_of_february():
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


@any_database
def test_the_review_reminder_is_recorded_once_30_days_before(make):
    document = make.document()
    admin = make.admin()
    review = TODAY + timedelta(days=365)
    adoption = adopt_version(admin, document.id, adopted_on=DAY, next_review_on=review.isoformat())
    midnight = datetime.combine(review - timedelta(days=30), datetime.min.time())
    assert record_due_review_reminders(midnight - timedelta(minutes=1)) == []  # 31 days before
    assert len(record_due_review_reminders(midnight)) == 1
    assert record_due_review_reminders(midnight + timedelta(days=1)) == []
    assert len(events_of("review.due_soon")) == 1
    assert events_of("review.due_soon")[0].actor_id is None
    assert '"days_left":30' in events_of("review.due_soon")[0].data
    later = review + timedelta(days=365)
    set_review_date(admin, adoption.id, next_review_on=later.isoformat())  # a new date: a new reminder
    assert record_due_review_reminders(midnight + timedelta(days=2)) == []
    assert len(record_due_review_reminders(datetime.combine(later, datetime.min.time()))) == 1


@pytest.mark.real_commits  # the schedulers run on connections of their own
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_concurrent_schedulers_record_the_review_reminder_exactly_once(app, make):
    document = make.document()
    adopt_version(make.admin(), document.id, adopted_on=DAY, next_review_on=(TODAY + timedelta(days=20)).isoformat())
    barrier = threading.Barrier(4)
    errors = []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                record_due_review_reminders()
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
    assert len(events_of("review.due_soon")) == 1


@any_database
def test_the_review_draft_starts_from_the_adopted_text_and_carries_open_and_deferred_concerns(make, runner):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    c1, c2, c3 = make.clause_ids(document)
    family = make.user(group="families")
    deferred = make.comment(family, c1, body="Add a yearly public report.")
    accepted = make.comment(family, c2, body="Good clause.")
    still_open = make.comment(family, c3, body="Define diversion.")
    record_resolution(admin, deferred.id, disposition="deferred", rationale="At the next review.")
    record_resolution(admin, accepted.id, disposition="accepted", rationale="Kept.")
    write_clause_summary(admin, document.id, c2, text=PLAIN)
    adoption = adopt_version(admin, document.id)
    with pytest.raises(Forbidden):
        start_review(family, document.id)
    version = start_review(admin, document.id)
    assert version.number == 2
    carried = carried_concerns(document.id, 2)
    assert [(c["comment_id"], c["reason"]) for c in carried] == [(deferred.id, "deferred"), (still_open.id, "open")]
    assert db.session.get(Adoption, adoption.id).review_version_number == 2
    assert summaries_of(document.id, 2)[c2]["text"] == PLAIN  # the same text keeps its summary
    assert events_of("review.started")[-1].data.count("comment_id") == 2
    assert _checkpoint_reasons()[-2:] == ["version.published", "review.started"]
    with pytest.raises(Conflict):
        start_review(admin, document.id)
    assert db.session.query(CarriedConcern).count() == 2
    assert runner.invoke(args=["events", "verify"]).exit_code == 0


def test_a_review_needs_an_adopted_version(make):
    document = make.document()
    with pytest.raises(Conflict) as refused:
        start_review(make.admin(), document.id)
    assert refused.value.code == "not_adopted"


def test_the_period_scheduler_records_the_review_reminder(app, make):
    from collab.runtime.scheduler import run_scheduler

    document = make.document()
    adopt_version(make.admin(), document.id, adopted_on=DAY, next_review_on=(TODAY + timedelta(days=10)).isoformat())
    db.session.commit()
    run_scheduler(app, rounds=2)
    db.session.expire_all()
    assert len(events_of("review.due_soon")) == 1
