"""GET /events and GET /events/checkpoints."""
import pytest

from tests.api.helpers import assert_error
from tests.conftest import events_of

EVENT_FIELDS = {"seq", "at", "actor", "action", "document_id", "subject", "data", "prev_hash", "hash"}


@pytest.fixture
def history(make, admin, open_document, clause_id):
    """Two documents with events: users, documents, a period and two comments on the first."""
    other = make.document(admin, title="Another agreement")
    author = make.user()
    make.comment(author, clause_id, body="First.")
    make.comment(author, clause_id, body="Second.")
    return open_document, other


def test_events_are_listed_in_seq_order_with_the_head(api, observer, history):
    response = api.get("/events", observer)
    assert response.status_code == 200
    body = response.get_json()
    stored = events_of()
    assert [e["seq"] for e in body["events"]] == [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert body["head"] == stored[-1].hash
    assert all(set(e) == EVENT_FIELDS for e in body["events"])
    comment_event = body["events"][-1]
    assert comment_event["action"] == "comment.created"
    assert comment_event["prev_hash"] == body["events"][-2]["hash"]
    assert "Second." not in str(comment_event["data"])  # the chain carries digests, never texts


def test_events_are_filtered_by_document_and_paged(api, observer, history):
    document, other = history
    mine = api.get(f"/events?document_id={document.id}", observer).get_json()["events"]
    assert mine and {e["document_id"] for e in mine} == {document.id}
    assert other.id not in {e["document_id"] for e in mine}
    first_page = api.get("/events?limit=2", observer).get_json()["events"]
    assert [e["seq"] for e in first_page] == [1, 2]
    next_page = api.get("/events?after=2&limit=2", observer).get_json()["events"]
    assert [e["seq"] for e in next_page] == [3, 4]
    last_seq = events_of()[-1].seq
    assert api.get(f"/events?after={last_seq}", observer).get_json()["events"] == []


def test_the_page_size_is_capped_at_1000(api, observer, history):
    response = api.get("/events?limit=5000", observer)
    assert response.status_code == 200
    assert len(response.get_json()["events"]) == len(events_of())


@pytest.mark.parametrize("query, code", [
    ("?after=yesterday", "invalid_after"),
    ("?after=-1", "invalid_after"),
    ("?limit=ten", "invalid_limit"),
    ("?document_id=first", "invalid_document_id"),
])
def test_invalid_event_query_is_400(api, observer, query, code):
    assert_error(api.get("/events" + query, observer), 400, code)


def test_events_need_sign_in(api):
    assert_error(api.get("/events"), 401, "unauthenticated")


def test_checkpoints_list_the_heads_published_at_milestones(api, make, admin, observer, document):
    assert api.get("/events/checkpoints", observer).get_json() == {"checkpoints": []}
    period = make.open_period(document, admin)
    api.post(f"/periods/{period.id}/close", admin)
    [checkpoint] = api.get("/events/checkpoints", observer).get_json()["checkpoints"]
    head = events_of()[-1]
    assert (checkpoint["seq"], checkpoint["head_hash"]) == (head.seq, head.hash)
    assert (checkpoint["reason"], checkpoint["document_id"]) == ("period.closed", document.id)
    assert checkpoint["at"].endswith("Z")


def test_checkpoints_are_public(api):
    # Chain heads hold no content; anyone may keep copies (as on the /checkpoints page).
    assert api.get("/events/checkpoints").get_json() == {"checkpoints": []}
