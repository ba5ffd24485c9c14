"""Whole-document figures kept until the event chain's head moves (reads/memo.py): every change
through a service shows at once, and what a caller gets is its own copy."""
from __future__ import annotations

from collab.reads.documents import comment_counts
from collab.reads.equity import equity
from collab.reads.queue import overview
from collab.reads.report_stream import report_page
from collab.reads.threads import clause_counts
from collab.services.moderation import hide_comment
from collab.services.resolutions import record_resolution
from tests.conftest import any_database


@any_database
def test_counts_follow_every_change_and_are_copies(make):
    admin = make.admin()
    document = make.document(admin)
    make.open_period(document, admin)
    clause = make.clause_ids(document)[0]
    author = make.user(group="students")
    first = make.comment(author, clause, body="Officers should not search lockers.")
    assert comment_counts(document.id)[clause] == (1, 1)
    assert clause_counts(document.id)[clause]["group"] == {"students": 1}
    assert report_page(document.id)["summary"]["awaiting_answer"] == 1
    assert _overview_row(document.id, clause)["groups"]["students"]["total"] == 1

    make.comment(make.user(group="families"), clause, body="Counselors first, please.")
    assert comment_counts(document.id)[clause] == (2, 2)
    assert clause_counts(document.id)[clause]["group"] == {"students": 1, "families": 1}

    record_resolution(admin, first.id, disposition="accepted", rationale="Clause 4 now says so.")
    assert comment_counts(document.id)[clause] == (2, 1)
    summary = report_page(document.id)["summary"]
    assert (summary["accepted"], summary["awaiting_answer"]) == (1, 1)
    assert (_overview_row(document.id, clause)["total"], _overview_row(document.id, clause)["resolved"]) == (2, 1)
    students = next(row for row in equity(document.id)["groups"] if row["group"] == "students")
    assert students["answered"] == 1

    hide_comment(admin, first.id, reason="Names a student.")
    assert clause_counts(document.id)[clause]["status"].get("hidden") == 1
    assert _overview_row(document.id, clause)["total"] == 1  # hidden comments are not counted

    got = clause_counts(document.id)
    got[clause]["total"] = 999
    assert clause_counts(document.id)[clause]["total"] == 2


def _overview_row(document_id: int, clause_id: int) -> dict:
    return next(row for row in overview(document_id)["clauses"] if row["clause_id"] == clause_id)
