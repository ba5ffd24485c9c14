"""Campaign pages in a browser against the real server, whose grouping job finds the copies:
at 320 px nothing scrolls sideways, and an administrator confirms and answers a campaign with
the keyboard alone."""
from __future__ import annotations

import time

import pytest
import requests

from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

LETTER = ("As families of this district we ask that officers never take part in school discipline, and that "
          "counselors and restorative practices come before any police contact with a student.")


def _token(live_server, account: str) -> dict:
    token = requests.post(f"{live_server.url}/api/v1/auth/tokens", timeout=10,
                          json={"email": ACCOUNTS[account], "password": DEMO_PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def campaign_id(live_server) -> int:
    document = requests.get(f"{live_server.url}/api/v1/documents/1", timeout=10,
                            headers=_token(live_server, "family")).json()["document"]
    clause_id = document["clauses"][-1]["id"]
    for account, extra in (("family", ""), ("civil-rights", "\n\nOur members have seen this in three schools."),
                           ("student", "")):
        answer = requests.post(f"{live_server.url}/api/v1/clauses/{clause_id}/comments", timeout=10,
                               headers=_token(live_server, account), json={"kind": "concern", "body": LETTER + extra})
        assert answer.status_code == 201, answer.text
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the server's grouping job, woken by the new comments
        campaigns = requests.get(f"{live_server.url}/api/v1/documents/1/campaigns", timeout=10).json()["campaigns"]
        found = [c for c in campaigns if c["count"] >= 3]
        if found:
            return found[0]["id"]
        time.sleep(0.2)
    raise AssertionError("the server never grouped the copies")


def test_campaign_pages_do_not_scroll_sideways_at_320_px(signed_in, campaign_id):
    for account in ("family", "admin"):
        page = signed_in(account, viewport={"width": 320, "height": 720}, is_mobile=True, has_touch=True)
        for path in ("/documents/1/campaigns", f"/campaigns/{campaign_id}", "/documents/1"):
            assert page.goto(path).status == 200
            widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], (account, path, widths)
        assert page.js_errors == []


def test_an_administrator_confirms_and_answers_a_campaign_with_the_keyboard(signed_in, campaign_id):
    page = signed_in("admin")
    page.goto(f"/campaigns/{campaign_id}")
    assert "Our members have seen this in three schools." in page.content()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.includes('Confirm: these comments')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Confirmed by the district" in page.content()
    page.focus("#c-rationale")
    page.keyboard.type("Clause 8 now keeps officers out of discipline.")
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("() => document.activeElement.textContent.includes('Answer all')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Answer recorded for 3 comment(s)." in page.content()
    assert page.js_errors == []
