"""Keyboard and phone first (issue 12): quoting a passage and commenting with the keyboard
alone on a phone-sized page, focus after posting, the clause index, tap target sizes, and the
aria structure of a clause and its form. That no page scrolls sideways at 320 px, for a
participant and an administrator in either language, test_languages_browser.py checks on every
page it runs axe on (these `_pages` and the live meeting among them)."""
from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD, open_document

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _tab_to(page, script: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(script):
            return
    raise AssertionError(f"Tab never reached: {script}")


def _focused(page, expression: str):
    return page.evaluate(f"() => {{ const el = document.activeElement; return {expression}; }}")


def test_a_phone_user_quotes_a_passage_and_comments_with_the_keyboard_alone(signed_in):
    page = signed_in("family", **PHONE)
    open_document(page)
    clause = page.locator("section.clause").first
    clause_id = clause.get_attribute("data-clause-id")
    _tab_to(page, f"() => document.activeElement.matches('#clause-{clause_id} > details.comment-box > summary')")
    page.keyboard.press("Enter")  # opens the comment form
    _tab_to(page, f"() => document.activeElement.matches('#clause-{clause_id} .quote-picker-toggle')", 10)
    assert _focused(page, "el.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Enter")  # shows the list of sentences
    assert _focused(page, "el.getAttribute('aria-expanded')") == "true"
    page.keyboard.press("Tab")
    first_sentence = _focused(page, "el.name === 'quote_sentence' ? el.value : null")
    assert first_sentence, "the first sentence's checkbox takes the focus"
    page.keyboard.press("Space")
    form = clause.locator(":scope > details.comment-box form")
    expect(form.locator("[name=quote]")).to_have_value(first_sentence)
    body = clause.locator(".clause-body").first.text_content()
    assert first_sentence in body
    text = f"Quoted with the keyboard alone ({uuid.uuid4().hex[:8]})."
    form.locator("[name=body]").focus()  # typing needs no mouse: the field is reached by Tab above it
    page.keyboard.type(text)
    _tab_to(page, "() => document.activeElement.type === 'submit'", 20)
    page.keyboard.press("Enter")
    posted = clause.locator(".comment", has_text=text)
    expect(posted).to_have_count(1)
    expect(posted.locator(".comment-quote")).to_contain_text(first_sentence)
    # Focus moved to the new comment.
    expect(posted).to_be_focused()
    assert page.js_errors == []


def test_after_a_refusal_focus_moves_to_the_message(signed_in):
    page = signed_in("family", **PHONE)
    open_document(page)
    clause = page.locator("section.clause").nth(1)
    clause.locator(":scope > details.comment-box > summary").click()
    form = clause.locator(":scope > details.comment-box form")
    form.locator("[name=body]").fill("x" * 10_001)
    form.locator("button[type=submit]").click()
    error = form.locator(".form-error")
    expect(error).to_contain_text("the limit is 10,000")
    expect(error).to_be_focused()


def test_the_clause_index_jumps_to_a_clause_and_stays_at_hand_on_a_phone(signed_in):
    page = signed_in("family", **PHONE)
    open_document(page)
    index = page.locator("nav.clause-index")
    assert index.evaluate("el => getComputedStyle(el).position") == "sticky"
    index.locator("summary").click()
    target = index.locator("a").nth(5)
    href = target.get_attribute("href")
    target.click()
    expect(page).to_have_url(re.compile(re.escape(f"/documents/1{href}") + "$"))
    expect(index.locator("details")).not_to_have_attribute("open", "")
    page.wait_for_function("id => { const r = document.querySelector(id).getBoundingClientRect(); "
                           "return r.top >= 0 && r.top < 200; }", arg=href)
    # Stuck to the top after the jump, yet the clause's heading is below it, not under it.
    box = index.bounding_box()
    assert box["y"] <= 1
    heading = page.locator(f"{href} h2").bounding_box()
    assert heading["y"] >= box["y"] + box["height"] - 1


def test_focus_is_never_hidden_under_the_sticky_clause_index(signed_in):
    page = signed_in("family", **PHONE)
    open_document(page)
    page.locator("nav.clause-index summary").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
    box = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect(); return [r.top, r.bottom]; }")
    bar = page.locator("nav.clause-index").bounding_box()
    assert box[1] > bar["y"] + bar["height"], "the focused control is under the clause index"


def test_primary_actions_are_44_px_and_nothing_is_under_24_px(signed_in):
    page = signed_in("family", **PHONE)
    open_document(page)
    clause = page.locator("section.clause").first
    summary = clause.locator(":scope > details.comment-box > summary")
    summary.click()
    primary = [summary, clause.locator(":scope > details.comment-box button.primary"),
               clause.locator(".quote-picker-toggle"), page.locator("nav.clause-index summary"),
               page.locator(".text-switch a").first]
    for target in primary:
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (target, box)
    small = page.evaluate("""() => [...document.querySelectorAll('button, summary, select, input[type=checkbox], .subnav a, .site-header a')]
        .filter(el => el.offsetParent !== null)
        .map(el => { const r = el.getBoundingClientRect(); return [el.outerHTML.slice(0, 80), r.width, r.height]; })
        .filter(([, w, h]) => w < 24 || h < 24)""")
    assert small == []


