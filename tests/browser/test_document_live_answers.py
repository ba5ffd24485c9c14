"""The live document page with answers, reopening and new versions, across two browsers
on a real server. Each test writes on a document of its own, so the demo stays as it was."""
from __future__ import annotations

import json
import os
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD, axe_violations, open_document

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LONG_TEXT = ("The district and the police department agree on this point after hearing families, students, "
             "educators and community groups. ") * 6


def _api(server, method: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    request = urllib.request.Request(server.url + "/api/v1" + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def _token(server, account: str) -> str:
    return _api(server, "POST", "/auth/tokens", body={"email": ACCOUNTS[account], "password": DEMO_PASSWORD})["token"]


def _new_document(server, admin_token: str, clauses: int = 3, open_for_comments: bool = True) -> dict:
    document = _api(server, "POST", "/documents", admin_token, {
        "title": f"Live answers {uuid.uuid4().hex[:6]}",
        "clauses": [{"number": f"{i + 1}", "heading": f"Clause {i + 1}", "body": f"Clause {i + 1}. {LONG_TEXT}"}
                    for i in range(clauses)]})["document"]
    if open_for_comments:
        _api(server, "POST", f"/documents/{document['id']}/periods", admin_token, {
            "opens_at": "2000-01-01T00:00:00Z", "closes_at": "2100-01-01T00:00:00Z"})
    return document


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=False)


def test_an_answer_reaches_the_commenter_live_and_their_reopening_reaches_the_admin(signed_in, live_server):
    admin_token = _token(live_server, "admin")
    document = _new_document(live_server, admin_token)
    clause = document["clauses"][1]
    concern = _api(live_server, "POST", f"/clauses/{clause['id']}/comments", _token(live_server, "family"), {
        "body": "Who decides what counts as a crime here?", "kind": "concern",
        "quote": "after hearing families, students"})["comment"]
    admin = signed_in("admin")
    family = signed_in("family")
    open_document(admin, document["id"])
    open_document(family, document["id"])
    family_comment = family.locator(f"#comment-{concern['id']}")
    expect(family_comment.locator("mark, .resolution")).to_have_count(0)
    expect(family.locator(f"#clause-{clause['id']} .clause-body mark.quoted")).to_have_text(
        "after hearing families, students")
    scroll_before = family.evaluate("window.scrollY")

    # The admin answers from the document page.
    admin_comment = admin.locator(f"#comment-{concern['id']}")
    admin_comment.locator("details[data-box=resolve] > summary").click()
    admin_comment.locator("select[name=disposition]").select_option("accepted_with_changes")
    admin_comment.locator("textarea[name=rationale]").fill("The next version defines it with the families' words.")
    admin_comment.get_by_role("button", name="Record the answer").click()
    expect(admin_comment.locator(".resolution strong")).to_have_text("Accepted with changes")

    # The commenter's open page shows it without a reload, in place, and says so politely.
    resolution = family_comment.locator(".resolution")
    expect(resolution).to_contain_text("Accepted with changes")
    expect(resolution).to_contain_text("The next version defines it with the families' words.")
    expect(family.locator("#announcer")).to_have_text(f"A concern on {clause['number']} was answered.")
    assert family.evaluate("window.scrollY") == scroll_before
    assert family.evaluate("performance.getEntriesByType('navigation').length") == 1

    # The commenter says it does not address the concern; the admin's page shows it reopened.
    family_comment.get_by_text("This does not address my concern").click()
    family_comment.locator("textarea[name=reason]").fill("It still lets officers decide alone.")
    family_comment.get_by_role("button", name="Send it back to the district").click()
    expect(family_comment.locator(".contested")).to_have_text("Contested")
    expect(family_comment.locator("details[data-box=reopen]")).to_have_count(0)
    expect(admin_comment.locator(".resolution .contested")).to_have_text("Contested")
    expect(admin_comment).to_contain_text("The author said this does not address their concern.")
    expect(admin.locator("#announcer")).to_have_text(f"A concern on {clause['number']} was reopened by its author.")
    assert admin.js_errors == [] and family.js_errors == []


def test_a_refused_answer_shows_its_reason_and_keeps_the_typed_text(signed_in, live_server):
    admin_token = _token(live_server, "admin")
    document = _new_document(live_server, admin_token, clauses=1)
    concern = _api(live_server, "POST", f"/clauses/{document['clauses'][0]['id']}/comments",
                   _token(live_server, "student"), {"body": "Students need a say.", "kind": "concern"})["comment"]
    admin = signed_in("admin")
    open_document(admin, document["id"])
    box = admin.locator(f"#comment-{concern['id']} details[data-box=resolve]")
    box.locator("summary").click()
    box.get_by_role("button", name="Record the answer").click()
    expect(box.locator(".form-error")).to_have_text("Write the rationale first: everyone will read it.")
    assert admin.evaluate("document.activeElement.name") == "rationale"
    box.locator("textarea[name=rationale]").fill("Version 9 carries it.")
    box.locator("input[name=version]").fill("9")
    box.get_by_role("button", name="Record the answer").click()
    expect(box.locator(".form-error")).not_to_be_empty()
    assert box.locator("textarea[name=rationale]").input_value() == "Version 9 carries it."
    expect(admin.locator(f"#comment-{concern['id']} .resolution")).to_have_count(0)


def test_a_new_version_is_offered_without_moving_the_reader_and_opens_at_the_same_clause(signed_in, live_server):
    admin_token = _token(live_server, "admin")
    document = _new_document(live_server, admin_token, clauses=8, open_for_comments=False)
    reader = signed_in("civil-rights")
    open_document(reader, document["id"])
    target = document["clauses"][5]
    reader.locator(f"#clause-{target['id']} h2").evaluate(
        "node => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 40)")
    reader.wait_for_timeout(200)
    top_before = reader.locator(f"#clause-{target['id']} h2").evaluate("node => node.getBoundingClientRect().top")

    revised = [{"id": c["id"], "number": c["number"], "heading": c["heading"], "body": c["body"]}
               for c in document["clauses"]]
    revised[0]["body"] = "A much longer first clause now. " + LONG_TEXT * 3
    revised[5]["body"] = "Clause 6, revised after the meeting. " + LONG_TEXT
    _api(live_server, "POST", f"/documents/{document['id']}/versions", admin_token,
         {"note": "After the listening session", "clauses": revised})

    bar = reader.locator("#version-notice")
    expect(bar).to_have_text("Version 2 is published — show it")
    reader.wait_for_timeout(500)
    top_after = reader.locator(f"#clause-{target['id']} h2").evaluate("node => node.getBoundingClientRect().top")
    assert abs(top_after - top_before) < 1, "the page moved by itself"
    expect(reader.locator(".subtitle")).to_contain_text("Version 1")
    _shot(reader, "version-offered-desktop")

    bar.get_by_role("button", name="show it").click()
    reader.wait_for_load_state("load")
    expect(reader.locator(".subtitle")).to_contain_text("Version 2")
    expect(reader.locator(f"#clause-{target['id']} .clause-body")).to_contain_text("revised after the meeting")
    assert reader.url.endswith(f"/documents/{document['id']}#clause-{target['id']}")
    top = reader.locator(f"#clause-{target['id']}").evaluate("node => node.getBoundingClientRect().top")
    assert -5 <= top <= 200, f"the clause is at {top}px, not in view"
    expect(bar).to_be_empty()
    assert reader.js_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_violations_with_answers_and_action_forms_open(browser, live_server, signed_in, width):
    admin_token = _token(live_server, "admin")
    document = _new_document(live_server, admin_token, clauses=2)
    clause_id = document["clauses"][0]["id"]
    family_token = _token(live_server, "family")
    answered = _api(live_server, "POST", f"/clauses/{clause_id}/comments", family_token, {
        "body": "Define a serious threat.", "kind": "concern", "quote": "after hearing families"})["comment"]
    waiting = _api(live_server, "POST", f"/clauses/{clause_id}/comments", family_token, {
        "body": "Who reviews arrests?", "kind": "question"})["comment"]
    _api(live_server, "POST", f"/comments/{answered['id']}/resolution", admin_token,
         {"disposition": "declined", "rationale": "State law defines it."})
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True} if width == 390 else {}
    page = signed_in("admin", bypass_csp=True, **phone)
    open_document(page, document["id"])
    _shot(page, f"document-top-{width}")
    page.locator(f"#comment-{waiting['id']} details[data-box=resolve] > summary").click()
    page.locator(f"#comment-{answered['id']} details[data-box=hide] > summary").click()
    page.locator(f"#comment-{answered['id']}").scroll_into_view_if_needed()
    _shot(page, f"document-admin-{width}")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]}px wide on a {width}px screen"
    assert axe_violations(page, WCAG_TAGS, impacts=("serious", "critical")) == []
    family = signed_in("family", **phone)
    open_document(family, document["id"])
    family.locator(f"#comment-{answered['id']} details[data-box=reopen] > summary").click()
    family.locator(f"#comment-{answered['id']}").scroll_into_view_if_needed()
    _shot(family, f"document-family-{width}")
    assert family.js_errors == [] and page.js_errors == []
