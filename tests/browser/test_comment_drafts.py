"""A parent's unsent text is never lost or cut: the comment form counts characters instead of
cutting a paste, refuses over-long text with a message, and keeps what was typed when the
comment period closes while they are writing. Each test writes on a document of its own."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_document
from tests.browser.test_document_live_answers import _api, _new_document, _token

pytestmark = pytest.mark.browser

UNSENT = "I was halfway through explaining what happened to my son at the bus stop when"


def test_a_period_closing_while_a_parent_types_keeps_their_text_and_says_so(signed_in, live_server):
    admin_token = _token(live_server, "admin")
    document = _new_document(live_server, admin_token, open_for_comments=False)
    period = _api(live_server, "POST", f"/documents/{document['id']}/periods", admin_token, {
        "opens_at": "2000-01-01T00:00:00Z", "closes_at": "2100-01-01T00:00:00Z"})["period"]
    clause = document["clauses"][0]
    family = signed_in("family")
    open_document(family, document["id"])
    box = family.locator(f"#clause-{clause['id']} details.comment-box")
    box.locator("summary").click()
    body = box.locator("textarea[name=body]")
    body.fill(UNSENT)
    empty_box = family.locator(f"#clause-{document['clauses'][1]['id']} details.comment-box")

    _api(live_server, "POST", f"/periods/{period['id']}/close", admin_token, {})

    expect(family.locator("#period-banner")).to_contain_text("Commenting is closed since")
    expect(body).to_be_visible()
    expect(body).to_have_value(UNSENT)
    expect(body).not_to_be_editable()
    expect(box.locator(".unsent-note")).to_contain_text("Your text was not posted")
    expect(box.locator("button[type=submit]")).to_be_disabled()
    expect(family.locator("#announcer")).to_contain_text("Your unsent text was not posted")
    expect(empty_box).to_be_hidden()  # forms with nothing typed go, as before
    assert family.js_errors == []


def test_a_long_paste_is_counted_not_cut_and_refused_with_a_message(signed_in, live_server):
    document = _new_document(live_server, _token(live_server, "admin"))
    clause = document["clauses"][0]
    family = signed_in("family")
    open_document(family, document["id"])
    box = family.locator(f"#clause-{clause['id']} details.comment-box")
    box.locator("summary").click()
    body = box.locator("textarea[name=body]")
    counter = family.locator("#" + body.get_attribute("data-counter"))
    body.fill("Short start.")
    expect(counter.locator("[data-count-shown]")).to_have_text("12 of 10,000 characters.")
    expect(counter.locator("[data-count-said]")).to_have_text("")  # ordinary typing is not announced
    pasted = "x" * 10_050
    body.fill(pasted)
    assert len(body.input_value()) == 10_050  # nothing cut
    expect(counter.locator("[data-count-shown]")).to_have_text(
        "50 characters over the limit of 10,000: shorten it before sending.")
    expect(counter.locator("[data-count-said]")).to_contain_text("50 characters over the limit")
    expect(body).to_have_attribute("aria-invalid", "true")
    box.locator("button[type=submit]").click()
    expect(box.locator(".form-error")).to_contain_text("the limit is 10,000")
    assert len(body.input_value()) == 10_050
    body.fill("x" * 100)
    expect(counter.locator("[data-count-said]")).to_have_text("Back under the limit.")
    assert family.js_errors == []


def test_a_live_comment_offers_the_readers_actions_from_the_servers_table(signed_in, live_server):
    """Actions on live comments come from the table the page was given (collab/permissions.py),
    and the cloned forms count characters like the rendered ones."""
    admin_token = _token(live_server, "admin")
    document = _new_document(live_server, admin_token)
    admin = signed_in("admin")
    family = signed_in("family")
    open_document(admin, document["id"])
    open_document(family, document["id"])
    comment = _api(live_server, "POST", f"/clauses/{document['clauses'][0]['id']}/comments",
                   _token(live_server, "family"), {"body": "Who reviews the arrests?", "kind": "question"})["comment"]
    on_admin = admin.locator(f"#comment-{comment['id']} .comment-actions")
    on_family = family.locator(f"#comment-{comment['id']} .comment-actions")
    expect(on_admin).to_have_attribute("data-actions", "flag hide resolve cosign")
    expect(on_family).to_have_attribute("data-actions", "")  # their own open comment
    on_admin.locator("details[data-box=resolve] > summary").click()
    rationale = on_admin.locator("textarea[name=rationale]")
    assert rationale.get_attribute("data-counter") == f"rationale-count-k{comment['id']}"
    rationale.fill("Noted.")
    expect(admin.locator(f"#rationale-count-k{comment['id']} [data-count-shown]")).to_have_text(
        "6 of 20,000 characters.")
    assert admin.js_errors == [] and family.js_errors == []
