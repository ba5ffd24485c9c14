"""Co-signing and intake in the browser: the "Add my name" toggle (aria-pressed, a live count on
other readers' pages), the suggestion to co-sign a near-identical comment while writing, and the
staff intake form (keeps what was typed when refused)."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_document
from tests.browser.test_paged_document import _post

pytestmark = pytest.mark.browser


def test_add_my_name_toggles_and_other_readers_see_the_count_live(signed_in):
    writer, cosigner = signed_in("family"), signed_in("student")
    open_document(writer)
    clause_id = writer.locator("section.clause").nth(2).get_attribute("data-clause-id")
    tag = uuid.uuid4().hex[:6]
    comment_id = _post(writer, clause_id, f"Officers should explain every search to the student ({tag}).")
    open_document(cosigner)
    button = cosigner.locator(f"#comment-{comment_id} .cosign-button")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.focus()
    cosigner.keyboard.press("Enter")  # keyboard works as a click
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(cosigner.locator(f"#cosigners-{comment_id}")).to_contain_text("1 person added their name")
    # The author has no button on their own comment, and sees the count arrive live.
    expect(writer.locator(f"#comment-{comment_id} .cosign-button")).to_have_count(0)
    expect(writer.locator(f"#cosigners-{comment_id}")).to_contain_text("1 person added their name")
    expect(cosigner.locator("#announcer")).to_contain_text("Your name is on this comment.")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(writer.locator(f"#cosigners-{comment_id}")).to_have_text("")
    assert writer.js_errors == [] and cosigner.js_errors == []


def test_the_comment_form_suggests_cosigning_a_near_identical_comment(signed_in):
    writer, second = signed_in("civil-rights"), signed_in("student")
    open_document(writer)
    clause = writer.locator("section.clause").nth(3)
    clause_id = clause.get_attribute("data-clause-id")
    tag = uuid.uuid4().hex[:8]
    text = f"Body cameras must be switched on during every school arrest, code {tag}."
    comment_id = _post(writer, clause_id, text)
    open_document(second)
    second.locator(f"#clause-{clause_id} > details.comment-box > summary").click()
    body = second.locator(f"#body-c{clause_id}")
    body.fill(text.lower().replace(",", ""))
    region = second.locator(f"#clause-{clause_id} .similar-region")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_contain_text("A similar comment already exists — add your name to it instead?")
    expect(region.locator(".similar-body")).to_contain_text(tag)
    region.locator("button.cosign-button").click()
    expect(region.locator("button.cosign-button")).to_have_attribute("aria-pressed", "true")
    expect(region.locator(".similar-status")).to_contain_text("Your name is on this comment.")
    expect(second.locator(f"#cosigners-{comment_id}")).to_contain_text("1 person added their name")
    assert second.js_errors == []


def test_staff_enter_a_phone_comment_and_a_refusal_keeps_what_was_typed(signed_in):
    admin = signed_in("admin")
    admin.goto("/documents/1/intake")
    tag = uuid.uuid4().hex[:6]
    admin.select_option("#source", "phone")
    admin.fill("#body", f"Called in: please publish the complaint numbers each term ({tag}).")
    admin.click("form.intake-form button.primary")  # no name yet
    expect(admin.locator("#intake-error")).to_be_visible()
    expect(admin.locator("#body")).to_have_value(f"Called in: please publish the complaint numbers each term ({tag}).")
    expect(admin.locator("#source")).to_have_value("phone")
    admin.fill("#name", "Dolores Huerta")
    admin.select_option("#group", "community")
    admin.click("form.intake-form button.primary")
    expect(admin.locator(".flash")).to_contain_text("The comment was entered for Dolores Huerta.")
    admin.goto(f"/documents/1/search?q={tag}")
    expect(admin.locator(".comment", has_text=tag)).to_contain_text("Entered by staff from a call")
    assert admin.js_errors == []
