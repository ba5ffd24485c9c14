"""Catch-up after a reconnect (`join` with `since`) and who is present on a document."""
import pytest

from collab.events import event_to_dict
from tests.conftest import any_database, events_of
from tests.realtime.helpers import join, presence_ids, received


@pytest.fixture
def document(make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    return document


def post(client, make, user, clause_id, body):
    response = client.post(f"/api/v1/clauses/{clause_id}/comments", json={"body": body, "kind": "concern"},
                           headers=make.bearer(user))
    assert response.status_code == 201
    return response.get_json()["comment"]


@any_database
def test_join_with_since_returns_exactly_the_missed_events_in_seq_order(document, make, client, socket_client):
    reader_token = make.token(make.user())
    author = make.user()
    clause_ids = make.clause_ids(document)
    other = make.document(title="Another agreement")
    make.open_period(other)
    first = socket_client(token=reader_token)
    seen = join(first, document.id)["head"]
    post(client, make, author, clause_ids[0], "Seen live before the drop.")
    [live] = received(first, "comment.created")
    seen = live["seq"]
    first.disconnect()

    missed_comments = [post(client, make, author, clause_ids[i % 3], f"Missed {i}") for i in range(3)]
    post(client, make, author, make.clause_ids(other)[0], "On another document")
    period_id = client.get(f"/api/v1/documents/{document.id}",
                           headers=make.bearer(make.admin())).get_json()["document"]["period"]["id"]
    closed = client.post(f"/api/v1/periods/{period_id}/close", headers=make.bearer(make.admin())).get_json()

    again = socket_client(token=reader_token)
    ack = join(again, document.id, since=seen)

    stored = [e for e in events_of() if e.document_id == document.id and e.seq > seen]
    assert [e.action for e in stored] == ["comment.created"] * 3 + ["period.closed"]
    assert ack["ok"] is True and ack["head"] == events_of()[-1].seq
    assert ack["missed"] == (
        [{**event_to_dict(e), "comment": c} for e, c in zip(stored, missed_comments)]
        + [{**event_to_dict(stored[-1]), "period": closed["period"]}])
    assert received(again, "comment.created") == []  # nothing arrives twice


def test_join_with_since_at_the_head_misses_nothing(document, make, client, socket_client):
    sock = socket_client(token=make.token(make.user()))
    head = join(sock, document.id)["head"]
    assert join(sock, document.id, since=head)["missed"] == []


def test_join_with_since_zero_returns_the_document_whole_history(document, make, socket_client):
    sock = socket_client(token=make.token(make.user()))
    ack = join(sock, document.id, since=0)
    assert [m["seq"] for m in ack["missed"]] == [e.seq for e in events_of() if e.document_id == document.id]
    assert [m["action"] for m in ack["missed"]] == ["document.created", "period.opened"]


# --- presence -------------------------------------------------------------------------

def test_presence_is_sent_to_the_room_on_join_leave_and_disconnect(document, make, socket_client):
    angela = make.user(name="Angela Whitfield", group="families")
    jordan = make.user(name="Jordan Okafor", group="students")
    watcher_user = make.user(name="Priya Raman", group="educators")
    watcher = socket_client(token=make.token(watcher_user))
    join(watcher, document.id)
    received(watcher)

    a = socket_client(token=make.token(angela))
    assert presence_ids(join(a, document.id)) == [angela.id, watcher_user.id]  # sorted by name
    j = socket_client(token=make.token(jordan))
    join(j, document.id)
    # Jordan is a student: by default only the group shows, listed after the named people.
    assert [presence_ids(p) for p in received(watcher, "presence")] == [
        [angela.id, watcher_user.id], [angela.id, watcher_user.id, jordan.id]]

    a.emit("leave", {"document_id": document.id}, callback=True)
    j.disconnect()

    updates = received(watcher, "presence")
    assert [presence_ids(p) for p in updates] == [[watcher_user.id, jordan.id], [watcher_user.id]]
    assert updates[-1] == {"document_id": document.id, "anonymous": 0,
                           "presence": [{"user_id": watcher_user.id, "name": "Priya Raman", "group": "educators"}]}


def test_a_person_with_two_tabs_is_present_once_until_the_last_tab_closes(document, make, socket_client):
    person = make.user(name="Kevin Tran", group="juvenile-justice")
    watcher_user = make.user(name="Zoe Watcher")
    watcher = socket_client(token=make.token(watcher_user))
    join(watcher, document.id)
    tab_one = socket_client(token=make.token(person))
    tab_two = socket_client(token=make.token(person))
    join(tab_one, document.id)
    assert presence_ids(join(tab_two, document.id)) == [person.id, watcher_user.id]
    received(watcher)

    tab_one.disconnect()
    assert [presence_ids(p) for p in received(watcher, "presence")] == [[person.id, watcher_user.id]]
    tab_two.disconnect()
    assert [presence_ids(p) for p in received(watcher, "presence")] == [[watcher_user.id]]


def test_presence_of_one_document_is_not_sent_to_another(document, make, socket_client):
    other = make.document(title="Another agreement")
    elsewhere = socket_client(token=make.token(make.user()))
    join(elsewhere, other.id)
    received(elsewhere)

    join(socket_client(token=make.token(make.user())), document.id)

    assert received(elsewhere) == []


def test_a_burst_of_joins_shares_one_presence_broadcast(document, make, app, socket_client):
    import time

    watcher_user = make.user(name="Zoe Watcher")
    watcher = socket_client(token=make.token(watcher_user))
    join(watcher, document.id)
    received(watcher)
    app.config["PRESENCE_DEBOUNCE_SECONDS"] = 0.2
    people = [make.user(name=f"Parent {n}") for n in range(3)]

    for person in people:
        assert join(socket_client(token=make.token(person)), document.id)["ok"] is True
    deadline = time.monotonic() + 5
    updates = []
    while not updates and time.monotonic() < deadline:
        time.sleep(0.05)
        updates = received(watcher, "presence")
    time.sleep(0.4)  # a second broadcast would have come by now
    updates += received(watcher, "presence")

    assert [sorted(presence_ids(u)) for u in updates] == [sorted([watcher_user.id, *(p.id for p in people)])]
