"""The document page at scale, in the browser: each clause opens with its newest threads;
"Show more comments" loads older ones below, page by page, without repeating a comment or
moving what the reader reads, while new comments still arrive live on top."""
from __future__ import annotations

import re
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


def _cosign(page, comment_id: int) -> None:
    status = page.evaluate("""async (commentId) => {
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const response = await fetch(`/api/v1/comments/${commentId}/cosign`, {method: "POST",
            credentials: "same-origin", headers: {"X-CSRFToken": token}});
        return response.status;
    }""", comment_id)
    assert status in (200, 201), status


def test_most_cosigned_first_chosen_by_keyboard_on_a_phone_pages_on_in_that_order(signed_in):
    writer, student, neighbour = signed_in("family"), signed_in("student"), signed_in("civil-rights")
    reader = signed_in("admin", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    open_document(writer)
    clause_id = writer.locator("section.clause").last.get_attribute("data-clause-id")
    tag = uuid.uuid4().hex[:6]
    ids = [_post(writer, clause_id, f"Ordered point {n} ({tag}).") for n in range(6)]
    open_document(student)
    open_document(neighbour)
    for signer in (student, neighbour):
        _cosign(signer, ids[0])  # the oldest gathers two names: first in "most co-signed"
    _cosign(student, ids[1])
    open_document(reader)
    choice = reader.locator("#thread-order")
    choice.focus()
    choice.select_option("cosigned")
    reader.keyboard.press("Tab")
    reader.keyboard.press("Enter")  # the "Show" button, from the keyboard
    reader.wait_for_url(re.compile(r"order=cosigned"))
    reader.locator("#presence-list .badge").first.wait_for()
    expect(reader.locator("#thread-order")).to_have_value("cosigned")
    section = reader.locator(f"#clause-{clause_id}")
    threads = section.locator(".threads > .thread")
    expect(threads.nth(0)).to_have_id(f"thread-{ids[0]}")
    expect(threads.nth(1)).to_have_id(f"thread-{ids[1]}")
    # A live comment still arrives (on top, marked new) while the reader reads in this order.
    live_text = f"Arrived while ordered ({tag})."
    _post(writer, clause_id, live_text)
    expect(threads.first).to_contain_text(live_text)
    while section.locator("a[data-action=more-threads]").count():
        count = threads.count()
        section.locator("a[data-action=more-threads]").click()
        expect(threads).not_to_have_count(count)
    shown = threads.evaluate_all("nodes => nodes.map(n => n.id)")
    assert len(shown) == len(set(shown)), "a thread was shown twice"
    mine = [int(i.split("-")[1]) for i in shown if int(i.split("-")[1]) in ids]
    # Past the co-signed ones, the rest follow newest first.
    assert mine == [ids[0], ids[1], ids[5], ids[4], ids[3], ids[2]]
    assert reader.js_errors == [] and writer.js_errors == []
