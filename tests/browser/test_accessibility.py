"""axe-core finds no serious or critical WCAG 2.1 AA problem; phones need no sideways
scrolling; the keyboard alone reaches a comment form and sends it."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, axe_violations, open_document

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _serious_violations(page) -> list[str]:
    return axe_violations(page, WCAG_TAGS, impacts=("serious", "critical"))


def test_axe_finds_no_serious_violations_on_the_main_pages(browser, live_server, signed_in):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci`")
    anonymous = browser.new_context(base_url=live_server.url, bypass_csp=True)
    try:
        page = anonymous.new_page()
        page.goto("/sign-in")
        assert _serious_violations(page) == []
    finally:
        anonymous.close()
    page = signed_in("admin", bypass_csp=True)
    for path in ("/documents", "/documents/1", "/admin", "/admin/outbox", "/documents/1/coverage",
                 "/clauses/1/coverage", "/notifications", "/notifications/preferences", "/unsubscribe?token=forged",
                 "/documents/1/equity", "/documents/1/adoption", "/documents/1/versions/1/summaries"):
        if path == "/documents/1":
            open_document(page)
            page.locator("details.comment-box > summary").first.click()  # an open form is checked too
        else:
            page.goto(path)
            if path == "/documents/1/coverage":  # an open form on a missing provision is checked too
                page.locator("details.comment-box > summary").first.click()
        assert _serious_violations(page) == [], path


@pytest.mark.parametrize("path", ["/documents/1", "/documents", "/admin", "/admin/outbox", "/documents/1/coverage",
                                  "/clauses/1/coverage", "/notifications", "/notifications/preferences",
                                  "/documents/1/equity"])
def test_a_phone_wide_screen_needs_no_sideways_scrolling(signed_in, path):
    page = signed_in("admin", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(path)
    if path == "/documents/1":
        page.locator("details.comment-box > summary").first.click()
        page.locator(".thread a[data-action=reply]").first.click()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide on a 390px screen"


def test_the_keyboard_alone_reaches_a_comment_form_and_sends_it(signed_in):
    page = signed_in("family")
    open_document(page)
    clause = page.locator("section.clause").first
    clause_id = clause.get_attribute("data-clause-id")
    summary_id = None
    for _ in range(60):
        page.keyboard.press("Tab")
        summary_id = page.evaluate(
            "() => document.activeElement.closest('details.comment-box') ? "
            "document.activeElement.closest('section.clause').dataset.clauseId : null")
        if summary_id:
            break
    assert summary_id == clause_id, "Tab never reached the first clause's comment form"
    page.keyboard.press("Enter")  # opens the form
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "kind"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "body"
    text = f"Typed with the keyboard only ({uuid.uuid4().hex[:8]})."
    page.keyboard.type(text)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type === 'submit'"):
            break
    page.keyboard.press("Enter")
    expect(clause.locator(".comment", has_text=text)).to_have_count(1)
    expect(page.locator("#announcer")).to_contain_text("Your comment on")


def test_focus_is_visible(signed_in):
    page = signed_in("family")
    open_document(page)
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_axe_finds_no_serious_violations_on_the_meeting_pages(live_server, signed_in):
    import requests

    from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD

    token = requests.post(f"{live_server.url}/api/v1/auth/tokens", timeout=10,
                          json={"email": ACCOUNTS["admin"], "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    meeting = requests.post(f"{live_server.url}/api/v1/documents/1/meetings", headers=headers, timeout=10,
                            json={"title": "Accessibility check"}).json()["meeting"]
    base = f"/meetings/{meeting['id']}"
    assert requests.post(f"{live_server.url}/api/v1{base}/start", headers=headers, timeout=10).status_code == 200
    page = signed_in("admin", bypass_csp=True)
    try:
        for path in ("/documents/1/meetings", base, f"{base}/console", f"{base}/projector"):
            page.goto(path)
            assert _serious_violations(page) == [], path
    finally:
        requests.post(f"{live_server.url}/api/v1{base}/end", headers=headers, timeout=10)
    page.goto(f"{base}/minutes")
    assert _serious_violations(page) == [], f"{base}/minutes"
