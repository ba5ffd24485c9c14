"""My pages in Debian's Chromium against a real server: no WCAG 2.1 AA violations (axe-core),
usable on a phone, keyboard reaches the answer form and the print button."""
from __future__ import annotations


import pytest

from tests.browser.conftest import axe_violations
from tests.live_server import demo_database, start_server

pytestmark = [pytest.mark.browser, pytest.mark.server]
PASSWORD = "common-ground-demo"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"DATABASE_URL": demo_database(tmp_path_factory.mktemp("browser") / "demo.sqlite3")[0],
           "SECRET_KEY": "browser-test", "SIGN_IN_RATE_LIMIT": "1000 per minute"}
    live = start_server(env)
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


def _sign_in(page, server, email):
    page.goto(server.url + "/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")  # the header holds the language switcher's buttons


def _axe(page) -> list:
    return axe_violations(page, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_concern_pages_pass_axe_on_desktop_and_phone(server, browser, viewport):
    context = browser.new_context(bypass_csp=True, viewport=viewport)
    page = context.new_page()
    _sign_in(page, server, "admin@demo.commonground.example")
    for path in ["/documents/1/queue", "/documents/1/overview", "/documents/1/response", "/me/comments",
                 "/groups/families/comments", "/comments/1", "/moderation", "/checkpoints"]:
        page.goto(server.url + path)
        assert page.locator("h1").count() == 1, path
        assert _axe(page) == [], path
        if viewport["width"] < 500:
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, path
    context.close()


def test_admin_answers_by_keyboard_and_the_family_sees_it(server, browser):
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, server, "admin@demo.commonground.example")
    page.goto(server.url + "/documents/1/queue")
    first = page.locator("input[name=comment_ids]").first
    first.focus()
    page.keyboard.press("Space")
    comment_id = first.get_attribute("value")
    page.locator("#q-rationale").focus()
    page.keyboard.type("The revised clause keeps officers out of school discipline.")
    page.locator("#q-version").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q-version-next"  # "changed in the next version"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Record the answer"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Answer recorded for 1 comment(s).")
    page.goto(server.url + f"/comments/{comment_id}")
    assert "The revised clause keeps officers out" in page.content()
    page.goto(server.url + "/documents/1/response")
    page.locator("#print-button").focus()
    page.evaluate("window.print = () => { window.printed = true }")
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") is True
    context.close()


BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table.data td, table.data th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s-]+/g)) {
        if (match[0].length > 24) continue;  // a long address may still wrap
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def test_item16_table_columns_do_not_break_words_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, server, "admin@demo.commonground.example")
    for path in ["/documents/1/queue", "/documents/1/response"]:
        page.goto(server.url + path)
        assert page.evaluate(BROKEN_WORDS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 391, path
    context.close()
