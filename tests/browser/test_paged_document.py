"""The document page at scale, in the browser: each clause opens with its newest threads;
"Show more comments" loads older ones below, page by page, without repeating a comment or
moving what the reader reads, while new comments still arrive live on top."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_document

pytestmark = pytest.mark.browser


def _post(page, clause_id: str, body: str) -> int:
    """A comment through the JSON API with the page's own session and CSRF token."""
    return page.evaluate("""async ([clauseId, body]) => {
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const response = await fetch(`/api/v1/clauses/${clauseId}/comments`, {method: "POST",
            credentials: "same-origin", headers: {"Content-Type": "application/json", "X-CSRFToken": token},
            body: JSON.stringify({body, kind: "concern"})});
        return (await response.json()).comment.id;
    }""", [clause_id, body])


def test_more_comments_load_below_while_new_ones_arrive_on_top(signed_in):
    writer = signed_in("family")
    reader = signed_in("civil-rights")
    open_document(writer)
    clause = writer.locator("section.clause").nth(5)
    clause_id = clause.get_attribute("data-clause-id")
    tag = uuid.uuid4().hex[:6]
    for n in range(14):  # enough for at least two pages of older threads
        _post(writer, clause_id, f"Older point {n} ({tag}).")
    open_document(reader)
    section = reader.locator(f"#clause-{clause_id}")
    threads = section.locator(".threads > .thread")
    expect(threads).to_have_count(3)
    more = section.locator("a[data-action=more-threads]")
    expect(more).to_be_visible()
    total_before = int(section.locator("[data-count]").get_attribute("data-count"))

    # The reader looks at the clause's heading; a live comment arrives on top of its threads.
    section.locator("h2").evaluate("node => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 20)")
    live_text = f"Arrived live ({tag})."
    _post(writer, clause_id, live_text)
    expect(threads.first).to_contain_text(live_text)

    top_before = section.locator("h2").evaluate("node => node.getBoundingClientRect().top")
    more.evaluate("node => node.click()")  # as a click, without Playwright scrolling to the button first
    expect(threads).to_have_count(4 + 10)
    # Loading older threads below never moves what the reader was looking at.
    assert abs(section.locator("h2").evaluate("node => node.getBoundingClientRect().top") - top_before) < 2
    while section.locator("a[data-action=more-threads]").count():
        count = threads.count()
        section.locator("a[data-action=more-threads]").click()
        expect(threads).not_to_have_count(count)
    ids = threads.evaluate_all("nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids)), "a thread was shown twice"
    shown = reader.locator(f"#clause-{clause_id} .thread > .comment").count()
    assert shown == len(ids)
    # Every one of the writer's comments is there exactly once, the live one first.
    for n in range(14):
        assert section.locator(".comment", has_text=f"Older point {n} ({tag}).").count() == 1
    assert threads.first.locator(".comment").first.inner_text().find(live_text) >= 0
    assert int(section.locator("[data-count]").get_attribute("data-count")) == total_before + 1
    assert reader.js_errors == [] and writer.js_errors == []


def test_one_reply_form_opens_where_it_is_wanted(signed_in):
    page = signed_in("student")
    open_document(page)
    assert page.locator(".thread .reply-box").count() == 0
    replies = page.locator(".thread a[data-action=reply]")
    replies.nth(0).click()
    expect(page.locator(".thread .reply-box")).to_have_count(1)
    replies.nth(1).click()  # the first form held nothing: it moves
    expect(page.locator(".thread .reply-box")).to_have_count(1)
    assert page.js_errors == []
