"""The report's stored order (Comment.report_lead_id, migration 0019_report_order) is what the
report used to compute on every read: for each comment whose current answer is shared, the
lowest id at its place among the comments sharing it. Checked after every kind of answer, on
SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from collab.extensions import db
from collab.models import Campaign
from collab.services.resolutions import record_resolution, record_resolutions
from tests.campaigns.helpers import FORM
from tests.conftest import any_database

# The definition the report computed with a window over each place until 0019_report_order.
COMPUTED = text("""
    SELECT c.id, c.report_lead_id AS stored,
           CASE WHEN r.batch_id IS NULL THEN NULL
                ELSE min(c.id) OVER (PARTITION BY r.batch_id, c.document_id, c.clause_id, c.coverage_item_id)
           END AS computed
    FROM comments c
    LEFT JOIN resolutions r ON r.id = (SELECT max(latest.id) FROM resolutions latest WHERE latest.comment_id = c.id)
    WHERE c.document_id = :document_id ORDER BY c.id
""")


def _stored_matches_computed(document_id: int) -> list:
    db.session.expire_all()
    rows = db.session.execute(COMPUTED, {"document_id": document_id}).all()
    # Alone at its place in its batch, a comment leads itself: stored as itself or as NULL.
    wrong = [(r.id, r.stored, r.computed) for r in rows
             if (r.stored if r.stored != r.id else None) != (r.computed if r.computed != r.id else None)]
    assert wrong == []
    return rows


@any_database
def test_the_stored_order_follows_every_answer(make):
    admin = make.admin()
    document = make.document(admin)
    make.open_period(document, admin)
    first, second = make.clause_ids(document)[:2]
    people = [make.user(group=group) for group in ("families", "students", "community")]
    ids = [make.comment(people[i % 3], (first, second)[i % 2], body=f"Point number {i} about officers.").id
           for i in range(12)]
    on_first, on_second = ids[0::2], ids[1::2]

    # One answer across two clauses: a lead at each.
    record_resolutions(admin, document.id, [on_first[1], on_first[3], on_second[0], on_second[2], on_first[4]],
                       disposition="declined", rationale="Answered together.")
    rows = {r.id: r for r in _stored_matches_computed(document.id)}
    assert rows[on_first[3]].stored == on_first[1] and rows[on_second[2]].stored == on_second[0]

    # The lead answered again alone: the rest of its old batch follow the next one.
    record_resolution(admin, on_first[1], disposition="noted", rationale="On its own now.")
    rows = {r.id: r for r in _stored_matches_computed(document.id)}
    assert rows[on_first[1]].stored is None and rows[on_first[4]].stored == on_first[3]

    # A member answered again with others: it joins a new batch, its old one keeps its lead.
    record_resolutions(admin, document.id, [on_second[2], on_second[4], on_first[0]],
                       disposition="accepted", rationale="Clause 4 now says so.", version="next")
    _stored_matches_computed(document.id)

    # The whole of a batch answered again: nothing is left behind with an old lead.
    record_resolutions(admin, document.id, [on_first[3], on_first[4], on_second[0]],
                       disposition="noted", rationale="Heard.")
    record_resolutions(admin, document.id, [on_first[4], on_first[5]], disposition="noted", rationale="Heard again.")
    _stored_matches_computed(document.id)


@any_database
def test_a_campaign_answer_keeps_the_stored_order(make):
    from collab.services.campaign_grouping import group_all
    from collab.services.campaigns import answer_campaign

    admin = make.admin()
    document = make.document(admin)
    make.open_period(document, admin)
    clause = make.clause_ids(document)[1]
    people = [make.user(group=g) for g in ("families", "students", "civil-rights", "educators")]
    copies = [make.comment(person, clause, body=f"{FORM} Signed, neighbour {i}.").id for i, person in enumerate(people)]
    other = make.comment(people[0], clause, body="Body cameras should be on during every interaction.").id
    record_resolutions(admin, document.id, [copies[0], other], disposition="noted", rationale="Heard.")
    group_all(document.id)
    campaign = db.session.query(Campaign).one()

    answer_campaign(admin, campaign.id, disposition="declined", rationale="The clause stays.")
    rows = {r.id: r for r in _stored_matches_computed(document.id)}
    assert {rows[i].stored for i in copies} == {copies[0]}
    assert rows[other].stored in (None, other)  # its old batch lost its lead: alone now


@pytest.mark.real_commits  # downgrades and upgrades a database of its own
def test_the_migration_fills_in_the_order_of_existing_answers(make):
    from flask_migrate import downgrade, upgrade

    admin = make.admin()
    document = make.document(admin)
    make.open_period(document, admin)
    first, second = make.clause_ids(document)[:2]
    author = make.user(group="families")
    ids = [make.comment(author, (first, second)[i % 3 == 0], body=f"Point number {i} about officers.").id
           for i in range(9)]
    record_resolutions(admin, document.id, ids[1:7], disposition="declined", rationale="Answered together.")
    record_resolution(admin, ids[2], disposition="noted", rationale="On its own now.")
    document_id = document.id
    kept = [(r.id, r.stored) for r in _stored_matches_computed(document_id)]
    assert any(stored for _id, stored in kept)

    db.session.remove()
    downgrade(revision="0018_read_indexes")
    upgrade()
    assert [(r.id, r.stored) for r in _stored_matches_computed(document_id)] == kept
