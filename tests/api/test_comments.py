"""POST /clauses/{id}/comments, GET /documents/{id}/comments, PATCH /comments/{id}."""
import pytest

from collab.events import salted_digest
from collab.extensions import db
from collab.models import Comment, CommentRevision
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import events_of

COMMENT_FIELDS = {"id", "clause_id", "version", "parent_id", "author", "kind", "body", "quote",
                  "suggested_text", "status", "created_at", "seq", "resolution"}


def test_participant_comments_on_a_clause(api, participant, open_document, clause_id):
    response = api.post(f"/clauses/{clause_id}/comments", participant, json={
        "body": "  Who decides what counts as discipline?  ", "kind": "question", "quote": "school rules",
        "suggested_text": "Officers never take part in school discipline."})
    assert response.status_code == 201
    comment = response.get_json()["comment"]
    assert COMMENT_FIELDS <= set(comment)
    assert comment["author"] == {"id": participant.id, "name": "Pat Parent", "group": "families",
                                 "group_name": comment["author"]["group_name"]}
    assert (comment["clause_id"], comment["version"], comment["parent_id"], comment["kind"], comment["status"]) == (
        clause_id, 1, None, "question", "open")
    assert comment["body"] == "Who decides what counts as discipline?"
    assert comment["quote"] == "school rules"
    assert comment["resolution"] is None
    assert comment["created_at"].endswith("Z")
    [event] = events_of("comment.created")
    assert (comment["seq"], event.subject, event.actor_id) == (event.seq, f"comment:{comment['id']}", participant.id)
    stored = db.session.get(Comment, comment["id"])
    assert salted_digest("Who decides what counts as discipline?", stored.body_salt) in event.data
    assert "discipline?" not in event.data
    assert "Idempotent-Replayed" not in response.headers


@pytest.mark.parametrize("role", ["admin", "facilitator"])
def test_staff_may_comment_too(api, open_document, clause_id, role):
    actor = api.user(role=role, group="district")
    response = api.post(f"/clauses/{clause_id}/comments", actor, json={"body": "Noted.", "kind": "support"})
    assert response.status_code == 201


def test_a_reply_joins_its_threads_clause(api, make, participant, open_document, clause_id):
    root = make.comment(make.user(), clause_id)
    reply = api.post(f"/clauses/{clause_id}/comments", participant,
                     json={"body": "Agreed.", "kind": "support", "parent_id": root.id}).get_json()["comment"]
    assert reply["parent_id"] == root.id
    nested = api.post(f"/clauses/{clause_id}/comments", participant,
                      json={"body": "Me too.", "kind": "support", "parent_id": reply["id"]}).get_json()["comment"]
    assert nested["parent_id"] == root.id  # threads are two levels deep


def test_a_reply_on_another_clause_is_refused(api, make, participant, open_document, clause_id):
    root = make.comment(make.user(), clause_id)
    other_clause = make.clause_ids(open_document)[0]
    before = stored_rows()
    response = api.post(f"/clauses/{other_clause}/comments", participant,
                        json={"body": "Agreed.", "kind": "support", "parent_id": root.id})
    assert_error(response, 400, "wrong_clause")
    assert stored_rows() == before


def test_html_in_a_comment_is_stored_as_text_and_returned_verbatim(api, participant, open_document, clause_id):
    body = '<script>alert("x")</script> <b>bold</b> & <img src=x onerror=alert(1)>'
    created = api.post(f"/clauses/{clause_id}/comments", participant, json={"body": body, "kind": "concern"})
    assert created.get_json()["comment"]["body"] == body
    listed = api.get(f"/documents/{open_document.id}/comments", participant)
    assert listed.get_json()["comments"][0]["body"] == body
    # Served as JSON that no browser may sniff into markup; pages escape it when they render it.
    assert listed.headers["Content-Type"] == "application/json"
    assert listed.headers["X-Content-Type-Options"] == "nosniff"


def test_a_body_of_exactly_10000_characters_is_accepted(api, participant, open_document, clause_id):
    response = api.post(f"/clauses/{clause_id}/comments", participant, json={"body": "x" * 10_000, "kind": "concern"})
    assert response.status_code == 201


