"""Browser tests: Playwright driving Debian's Chromium against a real server
(python app.py, gevent) on a temporary SQLite database loaded with the demo."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.live_server import flask_command, start_server

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "common-ground-demo"
ACCOUNTS = {
    "admin": "admin@demo.commonground.example",
    "family": "family@demo.commonground.example",
    "civil-rights": "civil-rights@demo.commonground.example",
    "student": "student@demo.commonground.example",
}


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install-chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require_chromium()
    # Debian's build, never Playwright's download; the flags keep it off hosts this network cannot reach.
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    _require_chromium()
    path = tmp_path_factory.mktemp("browser") / "browser.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "browser-tests-secret",
           "SIGN_IN_RATE_LIMIT": "1000 per minute", "SOCKETIO_MESSAGE_QUEUE": "",
           "MAIL_BACKEND": "console", "MAIL_POLL_SECONDS": "0.2"}  # as in `make demo`
    flask_command(["db", "upgrade"], env)
    flask_command(["demo", "--password", DEMO_PASSWORD], env)
    flask_command(["notifications", "skip-to-now"], env)  # as `make demo` does
    server = start_server(env)
    yield server
    server.stop()
    server.process.stdout.close()


@pytest.fixture
def signed_in(browser, live_server):
    """signed_in(account, **context_options) -> a page signed in as that demo account."""
    contexts = []

    def _open(account: str, **options):
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        page.goto("/sign-in")
        page.fill("#email", ACCOUNTS[account])
        page.fill("#password", DEMO_PASSWORD)
        page.click("form button.primary")
        page.wait_for_url("**/documents")
        return page

    yield _open
    for context in contexts:
        context.close()


def open_document(page, document_id: int = 1):
    """Open the document page and wait until the live channel has joined (presence shows us)."""
    page.goto(f"/documents/{document_id}")
    page.locator("#presence-list .badge").first.wait_for()


