"""Equity by group on a hand-computed data set (tests/equity_data.py), on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import event

from collab.extensions import db
from collab.reads.equity import equity, equity_csv, two_proportion_z
from tests.conftest import any_database
from tests.equity_data import build


def _by_group(rows):
    return {row["group"]: row for row in rows}


@any_database
def test_equity_figures_match_the_hand_computed_data_set(make):
    document, _admin, data = build(make)
    figures = equity(document.id)
    groups = _by_group(figures["groups"])
    families, advocates, police = groups["families"], groups["civil-rights"], groups["law-enforcement"]
    assert {k: families[k] for k in ("comments", "answered", "accepted", "accepted_with_changes", "declined",
                                     "deferred", "noted", "open", "contested")} == {
        "comments": 8, "answered": 8, "accepted": 6, "accepted_with_changes": 1, "declined": 1,
        "deferred": 0, "noted": 0, "open": 0, "contested": 0}
    assert {k: advocates[k] for k in ("comments", "answered", "accepted", "declined", "deferred", "noted",
                                      "open", "contested")} == {
        "comments": 8, "answered": 7, "accepted": 1, "declined": 4, "deferred": 1, "noted": 1, "open": 1,
        "contested": 1}
    assert (police["comments"], police["answered"], police["open"]) == (2, 1, 1)
    assert families["median_hours_to_answer"] == 4.5
    assert advocates["median_hours_to_answer"] == 55.0
    assert police["median_hours_to_answer"] == 10.0
    assert advocates["others_median_hours_to_answer"] == 5.0
    assert families["others_median_hours_to_answer"] == 50.0
    assert families["accepted_share"] == 0.875 and advocates["accepted_share"] == 0.143
    assert advocates["z"] == -2.98 and families["z"] == 2.52
    assert advocates["flags"] == ["accepted_share_lower", "slower_answers"]
    assert advocates["flag"] == "accepted_share_lower"
    assert families["flags"] == ["accepted_share_higher", "faster_answers"]
    assert police["flags"] == ["too_few_to_compare"] and police["flag"] == "too_few_to_compare"
    assert groups["students"]["comments"] == 0 and groups["students"]["flag"] == "too_few_to_compare"
    c1, c2, c3 = data["clauses"]
    clauses = {c["clause_id"]: c for c in figures["clauses"]}
    clause1 = _by_group(clauses[c1]["groups"])
    assert set(clause1) == {"families", "civil-rights"}
    assert (clause1["civil-rights"]["comments"], clause1["civil-rights"]["accepted"],
            clause1["civil-rights"]["declined"]) == (4, 1, 3)
    assert clause1["civil-rights"]["flag"] == "too_few_to_compare"  # 4 answered on this clause
    clause2 = _by_group(clauses[c2]["groups"])["civil-rights"]
    assert (clause2["answered"], clause2["open"], clause2["contested"], clause2["median_hours_to_answer"]) == (
        3, 1, 1, 75.0)
    assert [row["group"] for row in clauses[c3]["groups"]] == ["law-enforcement"]
    assert figures["totals"]["comments"] == 18


def test_the_z_statistic_is_the_pooled_two_proportion_test():
    # 1 of 7 against 8 of 9: pooled 9/16; se = sqrt(9/16 * 7/16 * (1/7 + 1/9)).
    assert round(two_proportion_z(1, 7, 8, 9), 3) == -2.984
    assert two_proportion_z(3, 3, 5, 5) is None  # everyone accepted: nothing to compare


def test_equity_costs_the_same_number_of_queries_at_two_sizes(make):
    document, admin, data = build(make)
    statements = []

    def count(*_args):
        statements.append(1)

    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        equity(document.id)
        small = len(statements)
        for index in range(6):
            make.comment(data["family"], data["clauses"][1], body=f"More {index}.")
        db.session.commit()
        statements.clear()
        equity(document.id)
        assert len(statements) == small
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_equity_csv_has_a_row_per_group_and_per_clause_and_group(make):
    import csv
    import io

    document, _admin, _data = build(make)
    rows = list(csv.DictReader(io.StringIO(equity_csv(document.id))))
    document_rows = {r["group"]: r for r in rows if r["scope"] == "document"}
    assert document_rows["civil-rights"]["declined"] == "4"
    assert document_rows["civil-rights"]["flag"] == "accepted_share_lower slower_answers"
    assert document_rows["law-enforcement"]["flag"] == "too_few_to_compare"
    assert document_rows["families"]["median_hours_to_answer"] == "4.5"
    assert len([r for r in rows if r["scope"] == "clause"]) == 4
