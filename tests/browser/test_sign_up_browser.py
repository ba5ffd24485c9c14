"""A parent on a phone: signs up without a password, follows the link in the mail that a real
SMTP server (aiosmtpd) received, and comments. The server is `python app.py` with the demo
loaded (families open to sign-up) and its mail worker running in-process."""
from __future__ import annotations

import re

import pytest

from tests.live_server import demo_database, start_server

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^/\s]+/([a-z/-]+\?token=[A-Za-z0-9_-]+)")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def mailing_server(tmp_path, smtp_server):
    env = {"DATABASE_URL": demo_database(tmp_path / "signup.sqlite3")[0], "SECRET_KEY": "sign-up-browser-secret",
           "SOCKETIO_MESSAGE_QUEUE": "", "MAIL_BACKEND": "smtp", "MAIL_SERVER": smtp_server.host,
           "MAIL_PORT": str(smtp_server.port), "MAIL_POLL_SECONDS": "0.2"}
    server = start_server(env)
    yield server
    server.stop()


def test_a_parent_signs_up_on_a_phone_follows_the_mailed_link_and_comments(browser, mailing_server, smtp_server):
    context = browser.new_context(base_url=mailing_server.url, **PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/sign-in")
    page.get_by_role("link", name="Create an account").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.fill("#email", "not an address")
    page.fill("#name", "Rosa Parent")
    page.select_option("#group", "families")
    page.click("button.primary")
    assert page.locator("#email-error").inner_text() == "email is not a valid e-mail address."
    assert page.input_value("#name") == "Rosa Parent"  # what she typed is kept
    page.fill("#email", "rosa.parent@example.org")
    page.locator("#email").press("Enter")  # the keyboard sends the form
    page.get_by_role("heading", name="Check your mail").wait_for()

    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "rosa.parent@example.org"
    path = LINK.search(message.get_body(("plain",)).get_content()).group(1)
    assert path.startswith("verify-email?token=")
    page.goto("/" + path)
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url("**/documents")
    assert "Your e-mail address is confirmed." in page.content()

    page.goto("/documents/1")
    box = page.locator("details.comment-box").first
    box.locator("summary").click()
    box.locator("textarea[name=body]").fill("Please tell parents before an officer talks to a child.")
    box.locator("button.primary").click()
    page.get_by_text("Please tell parents before an officer talks to a child.").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()


@pytest.mark.parametrize("path", ["/sign-in", "/sign-up", "/forgot-password", "/verify-email?token=x",
                                  "/reset-password?token=x", "/accept-invitation?token=x"])
def test_the_anonymous_account_pages_pass_axe_and_fit_a_phone(browser, live_server, path):
    from tests.browser.test_accessibility import _serious_violations

    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **PHONE)
    try:
        page = context.new_page()
        page.goto(path)
        assert _serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    finally:
        context.close()


def test_the_signed_in_account_pages_pass_axe_and_fit_a_phone(signed_in):
    from tests.browser.test_accessibility import _serious_violations

    page = signed_in("admin", bypass_csp=True, **PHONE)
    for path in ["/account", "/admin/accounts", "/admin/invitations"]:
        page.goto(path)
        assert _serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_the_keyboard_alone_asks_for_a_sign_in_link(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.locator("#link-email").focus()
        page.keyboard.type("family@demo.commonground.example")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Mail me a sign-in link"
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Check your mail").wait_for()
    finally:
        context.close()
