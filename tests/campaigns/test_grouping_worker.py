"""The grouping job with real commits: the background worker puts a new copy in its campaign
within seconds of its commit, and several workers at once group every comment exactly once."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from collab.extensions import db
from collab.models import Campaign, CampaignMember, Comment, CommentSignature
from tests.campaigns.helpers import FORM
from tests.conftest import any_database, events_of

pytestmark = pytest.mark.real_commits  # the workers read what was committed, through their own connections


def _count(query) -> int:
    db.session.rollback()
    return db.session.execute(query).scalar_one()


@any_database
def test_a_new_copy_joins_its_campaign_within_seconds(app, make):
    from collab.campaigns.worker import comments_committed, run_grouper

    app.config["CAMPAIGN_POLL_SECONDS"] = 30  # only the wake-up after the commit can be this quick
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_id = make.clause_ids(document)[1]
    for group in ("families", "students"):
        make.comment(make.user(group=group), clause_id, body=FORM)
    stop = threading.Event()
    worker = threading.Thread(target=run_grouper, args=(app,), kwargs={"stop": stop}, daemon=True)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while _count(select(func.count()).select_from(CampaignMember)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _count(select(func.count()).select_from(CampaignMember)) == 2
        late = make.comment(make.user(group="educators"), clause_id, body=FORM + " Thank you.")
        posted = time.monotonic()
        while time.monotonic() - posted < 10 and not _count(
                select(func.count()).select_from(CampaignMember).where(CampaignMember.comment_id == late.id)):
            time.sleep(0.02)
        waited = time.monotonic() - posted
    finally:
        stop.set()
        comments_committed.set()
        worker.join(30)
    assert waited < 5, f"the copy joined after {waited:.1f} s"
    assert events_of("campaign.grouped")


@any_database
def test_three_workers_at_once_group_each_comment_exactly_once(app, make):
    from collab.services.campaign_grouping import group_step

    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_ids = make.clause_ids(document)
    people = [make.user(group=g) for g in ("families", "students", "educators", "community")]
    for i in range(60):
        # Two in three copy the form letter; the others are each their own.
        body = f"{FORM} Signed, neighbour {i}." if i % 3 else " ".join(f"point{i}x{j}" for j in range(12))
        make.comment(people[i % 4], clause_ids[i % 3], body=body)
    errors = []

    def work():
        try:
            with app.app_context():
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    result = group_step(limit=7)
                    db.session.remove()
                    if not result.busy and not result.more and result.signed == 0:
                        return
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(90)
    assert errors == []
    total = _count(select(func.count()).select_from(Comment))
    assert _count(select(func.count()).select_from(CommentSignature)) == total == 60
    assert _count(select(func.count()).select_from(Campaign)) == 1
    assert _count(select(func.count()).select_from(CampaignMember)) == 40
    joined = [c for e in events_of() if e.action in ("campaign.proposed", "campaign.grouped")
              for c in __import__("json").loads(e.data)["comment_ids"]]
    assert len(joined) == len(set(joined)) == 40
