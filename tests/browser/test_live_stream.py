"""The browser client's event ordering (static/js/live.js) and the live period banner."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_document

pytestmark = pytest.mark.browser

ORDERING = """async () => {
  const { EventStream } = await import("/static/js/live.js");
  const applied = [], asked = [];
  const stream = new EventStream({ since: 10, gapWaitMs: 50,
    apply: (event) => applied.push(event.seq), requestCatchUp: (since) => asked.push(since) });
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  stream.receive({ seq: 9 });            // seen before the page was drawn
  stream.receive({ seq: 11 });
  stream.receive({ seq: 13 });           // arrives before 12
  stream.receive({ seq: 12 });
  stream.receive({ seq: 12 });           // a duplicate
  stream.receive({ seq: 16 });           // 14 and 15 are missing
  await wait(120);
  const askedAfterGap = [...asked];
  stream.caughtUp([{ seq: 14 }, { seq: 16 }], 18);   // 15 belonged to another document
  stream.receive({ seq: 16 });
  stream.receive({ seq: 19 });
  return { applied, askedAfterGap, last: stream.last };
}"""


def test_events_apply_once_in_seq_order_and_gaps_are_filled_by_join_since(signed_in):
    page = signed_in("family")
    open_document(page)
    result = page.evaluate(ORDERING)
    assert result == {"applied": [11, 12, 13, 14, 16, 19], "askedAfterGap": [13], "last": 19}


def test_closing_and_opening_a_period_updates_the_banner_live(signed_in):
    reader = signed_in("family")
    admin = signed_in("admin")
    open_document(reader)
    expect(reader.locator("#period-banner")).to_contain_text("Commenting is open until")
    admin.goto("/admin")
    demo = admin.locator("#document-1")  # other tests add documents, listed first
    demo.get_by_role("button", name="Close now").first.click()
    admin.get_by_role("button", name="Close it now").click()  # closing asks first
    expect(admin.locator(".flash")).to_contain_text("Comment period closed.")
    expect(reader.locator("#period-banner")).to_contain_text("Commenting is closed since")
    expect(reader.locator("details.comment-box").first).to_be_hidden()
    # Open a new one (now, for a week) so that the demo stays open for the other tests.
    closes = (datetime.now(timezone.utc) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    admin.locator("#closes-1").fill(closes)
    demo.get_by_role("button", name="Open period").first.click()
    expect(admin.locator(".flash")).to_contain_text("Comment period saved.")
    expect(reader.locator("#period-banner")).to_contain_text("Commenting is open until")
    expect(reader.locator("details.comment-box").first).to_be_visible()
