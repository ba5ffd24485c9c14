"""The comment form's "a similar comment already exists": near-identical comments on the clause,
never hidden, redacted or unrevealed text, readable by whoever may read the clause."""
from __future__ import annotations

from collab.reads.similar import similar_comments
from collab.services.cosigning import cosign_comment
from collab.services.moderation import hide_comment, redact_comment
from tests.api.helpers import assert_error
from tests.conftest import any_database

TEXT = "School resource officers should not search student lockers without a warrant."


@any_database
def test_a_near_copy_is_suggested_and_a_different_text_is_not(client, make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    clause = make.clause_ids(document)[1]
    original = make.comment(make.user(), clause, body=TEXT)
    make.comment(make.user(), clause, body="The agreement should be reviewed every year by the board.")
    make.comment(make.user(), make.clause_ids(document)[2], body=TEXT)  # another clause: not a candidate
    writer = make.user(group="students")
    cosign_comment(writer, original.id)
    [found] = similar_comments(writer, clause, "school resource officers should not search student lockers "
                                               "without a warrant!!")
    assert found["comment"]["id"] == original.id and found["score"] >= 85
    assert found["cosigned"] is True and found["may_cosign"] is True
    assert similar_comments(writer, clause, "Short text") == []
    assert similar_comments(writer, clause, "Arrests should be the last resort after diversion.") == []
    answer = client.get(f"/api/v1/clauses/{clause}/similar", query_string={"text": TEXT})
    assert [s["comment"]["id"] for s in answer.get_json()["similar"]] == [original.id]
    assert_error(client.get("/api/v1/clauses/99999/similar", query_string={"text": TEXT}), 404)
    assert_error(client.get(f"/api/v1/clauses/{clause}/similar", query_string={"text": "x" * 10_001}), 400)


@any_database
def test_hidden_and_redacted_text_is_never_suggested(client, make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    clause = make.clause_ids(document)[1]
    hidden = make.comment(make.user(), clause, body=TEXT + " Ask Jamie in room 12.")
    redacted = make.comment(make.user(), clause, body=TEXT + " My son Alex was searched.")
    hide_comment(admin, hidden.id, reason="Names a student.")
    redact_comment(admin, redacted.id, reason="A child's name.")
    for viewer in (None, make.user(), admin):
        assert similar_comments(viewer, clause, TEXT) == []
    body = client.get(f"/api/v1/clauses/{clause}/similar", query_string={"text": TEXT},
                      headers=make.bearer(admin)).get_data(as_text=True)
    assert "Jamie" not in body and "Alex" not in body


@any_database
def test_an_invited_document_is_not_read_without_an_account(client, make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.invited(document, admin)
    clause = make.clause_ids(document)[0]
    assert_error(client.get(f"/api/v1/clauses/{clause}/similar", query_string={"text": TEXT}), 401)
