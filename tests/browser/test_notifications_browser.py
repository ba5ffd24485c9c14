"""Notifications in a browser on a phone-wide screen: following a document by keyboard, a
meeting planned by someone else arriving live in the header (announced politely), and the
notification centre marking it read when opened."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_followed_document_s_new_meeting_arrives_live_and_is_read_in_the_centre(signed_in):
    family = signed_in("family", **PHONE)
    family.goto("/documents/1")
    button = family.locator("form[action$='/follow'] button")
    if button.get_attribute("aria-pressed") == "true":  # the demo may already have them following
        button.focus()
        family.keyboard.press("Enter")
        family.wait_for_load_state()
        button = family.locator("form[action$='/follow'] button")
    button.focus()
    family.keyboard.press("Enter")
    family.wait_for_load_state()
    assert family.locator("form[action$='/follow'] button").get_attribute("aria-pressed") == "true"
    family.goto("/documents")
    family.wait_for_function("window.io !== undefined")
    family.wait_for_timeout(500)  # the socket connects and joins the person's room
    before = int(family.locator("#notifications-link").get_attribute("data-unread"))

    admin = signed_in("admin")
    admin.goto("/documents/1/meetings")
    admin.fill("#meeting-title", "Budget night for families")
    admin.get_by_role("button", name="Plan the meeting").click()
    admin.wait_for_load_state()

    family.wait_for_function(f"Number(document.getElementById('notifications-link').dataset.unread) > {before}",
                             timeout=15000)
    assert "Budget night for families" in family.locator("#notification-announcer").inner_text()
    assert family.locator("#notification-announcer").get_attribute("aria-live") == "polite"
    family.locator("#notifications-link").focus()
    family.keyboard.press("Enter")
    family.wait_for_url("**/notifications")
    assert "Budget night for families" in family.locator("#notification-list").inner_text()
    family.reload()
    assert family.locator("#unread-count").is_hidden()
    assert family.js_errors == []
