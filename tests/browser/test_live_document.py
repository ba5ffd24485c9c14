"""Two people on one document: comments arrive live, once, in the right place."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_document

pytestmark = pytest.mark.browser


def _first_clause(page):
    return page.locator("section.clause").first


def _comment_on(page, clause, text):
    clause.locator("details.comment-box > summary").click()
    form = clause.locator("details.comment-box form")
    form.locator("select[name=kind]").select_option("concern")
    form.locator("textarea[name=body]").fill(text)
    form.locator("button[type=submit]").dblclick()  # a double click must still make one comment
    return form


def test_a_comment_appears_live_for_the_other_reader_exactly_once_with_its_group(signed_in):
    writer = signed_in("family")
    reader = signed_in("civil-rights")
    open_document(writer)
    open_document(reader)
    expect(reader.locator("#presence-list")).to_contain_text("Angela Whitfield")
    text = f"Please define a serious threat ({uuid.uuid4().hex[:8]})."
    clause_id = _first_clause(writer).get_attribute("data-clause-id")
    count_before = int(reader.locator(f"#clause-{clause_id} [data-count]").get_attribute("data-count"))

    form = _comment_on(writer, _first_clause(writer), text)

    arrived = reader.locator(".comment", has_text=text)
    arrived.wait_for()
    writer.locator(".comment", has_text=text).wait_for()
    assert form.locator("textarea[name=body]").input_value() == ""
    reader.wait_for_timeout(1500)  # the writer's own broadcast comes back too; give duplicates a chance
    assert arrived.count() == 1
    assert writer.locator(".comment", has_text=text).count() == 1
    badge = arrived.locator(".badge")
    assert badge.inner_text() == "Families" and "tone-1" in badge.get_attribute("class")
    assert arrived.locator(".kind").inner_text().lower() == "concern"
    assert arrived.locator(".author").inner_text() == "Angela Whitfield"
    for page in (reader, writer):
        assert page.locator(f"#clause-{clause_id} [data-count]").inner_text() == f"{count_before + 1} comment" + (
            "s" if count_before + 1 != 1 else "")
    number = reader.locator(f"#clause-{clause_id}").get_attribute("data-number")
    expect(reader.locator("#announcer")).to_have_text(f"1 new comment on {number}.")
    assert reader.js_errors == [] and writer.js_errors == []


def test_a_reply_appears_in_its_thread_for_the_other_reader(signed_in):
    writer = signed_in("student")
    reader = signed_in("family")
    open_document(writer)
    open_document(reader)
    thread = writer.locator(".thread").first
    thread_id = thread.get_attribute("data-thread-id")
    text = f"Students want a say here ({uuid.uuid4().hex[:8]})."
    thread.locator("a[data-action=reply]").click()  # the page's one reply form opens here
    thread.locator("details.reply-box textarea[name=body]").fill(text)
    thread.locator("details.reply-box button[type=submit]").click()
    reply = reader.locator(f"#thread-{thread_id} .replies .comment", has_text=text)
    reply.wait_for()
    assert reply.locator(".badge").inner_text() == "Students"


def test_a_comment_above_the_reader_does_not_move_what_they_read(signed_in):
    writer = signed_in("family")
    reader = signed_in("civil-rights")
    open_document(writer)
    open_document(reader)
    target = reader.locator("section.clause").nth(8).locator("h2")
    target.evaluate("node => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 40)")
    reader.wait_for_timeout(200)
    before = target.evaluate("node => node.getBoundingClientRect().top")
    text = f"Above the reader ({uuid.uuid4().hex[:8]})."
    _comment_on(writer, _first_clause(writer), text)
    reader.locator(".comment", has_text=text).wait_for(state="attached")
    reader.wait_for_timeout(300)
    after = target.evaluate("node => node.getBoundingClientRect().top")
    assert abs(after - before) <= 2


def test_errors_from_the_server_show_next_to_the_form_and_keep_the_text(signed_in):
    page = signed_in("family")
    open_document(page)
    clause = _first_clause(page)
    clause.locator("details.comment-box > summary").click()
    form = clause.locator("details.comment-box form")
    form.locator("textarea[name=body]").fill("x" * 10_002)  # no maxlength: a paste is never cut
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_contain_text("Your comment is 10,002 characters long; the limit is 10,000.")
    assert len(form.locator("textarea[name=body]").input_value()) == 10_002
