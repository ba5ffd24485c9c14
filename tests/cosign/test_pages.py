"""The pages: "Add my name" works without JavaScript, comments staff entered are marked, and the
staff intake form keeps what was typed when it is refused."""
from __future__ import annotations

import html
import io

from collab.extensions import db
from collab.models import Comment
from collab.services.cosigning import cosign_comment
from tests.conftest import any_database, events_of

PDF = b"%PDF-1.4\n%%EOF\n"


def _scene(make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    author = make.user(group="families", name="Pat Parent")
    comment = make.comment(author, make.clause_ids(document)[1], body="Officers must not handle discipline.")
    return admin, document, author, comment


@any_database
def test_the_cosign_button_posts_without_javascript_and_toggles(client, make, sign_in, csrf_token):
    _admin, document, _author, comment = _scene(make)
    reader = make.user(group="students")
    sign_in(client, reader)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f'action="/comments/{comment.id}/cosign"' in page and 'aria-pressed="false"' in page
    back = f"/documents/{document.id}#comment-{comment.id}"
    answer = client.post(f"/comments/{comment.id}/cosign", data={"csrf_token": csrf_token(), "next": back})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(back)
    page = html.unescape(client.get(f"/documents/{document.id}").get_data(as_text=True))
    assert 'aria-pressed="true"' in page and "1 person added their name" in page and "Students 1" in page
    again = client.post(f"/comments/{comment.id}/cosign", data={"csrf_token": csrf_token(), "next": back})
    assert again.status_code == 302  # refused (already co-signed): back with the message
    assert "You already added your name" in html.unescape(client.get(back.split("#")[0]).get_data(as_text=True))
    client.post(f"/comments/{comment.id}/cosign", data={"csrf_token": csrf_token(), "next": back, "withdraw": "yes"})
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).cosigner_count == 0
    assert [e.action for e in events_of() if e.action.startswith("comment.cosign")] == [
        "comment.cosigned", "comment.cosign_withdrawn"]


@any_database
def test_own_comments_and_readers_without_an_account_get_no_button_but_see_the_count(client, make, sign_in):
    _admin, document, author, comment = _scene(make)
    cosign_comment(make.user(group="community"), comment.id)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "cosign-button" not in page.split('id="similar-template"')[0] and "1 person added their name" in page
    sign_in(client, author)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f'action="/comments/{comment.id}/cosign"' not in page


@any_database
def test_the_intake_form_enters_a_letter_and_keeps_what_was_typed_on_error(app, client, make, sign_in, csrf_token,
                                                                          monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SCAN_DIR", str(tmp_path / "scans"))
    admin, document, _author, _comment = _scene(make)
    facilitator = make.user(role="facilitator", group="district")
    sign_in(client, facilitator)
    url = f"/documents/{document.id}/intake"
    assert client.get(url).status_code == 200
    clause = make.clause_ids(document)[0]
    typed = {"csrf_token": csrf_token(), "name": "", "group": "families", "source": "letter",
             "clause_id": str(clause), "kind": "question", "body": "Who checks the officers’ training?"}
    refused = client.post(url, data=typed)
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and 'role="alert"' in page
    assert ">Who checks the officers’ training?</textarea>" in page and '<option value="question" selected' in page
    entered = client.post(url, data={**typed, "name": "Rosa Delgado", "scan": (io.BytesIO(PDF), "letter.pdf")},
                          content_type="multipart/form-data")
    assert entered.status_code == 302
    comment = db.session.query(Comment).filter_by(source="letter").one()
    assert comment.author.name == "Rosa Delgado" and comment.entered_by_id == facilitator.id
    page = html.unescape(client.get(f"/documents/{document.id}").get_data(as_text=True))
    assert "Entered by staff from a letter" in page
    comment_page = html.unescape(client.get(f"/comments/{comment.id}").get_data(as_text=True))
    assert "Scan of the original" in comment_page
    scan = client.get(f"/comments/{comment.id}/scan")
    assert scan.status_code == 200 and scan.data == PDF
    sign_in(client, make.user())
    assert client.get(url).status_code == 403
    assert client.get(f"/comments/{comment.id}/scan").status_code == 403
    assert "Scan of the original" not in client.get(f"/comments/{comment.id}").get_data(as_text=True)
