import io

from collab.drafts.exporting import to_docx
from collab.extensions import db
from collab.models import Version
from tests.conftest import any_database, events_of


def clauses_of(client, headers, document_id):
    document = client.get(f"/api/v1/documents/{document_id}", headers=headers).get_json()["document"]
    return [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document["clauses"]]


@any_database
def test_publish_a_version_then_read_it_and_its_diff(client, make, socket_client):
    document = make.document()
    admin = make.admin()
    headers = make.bearer(admin)
    reader_token = make.token(make.user())
    listener = socket_client(token=reader_token)
    assert listener.emit("join", {"document_id": document.id}, callback=True)["ok"]
    listener.get_received()
    clauses = clauses_of(client, headers, document.id)
    clauses[1]["body"] = "Officers never enforce school rules or discipline."
    answer = client.post(f"/api/v1/documents/{document.id}/versions", headers=headers, json={
        "note": "Clearer discipline clause", "base_version": 1, "clauses": clauses})
    assert answer.status_code == 201
    assert answer.get_json()["document"]["version"] == 2
    assert answer.get_json()["version"]["note"] == "Clearer discipline clause"
    [event] = events_of("version.published")
    received = [m for m in listener.get_received() if m["name"] == "version.published"]
    assert len(received) == 1
    payload = received[0]["args"][0]
    assert payload["seq"] == event.seq and payload["version"] == {**payload["version"], "number": 2,
                                                                     "note": "Clearer discipline clause"}
    old = client.get(f"/api/v1/documents/{document.id}/versions/1", headers=headers).get_json()["document"]
    assert old["clauses"][1]["body"] == "Officers do not enforce school rules or discipline."
    diff = client.get(f"/api/v1/documents/{document.id}/diff?from=1&to=2", headers=headers).get_json()
    assert [c["change"] for c in diff["changes"]] == ["unchanged", "changed", "unchanged"]
    assert diff["changes"][1]["before"]["body"].startswith("Officers do not")
    versions = client.get(f"/api/v1/documents/{document.id}/versions", headers=headers).get_json()["versions"]
    assert [v["number"] for v in versions] == [1, 2]


@any_database
def test_a_refused_version_stores_and_broadcasts_nothing(client, make, socket_client):
    document = make.document()
    listener = socket_client(token=make.token(make.user()))
    listener.emit("join", {"document_id": document.id}, callback=True)
    listener.get_received()
    admin, participant = make.bearer(make.admin()), make.bearer(make.user())
    before = len(events_of())
    for headers, body, status in [
        (admin, {"clauses": "nope"}, 400),
        (admin, {"clauses": [{"number": "1", "body": "x"}], "base_version": 7}, 409),
        (participant, {"clauses": []}, 403),
    ]:
        answer = client.post(f"/api/v1/documents/{document.id}/versions", headers=headers, json=body)
        assert answer.status_code == status
        assert set(answer.get_json()["error"]) == {"code", "message"}
    assert len(events_of()) == before
    assert db.session.query(Version).count() == 1
    assert listener.get_received() == []


@any_database
def test_version_zero_and_unknown_versions_are_not_found(client, make):
    document = make.document()
    headers = make.bearer(make.user())
    assert client.get(f"/api/v1/documents/{document.id}/versions/0", headers=headers).status_code == 404
    assert client.get(f"/api/v1/documents/{document.id}/versions/3", headers=headers).status_code == 404
    assert client.get(f"/api/v1/documents/{document.id}/diff?from=1&to=9", headers=headers).status_code == 404
    assert client.get(f"/api/v1/documents/{document.id}/diff?from=x", headers=headers).status_code == 400
    make.invited(document)
    assert client.get(f"/api/v1/documents/{document.id}/diff").status_code == 401


def test_export_then_import_gives_the_same_clauses(client, make):
    document = make.document()
    headers = make.bearer(make.admin())
    expected = [{k: c[k] for k in ("number", "heading", "body")} for c in clauses_of(client, headers, document.id)]
    markdown = client.get(f"/api/v1/documents/{document.id}/versions/1/export.md", headers=headers)
    assert markdown.status_code == 200 and markdown.mimetype == "text/markdown"
    assert "sample-sro-agreement-v1.md" in markdown.headers["Content-Disposition"]
    parsed = client.post("/api/v1/drafts/parse", headers=headers, json={"text": markdown.get_data(as_text=True)})
    assert parsed.get_json()["draft"]["clauses"] == expected
    word = client.get(f"/api/v1/documents/{document.id}/versions/1/export.docx", headers=headers)
    assert word.status_code == 200
    parsed = client.post("/api/v1/drafts/parse", headers=headers,
                         data={"file": (io.BytesIO(word.data), "mou.docx")}, content_type="multipart/form-data")
    assert parsed.get_json()["draft"]["title"] == "Sample SRO agreement"
    assert parsed.get_json()["draft"]["clauses"] == expected
    assert client.get(f"/api/v1/documents/{document.id}/versions/1/export.pdf", headers=headers).status_code == 404


def test_parsing_a_draft_for_a_document_matches_its_clauses(client, make):
    document = make.document()
    headers = make.bearer(make.admin())
    data = to_docx("SRO agreement", 1, None, [
        {"number": "1", "heading": "Discipline", "body": "Officers never enforce school rules."},
        {"number": "2", "heading": "Training", "body": "Officers are trained."}])
    answer = client.post("/api/v1/drafts/parse", headers=headers, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "mou.docx"), "document_id": str(document.id)})
    draft = answer.get_json()["draft"]
    ids = [c["id"] for c in clauses_of(client, headers, document.id)]
    assert [c["id"] for c in draft["clauses"]] == [ids[1], None]
    assert [c["id"] for c in draft["removed"]] == [ids[0], ids[2]]
    assert draft["base_version"] == 1


def test_bad_uploads_get_clear_errors(client, make):
    headers = make.bearer(make.admin())
    answer = client.post("/api/v1/drafts/parse", headers=headers, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"%PDF-1.4"), "mou.pdf")})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "not_a_docx"
    answer = client.post("/api/v1/drafts/parse", headers=headers, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"junk"), "mou.docx")})
    assert answer.get_json()["error"]["code"] == "not_a_docx"
    answer = client.post("/api/v1/drafts/parse", headers=make.bearer(make.user()), json={"text": "## 1. A\nB"})
    assert answer.status_code == 403


def test_take_a_suggestion_and_review_the_new_text(client, make):
    document = make.document()
    make.open_period(document)
    author = make.user()
    clause_id = make.clause_ids(document)[2]
    comment = make.comment(author, clause_id, kind="suggestion", quote="after diversion is considered",
                           suggested_text="only after diversion has been tried")
    admin_headers = make.bearer(make.admin())
    answer = client.post(f"/api/v1/comments/{comment.id}/take-suggestion", headers=admin_headers)
    assert answer.status_code == 201
    assert answer.get_json()["document"]["clauses"][2]["body"] == (
        "Arrest is a last resort only after diversion has been tried.")
    author_headers = make.bearer(author)
    answer = client.post(f"/api/v1/comments/{comment.id}/review", headers=author_headers, json={"resolves": True})
    assert answer.status_code == 200
    shown = answer.get_json()["comment"]
    assert shown["author_review"]["resolves"] is True and shown["written_on_version"] == 1
    assert shown["anchor"]["status"] == "fuzzy" and shown["anchor"]["version"] == 2
    listed = client.get(f"/api/v1/documents/{document.id}/comments", headers=author_headers).get_json()
    assert listed["comments"][0]["carried_forward"] is True
