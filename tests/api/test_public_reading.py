"""Reading without an account (API.md 1.1, "Public reading"): public documents answer as for a
signed-in observer, invited ones 401; hidden and redacted texts stay withheld on every path;
people appear as they chose (name or only their group); e-mail addresses reach admins only."""
from __future__ import annotations

import csv
import io
import json

import pytest

from collab import create_app
from collab.services import meetings as meeting_service
from collab.services.moderation import hide_comment, redact_comment
from collab.services.resolutions import record_resolution
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import IsolatedClient
from tests.conftest import _config_dict, events_of

HIDDEN_WORDS = "my neighbour's phone number is 555"
REDACTED_WORDS = "the student in room 12 is Jamie"


@pytest.fixture
def public_scene(api, make, admin, open_document, clause_id):
    """A public document with a student's comment (group only by default), a parent's (name shown),
    a hidden comment, a redacted one, an answer, a second version and an ended meeting."""
    student = api.user(group="students", name="Sam Student")
    parent = api.user(group="families", name="Pat Parent")
    facilitator = api.user(role="facilitator", group="community", name="Fran Facilitator")
    by_student = make.comment(student, clause_id, body="Officers in the hallway scare me.")
    by_parent = make.comment(parent, clause_id, body="Please publish the complaint process.")
    hidden = make.comment(parent, clause_id, body=HIDDEN_WORDS)
    hide_comment(facilitator, hidden.id, reason="Personal data.")
    redacted = make.comment(student, clause_id, body=REDACTED_WORDS)
    redact_comment(admin, redacted.id, reason="A student's name.")
    record_resolution(admin, by_student.id, disposition="noted", rationale="We will train officers.")
    assert api.post(f"/documents/{open_document.id}/versions", admin, json={
        "clauses": [{"id": clause_id, "number": "1", "heading": "Purpose", "body": "A clearer purpose."}],
        "note": "Clearer purpose.", "base_version": 1}).status_code == 201
    meeting = meeting_service.create_meeting(facilitator, open_document.id, title="Spring forum")
    meeting_service.start_meeting(facilitator, meeting.id)
    meeting_service.end_meeting(facilitator, meeting.id)
    return {"document": open_document, "student": student, "parent": parent, "facilitator": facilitator,
            "by_student": by_student, "by_parent": by_parent, "hidden": hidden, "redacted": redacted,
            "meeting": meeting}


def public_paths(scene) -> list[str]:
    d, m, c = scene["document"].id, scene["meeting"].id, scene["by_student"].id
    return ["/documents", f"/documents/{d}", f"/documents/{d}/versions/1", f"/documents/{d}/versions",
            f"/documents/{d}/diff?from=1&to=2", f"/documents/{d}/comments", f"/documents/{d}/overview",
            f"/documents/{d}/report.json", f"/documents/{d}/report.csv", f"/events?document_id={d}",
            "/events/checkpoints", f"/documents/{d}/meetings", f"/meetings/{m}", f"/meetings/{m}/minutes",
            f"/comments/{c}/timeline", f"/comments/{c}/resolutions", f"/documents/{d}/versions/1/export.md",
            f"/documents/{d}/coverage", f"/clauses/{scene['by_student'].clause_id}/coverage"]


def test_the_checklist_and_coverage_comments_follow_the_audience_rules(api, public_scene):
    from collab.extensions import db
    from collab.timeutil import utcnow

    assert api.get("/checklist").status_code == 200  # the same for every document
    # A verified organisation is a badge beside a name: never beside someone shown only by group.
    for person in (public_scene["student"], public_scene["parent"]):
        person.organisation, person.organisation_verified_at = "Riverbend Families United", utcnow()
    db.session.commit()
    authors = {c["id"]: c["author"] for c in api.get(f"/documents/{public_scene['document'].id}/comments")
               .get_json()["comments"]}
    student, parent = authors[public_scene["by_student"].id], authors[public_scene["by_parent"].id]
    assert student["name"] is None and "organisation" not in student
    assert parent["name"] == "Pat Parent" and parent["organisation"] == "Riverbend Families United"


