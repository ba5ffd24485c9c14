"""The document page and its comment form without JavaScript."""
from __future__ import annotations

import pytest

from collab.extensions import db
from collab.models import Comment
from tests.conftest import events_of
from tests.web.helpers import page_csrf


@pytest.fixture
def open_document(make):
    document = make.document()
    make.open_period(document)
    return document


def _post(client, document, clause_id, **fields):
    data = {"kind": "concern", "csrf_token": page_csrf(client, f"/documents/{document.id}"), **fields}
    return client.post(f"/documents/{document.id}/clauses/{clause_id}/comments", data=data)


def test_document_page_shows_clauses_in_order_with_counts_threads_and_badges(client, make, sign_in, open_document):
    first, second, _third = make.clause_ids(open_document)
    family = make.user(group="families", name="Ana Family")
    officer = make.user(group="law-enforcement", name="Sgt. Lee")
    thread = make.comment(family, second, body="Who decides?", kind="question", quote="school rules",
                          suggested_text="Officers never enforce school rules.")
    make.comment(officer, second, body="We agree.", kind="support", parent_id=thread.id)
    sign_in(client, family)
    page = client.get(f"/documents/{open_document.id}").get_data(as_text=True)
    assert page.index("Purpose") < page.index("Discipline") < page.index("Arrests")
    section = page[page.index(f'id="clause-{second}"'):page.index(f'id="clause-{second + 1}"')]
    assert "2 comments" in section
    assert 'class="badge tone-1">Families</span>' in section
    assert 'class="badge tone-5">Law enforcement</span>' in section
    assert '<span class="kind kind-question">Question</span>' in section
    assert '<span class="kind kind-support">Support</span>' in section
    assert "Who decides?" in section and "We agree." in section
    assert "Quoting: </span>school rules" in section
    assert "Suggested wording" in section and "Officers never enforce school rules." in section
    assert section.index("Who decides?") < section.index('class="replies"') < section.index("We agree.")
    assert "Commenting is open until" in page and ("EST" in page or "EDT" in page)
    assert f'id="clause-{first}"' in page and "0 comments" in page


def test_comment_text_is_escaped_on_the_page(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[0]
    author = make.user()
    make.comment(author, clause, body='<img src=x onerror="alert(1)"> & <b>bold</b>')
    sign_in(client, author)
    page = client.get(f"/documents/{open_document.id}").get_data(as_text=True)
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_hidden_comments_show_no_text(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[0]
    author = make.user()
    comment = make.comment(author, clause, body="Something with a student's name")
    comment.status = "hidden"
    db.session.commit()
    sign_in(client, author)
    page = client.get(f"/documents/{open_document.id}").get_data(as_text=True)
    assert "student's name" not in page and "hidden by a moderator" in page


def test_page_tells_when_commenting_is_closed_and_observers_get_no_form(client, make, sign_in):
    document = make.document()
    sign_in(client, make.user(role="observer"))
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Commenting is closed: no comment period has been opened yet." in page
    assert "commenting-closed" in page
    assert 'class="comment-form"' not in page and "observers do not comment" in page


def test_missing_document_is_a_404_page(client, make, sign_in):
    sign_in(client, make.user())
    answer = client.get("/documents/999")
    assert answer.status_code == 404 and "No such document." in answer.get_data(as_text=True)


def test_the_no_javascript_comment_form_posts_and_returns_to_the_comment(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[1]
    author = make.user()
    sign_in(client, author)
    answer = _post(client, open_document, clause, body="Define discipline.", kind="suggestion",
                   quote="school rules", suggested_text="Say it plainly.", idempotency_key="form-key-1")
    comment = db.session.query(Comment).one()
    assert answer.status_code == 302
    assert answer.location == f"/documents/{open_document.id}#comment-{comment.id}"
    assert (comment.body, comment.kind, comment.quote, comment.suggested_text) == (
        "Define discipline.", "suggestion", "school rules", "Say it plainly.")
    assert len(events_of("comment.created")) == 1
    page = client.get(answer.location).get_data(as_text=True)
    assert "Your comment was posted." in page and "Define discipline." in page


def test_the_same_form_sent_twice_makes_one_comment(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[0]
    sign_in(client, make.user())
    for _ in range(2):
        assert _post(client, open_document, clause, body="Once.", idempotency_key="double-click").status_code == 302
    assert db.session.query(Comment).count() == 1


def test_a_reply_through_the_form_joins_the_thread(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[0]
    author = make.user()
    thread = make.comment(author, clause)
    sign_in(client, author)
    assert _post(client, open_document, clause, body="A reply.", kind="question",
                 parent_id=str(thread.id)).status_code == 302
    reply = db.session.query(Comment).filter(Comment.parent_id == thread.id).one()
    assert reply.body == "A reply."


def test_a_refused_comment_shows_the_error_next_to_the_form_and_keeps_the_text(client, make, sign_in,
                                                                                open_document):
    clause = make.clause_ids(open_document)[1]
    sign_in(client, make.user())
    answer = _post(client, open_document, clause, body="My long thought <kept>", quote="not in the clause",
                   suggested_text="Better words")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    form = page[page.index(f'data-clause-id="{clause}">'):]
    form = form[:form.index("</form>")]
    assert "The quoted passage is not in this clause&#39;s current text." in form
    assert "My long thought &lt;kept&gt;</textarea>" in form and "Better words</textarea>" in form
    assert db.session.query(Comment).count() == 0 and events_of("comment.created") == []


def test_an_empty_comment_is_refused_with_a_readable_message(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[0]
    sign_in(client, make.user())
    answer = _post(client, open_document, clause, body="   ")
    assert answer.status_code == 400
    assert "body must not be empty." in answer.get_data(as_text=True)
    assert db.session.query(Comment).count() == 0


def test_commenting_outside_a_period_is_refused_on_the_page(client, make, sign_in):
    document = make.document()
    clause = make.clause_ids(document)[0]
    sign_in(client, make.user())
    answer = _post(client, document, clause, body="Too early.")
    assert answer.status_code == 409
    assert "Commenting on this document is closed" in answer.get_data(as_text=True)
    assert db.session.query(Comment).count() == 0 and events_of("comment.created") == []


def test_comment_form_without_csrf_token_is_refused_and_stores_nothing(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[0]
    sign_in(client, make.user())
    answer = client.post(f"/documents/{open_document.id}/clauses/{clause}/comments",
                         data={"kind": "concern", "body": "Forged."})
    assert answer.status_code == 403
    assert "The form expired or came from another site." in answer.get_data(as_text=True)
    assert db.session.query(Comment).count() == 0 and events_of("comment.created") == []


def test_observers_cannot_post_through_the_form(client, make, sign_in, open_document):
    clause = make.clause_ids(open_document)[0]
    sign_in(client, make.user(role="observer"))
    answer = _post(client, open_document, clause, body="Observer speaking.")
    assert answer.status_code == 403
    assert db.session.query(Comment).count() == 0
