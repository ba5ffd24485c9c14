import csv
import io

import pytest

from tests.conftest import any_database, events_of

SECRET = "Secret text naming Jamie Doe"


@pytest.fixture
def setting(make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_ids = make.clause_ids(document)
    author = make.user(group="civil-rights")
    comment = make.comment(author, clause_ids[1], body="Officers must not enforce discipline.")
    return document, admin, author, comment, clause_ids


@any_database
def test_admin_records_a_resolution_and_the_room_receives_it(setting, client, make, socket_client):
    document, admin, author, comment, _ = setting
    watcher = socket_client(token=make.token(author))
    assert watcher.emit("join", {"document_id": document.id}, callback=True)["ok"]
    watcher.get_received()
    answer = client.post(f"/api/v1/comments/{comment.id}/resolution", headers=make.bearer(admin),
                         json={"disposition": "accepted", "rationale": "Clause 2 says so now.", "version": 1})
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["resolution"]["disposition"] == "accepted" and body["comment"]["status"] == "resolved"
    [event] = events_of("resolution.recorded")
    received = [m for m in watcher.get_received() if m["name"] == "resolution.recorded"]
    assert len(received) == 1
    payload = received[0]["args"][0]
    assert payload["seq"] == event.seq and payload["resolution"]["rationale"] == "Clause 2 says so now."
    assert payload["comment"]["status"] == "resolved"
    listed = client.get(f"/api/v1/documents/{document.id}/comments", headers=make.bearer(author)).get_json()
    assert listed["comments"][0]["resolution"]["id"] == body["resolution"]["id"]


@any_database
@pytest.mark.parametrize("role, status", [("participant", 403), ("facilitator", 403), ("observer", 403)])
def test_non_admins_cannot_resolve_and_nothing_is_stored_or_sent(setting, client, make, socket_client, role, status):
    document, _admin, author, comment, _ = setting
    user = make.user(role=role)
    headers = make.bearer(user)
    watcher = socket_client(token=make.token(author))
    watcher.emit("join", {"document_id": document.id}, callback=True)
    watcher.get_received()
    before = len(events_of())
    answer = client.post(f"/api/v1/comments/{comment.id}/resolution", headers=headers,
                         json={"disposition": "accepted", "rationale": "x"})
    assert answer.status_code == status and answer.get_json()["error"]["code"] == "forbidden"
    assert len(events_of()) == before and watcher.get_received() == []


@any_database
@pytest.mark.parametrize("body, status, code", [
    ({"disposition": "accepted"}, 400, "invalid_rationale"),
    ({"disposition": "whatever", "rationale": "x"}, 400, "invalid_disposition"),
    ({"disposition": "noted", "rationale": "x", "version": 7}, 400, "invalid_version"),
    ({"disposition": "noted", "rationale": "x" * 20_001}, 413, "rationale_too_long"),
])
def test_bad_resolution_input_gets_a_clear_error(setting, client, make, body, status, code):
    _document, admin, _author, comment, _ = setting
    before = len(events_of())
    answer = client.post(f"/api/v1/comments/{comment.id}/resolution", headers=make.bearer(admin), json=body)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (status, code)
    assert len(events_of()) == before


def test_resolution_of_unknown_comment_is_404_and_unauthenticated_is_401(setting, client, make):
    _document, admin, _author, comment, _ = setting
    assert client.post("/api/v1/comments/999/resolution", headers=make.bearer(admin),
                       json={"disposition": "noted", "rationale": "x"}).status_code == 404
    assert client.post(f"/api/v1/comments/{comment.id}/resolution",
                       json={"disposition": "noted", "rationale": "x"}).status_code == 401
    assert client.post(f"/api/v1/comments/{comment.id}/resolution", headers=make.bearer(admin),
                       data="nope", content_type="application/json").status_code == 400


def test_bulk_resolution_answers_several_comments_and_the_report_groups_them(setting, client, make):
    document, admin, _author, comment, clause_ids = setting
    other = make.comment(make.user(group="families"), clause_ids[1], body="Same: no discipline.")
    answer = client.post(f"/api/v1/documents/{document.id}/resolutions", headers=make.bearer(admin),
                         json={"comment_ids": [comment.id, other.id], "disposition": "accepted",
                               "rationale": "Clause 2 rewritten."})
    assert answer.status_code == 201 and len(answer.get_json()["resolutions"]) == 2
    report = client.get(f"/api/v1/documents/{document.id}/report.json", headers=make.bearer(admin)).get_json()
    [section] = [s for s in report["clauses"] if s["clause"]["id"] == clause_ids[1]]
    assert len(section["answers"]) == 1 and len(section["answers"][0]["comments"]) == 2
    rows = {r["comment_id"]: r for r in report["rows"]}
    assert rows[comment.id]["answered_with"] == [other.id]


def test_author_reopens_through_the_api(setting, client, make):
    _document, admin, author, comment, _ = setting
    client.post(f"/api/v1/comments/{comment.id}/resolution", headers=make.bearer(admin),
                json={"disposition": "declined", "rationale": "No."})
    stranger = client.post(f"/api/v1/comments/{comment.id}/reopen", headers=make.bearer(make.user()), json={})
    assert stranger.status_code == 403
    answer = client.post(f"/api/v1/comments/{comment.id}/reopen", headers=make.bearer(author),
                         json={"reason": "This does not address my concern."})
    assert answer.status_code == 200 and answer.get_json()["comment"]["status"] == "open"
    again = client.post(f"/api/v1/comments/{comment.id}/reopen", headers=make.bearer(author), json={})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_resolved"


def test_flag_and_hide_through_the_api(setting, client, make):
    _document, admin, author, comment, _ = setting
    reader = make.user()
    flagged = client.post(f"/api/v1/comments/{comment.id}/flags", headers=make.bearer(reader), json={"reason": "Rude"})
    assert flagged.status_code == 201 and flagged.get_json()["flag"]["reason"] == "Rude"
    assert client.post(f"/api/v1/comments/{comment.id}/flags", headers=make.bearer(reader),
                       json={"reason": "Rude"}).status_code == 409
    assert client.post(f"/api/v1/comments/{comment.id}/flags", headers=make.bearer(make.user(role="observer")),
                       json={"reason": "Rude"}).status_code == 403
    queue = client.get("/api/v1/moderation/queue", headers=make.bearer(admin)).get_json()
    assert queue["flagged"][0]["flags"][0]["reason"] == "Rude"
    assert client.get("/api/v1/moderation/queue", headers=make.bearer(reader)).status_code == 403
    assert client.post(f"/api/v1/comments/{comment.id}/hide", headers=make.bearer(reader),
                       json={"reason": "x"}).status_code == 403
    assert client.post(f"/api/v1/comments/{comment.id}/hide", headers=make.bearer(admin),
                       json={}).status_code == 400
    hidden = client.post(f"/api/v1/comments/{comment.id}/hide", headers=make.bearer(admin), json={"reason": "Rude"})
    assert hidden.status_code == 200 and hidden.get_json()["comment"]["body"] is None
    shown = client.post(f"/api/v1/comments/{comment.id}/unhide", headers=make.bearer(admin), json={"reason": "OK"})
    assert shown.status_code == 200 and shown.get_json()["comment"]["status"] == "open"


@any_database
def test_hidden_text_is_absent_from_every_read_path(setting, client, make, socket_client):
    document, admin, author, _comment, clause_ids = setting
    comment = make.comment(author, clause_ids[0], body=SECRET, quote="keeps students safe",
                           suggested_text=SECRET + " suggestion")
    watcher = socket_client(token=make.token(make.user()))
    watcher.emit("join", {"document_id": document.id}, callback=True)
    watcher.get_received()
    client.post(f"/api/v1/comments/{comment.id}/hide", headers=make.bearer(admin), json={"reason": "Names a child"})
    live = watcher.get_received()
    assert [m["name"] for m in live] == ["comment.hidden"] and "Jamie" not in str(live)
    catch_up = watcher.emit("join", {"document_id": document.id, "since": 0}, callback=True)
    assert catch_up["missed"] and "Jamie" not in str(catch_up)
    reader = make.bearer(make.user())
    paths = [f"/api/v1/documents/{document.id}/comments", f"/api/v1/documents/{document.id}/report.json",
             f"/api/v1/documents/{document.id}/report.csv", f"/api/v1/comments/{comment.id}/timeline",
             "/api/v1/groups/civil-rights/comments", f"/api/v1/documents/{document.id}/overview",
             "/api/v1/events?limit=1000", f"/api/v1/documents/{document.id}/comments?q=Jamie"]
    for path in paths:
        answer = client.get(path, headers=reader)
        assert answer.status_code == 200, path
        assert "Jamie" not in answer.get_data(as_text=True), path
    own = client.get(f"/api/v1/comments/{comment.id}/timeline", headers=make.bearer(author)).get_json()
    assert own["hidden_text"]["body"] == SECRET  # its author still sees what was hidden, on its own page
    assert "Jamie" not in str(client.get("/api/v1/me/comments", headers=make.bearer(author)).get_json())


def test_report_rows_match_the_comments_and_formula_cells_are_neutralised(setting, client, make):
    document, admin, _author, comment, clause_ids = setting
    evil = make.comment(make.user(group="community"), clause_ids[2], body="=HYPERLINK(\"http://x\",\"y\")")
    for start in ("+1", "-1", "@SUM(A1)"):
        make.comment(make.user(), clause_ids[0], body=start + " cell")
    client.post(f"/api/v1/comments/{evil.id}/resolution", headers=make.bearer(admin),
                json={"disposition": "noted", "rationale": "=1+1"})
    answer = client.get(f"/api/v1/documents/{document.id}/report.csv", headers=make.bearer(make.user()))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert sorted(int(r["comment_id"]) for r in rows) == sorted(
        c["id"] for c in client.get(f"/api/v1/documents/{document.id}/comments",
                                    headers=make.bearer(admin)).get_json()["comments"])
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    [evil_row] = [r for r in rows if int(r["comment_id"]) == evil.id]
    assert evil_row["comment"].startswith("'=HYPERLINK") and evil_row["rationale"] == "'=1+1"
    assert evil_row["disposition"] == "noted" and evil_row["group"] == "Community"  # the CSV is read by people: group names
    make.invited(document, admin)
    assert client.get(f"/api/v1/documents/{document.id}/report.csv").status_code == 401
    assert client.get("/api/v1/documents/999/report.json", headers=make.bearer(admin)).status_code == 404


def test_overview_counts_by_clause_and_group(setting, client, make):
    document, admin, _author, comment, clause_ids = setting
    make.comment(make.user(group="civil-rights"), clause_ids[1], kind="suggestion", body="Add diversion.")
    make.comment(make.user(group="law-enforcement"), clause_ids[1], kind="support", body="Fine.")
    client.post(f"/api/v1/comments/{comment.id}/resolution", headers=make.bearer(admin),
                json={"disposition": "accepted", "rationale": "Yes."})
    overview = client.get(f"/api/v1/documents/{document.id}/overview", headers=make.bearer(make.user())).get_json()
    [row] = [c for c in overview["overview"]["clauses"] if c["clause_id"] == clause_ids[1]]
    cell = row["groups"]["civil-rights"]
    assert (cell["concern"], cell["suggestion"], cell["total"], cell["resolved"]) == (1, 1, 2, 1)
    assert row["groups"]["law-enforcement"]["support"] == 1 and row["total"] == 3


def test_my_comments_and_group_comments(setting, client, make):
    _document, admin, author, comment, _ = setting
    client.post(f"/api/v1/comments/{comment.id}/resolution", headers=make.bearer(admin),
                json={"disposition": "deferred", "rationale": "Next review."})
    mine = client.get("/api/v1/me/comments", headers=make.bearer(author)).get_json()
    assert [c["id"] for c in mine["comments"]] == [comment.id] and mine["counts"] == {"deferred": 1}
    group = client.get("/api/v1/groups/civil-rights/comments", headers=make.bearer(make.user())).get_json()
    assert group["counts"] == {"deferred": 1}
    assert client.get("/api/v1/groups/nobody/comments", headers=make.bearer(author)).status_code == 404


def test_timeline_lists_what_happened_in_order(setting, client, make):
    _document, admin, author, comment, _ = setting
    client.post(f"/api/v1/comments/{comment.id}/resolution", headers=make.bearer(admin),
                json={"disposition": "declined", "rationale": "Not now."})
    client.post(f"/api/v1/comments/{comment.id}/reopen", headers=make.bearer(author), json={"reason": "Please."})
    timeline = client.get(f"/api/v1/comments/{comment.id}/timeline", headers=make.bearer(make.user())).get_json()
    assert [e["action"] for e in timeline["timeline"]] == ["comment.created", "resolution.recorded",
                                                           "comment.reopened"]
    assert timeline["timeline"][1]["text"] == "Not now." and timeline["timeline"][2]["text"] == "Please."


@any_database
def test_item13_the_district_answers_changed_in_the_next_version_and_publishing_links_it(setting, client, make):
    from collab.reads.documents import document_view

    document, admin, author, comment, clause_ids = setting
    other = make.comment(make.user(group="students"), clause_ids[2], body="Arrests need a parent present.")
    headers = make.bearer(admin)
    refused = client.post(f"/api/v1/comments/{comment.id}/resolution", headers=headers,
                          json={"disposition": "declined", "rationale": "No.", "version": "next"})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_version"
    assert client.post(f"/api/v1/comments/{comment.id}/resolution", headers=headers,
                       json={"disposition": "accepted", "rationale": "Too early.", "version": 2}).status_code == 400
    answer = client.post(f"/api/v1/documents/{document.id}/resolutions", headers=headers,
                         json={"comment_ids": [comment.id, other.id], "disposition": "accepted_with_changes",
                               "rationale": "The next draft says so.", "version": "next"})
    assert answer.status_code == 201
    assert [(r["version"], r["version_pending"]) for r in answer.get_json()["resolutions"]] == [(None, True)] * 2
    assert '"version_pending":true' in events_of("resolution.recorded")[-1].data
    report = client.get(f"/api/v1/documents/{document.id}/report.json", headers=headers).get_json()
    assert {r["comment_id"]: r["version_pending"] for r in report["rows"]} == {comment.id: True, other.id: True}
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/documents/{document.id}/report.csv",
                                                      headers=headers).get_data(as_text=True))))
    assert {r["version"] for r in rows} == {"next version"}
    # Version 2 changes only clause 2: the answer on it is linked, the one on clause 3 still waits.
    clauses = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]
    clauses[1]["body"] = "Officers never enforce school rules or discipline."
    assert client.post(f"/api/v1/documents/{document.id}/versions", headers=headers,
                       json={"clauses": clauses}).status_code == 201
    [event] = events_of("version.published")
    first = client.get(f"/api/v1/comments/{comment.id}/resolutions", headers=headers).get_json()["resolutions"][-1]
    assert '"linked_resolutions":[{"comment_id":%d,"resolution_id":%d}]' % (comment.id, first["id"]) in event.data
    assert (first["version"], first["version_pending"]) == (2, False)
    second = client.get(f"/api/v1/comments/{other.id}/resolutions", headers=headers).get_json()["resolutions"][-1]
    assert (second["version"], second["version_pending"]) == (None, True)