def test_anonymous_readers_read_every_route_of_a_public_document(api, public_scene):
    before = stored_rows()
    for path in public_paths(public_scene):
        response = api.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:200])
    assert stored_rows() == before
    document = api.get(f"/documents/{public_scene['document'].id}").get_json()["document"]
    assert document["visibility"] == "public" and document["clauses"][0]["body"] == "A clearer purpose."
    minutes = api.get(f"/meetings/{public_scene['meeting'].id}/minutes").get_json()["minutes"]
    assert minutes["is_final"] is True


def test_an_invited_document_is_refused_to_anonymous_readers(api, make, admin, public_scene):
    make.invited(public_scene["document"], admin)
    for path in public_paths(public_scene):
        if path in ("/documents", "/events/checkpoints"):
            continue
        assert_error(api.get(path), 401, "unauthenticated")
    assert api.get("/documents").get_json() == {"documents": []}
    assert api.get(f"/documents/{public_scene['document'].id}", public_scene["parent"]).status_code == 200


def test_the_whole_log_needs_an_account_one_public_documents_events_do_not(api, public_scene, observer):
    assert_error(api.get("/events"), 401, "unauthenticated")
    events = api.get(f"/events?document_id={public_scene['document'].id}").get_json()["events"]
    assert events and all(e["document_id"] == public_scene["document"].id for e in events)
    assert api.get("/events", observer).status_code == 200


def everything_an_anonymous_reader_gets(api, scene) -> str:
    return "\n".join(api.get(path).get_data(as_text=True) for path in public_paths(scene)
                     + [f"/comments/{scene['hidden'].id}/timeline", f"/comments/{scene['redacted'].id}/timeline"])


def test_hidden_and_redacted_texts_never_reach_anonymous_readers(api, public_scene):
    seen = everything_an_anonymous_reader_gets(api, public_scene)
    assert HIDDEN_WORDS not in seen and REDACTED_WORDS not in seen
    assert "Personal data." not in seen  # the hide reason is for moderators and the author
    comments = {c["id"]: c for c in api.get(f"/documents/{public_scene['document'].id}/comments")
                .get_json()["comments"]}
    assert comments[public_scene["hidden"].id]["body"] is None
    assert comments[public_scene["redacted"].id]["body"] == "[Redacted by the district]"
    rows = list(csv.DictReader(io.StringIO(
        api.get(f"/documents/{public_scene['document'].id}/report.csv").get_data(as_text=True))))
    assert {r["comment"] for r in rows if int(r["comment_id"]) == public_scene["hidden"].id} == {
        "[Hidden by a moderator]"}


def authors_in_comments(api, scene, user=None) -> dict[int, dict]:
    listed = api.get(f"/documents/{scene['document'].id}/comments", user).get_json()["comments"]
    return {c["id"]: c["author"] for c in listed}


def test_a_student_shows_only_their_group_to_anonymous_readers_and_participants(api, public_scene):
    student_comment, parent_comment = public_scene["by_student"].id, public_scene["by_parent"].id
    for reader in (None, public_scene["parent"]):
        authors = authors_in_comments(api, public_scene, reader)
        assert authors[student_comment] == {"id": public_scene["student"].id, "name": None, "group": "students",
                                            "group_name": "Students"}
        assert authors[parent_comment]["name"] == "Pat Parent"


@pytest.mark.parametrize("moderator", ["admin", "facilitator"])
def test_administrators_and_facilitators_see_every_name(api, public_scene, admin, moderator):
    reader = admin if moderator == "admin" else public_scene["facilitator"]
    assert authors_in_comments(api, public_scene, reader)[public_scene["by_student"].id]["name"] == "Sam Student"


def test_the_student_sees_their_own_name(api, public_scene):
    assert authors_in_comments(api, public_scene, public_scene["student"])[public_scene["by_student"].id][
        "name"] == "Sam Student"


def test_a_person_who_chooses_group_only_disappears_by_name_from_every_answer(api, public_scene, admin):
    parent = public_scene["parent"]
    changed = api.patch("/me", parent, json={"show_name": False})
    assert changed.status_code == 200 and changed.get_json()["user"]["show_name"] is False
    [event] = events_of("user.profile_updated")
    assert (event.actor_id, json.loads(event.data)) == (parent.id, {"user_id": parent.id, "show_name": False})
    assert "Pat Parent" not in everything_an_anonymous_reader_gets(api, public_scene)
    report = api.get(f"/documents/{public_scene['document'].id}/report.json").get_json()
    assert {r["author"] for r in report["rows"]} == {None}  # the student and the parent both show their group
    assert authors_in_comments(api, public_scene, admin)[public_scene["by_parent"].id]["name"] == "Pat Parent"
    assert api.patch("/me", parent, json={"show_name": True}).get_json()["user"]["show_name"] is True
    assert authors_in_comments(api, public_scene)[public_scene["by_parent"].id]["name"] == "Pat Parent"


