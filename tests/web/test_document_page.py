"""The document page brings resolutions, moderation, versions and meetings together,
and links the site: what each reader sees, by role and by ownership."""
from __future__ import annotations

import re

import pytest

from collab.services.meetings import create_meeting, end_meeting, start_meeting
from collab.services.moderation import hide_comment
from collab.services.resolutions import record_resolution, reopen_comment
from collab.services.versions import publish_version
from tests.conftest import any_database, events_of
from tests.web.helpers import page_csrf


@pytest.fixture
def document(make):
    document = make.document()
    make.open_period(document)
    return document


@pytest.fixture
def people(make):
    return {
        "admin": make.admin(),
        "facilitator": make.user(role="facilitator", group="community", name="Fay Facilitator"),
        "author": make.user(group="families", name="Ana Family"),
        "other": make.user(group="students", name="Sam Student"),
        "observer": make.user(role="observer", group="community", name="Oli Observer"),
    }


def _page(client, sign_in, user, document) -> str:
    sign_in(client, user)
    response = client.get(f"/documents/{document.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _article(page: str, comment_id: int) -> str:
    start = page.index('<article class="comment')
    start = page.index(f'id="comment-{comment_id}"', start)
    return page[start:page.index("</article>", start)]


def _actions(article: str) -> str:
    match = re.search(r'data-actions="([^"]*)"', article)
    return match.group(1)


def test_a_resolved_comment_shows_the_answer_in_words_with_its_version_date_and_history_link(
        client, make, sign_in, document, people):
    clause = make.clause_ids(document)[1]
    comment = make.comment(people["author"], clause, body="Who decides what is a crime?")
    publish_version(people["admin"], document.id, clauses=[
        {"id": c, "number": str(n), "heading": h, "body": b} for c, n, h, b in zip(
            make.clause_ids(document), (1, 2, 3), ("Purpose", "Discipline", "Arrests"),
            ("The program keeps students safe and supports learning.",
             "Officers never enforce school rules or discipline.",
             "Arrest is a last resort after diversion is considered."))])
    record_resolution(people["admin"], comment.id, disposition="accepted_with_changes",
                      rationale="Clause 2 now says officers never enforce school rules.", version=2)

    article = _article(_page(client, sign_in, people["other"], document), comment.id)

    assert "<strong>Accepted with changes</strong>" in article
    assert "Clause 2 now says officers never enforce school rules." in article
    assert '/documents/%d/diff?from=1&amp;to=2">in version 2</a>' % document.id in article
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+" data-local>', article.split("resolution-head")[1])
    assert f'href="/comments/{comment.id}"' in article
    assert "Contested" not in article


def test_a_reopened_answer_is_shown_as_contested_and_the_author_no_longer_sees_the_button(
        client, make, sign_in, document, people):
    comment = make.comment(people["author"], make.clause_ids(document)[0])
    record_resolution(people["admin"], comment.id, disposition="declined", rationale="State law requires it.")

    before = _article(_page(client, sign_in, people["author"], document), comment.id)
    assert "This does not address my concern" in before
    assert f'action="/comments/{comment.id}/reopen"' in before
    assert f'data-api="/api/v1/comments/{comment.id}/reopen"' in before

    reopen_comment(people["author"], comment.id, reason="It ignores students with disabilities.")
    after = _article(_page(client, sign_in, people["author"], document), comment.id)
    assert '<span class="contested">Contested</span>' in after
    assert "The author said this does not address their concern." in after
    assert "This does not address my concern" not in after


def test_only_the_author_of_a_resolved_comment_is_offered_to_reopen_it(client, make, sign_in, document, people):
    comment = make.comment(people["author"], make.clause_ids(document)[0])
    assert "reopen" not in _actions(_article(_page(client, sign_in, people["author"], document), comment.id))
    record_resolution(people["admin"], comment.id, disposition="noted", rationale="Thank you.")
    for name in ("other", "facilitator", "admin", "observer"):
        assert "reopen" not in _actions(_article(_page(client, sign_in, people[name], document), comment.id)), name
    assert "reopen" in _actions(_article(_page(client, sign_in, people["author"], document), comment.id))


@pytest.mark.parametrize("viewer, own, expected", [
    ("other", False, "flag cosign"),
    ("observer", False, ""),
    ("facilitator", False, "flag hide cosign"),
    ("facilitator", True, ""),
    ("admin", False, "flag hide resolve cosign"),
    ("admin", True, ""),
    ("author", True, ""),
])
def test_actions_follow_role_and_ownership(client, make, sign_in, document, people, viewer, own, expected):
    author = people[viewer] if own else people["author"]
    comment = make.comment(author, make.clause_ids(document)[2])
    article = _article(_page(client, sign_in, people[viewer], document), comment.id)
    assert _actions(article) == expected
    assert ("<summary>Flag</summary>" in article) == ("flag" in expected)
    assert ("<summary>Hide</summary>" in article) == ("hide" in expected)
    assert ("<summary>Record answer</summary>" in article) == ("resolve" in expected)


def test_moderators_are_offered_unhide_on_a_hidden_comment_and_nobody_may_flag_or_answer_it(
        client, make, sign_in, document, people):
    comment = make.comment(people["author"], make.clause_ids(document)[0], body="Name of a student here.")
    hide_comment(people["facilitator"], comment.id, reason="A student's name.")
    admin_view = _article(_page(client, sign_in, people["admin"], document), comment.id)
    assert _actions(admin_view) == "unhide"
    assert "<summary>Unhide</summary>" in admin_view and "Name of a student here." not in admin_view
    assert _actions(_article(_page(client, sign_in, people["other"], document), comment.id)) == ""


def test_the_record_answer_form_offers_every_disposition_a_rationale_and_an_optional_version(
        client, make, sign_in, document, people):
    comment = make.comment(people["author"], make.clause_ids(document)[0])
    article = _article(_page(client, sign_in, people["admin"], document), comment.id)
    form = article[article.index('data-box="resolve"'):]
    for value, label in (("accepted", "Accepted"), ("accepted_with_changes", "Accepted with changes"),
                         ("declined", "Declined"), ("deferred", "Deferred"), ("noted", "Noted")):
        assert f'<option value="{value}">{label}</option>' in form
    assert f'<label for="rationale-k{comment.id}">' in form and f'id="rationale-k{comment.id}"' in form
    assert f'<label for="version-k{comment.id}">' in form and 'type="number"' in form
    assert f'action="/comments/{comment.id}/resolve"' in form


def test_the_page_carries_a_template_of_every_action_for_live_comments(client, sign_in, document, people):
    page = _page(client, sign_in, people["author"], document)
    template = page[page.index('<template id="comment-actions-template">'):]
    template = template[:template.index("</template>")]
    assert 'data-actions="reopen flag hide unhide resolve"' in template
    for box in ("reopen", "flag", "hide", "unhide", "resolve"):
        assert f'data-box="{box}"' in template
    assert re.search(r'<div class="document-layout[^>]*data-viewer=\'\{"id": %d, "role": "participant"\}\''
                     % people["author"].id, page)


def test_the_reopen_form_works_without_javascript_and_returns_to_the_comment(client, make, sign_in, document,
                                                                             people):
    comment = make.comment(people["author"], make.clause_ids(document)[0])
    record_resolution(people["admin"], comment.id, disposition="declined", rationale="No.")
    sign_in(client, people["author"])
    csrf = page_csrf(client, f"/documents/{document.id}")
    response = client.post(f"/comments/{comment.id}/reopen", data={
        "csrf_token": csrf, "reason": "Please look again.", "next": f"/documents/{document.id}#comment-{comment.id}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/documents/{document.id}#comment-{comment.id}")
    assert len(events_of("comment.reopened")) == 1
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Sent back to the district" in page and '<span class="contested">Contested</span>' in page


def test_a_refused_flag_from_the_page_stores_nothing_and_says_why(client, make, sign_in, document, people):
    comment = make.comment(people["author"], make.clause_ids(document)[0])
    sign_in(client, people["other"])
    csrf = page_csrf(client, f"/documents/{document.id}")
    response = client.post(f"/comments/{comment.id}/flag", data={
        "csrf_token": csrf, "reason": "   ", "next": f"/documents/{document.id}#comment-{comment.id}"})
    assert response.status_code == 400  # the comment's page, answered with the refusal's status
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
    assert events_of("comment.flagged") == []


def test_a_carried_comment_shows_the_version_it_was_written_on_and_a_lost_passage(
        client, make, sign_in, document, people):
    ids = make.clause_ids(document)
    kept = make.comment(people["author"], ids[0], quote="keeps students safe")
    lost = make.comment(people["other"], ids[1], quote="school rules")
    publish_version(people["admin"], document.id, clauses=[
        {"id": ids[0], "number": "1", "heading": "Purpose", "body": "The program keeps students safe and well."},
        {"id": ids[1], "number": "2", "heading": "Discipline", "body": "Officers stay out of discipline entirely."},
        {"id": ids[2], "number": "3", "heading": "Arrests", "body": "Arrest is a last resort after diversion is considered."},
    ])
    page = _page(client, sign_in, people["observer"], document)
    kept_article, lost_article = _article(page, kept.id), _article(page, lost.id)
    assert '<span class="version-badge">written on v1</span>' in kept_article
    assert 'data-anchor="exact"' in kept_article and 'data-anchor-version="2"' in kept_article
    assert 'data-anchor-start="12"' in kept_article and 'data-anchor-end="31"' in kept_article
    assert "The passage it was about changed." not in kept_article
    assert 'data-anchor="lost"' in lost_article
    assert "The passage it was about changed." in lost_article


def test_the_document_links_its_pages_and_only_admins_see_the_work_queue(client, make, sign_in, document, people):
    publish_version(people["admin"], document.id, clauses=[
        {"id": c, "number": str(i + 1), "heading": f"Clause {i + 1}", "body": f"Text {i + 1}."}
        for i, c in enumerate(make.clause_ids(document))])
    page = _page(client, sign_in, people["other"], document)
    nav = page[page.index('aria-label="This document"'):]
    nav = nav[:nav.index("</nav>")]
    for href in (f"/documents/{document.id}/versions", f"/documents/{document.id}/diff?from=1&amp;to=2",
                 "/my/carried-comments", f"/documents/{document.id}/meetings",
                 f"/documents/{document.id}/overview", f"/documents/{document.id}/response"):
        assert f'href="{href}"' in nav, href
    assert "/queue" not in nav
    admin_page = _page(client, sign_in, people["admin"], document)
    assert f'href="/documents/{document.id}/queue">Work queue</a>' in admin_page


@pytest.mark.parametrize("viewer, present, absent", [
    ("other", ["Documents", "My comments", "Checkpoints"], ["Moderation", "Administration"]),
    ("observer", ["Documents", "My comments", "Checkpoints"], ["Moderation", "Administration"]),
    ("facilitator", ["Moderation"], ["Administration"]),
    ("admin", ["Moderation", "Administration"], []),
])
def test_the_header_links_the_site_by_role(client, sign_in, document, people, viewer, present, absent):
    page = _page(client, sign_in, people[viewer], document)
    header = page[page.index('<nav aria-label="Main">'):]
    header = header[:header.index("</nav>")]
    links = re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', header)
    for label in present:
        assert label in links, label
    for label in absent:
        assert label not in links, label
    assert links.count("My comments") == 1


def test_signed_out_visitors_find_the_public_checkpoints_and_the_sign_in_link(client):
    page = client.get("/checkpoints").get_data(as_text=True)
    header = page[page.index('<nav aria-label="Main">'):]
    header = header[:header.index("</nav>")]
    assert 'href="/checkpoints" aria-current="page">Checkpoints</a>' in header
    assert 'href="/sign-in">Sign in</a>' in header
    assert "My comments" not in header


def test_a_live_meeting_on_the_document_is_announced_with_a_link(client, make, sign_in, document, people):
    meeting = create_meeting(people["facilitator"], document.id, title="Evening session")
    assert 'A meeting on this document is live now' not in _page(client, sign_in, people["other"], document)
    start_meeting(people["facilitator"], meeting.id)
    page = _page(client, sign_in, people["other"], document)
    banner = page[page.index('id="meeting-banner"'):]
    banner = banner[:banner.index("</div>")]
    assert f'data-meeting-id="{meeting.id}"' in banner
    assert f'<a href="/meetings/{meeting.id}">join “Evening session”</a>' in banner
    end_meeting(people["facilitator"], meeting.id)
    assert 'A meeting on this document is live now' not in _page(client, sign_in, people["other"], document)


def _action_table(page: str) -> dict:
    import html
    import json

    match = re.search(r"data-comment-actions='([^']*)'", page)
    return json.loads(html.unescape(match.group(1)))


@pytest.mark.parametrize("viewer, own, others", [
    ("other", {"open": [], "resolved": ["reopen"], "hidden": []},
     {"open": ["flag", "cosign"], "resolved": ["flag", "cosign"], "hidden": []}),
    ("observer", {"open": [], "resolved": [], "hidden": []},
     {"open": [], "resolved": [], "hidden": []}),
    ("facilitator", {"open": [], "resolved": ["reopen"], "hidden": []},
     {"open": ["flag", "hide", "cosign"], "resolved": ["flag", "hide", "cosign"], "hidden": ["unhide"]}),
    ("admin", {"open": [], "resolved": ["reopen"], "hidden": []},
     {"open": ["flag", "hide", "resolve", "cosign"], "resolved": ["flag", "hide", "resolve", "cosign"],
      "hidden": ["unhide"]}),
])
def test_the_page_sends_the_readers_actions_for_live_comments_once_as_data(client, sign_in, document, people,
                                                                            viewer, own, others):
    """Live comments reach everyone; each reader's page looks their actions up in this table
    (by authorship and status) instead of re-deriving role rules in the browser."""
    assert _action_table(_page(client, sign_in, people[viewer], document)) == {"own": own, "others": others}


def test_every_rendered_comment_offers_what_the_table_says(client, make, sign_in, document, people):
    clauses = make.clause_ids(document)
    authors = {}
    # Two clauses: a clause shows its newest three threads when the page opens.
    for index, (author, body) in enumerate((("admin", "The admin's own concern."), ("author", "Answered."),
                                            ("author", "A student's name."), ("other", "Still open."))):
        authors[make.comment(people[author], clauses[index % 2], body=body).id] = people[author].id
    answered, hidden = list(authors)[1:3]
    record_resolution(people["admin"], answered, disposition="noted", rationale="Noted.")
    hide_comment(people["facilitator"], hidden, reason="A student's name.")
    for name in ("admin", "facilitator", "author", "other", "observer"):
        page = _page(client, sign_in, people[name], document)
        table = _action_table(page)
        seen = re.findall(r'id="comment-(\d+)" data-comment-id="\d+"\s+data-status="(\w+)"', page)
        assert {int(i) for i, _status in seen} == set(authors)
        for comment_id, status in seen:
            who = "own" if authors[int(comment_id)] == people[name].id else "others"
            assert _actions(_article(page, int(comment_id))).split() == table[who][status], (name, comment_id)


def test_the_scripts_hold_no_role_rules():
    """Which buttons a reader sees is decided in collab/permissions.py only."""
    from tests.live_server import ROOT

    for script in ("comments.js", "document.js"):
        source = (ROOT / "static" / "js" / script).read_text()
        for role in ("admin", "facilitator", "participant", "observer"):
            assert f'"{role}"' not in source, (script, role)


# --- the text rule on pages (issue 11, item 5) ----------------------------------------------

def test_a_control_character_in_the_comment_form_comes_back_with_the_typed_text(client, make, sign_in, document,
                                                                              people):
    clause_id = make.clause_ids(document)[0]
    sign_in(client, people["author"])
    csrf = page_csrf(client, f"/documents/{document.id}")
    response = client.post(f"/documents/{document.id}/clauses/{clause_id}/comments", data={
        "csrf_token": csrf, "kind": "concern", "body": "Pasted from a report\x0bwith a vertical tab"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "U+000B" in page and "Pasted from a report" in page
    assert events_of("comment.created") == []


@any_database
def test_a_nul_in_any_form_field_is_a_400_page(client, make, sign_in, document, people):
    sign_in(client, people["admin"])
    csrf = page_csrf(client, "/admin")
    response = client.post("/admin/users", data={
        "csrf_token": csrf, "email": "new@example.org", "name": "New", "password": "long enough password",
        "role": "participant", "group": "fam\x00ilies"})
    assert response.status_code == 400 and "U+0000" in response.get_data(as_text=True)
    assert client.get("/groups/fam%00ilies/comments").status_code == 404