def _admin_headers(live_server) -> dict:
    token = requests.post(f"{live_server.url}/api/v1/auth/tokens", timeout=10,
                          json={"email": ACCOUNTS["admin"], "password": DEMO_PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _pages(live_server, meeting: dict) -> tuple[list[str], list[str]]:
    headers = _admin_headers(live_server)
    comment = requests.get(f"{live_server.url}/api/v1/documents/1/comments", headers=headers,
                           timeout=10).json()["comments"][0]
    base = f"/meetings/{meeting['id']}"
    everyone = ["/", "/documents", "/documents/1", "/documents/1?text=es", "/documents/1?text=both",
                "/documents/1/versions", "/documents/1/meetings", "/documents/1/diff", "/documents/1/diff?text=both",
                "/documents/1/overview", "/documents/1/response", "/documents/1/response?lang=es", "/me/comments",
                "/documents/1/campaigns",
                "/my/carried-comments", "/checkpoints", f"/comments/{comment['id']}", "/groups/families/comments",
                base, f"{base}/minutes"]
    admins = ["/admin", "/admin/outbox", "/moderation", "/documents/1/queue", "/documents/1/draft", "/drafts/import",
              "/documents/1/translations/import", f"{base}/console", f"{base}/projector"]
    return everyone, admins


@pytest.fixture
def live_meeting(live_server):
    """A meeting live on document 1 while the test runs (a document has one live meeting at a time)."""
    headers = _admin_headers(live_server)
    meeting = requests.post(f"{live_server.url}/api/v1/documents/1/meetings", headers=headers, timeout=10,
                            json={"title": "Width check"}).json()["meeting"]
    assert requests.post(f"{live_server.url}/api/v1/meetings/{meeting['id']}/start", headers=headers,
                         timeout=10).status_code == 200
    yield meeting
    requests.post(f"{live_server.url}/api/v1/meetings/{meeting['id']}/end", headers=headers, timeout=10)


def test_the_aria_structure_of_a_clause_and_its_comment_form(signed_in):
    page = signed_in("family")
    open_document(page)
    clause = page.locator("section.clause").first
    clause.locator(":scope > details.comment-box > summary").click()
    number = clause.get_attribute("data-number")
    expect(clause.locator("h2").first).to_have_accessible_name(
        page.locator(f"#clause-{clause.get_attribute('data-clause-id')}-title").text_content().strip())
    form_snapshot = clause.locator(":scope > details.comment-box").aria_snapshot()
    assert form_snapshot.startswith("- group:"), form_snapshot
    for line in (f"Comment on {number}",
                 '- combobox "Kind"', '- textbox "Your comment"', '- combobox "Written in"',
                 '- textbox "Quoted passage (optional)"', '- button "Quote a passage"',
                 '- textbox "Suggested wording (optional)"', '- button "Post comment"'):
        assert line in form_snapshot, (line, form_snapshot)
    # The order a screen reader meets them in.
    positions = [form_snapshot.index(part) for part in ('"Kind"', '"Your comment"', '"Written in"',
                                                         '"Quoted passage (optional)"', '"Post comment"')]
    assert positions == sorted(positions)
    section_snapshot = clause.aria_snapshot()
    assert section_snapshot.startswith("- region "), section_snapshot
    assert "- heading " in section_snapshot and "[level=2]" in section_snapshot
    index = page.locator("nav.clause-index").aria_snapshot()
    assert index.startswith('- navigation "Clauses"'), index
    switch = page.locator("nav.text-switch").aria_snapshot()
    assert '- link "English"' in switch and '- link "Español"' in switch


def _select_words(page, clause_id: str, words: str) -> None:
    page.evaluate("""([id, words]) => { const body = document.getElementById(`clause-${id}-body`);
        const node = body.firstChild; const start = node.textContent.indexOf(words);
        const range = document.createRange(); range.setStart(node, start); range.setEnd(node, start + words.length);
        const selection = document.getSelection(); selection.removeAllRanges(); selection.addRange(range); }""",
                  [clause_id, words])


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_comment_on_this_passage_appears_beside_a_selection(signed_in, device):
    page = signed_in("family", **(PHONE if device == "phone" else {}))
    open_document(page)
    clause = page.locator("section.clause").nth(2)
    clause_id = clause.get_attribute("data-clause-id")
    body = clause.locator(".clause-body").first
    words = " ".join(body.text_content().split()[:4])
    _select_words(page, clause_id, words)
    button = page.get_by_role("button", name="Comment on this passage")
    expect(button).to_be_visible()
    box, text = button.bounding_box(), body.bounding_box()
    assert text["y"] <= box["y"] <= text["y"] + text["height"] + 60, "the control stands by the selected text"
    assert box["height"] >= 44
    if device == "phone":
        button.tap()
    else:
        button.click()
    form = clause.locator(":scope > details.comment-box form")
    expect(form.locator("[name=quote]")).to_have_value(words)
    expect(form.locator("[name=body]")).to_be_focused()