def test_item13_the_queue_page_answers_changed_in_the_next_version(setting, client, make, sign_in, csrf_token):
    document, admin, author, comment, _ = setting
    sign_in(client, admin)
    page = client.get(f"/documents/{document.id}/queue").get_data(as_text=True)
    assert 'name="version_next"' in page
    answer = client.post(f"/documents/{document.id}/queue/resolve",
                         data={"csrf_token": csrf_token(), "comment_ids": [str(comment.id)],
                               "disposition": "accepted", "rationale": "Version 2 will say so.",
                               "version_next": "1"})
    assert answer.status_code == 302
    assert "Answer recorded for 1 comment(s)." in client.get(answer.location).get_data(as_text=True)
    report = client.get(f"/documents/{document.id}/response").get_data(as_text=True)
    assert "(changed in the next version)" in report
    both = client.post(f"/documents/{document.id}/queue/resolve",
                       data={"csrf_token": csrf_token(), "comment_ids": [str(comment.id)], "disposition": "accepted",
                             "rationale": "Again.", "version": "1", "version_next": "1"})
    # A refused form comes back with what was typed (one mapping of service errors for pages).
    assert both.status_code == 400 and "not both" in both.get_data(as_text=True)
    assert "Again." in both.get_data(as_text=True)


@pytest.mark.parametrize("start", ["＝", "＋", "－", "＠", "﹦", "﹢"])
def test_full_width_formula_signs_are_neutralised_in_the_report(setting, client, make, start):
    document, _admin, _author, _comment, clause_ids = setting
    body = start + "HYPERLINK(\"http://x\",\"y\")"
    tricky = make.comment(make.user(), clause_ids[1], body=body)
    answer = client.get(f"/api/v1/documents/{document.id}/report.csv", headers=make.bearer(make.user()))
    [row] = [r for r in csv.DictReader(io.StringIO(answer.get_data(as_text=True)))
             if int(r["comment_id"]) == tricky.id]
    assert row["comment"] == "'" + body