@pytest.mark.parametrize("fields, status, code", [
    ({"body": ""}, 400, "empty_body"),
    ({"body": "   \n\t  "}, 400, "empty_body"),
    ({"body": None}, 400, "invalid_body"),
    ({"body": 42}, 400, "invalid_body"),
    ({"body": ["a", "list"]}, 400, "invalid_body"),
    ({"body": "x" * 10_001}, 413, "body_too_long"),
    ({"kind": "rant"}, 400, "invalid_kind"),
    ({"kind": None}, 400, "invalid_kind"),
    ({"kind": "Concern"}, 400, "invalid_kind"),
    ({"quote": "not in the clause"}, 400, "quote_not_found"),
    ({"quote": "x" * 2_001}, 413, "quote_too_long"),
    ({"quote": 12}, 400, "invalid_quote"),
    ({"suggested_text": "y" * 20_001}, 413, "suggested_text_too_long"),
    ({"suggested_text": {"text": "a"}}, 400, "invalid_suggested_text"),
    ({"parent_id": "first"}, 400, "invalid_parent_id"),
    ({"parent_id": True}, 400, "invalid_parent_id"),
    ({"parent_id": 4242}, 404, "parent_not_found"),
])
def test_bad_comment_input_is_refused_and_stores_nothing(api, participant, open_document, clause_id,
                                                         fields, status, code):
    before = stored_rows()
    response = api.post(f"/clauses/{clause_id}/comments", participant,
                        json={"body": "A concern.", "kind": "concern", **fields})
    assert_error(response, status, code)
    assert stored_rows() == before


@pytest.mark.parametrize("data", ["", "{", '{"body": "x", "kind": "concern"', "[]", "null", '"text"'])
def test_malformed_comment_json_is_400(api, participant, open_document, clause_id, data):
    before = stored_rows()
    response = api.post(f"/clauses/{clause_id}/comments", participant, data=data,
                        headers={"Content-Type": "application/json"})
    assert_error(response, 400, "malformed_json")
    assert stored_rows() == before


def test_a_comment_on_an_unknown_clause_is_404(api, participant, open_document):
    before = stored_rows()
    assert_error(api.post("/clauses/4242/comments", participant, json={"body": "Hm.", "kind": "question"}),
                 404, "clause_not_found")
    assert stored_rows() == before


def test_a_comment_outside_any_period_is_409(api, participant, document, clause_id):
    before = stored_rows()
    response = api.post(f"/clauses/{clause_id}/comments", participant, json={"body": "Late.", "kind": "concern"})
    assert_error(response, 409, "commenting_closed")
    assert stored_rows() == before


def test_a_comment_after_the_period_closed_is_409(api, make, admin, participant, document, clause_id):
    period = make.open_period(document, admin)
    api.post(f"/periods/{period.id}/close", admin)
    response = api.post(f"/clauses/{clause_id}/comments", participant, json={"body": "Late.", "kind": "concern"})
    assert_error(response, 409, "commenting_closed")


def test_observers_cannot_comment(api, observer, open_document, clause_id):
    before = stored_rows()
    response = api.post(f"/clauses/{clause_id}/comments", observer, json={"body": "Hm.", "kind": "concern"})
    assert_error(response, 403, "forbidden")
    assert stored_rows() == before


def test_commenting_needs_sign_in(api, open_document, clause_id):
    before = stored_rows()
    assert_error(api.post(f"/clauses/{clause_id}/comments", json={"body": "Hm.", "kind": "concern"}),
                 401, "unauthenticated")
    assert stored_rows() == before


# --- listing and filters ------------------------------------------------------

@pytest.fixture
def discussion(api, make, open_document):
    """Four comments from two groups on two clauses; one of them hidden by hand."""
    first, second = make.clause_ids(open_document)[:2]
    parent = make.user(group="families", name="Parent")
    officer = make.user(group="law-enforcement", name="Officer")
    comments = {
        "purpose": make.comment(parent, first, body="Purpose is vague.", kind="concern"),
        "support": make.comment(officer, first, body="We support this purpose.", kind="support"),
        "discipline": make.comment(parent, second, body="Add restorative practice 100%.", kind="suggestion"),
        "question": make.comment(officer, second, body="Who trains staff?", kind="question"),
    }
    comments["question"].status = "hidden"
    db.session.commit()
    return open_document, first, second, comments


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [c["id"] for c in response.get_json()["comments"]]