@pytest.mark.parametrize("body, code", [({"show_name": "no"}, "invalid_show_name"), ({}, "nothing_to_change"),
                                        ({"nickname": "Pat"}, "unknown_field")])
def test_bad_profile_changes_are_refused_and_change_nothing(api, participant, body, code):
    before = stored_rows()
    assert_error(api.patch("/me", participant, json=body), 400, code)
    assert stored_rows() == before


def test_e_mail_addresses_reach_administrators_only(api, public_scene, admin, observer):
    for reader in (None, observer, public_scene["facilitator"]):
        seen = "\n".join(api.get(path, reader).get_data(as_text=True) for path in public_paths(public_scene))
        assert "@example.org" not in seen
    assert api.get("/me", observer).get_json()["user"]["email"] == observer.email  # one's own
    listed = api.get("/users", admin).get_json()["users"]
    assert all(u["email"] and "@" in u["email"] for u in listed)


def test_the_administrator_changes_who_reads_a_document(api, admin, participant, document):
    changed = api.patch(f"/documents/{document.id}", admin, json={"visibility": "invited"})
    assert changed.status_code == 200 and changed.get_json()["document"]["visibility"] == "invited"
    [event] = events_of("document.updated")
    assert (event.actor_id, json.loads(event.data)) == (admin.id, {"visibility": "invited"})
    assert_error(api.get(f"/documents/{document.id}"), 401, "unauthenticated")
    assert_error(api.patch(f"/documents/{document.id}", participant, json={"visibility": "public"}), 403,
                 "forbidden")
    assert_error(api.patch(f"/documents/{document.id}", admin, json={"visibility": "secret"}), 400,
                 "invalid_visibility")
    assert api.patch(f"/documents/{document.id}", admin, json={"visibility": "public"}).status_code == 200
    assert api.get(f"/documents/{document.id}").status_code == 200


def test_a_new_document_is_public_unless_created_invited(api, admin):
    clauses = [{"number": "1", "heading": "Purpose", "body": "Text."}]
    public = api.post("/documents", admin, json={"title": "Open", "clauses": clauses}).get_json()["document"]
    invited = api.post("/documents", admin, json={"title": "Closed", "clauses": clauses,
                                                  "visibility": "invited"}).get_json()["document"]
    assert (public["visibility"], invited["visibility"]) == ("public", "invited")
    assert [d["title"] for d in api.get("/documents").get_json()["documents"]] == ["Open"]


def test_anonymous_readers_cannot_write(api, public_scene, clause_id):
    before = stored_rows()
    assert_error(api.post(f"/clauses/{clause_id}/comments", json={"body": "Hi.", "kind": "concern"}), 401,
                 "unauthenticated")
    assert_error(api.post(f"/comments/{public_scene['by_parent'].id}/flags", json={"reason": "x"}), 401,
                 "unauthenticated")
    assert stored_rows() == before


def test_a_dead_token_is_refused_even_on_a_public_document(api, public_scene):
    assert_error(api.get(f"/documents/{public_scene['document'].id}",
                         headers={"Authorization": "Bearer not-a-token"}), 401, "unauthenticated")


def test_anonymous_traffic_is_limited_per_address(app, database_url, make):
    document = make.document()
    reader = make.user()
    headers = make.bearer(reader)
    limited = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://", "ANONYMOUS_RATE_LIMIT": "3 per minute"})
    limited.test_client_class = IsolatedClient
    client = limited.test_client()
    statuses = [client.get(f"/api/v1/documents/{document.id}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(f"/documents/{document.id}").status_code == 429  # pages share the budget
    other = client.get(f"/api/v1/documents/{document.id}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # per client address
    for _ in range(5):  # signed-in readers are not counted against it
        assert client.get(f"/api/v1/documents/{document.id}", headers=headers).status_code == 200
