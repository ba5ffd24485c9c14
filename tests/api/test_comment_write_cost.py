"""What one POST /clauses/{id}/comments costs the database: pinned, so it cannot creep back up.

The write path reads the caller's credential, one row that says everything about the
clause (its current text, its document, whether commenting is open, the live meeting
and silent round) with the chain head it locks, whether the same text was just posted
(a duplicate), and writes the comment, its event and the chain head.
"""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from collab.extensions import db
from tests.conftest import any_database, events_of


@contextmanager
def statements_issued():
    """The SQL statements sent while the block runs (transaction control such as BEGIN left out)."""
    statements: list[str] = []

    def count(_connection, _cursor, statement, _parameters, _context, _executemany):
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def verbs(statements: list[str]) -> list[str]:
    return [" ".join(s.split()[:3]).replace(",", "") for s in statements]


@pytest.fixture
def warm(api, participant, open_document, clause_id):
    """One comment first, so the statement count is not the app's first request's."""
    api.post(f"/clauses/{clause_id}/comments", participant, json={"body": "First.", "kind": "concern"})


@any_database
def test_a_comment_post_issues_six_statements(api, participant, open_document, clause_id, warm):
    with statements_issued() as statements:
        response = api.post(f"/clauses/{clause_id}/comments", participant,
                            json={"body": "Who reviews the officers' conduct?", "kind": "question"})
    assert response.status_code == 201, response.get_json()
    assert len(statements) == 6, "\n".join(statements)
    # The clause's read also locks the chain head; the head is written once, last, whatever the
    # number of events the transaction appended.
    assert [v.split()[0] for v in verbs(statements)] == ["SELECT", "SELECT", "SELECT", "INSERT", "INSERT", "UPDATE"]
    assert "chain_head" in statements[1] and "chain_head" in statements[-1]
    comment = response.get_json()["comment"]
    [*_, stored] = events_of("comment.created")
    assert (comment["seq"], comment["resolution"], comment["anchor"]) == (stored.seq, None, None)


@any_database
def test_an_idempotency_key_and_a_quote_add_only_the_key_lookup_and_the_placement(
        api, participant, open_document, clause_id, warm):
    with statements_issued() as statements:
        response = api.post(f"/clauses/{clause_id}/comments", participant,
                            headers={"Idempotency-Key": "draft-7"},
                            json={"body": "Name the rules.", "kind": "concern", "quote": "school rules"})
    assert response.status_code == 201, response.get_json()
    assert len(statements) == 8, "\n".join(statements)
    assert sum("comment_placements" in s and s.lstrip().upper().startswith("INSERT") for s in statements) == 1
    comment = response.get_json()["comment"]
    assert comment["anchor"]["status"] == "exact"


def test_a_replayed_post_only_reads_the_first_comment_as_it_stands(api, participant, open_document, clause_id,
                                                                     warm):
    body = {"body": "Name the rules.", "kind": "concern"}
    first = api.post(f"/clauses/{clause_id}/comments", participant, headers={"Idempotency-Key": "k"}, json=body)
    with statements_issued() as statements:
        again = api.post(f"/clauses/{clause_id}/comments", participant, headers={"Idempotency-Key": "k"}, json=body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    # The credential, the comment, its placements, its resolutions (it may be resolved by now) and
    # its co-signers by group (it may be co-signed by now).
    assert len(statements) == 5, "\n".join(statements)
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_a_comment_while_commenting_is_closed_stops_after_three_reads(api, participant, document, clause_id):
    with statements_issued() as statements:
        response = api.post(f"/clauses/{clause_id}/comments", participant, json={"body": "Hello.", "kind": "concern"})
    assert response.status_code == 409
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements), "\n".join(statements)
    # The credential, the clause's state, and the person (whose language the refusal is written in).
    assert len(statements) == 3, "\n".join(statements)
