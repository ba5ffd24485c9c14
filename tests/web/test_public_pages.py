"""Pages without an account: the public documents and everything on them, invited documents
sending the reader to sign in, people shown as they chose, and the settings behind both."""
from __future__ import annotations

import json

import pytest

from collab.services import meetings as meeting_service
from collab.services.moderation import hide_comment, redact_comment
from tests.conftest import events_of
from tests.web.helpers import page_csrf

HIDDEN_WORDS = "call me on 555 0100"
REDACTED_WORDS = "Jamie in room 12"


@pytest.fixture
def scene(make):
    admin = make.user(role="admin", group="district", name="Helen Admin")
    document = make.document(admin, title="Public MOU")
    make.open_period(document, admin)
    invited = make.invited(make.document(admin, title="Invited draft"), admin)
    clause_id = make.clause_ids(document)[0]
    student = make.user(group="students", name="Sam Student")
    parent = make.user(group="families", name="Pat Parent")
    facilitator = make.user(role="facilitator", group="community", name="Fran Facilitator")
    by_student = make.comment(student, clause_id, body="Officers in the hallway scare me.")
    make.comment(parent, clause_id, body="Please publish the complaint process.")
    hidden = make.comment(parent, clause_id, body=HIDDEN_WORDS)
    hide_comment(facilitator, hidden.id, reason="Personal data.")
    redacted = make.comment(parent, clause_id, body=REDACTED_WORDS)
    redact_comment(admin, redacted.id, reason="A student's name.")
    meeting = meeting_service.create_meeting(facilitator, document.id, title="Spring forum")
    meeting_service.start_meeting(facilitator, meeting.id)
    meeting_service.end_meeting(facilitator, meeting.id)
    return {"admin": admin, "document": document, "invited": invited, "student": student, "parent": parent,
            "facilitator": facilitator, "by_student": by_student, "meeting": meeting}


def public_pages(scene) -> list[str]:
    d, m = scene["document"].id, scene["meeting"].id
    return [f"/documents/{d}", f"/documents/{d}/versions", f"/documents/{d}/diff?from=1&to=1",
            f"/documents/{d}/overview", f"/documents/{d}/response", f"/documents/{d}/meetings",
            f"/meetings/{m}", f"/meetings/{m}/minutes", f"/comments/{scene['by_student'].id}", "/checkpoints",
            f"/documents/{d}/coverage"]


def test_the_home_page_lists_public_documents_and_offers_sign_in(client, scene):
    page = client.get("/").get_data(as_text=True)
    assert "Public MOU" in page and "Invited draft" not in page
    assert 'href="/sign-in"' in page and "Sign out" not in page


def test_an_anonymous_reader_opens_every_page_of_a_public_document(client, scene):
    for path in public_pages(scene):
        answer = client.get(path)
        assert answer.status_code == 200, path
    page = client.get(f"/documents/{scene['document'].id}").get_data(as_text=True)
    assert "Please publish the complaint process." in page and "Sign in</a> to comment" in page
    assert 'name="body"' not in page  # no comment form
    # Nothing about an account the reader does not have.
    assert "My carried comments" not in page and "/follow" not in page


def test_hidden_and_redacted_texts_and_chosen_names_stay_out_of_anonymous_pages(client, scene):
    seen = "\n".join(client.get(path).get_data(as_text=True) for path in public_pages(scene))
    assert HIDDEN_WORDS not in seen and REDACTED_WORDS not in seen and "Personal data." not in seen
    assert "Sam Student" not in seen and "A participant" in seen  # a student shows only the group
    assert "Pat Parent" in seen
    assert "@example.org" not in seen


def test_pages_of_an_invited_document_send_anonymous_readers_to_sign_in(client, scene):
    d = scene["invited"].id
    for path in (f"/documents/{d}", f"/documents/{d}/diff", f"/documents/{d}/overview",
                 f"/documents/{d}/response", f"/documents/{d}/versions", f"/documents/{d}/coverage"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.location.startswith("/sign-in?next="), path


@pytest.mark.parametrize("reader, shown", [("parent", False), ("facilitator", True), ("admin", True)])
def test_names_on_the_document_page_follow_the_reader(client, sign_in, scene, reader, shown):
    sign_in(client, scene[reader])
    # The student's is the oldest of four threads: the page shows it when a reply to it is open.
    page = client.get(f"/documents/{scene['document'].id}?reply_to={scene['by_student'].id}").get_data(as_text=True)
    assert "Officers in the hallway scare me." in page
    assert ("Sam Student" in page) is shown


def test_a_person_chooses_on_their_comments_page_how_the_public_sees_them(client, sign_in, scene):
    sign_in(client, scene["parent"])
    page = client.get("/me/comments").get_data(as_text=True)
    assert "How readers who are not moderators see you" in page
    answer = client.post("/me/public-name", data={"csrf_token": page_csrf(client, "/me/comments"),
                                                  "show_name": "no"})
    assert answer.status_code == 302
    [event] = events_of("user.profile_updated")
    assert json.loads(event.data) == {"user_id": scene["parent"].id, "show_name": False}
    client.post("/sign-out", data={"csrf_token": page_csrf(client, "/me/comments")})
    assert "Pat Parent" not in client.get(f"/documents/{scene['document'].id}").get_data(as_text=True)


def test_the_administrator_chooses_who_reads_a_document(client, sign_in, scene):
    sign_in(client, scene["admin"])
    page = client.get("/admin").get_data(as_text=True)
    assert "Who reads it" in page and "Signed-in people only" in page
    d = scene["document"].id
    answer = client.post(f"/admin/documents/{d}", data={"csrf_token": page_csrf(client, "/admin"),
                                                        "visibility": "invited"})
    assert answer.status_code == 302
    assert json.loads(events_of("document.updated")[-1].data) == {"visibility": "invited"}
    refused = client.post(f"/admin/documents/{d}", data={"csrf_token": page_csrf(client, "/admin"),
                                                         "visibility": "everyone"}, follow_redirects=True)
    assert "visibility must be one of" in refused.get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": page_csrf(client, "/admin")})
    assert client.get(f"/documents/{d}").status_code == 302


def test_a_document_created_on_the_admin_page_may_be_invited_only(client, sign_in, scene):
    sign_in(client, scene["admin"])
    answer = client.post("/admin/documents", data={
        "csrf_token": page_csrf(client, "/admin"), "title": "Board draft", "visibility": "invited",
        "clauses": "1. Purpose\nText.\n", "action": "create"})
    assert answer.status_code == 302
    assert json.loads(events_of("document.created")[-1].data)["visibility"] == "invited"
