"""While a summary is typed, its word count and readability appear under the box (debounced);
the keyboard alone reaches the box and saves it; the equity chart draws one bar per group."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_score_follows_the_typing_and_the_keyboard_saves_the_summary(signed_in):
    page = signed_in("admin")
    page.goto("/documents/1/versions/1/summaries")
    box = page.locator("textarea[name=text]").first
    box.focus()
    page.keyboard.type("Police officers do not punish students for school rules. Teachers do.")
    score = page.locator("[data-score]").first
    expect(score).to_contain_text("11 of 150 words", timeout=5000)
    expect(score).to_contain_text("Reading ease")
    page.keyboard.type(" word" * 140)
    expect(score).to_contain_text("over the limit", timeout=5000)
    expect(box).to_have_attribute("aria-invalid", "true")
    box.fill("Police officers do not punish students for school rules. Teachers do.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "Score it" to "Save summary"
    page.keyboard.press("Enter")
    expect(page.locator(".flash-info")).to_contain_text("The summary was saved.")
    page.goto("/documents/1")
    expect(page.locator(".plain-summary").first).to_contain_text("Teachers do.")
    assert page.js_errors == []


def test_the_equity_chart_draws_a_bar_per_commenting_group(signed_in):
    page = signed_in("family")
    page.goto("/documents/1/equity")
    chart = page.locator("svg[role=img]")
    expect(chart).to_be_visible()
    rows = page.locator("#equity-groups tbody tr")
    commenting = sum(1 for i in range(rows.count()) if rows.nth(i).locator("td").first.inner_text() != "0")
    assert commenting > 0
    assert chart.locator("rect.chart-track").count() == commenting
