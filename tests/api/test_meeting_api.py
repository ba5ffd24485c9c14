import pytest

from tests.conftest import any_database, events_of


@pytest.fixture
def ctx(make):
    facilitator = make.user(role="facilitator", group="community")
    document = make.document()
    return {"fay": make.bearer(facilitator), "ana": make.bearer(make.user(name="Ana")),
            "document": document, "clauses": make.clause_ids(document)}


def _create(client, ctx, **body):
    body = {"title": "Evening forum", "agenda": [{"clause_id": ctx["clauses"][0], "minutes": 10}], **body}
    return client.post(f"/api/v1/documents/{ctx['document'].id}/meetings", json=body, headers=ctx["fay"])


@any_database
def test_a_meeting_is_run_through_the_api(client, ctx):
    created = _create(client, ctx)
    assert created.status_code == 201
    meeting = created.get_json()["meeting"]
    assert meeting["status"] == "scheduled" and meeting["agenda"][0]["minutes"] == 10
    mid = meeting["id"]
    assert client.post(f"/api/v1/meetings/{mid}/start", headers=ctx["fay"]).get_json()["meeting"]["status"] == "live"
    focus = client.post(f"/api/v1/meetings/{mid}/focus", json={"clause_id": ctx["clauses"][0]}, headers=ctx["fay"])
    assert focus.status_code == 200 and focus.get_json()["meeting"]["focus"]["clause_id"] == ctx["clauses"][0]
    assert client.post(f"/api/v1/meetings/{mid}/hands", headers=ctx["ana"]).status_code == 201
    called = client.post(f"/api/v1/meetings/{mid}/speaker/next", headers=ctx["fay"]).get_json()["meeting"]
    assert called["speaker"]["name"] == "Ana"
    added = client.post(f"/api/v1/meetings/{mid}/attendance", json={"name": "Rosa", "group": "families"},
                        headers=ctx["fay"])
    assert added.status_code == 201
    assert client.post(f"/api/v1/meetings/{mid}/silent-rounds", json={}, headers=ctx["fay"]).status_code == 201
    reveal = client.post(f"/api/v1/meetings/{mid}/silent-rounds/current/reveal", headers=ctx["fay"])
    assert reveal.status_code == 200 and reveal.get_json()["comments"] == []
    ended = client.post(f"/api/v1/meetings/{mid}/end", headers=ctx["fay"]).get_json()["meeting"]
    assert ended["status"] == "ended" and ended["end_checkpoint_seq"] == events_of("meeting.ended")[0].seq
    shown = client.get(f"/api/v1/meetings/{mid}", headers=ctx["ana"]).get_json()["meeting"]
    assert [a["name"] for a in shown["attendance"]] == ["Rosa"]
    assert [f["clause_id"] for f in shown["focus_history"]] == [ctx["clauses"][0]]
    listed = client.get(f"/api/v1/documents/{ctx['document'].id}/meetings", headers=ctx["ana"]).get_json()
    assert [m["id"] for m in listed["meetings"]] == [mid]
    minutes = client.get(f"/api/v1/meetings/{mid}/minutes", headers=ctx["ana"]).get_json()["minutes"]
    assert minutes["is_final"] and minutes["attendance"]["by_group"][0]["people"][0]["name"] == "Rosa"
    checkpoints = client.get("/api/v1/events/checkpoints", headers=ctx["ana"]).get_json()["checkpoints"]
    assert checkpoints[-1]["reason"] == "meeting.ended"


@any_database
def test_refused_meeting_calls_answer_with_the_error_shape_and_store_nothing(client, ctx):
    before = len(events_of())
    refused = client.post(f"/api/v1/documents/{ctx['document'].id}/meetings", json={"title": "Mine"},
                          headers=ctx["ana"])
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    bad = _create(client, ctx, agenda=[{"clause_id": 4242, "minutes": 5}])
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_agenda"
    assert _create(client, ctx, title="").status_code == 400
    assert client.post("/api/v1/documents/4242/meetings", json={"title": "x"}, headers=ctx["fay"]).status_code == 404
    assert client.get("/api/v1/meetings/4242", headers=ctx["ana"]).status_code == 404
    assert client.get("/api/v1/meetings/4242").status_code == 404
    assert len(events_of()) == before
    mid = _create(client, ctx).get_json()["meeting"]["id"]
    before = len(events_of())
    not_live = client.post(f"/api/v1/meetings/{mid}/focus", json={"clause_id": ctx["clauses"][0]}, headers=ctx["fay"])
    assert not_live.status_code == 409 and not_live.get_json()["error"]["code"] == "meeting_not_live"
    assert client.post(f"/api/v1/meetings/{mid}/end", headers=ctx["fay"]).status_code == 409
    assert client.post(f"/api/v1/meetings/{mid}/start", headers=ctx["ana"]).status_code == 403
    assert client.post(f"/api/v1/meetings/{mid}/focus", data="x", headers=ctx["fay"]).status_code == 400
    assert len(events_of()) == before


@any_database
def test_commenting_through_the_api_opens_and_closes_with_the_meeting(client, ctx):
    mid = _create(client, ctx).get_json()["meeting"]["id"]
    url = f"/api/v1/clauses/{ctx['clauses'][0]}/comments"
    body = {"body": "Said in the room", "kind": "concern"}
    assert client.post(url, json=body, headers=ctx["ana"]).status_code == 409
    client.post(f"/api/v1/meetings/{mid}/start", headers=ctx["fay"])
    assert client.post(url, json=body, headers=ctx["ana"]).status_code == 201
    document = client.get(f"/api/v1/documents/{ctx['document'].id}", headers=ctx["ana"]).get_json()["document"]
    assert document["commenting_open"] is True
    client.post(f"/api/v1/meetings/{mid}/end", headers=ctx["fay"])
    closed = client.post(url, json=body, headers=ctx["ana"])
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "commenting_closed"


def test_a_participant_lowers_only_their_own_hand(client, ctx, make):
    mid = _create(client, ctx).get_json()["meeting"]["id"]
    client.post(f"/api/v1/meetings/{mid}/start", headers=ctx["fay"])
    ana = client.get("/api/v1/me", headers=ctx["ana"]).get_json()["user"]
    client.post(f"/api/v1/meetings/{mid}/hands", headers=ctx["ana"])
    other = make.bearer(make.user(name="Ben"))
    assert client.delete(f"/api/v1/meetings/{mid}/hands/{ana['id']}", headers=other).status_code == 403
    lowered = client.delete(f"/api/v1/meetings/{mid}/hands/{ana['id']}", headers=ctx["ana"])
    assert lowered.status_code == 200 and lowered.get_json()["meeting"]["queue"] == []