@pytest.mark.parametrize("query, expected", [
    ("", ["purpose", "support", "discipline", "question"]),
    ("?clause_id={second}", ["discipline", "question"]),
    ("?group=law-enforcement", ["support", "question"]),
    ("?kind=concern", ["purpose"]),
    ("?status=hidden", ["question"]),
    ("?status=open", ["purpose", "support", "discipline"]),
    ("?q=PURPOSE", ["purpose", "support"]),
    ("?q=100%25", ["discipline"]),
    ("?q=trains", []),  # a hidden comment's text is not searchable
    ("?group=families&kind=suggestion&clause_id={second}", ["discipline"]),
    ("?group=nobody", []),
    ("?clause_id=", ["purpose", "support", "discipline", "question"]),
])
def test_comments_are_listed_with_filters(api, observer, discussion, query, expected):
    document, first, second, comments = discussion
    response = api.get(f"/documents/{document.id}/comments" + query.format(first=first, second=second), observer)
    assert ids(response) == [comments[name].id for name in expected]


def test_a_hidden_comment_is_listed_without_its_text(api, observer, discussion):
    document, _first, _second, comments = discussion
    listed = api.get(f"/documents/{document.id}/comments?status=hidden", observer).get_json()["comments"]
    assert (listed[0]["body"], listed[0]["quote"], listed[0]["suggested_text"]) == (None, None, None)


@pytest.mark.parametrize("query, code", [
    ("?kind=rant", "invalid_kind"),
    ("?status=deleted", "invalid_status"),
    ("?clause_id=two", "invalid_clause_id"),
])
def test_an_invalid_filter_is_400(api, observer, discussion, query, code):
    document = discussion[0]
    assert_error(api.get(f"/documents/{document.id}/comments{query}", observer), 400, code)


def test_comments_of_an_unknown_document_are_404(api, observer):
    assert_error(api.get("/documents/4242/comments", observer), 404, "not_found")


def test_listing_comments_of_an_invited_document_needs_sign_in(api, make, document):
    make.invited(document)
    assert_error(api.get(f"/documents/{document.id}/comments"), 401, "unauthenticated")


# --- editing ------------------------------------------------------------------

def test_the_author_edits_a_comment_and_the_earlier_text_is_kept(api, make, participant, open_document, clause_id):
    comment = make.comment(participant, clause_id, body="First words.")
    response = api.patch(f"/comments/{comment.id}", participant, json={"body": "Better words."})
    assert response.status_code == 200
    edited = response.get_json()["comment"]
    assert (edited["id"], edited["body"]) == (comment.id, "Better words.")
    assert edited["edited_at"] is not None
    [revision] = db.session.query(CommentRevision).all()
    assert (revision.comment_id, revision.body) == (comment.id, "First words.")
    [event] = events_of("comment.edited")
    db.session.refresh(comment)
    assert salted_digest("Better words.", comment.body_salt) in event.data and "Better" not in event.data
    assert revision.body_salt is not None and revision.body_salt != comment.body_salt


def test_an_edit_to_the_same_text_records_nothing(api, make, participant, open_document, clause_id):
    comment = make.comment(participant, clause_id, body="Same words.")
    before = stored_rows()
    assert api.patch(f"/comments/{comment.id}", participant, json={"body": "Same words."}).status_code == 200
    assert stored_rows() == before


def test_only_the_author_edits_a_comment(api, make, admin, participant, open_document, clause_id):
    comment = make.comment(make.user(), clause_id, body="Mine.")
    before = stored_rows()
    assert_error(api.patch(f"/comments/{comment.id}", participant, json={"body": "Yours."}), 403, "forbidden")
    assert_error(api.patch(f"/comments/{comment.id}", admin, json={"body": "Yours."}), 403, "forbidden")
    assert stored_rows() == before


