"""Browser tests: Playwright driving Debian's Chromium against a real server
(python app.py, gevent) on a temporary SQLite database loaded with the demo.

One server and one browser serve the whole run. Each demo account signs in through the
sign-in form once; later pages for it start from the cookies that sign-in left (a new
context each, so nothing else carries over from test to test)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.live_server import DEMO_PASSWORD, ROOT, demo_database, flask_command, start_server

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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
    url, _printed = demo_database(tmp_path_factory.mktemp("browser") / "browser.sqlite3")  # db upgrade, demo
    env = {"DATABASE_URL": url, "SECRET_KEY": "browser-tests-secret",
           "SIGN_IN_RATE_LIMIT": "1000 per minute", "SOCKETIO_MESSAGE_QUEUE": "",
           "MAIL_BACKEND": "console", "MAIL_POLL_SECONDS": "0.2"}  # as in `make demo`
    flask_command(["notifications", "skip-to-now"], env)  # as `make demo` does
    server = start_server(env)
    yield server
    server.stop()
    server.process.stdout.close()


@pytest.fixture(scope="session")
def _signed_in_cookies() -> dict:
    """account -> the storage state (cookies) its sign-in through the form left, per server."""
    return {}


def _signed_in_here(page) -> bool:
    return page.locator("form[action$='/sign-out']").count() == 1


@pytest.fixture
def signed_in(browser, live_server, _signed_in_cookies):
    """signed_in(account, **context_options) -> a page signed in as that demo account, on /documents
    (where the sign-in form leads). The account's first page signs in through the form; later
    ones start with the cookies it left, and sign in through the form again if those no longer do."""
    contexts = []

    def _open(account: str, **options):
        key = (live_server.url, account)
        stored = _signed_in_cookies.get(key)
        context = browser.new_context(base_url=live_server.url, storage_state=stored, **options)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        if stored is not None:
            page.goto("/documents")
            if _signed_in_here(page):
                return page
            context.clear_cookies()
        page.goto("/sign-in")
        page.fill("#email", ACCOUNTS[account])
        page.fill("#password", DEMO_PASSWORD)
        page.click("form button.primary")
        page.wait_for_url("**/documents")
        assert _signed_in_here(page), account
        _signed_in_cookies[key] = {"cookies": context.cookies(), "origins": []}
        return page

    yield _open
    for context in contexts:
        context.close()


def load_axe(context) -> None:
    """axe-core in every page the context opens from now on (sent to the browser once)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci`")
    context.add_init_script(path=str(AXE))


def axe_violations(page, tags: list[str], impacts: tuple[str, ...] | None = None) -> list[str]:
    """What axe-core finds against `tags` on the page as it stands (of these impacts only, if
    given). Only violations are reported in full: passes and inapplicable rules are still run but
    not itemised, which on a page of many comments saves most of axe's time."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci`")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", tags)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if impacts is None or v["impact"] in impacts]


def open_document(page, document_id: int = 1):
    """Open the document page and wait until the live channel has joined (presence shows us)."""
    page.goto(f"/documents/{document_id}")
    page.locator("#presence-list .badge").first.wait_for()


