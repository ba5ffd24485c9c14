"""The outbox page in a browser, against a server that shows mail instead of sending it
(MAIL_BACKEND=console, as `make demo` runs): the keyboard alone sends a test mail, the
worker inside the server process takes it, and the page shows it sent with its text."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_keyboard_alone_sends_a_test_mail_that_the_server_shows(signed_in):
    page = signed_in("admin", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto("/admin/outbox")
    page.locator("#test-to").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("district.it@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Send a test mail"
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/outbox#mail-*")
    mail_id = page.url.rsplit("#mail-", 1)[1]
    card = page.locator(f"#mail-{mail_id}")
    for _ in range(50):  # the in-process worker polls every 0.2 s
        page.reload()
        if "Sent" in card.locator("dd").nth(1).inner_text():
            break
        page.wait_for_timeout(200)
    assert "district.it@example.org" in card.inner_text()
    assert card.locator("dd").nth(1).inner_text().startswith("Sent")
    card.locator("summary").focus()
    page.keyboard.press("Enter")
    assert "asked Common Ground to send this test mail" in card.locator("pre.mail-text").inner_text()
    assert "Mail is shown, not sent" in page.content()