@pytest.mark.parametrize("payload, status, code", [
    ({}, 400, "invalid_body"),
    ({"body": " "}, 400, "empty_body"),
    ({"body": "x" * 10_001}, 413, "body_too_long"),
    ({"body": 3}, 400, "invalid_body"),
])
def test_an_invalid_edit_is_refused_and_changes_nothing(api, make, participant, open_document, clause_id,
                                                        payload, status, code):
    comment = make.comment(participant, clause_id, body="Mine.")
    before = stored_rows()
    assert_error(api.patch(f"/comments/{comment.id}", participant, json=payload), status, code)
    assert stored_rows() == before


def test_editing_an_unknown_comment_is_404(api, participant):
    assert_error(api.patch("/comments/4242", participant, json={"body": "Hm."}), 404, "not_found")


def test_editing_after_the_period_closed_is_409(api, make, admin, participant, document, clause_id):
    period = make.open_period(document, admin)
    comment = make.comment(participant, clause_id, body="Mine.")
    api.post(f"/periods/{period.id}/close", admin)
    before = stored_rows()
    assert_error(api.patch(f"/comments/{comment.id}", participant, json={"body": "Changed."}), 409,
                 "commenting_closed")
    assert stored_rows() == before


def test_editing_needs_sign_in(api, make, participant, open_document, clause_id):
    comment = make.comment(participant, clause_id)
    assert_error(api.patch(f"/comments/{comment.id}", json={"body": "Changed."}), 401, "unauthenticated")


def test_editing_needs_a_json_object(api, make, participant, open_document, clause_id):
    comment = make.comment(participant, clause_id)
    assert_error(api.patch(f"/comments/{comment.id}", participant, data="body=x",
                           headers={"Content-Type": "application/x-www-form-urlencoded"}), 400, "malformed_json")


# --- what other clients receive ------------------------------------------------------

@pytest.fixture
def broadcasts(monkeypatch):
    """What the service layer sends to document rooms (Socket.IO's emit, recorded)."""
    from collab.extensions import socketio

    sent = []
    monkeypatch.setattr(socketio, "emit", lambda event, payload, to=None, **kw: sent.append((event, to, payload)))
    return sent


def test_only_a_created_comment_is_broadcast(api, broadcasts, participant, open_document, clause_id):
    broadcasts.clear()  # the document and its period
    refusals = [
        {"body": " ", "kind": "concern"},
        {"body": "x" * 10_001, "kind": "concern"},
        {"body": "Hm.", "kind": "rant"},
        {"body": "Hm.", "kind": "concern", "quote": "not there"},
        {"body": "Hm.", "kind": "concern", "parent_id": 4242},
    ]
    for body in refusals:
        assert api.post(f"/clauses/{clause_id}/comments", participant, json=body).status_code >= 400
    assert broadcasts == []
    key = {"Idempotency-Key": "k"}
    api.post(f"/clauses/{clause_id}/comments", participant, json={"body": "Once.", "kind": "concern"}, headers=key)
    assert_error(api.post(f"/clauses/{clause_id}/comments", participant,
                          json={"body": "Other.", "kind": "concern"}, headers=key), 422)
    replay = api.post(f"/clauses/{clause_id}/comments", participant, json={"body": "Once.", "kind": "concern"},
                      headers=key)
    assert replay.headers["Idempotent-Replayed"] == "true"
    [(event, room, payload)] = broadcasts  # the refusal and the replay sent nothing
    # One payload for readers and moderators alike: it hides no one's name.
    assert (event, room) == ("comment.created", [f"document:{open_document.id}", f"document:{open_document.id}:names"])
    assert payload["comment"] == replay.get_json()["comment"]
    assert payload["seq"] == payload["comment"]["seq"]


def test_a_refused_edit_is_not_broadcast(api, make, broadcasts, participant, open_document, clause_id):
    comment = make.comment(participant, clause_id, body="Mine.")
    broadcasts.clear()
    api.patch(f"/comments/{comment.id}", participant, json={"body": ""})
    api.patch(f"/comments/{comment.id}", api.user(name="Someone else"), json={"body": "Theirs."})
    assert broadcasts == []
    api.patch(f"/comments/{comment.id}", participant, json={"body": "Still mine."})
    assert [(e, p["comment"]["body"]) for e, _room, p in broadcasts] == [("comment.edited", "Still mine.")]
