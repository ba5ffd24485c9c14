import pytest

from tests.conftest import events_of

SECRET = "Jamie Doe was searched"


@pytest.fixture
def setting(make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_ids = make.clause_ids(document)
    author = make.user(group="families", name="Pat Parent")
    comment = make.comment(author, clause_ids[1], body="Officers must not handle discipline.")
    return document, admin, author, comment, clause_ids


def _page_token(test_client, path="/checkpoints") -> str:
    """The CSRF token a page's meta tag carries for this client's session."""
    import re

    from flask import g

    g.pop("csrf_token", None)  # test requests share the app context, and Flask-WTF caches the token on g
    html = test_client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_work_queue_lists_open_comments_with_counts_and_filters(setting, client, sign_in, make):
    document, admin, _author, comment, clause_ids = setting
    make.comment(make.user(group="students"), clause_ids[0], kind="question", body="What about buses?")
    sign_in(client, admin)
    page = client.get(f"/documents/{document.id}/queue")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Officers must not handle discipline." in html and "What about buses?" in html
    assert "2 of 2 open comments" in html
    filtered = client.get(f"/documents/{document.id}/queue?group=students").get_data(as_text=True)
    assert "What about buses?" in filtered and "Officers must not" not in filtered
    assert client.get(f"/documents/{document.id}/queue?age=5").status_code == 400
    assert client.get(f"/documents/{document.id}/queue?kind=rant").status_code == 400


def test_work_queue_is_for_admins_only(setting, client, sign_in, make):
    document, _admin, author, _comment, _ = setting
    sign_in(client, author)
    assert client.get(f"/documents/{document.id}/queue").status_code == 403


def test_bulk_resolve_from_the_queue_answers_every_selected_comment(setting, client, sign_in, csrf_token, make):
    document, admin, _author, comment, clause_ids = setting
    other = make.comment(make.user(group="community"), clause_ids[1], body="Same point.")
    sign_in(client, admin)
    before = len(events_of())
    answer = client.post(f"/documents/{document.id}/queue/resolve", data={
        "csrf_token": csrf_token(), "comment_ids": [comment.id, other.id], "disposition": "accepted",
        "rationale": "Clause 2 now keeps officers out of discipline."})
    assert answer.status_code == 302
    assert len(events_of()) == before + 2
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Answer recorded for 2 comment(s)." in page and "0 of 0 open comments" in page


def test_bulk_resolve_without_rationale_says_why_and_stores_nothing(setting, client, sign_in, csrf_token):
    document, admin, _author, comment, _ = setting
    sign_in(client, admin)
    before = len(events_of())
    answer = client.post(f"/documents/{document.id}/queue/resolve", data={
        "csrf_token": csrf_token(), "comment_ids": [comment.id], "disposition": "accepted", "rationale": " "},
        follow_redirects=True)
    assert "rationale must not be empty." in answer.get_data(as_text=True)
    assert len(events_of()) == before
    nothing = client.post(f"/documents/{document.id}/queue/resolve", data={
        "csrf_token": csrf_token(), "disposition": "accepted", "rationale": "x"}, follow_redirects=True)
    assert "Select at least one comment" in nothing.get_data(as_text=True)
    assert len(events_of()) == before


def test_forms_without_csrf_token_are_refused(setting, client, sign_in):
    _document, admin, _author, comment, _ = setting
    sign_in(client, admin)
    before = len(events_of())
    answer = client.post(f"/comments/{comment.id}/resolve", data={"disposition": "noted", "rationale": "x"})
    assert answer.status_code == 403 and len(events_of()) == before


def test_comment_page_shows_the_timeline_and_lets_the_author_reopen(setting, client, sign_in, csrf_token, make):
    _document, admin, author, comment, _ = setting
    from collab.services.resolutions import record_resolution

    record_resolution(admin, comment.id, disposition="declined", rationale="The police asked to keep it.")
    sign_in(client, author)
    page = client.get(f"/comments/{comment.id}").get_data(as_text=True)
    assert "Answered by the district" in page and "The police asked to keep it." in page
    assert "This does not address my concern" in page
    answer = client.post(f"/comments/{comment.id}/reopen", data={"csrf_token": csrf_token(), "reason": "Please reconsider."},
                         follow_redirects=True)
    html = answer.get_data(as_text=True)
    assert "Sent back to the district" in html and "Please reconsider." in html
    assert "The author said this does not address their concern." in html


def test_admin_resolves_on_the_comment_page_but_not_their_own(setting, client, sign_in, csrf_token, make):
    document, admin, _author, comment, clause_ids = setting
    own = make.comment(admin, clause_ids[0], body="District note.")
    sign_in(client, admin)
    assert "Answer this comment" in client.get(f"/comments/{comment.id}").get_data(as_text=True)
    assert "Answer this comment" not in client.get(f"/comments/{own.id}").get_data(as_text=True)
    before = len(events_of())
    refused = client.post(f"/comments/{own.id}/resolve", data={"csrf_token": csrf_token(), "disposition": "noted",
                                                               "rationale": "x"}, follow_redirects=True)
    assert "cannot resolve your own comment" in refused.get_data(as_text=True) and len(events_of()) == before
    done = client.post(f"/comments/{comment.id}/resolve", data={"csrf_token": csrf_token(), "disposition": "accepted",
                                                                "rationale": "Done.", "version": "1"},
                       follow_redirects=True)
    assert "The answer was recorded." in done.get_data(as_text=True) and len(events_of()) == before + 1


def test_flag_then_moderators_queue_then_hide_keeps_text_from_others(setting, client, sign_in, csrf_token, make, app):
    document, admin, author, _comment, clause_ids = setting
    comment = make.comment(author, clause_ids[0], body=SECRET)
    reader = make.user(group="educators")
    facilitator = make.user(role="facilitator", group="community")
    sign_in(client, reader)
    client.post(f"/comments/{comment.id}/flag", data={"csrf_token": csrf_token(), "reason": "Names a student"})
    assert client.get("/moderation").status_code == 403
    moderator = app.test_client()
    sign_in(moderator, facilitator)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert SECRET in queue and "Names a student" in queue
    hidden = moderator.post(f"/comments/{comment.id}/hide", data={"csrf_token": _page_token(moderator), "reason": "Child's name",
                                                                  "next": "/moderation"}, follow_redirects=True)
    assert "The comment is hidden." in hidden.get_data(as_text=True)
    for path in [f"/comments/{comment.id}", "/groups/families/comments", f"/documents/{document.id}/response",
                 f"/documents/{document.id}/overview"]:
        page = client.get(path)
        assert page.status_code == 200 and "Jamie" not in page.get_data(as_text=True), path
    owner = app.test_client()
    sign_in(owner, author)
    assert SECRET in owner.get(f"/comments/{comment.id}").get_data(as_text=True)  # the author still sees it
    assert "Jamie" not in owner.get("/me/comments").get_data(as_text=True)


def test_tracking_pages_show_dispositions(setting, client, sign_in, make):
    _document, admin, author, comment, _ = setting
    from collab.services.resolutions import record_resolution

    record_resolution(admin, comment.id, disposition="deferred", rationale="At the next review.")
    sign_in(client, author)
    mine = client.get("/me/comments").get_data(as_text=True)
    assert "At the next review." in mine and "Deferred" in mine
    group = client.get("/groups/families/comments").get_data(as_text=True)
    assert "Officers must not handle discipline." in group
    assert client.get("/groups/unknown/comments").status_code == 404


def test_overview_and_printable_report(setting, client, sign_in, make):
    document, admin, author, comment, _ = setting
    sign_in(client, make.user(role="observer"))
    overview = client.get(f"/documents/{document.id}/overview").get_data(as_text=True)
    assert "heat-" in overview and "Families" in overview
    response = client.get(f"/documents/{document.id}/response")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Response to comments" in html and "Not answered yet." in html
    assert "js/print.js" in html and "onclick" not in html
    assert client.get("/documents/999/response").status_code == 404


def test_checkpoints_page_is_public(setting, client, make):
    from collab.services.documents import close_period
    from collab.models import CommentPeriod
    from collab.extensions import db

    document, admin, *_ = setting
    close_period(admin, db.session.query(CommentPeriod).first().id)
    page = client.get("/checkpoints")
    assert page.status_code == 200 and "period.closed" in page.get_data(as_text=True)
    data = client.get("/checkpoints.json").get_json()
    assert data["checkpoints"][0]["reason"] == "period.closed"


def test_pages_need_sign_in(setting, client, make):
    document, *_ = setting
    make.invited(document)
    for path in [f"/documents/{document.id}/queue", "/me/comments", "/moderation", "/comments/1",
                 f"/documents/{document.id}/overview", f"/documents/{document.id}/response"]:
        answer = client.get(path)
        assert answer.status_code == 302 and answer.location.startswith("/sign-in?next="), path


def test_item16_replies_default_to_reply_and_stay_out_of_the_queue_with_the_districts_own(
        setting, client, sign_in, csrf_token, make):
    from collab.errors import Invalid

    document, admin, author, comment, clause_ids = setting
    neighbour = make.user(group="community", name="Sam Neighbour")
    agreement = make.comment(neighbour, clause_ids[1], body="Agreed, well said.", kind=None, parent_id=comment.id)
    assert agreement.kind == "reply"
    facilitator = make.user(role="facilitator", group="district", name="Dana District")
    own = make.comment(facilitator, clause_ids[1], body="We are looking into this.", kind="question",
                       parent_id=comment.id)
    with pytest.raises(Invalid):
        make.comment(neighbour, clause_ids[0], body="A reply to nothing.", kind="reply")
    sign_in(client, admin)
    html = client.get(f"/documents/{document.id}/queue").get_data(as_text=True)
    assert "1 of 1 open comments" in html and "Officers must not handle discipline." in html
    assert "Agreed, well said." not in html and "We are looking into this." not in html
    assert f"#{own.id}" not in html
    # The reply form on the document page (one, opened in a thread on demand) proposes the neutral kind.
    sign_in(client, author)
    page = client.get(f"/documents/{document.id}?reply_to={comment.id}").get_data(as_text=True)
    form = page[page.index(f'id="kind-r{comment.id}"'):]
    assert '<option value="reply" selected>Reply</option>' in form[:form.index("</select>")]
    top = page[page.index(f'id="kind-c{clause_ids[0]}"'):]
    assert 'value="reply"' not in top[:top.index("</select>")]


def test_item16_the_report_and_csv_show_group_names(setting, client, sign_in, make):
    document, admin, author, comment, _ = setting
    sign_in(client, make.user(role="observer"))
    html = client.get(f"/documents/{document.id}/response").get_data(as_text=True)
    assert "<td>Families</td>" in html and "<td>families</td>" not in html
    csv_text = client.get(f"/api/v1/documents/{document.id}/report.csv").get_data(as_text=True)
    assert ",Families," in csv_text and ",families," not in csv_text
    rows = client.get(f"/api/v1/documents/{document.id}/report.json").get_json()["rows"]
    assert rows[0]["group"] == "families" and rows[0]["group_name"] == "Families"
