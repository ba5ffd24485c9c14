"""The draft pages in Debian's Chromium against a real server: publish by keyboard,
read the diff on a phone, and no WCAG 2.1 AA violations found by axe."""
from pathlib import Path

import pytest

from collab.reads.documents import document_view
from collab.services.versions import publish_version
from tests.conftest import PASSWORD, skip_or_fail
from tests.live_server import start_server

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install-chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture
def server(database_url):
    live = start_server({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                         "PERIOD_SCHEDULER_ENABLED": "0"})
    yield live
    live.stop()


def sign_in(page, url, email):
    page.goto(url + "/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")  # the header holds the language switcher's buttons


def violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_an_admin_publishes_by_keyboard_and_every_draft_page_passes_axe(make, server, browser):
    document = make.document()
    make.open_period(document)
    author = make.user()
    admin = make.admin()
    make.comment(author, make.clause_ids(document)[2], quote="after diversion is considered",
                 kind="suggestion", suggested_text="only after diversion has been tried")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in(page, server.url, admin.email)
    page.goto(f"{server.url}/documents/{document.id}/draft")
    assert violations(page) == []
    page.focus("#clause-0-body")
    page.keyboard.press("Control+A")
    page.keyboard.type("The program keeps every student safe and supports learning.")
    page.focus("#note")
    page.keyboard.type("Every student")
    page.focus("button[value=publish]")
    page.keyboard.press("Enter")
    # Publishing shows what would change first; nothing is published until the confirmation.
    page.wait_for_selector("button[value=confirm-publish]")
    assert "publish version 2?" in page.locator("h1").inner_text()
    assert page.locator("ins").first.inner_text().strip().startswith("[inserted:")
    assert violations(page) == []
    page.focus("button[value=confirm-publish]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diff?**")
    assert page.locator("ins").first.inner_text().strip().startswith("[inserted:")
    assert violations(page) == []
    for path in (f"/documents/{document.id}/versions", "/drafts/import"):
        page.goto(server.url + path)
        assert violations(page) == [], path
    context.close()


def test_the_commenter_answers_on_a_phone(make, server, browser):
    document = make.document()
    make.open_period(document)
    author = make.user()
    make.comment(author, make.clause_ids(document)[2], quote="after diversion is considered")
    clauses = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]
    clauses[2]["body"] = "Arrest is a last resort after diversion has been tried."
    publish_version(make.admin(), document.id, clauses=clauses)
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, server.url, author.email)
    page.goto(f"{server.url}/my/carried-comments")
    assert "written on v1" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations(page) == []
    page.goto(f"{server.url}/documents/{document.id}/diff?from=1&to=2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{server.url}/my/carried-comments")
    page.click("text=No, my concern remains")
    assert "You answered: no" in page.content()
    context.close()


def test_item17_a_clause_is_split_at_the_cursor_by_keyboard(make, server, browser):
    document = make.document(clauses=[
        {"number": "1", "heading": "Goals and Objectives",
         "body": "The program keeps students safe.\nHours and Special Events\nRegular school hours."},
        {"number": "2", "heading": "Discipline", "body": "Officers do not enforce school rules."}])
    admin = make.admin()
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in(page, server.url, admin.email)
    page.goto(f"{server.url}/documents/{document.id}/draft")
    page.focus("#clause-0-body")
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")  # the cursor now stands before "Hours and Special Events"
    page.keyboard.press("Home")
    while page.evaluate("document.activeElement.id") != "clause-0-split":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#clause-2-body")
    assert page.evaluate("document.activeElement.id") == "clause-1-number"
    assert page.input_value("#clause-0-body") == "The program keeps students safe."
    assert page.input_value("#clause-1-heading") == "Hours and Special Events"
    assert page.input_value("#clause-1-body") == "Regular school hours."
    assert violations(page) == []
    context.close()
