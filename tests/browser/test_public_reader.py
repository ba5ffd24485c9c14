"""A reader without an account on a phone: opens a public document like the demo MOU and
watches a comment arrive live. The test writes on a document of its own, so the demo stays as it was."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from collab.demo import content
from tests.browser.test_document_live_answers import _api, _token

pytestmark = pytest.mark.browser


def test_an_anonymous_reader_on_a_phone_sees_a_comment_arrive_live(browser, live_server):
    admin = _token(live_server, "admin")
    document = _api(live_server, "POST", "/documents", admin, {
        "title": f"{content.DOCUMENT_TITLE} ({uuid.uuid4().hex[:6]})", "clauses": content.CLAUSES,
        "visibility": "public"})["document"]
    _api(live_server, "POST", f"/documents/{document['id']}/periods", admin,
         {"opens_at": "2000-01-01T00:00:00Z", "closes_at": "2100-01-01T00:00:00Z"})
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("/")
        page.get_by_role("link", name=document["title"]).click()
        expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
        expect(page.locator("#presence-list")).to_contain_text("1 reader without an account")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        assert page.locator("details.comment-box").count() == 0  # reading only

        text = f"Students need to know their rights ({uuid.uuid4().hex[:8]})."
        clause_id = document["clauses"][0]["id"]
        _api(live_server, "POST", f"/clauses/{clause_id}/comments", _token(live_server, "student"),
             {"body": text, "kind": "concern"})

        arrived = page.locator(f"#clause-{clause_id} .comment", has_text=text)
        expect(arrived).to_have_count(1)
        # The demo student shows only the group, as students do by default.
        assert arrived.locator(".author").inner_text() == "A participant"
        assert arrived.locator(".badge").first.inner_text() == "Students"
        assert errors == []
    finally:
        context.close()
