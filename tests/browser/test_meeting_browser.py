"""A facilitator, two participants and the projector run a meeting in Chromium against
a real server process (python app.py) on the demo MOU."""
from __future__ import annotations

import re

import pytest

from tests.live_server import DEMO_PASSWORD as PASSWORD
from tests.live_server import demo_database, start_server

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def server(tmp_path):
    env = {"DATABASE_URL": demo_database(tmp_path / "meeting.sqlite3")[0], "SECRET_KEY": "browser-meeting-test",
           "MEETING_SWEEP_SECONDS": "1"}
    live = start_server(env)
    yield live
    live.stop()


@pytest.fixture
def chromium(browser):
    """Debian's Chromium, launched by pytest-playwright with the arguments in tests/browser/conftest.py."""
    return browser


def _signed_in(chromium, server, email, viewport=None):
    context = chromium.new_context(base_url=server.url, viewport=viewport or {"width": 1200, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")  # the header holds the language switcher's buttons
    page.wait_for_load_state()
    return page


def _in_viewport(page, selector) -> bool:
    return page.evaluate("""sel => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.top < window.innerHeight && r.bottom > 0; }""", selector)


def test_a_facilitator_and_two_participants_run_a_meeting(server, chromium):
    from playwright.sync_api import expect

    fay = _signed_in(chromium, server, "facilitator@demo.commonground.example")
    angela = _signed_in(chromium, server, "family@demo.commonground.example")
    jordan = _signed_in(chromium, server, "student@demo.commonground.example", viewport={"width": 390, "height": 800})
    projector = _signed_in(chromium, server, "admin@demo.commonground.example")

    # Plan: three agenda items.
    fay.goto("/documents/1/meetings")
    fay.fill("#meeting-title", "Evening forum on the SRO agreement")
    for clause_id, minutes in ((1, "2"), (5, "3"), (6, "5")):
        fay.check(f"#include-{clause_id}")
        fay.fill(f"#minutes-{clause_id}", minutes)
    fay.click("text=Plan the meeting")
    expect(fay).to_have_url(re.compile(r"/meetings/1/console$"))

    for page, path in ((angela, "/meetings/1"), (jordan, "/meetings/1"), (projector, "/meetings/1/projector")):
        page.goto(path)
        expect(page.locator('[data-bind="connection"]').first if page is not projector
               else page.locator("[data-bind=status]")).not_to_have_text("Connecting…")
    expect(fay.locator("[data-bind=connection]")).to_have_text("Connected")
    expect(angela.locator("[data-bind=connection]")).to_have_text("Connected")

    fay.click("[data-action=start]")
    for page in (fay, angela, jordan, projector):
        expect(page.locator("[data-bind=status]")).to_have_text("live")
    # Everyone on the pages is present (facilitator, two participants, the projector's account).
    expect(fay.locator("[data-bind=present-count]")).to_have_text("4")

    # Focus: every participant's page highlights and scrolls to the clause.
    fay.click('.agenda-item[data-clause-id="6"] [data-action=focus]')
    for page in (angela, jordan):
        expect(page.locator("#clause-6")).to_have_class(re.compile("is-focused"))
        expect(page.locator("#clause-6")).to_have_attribute("aria-current", "true")
    jordan.wait_for_function("() => { const r = document.querySelector('#clause-6').getBoundingClientRect();"
                             " return r.top >= -2 && r.top < 200; }")
    expect(projector.locator('.projected[data-clause-id="6"]')).to_be_visible()

    # Browsing freely: Angela's page highlights the new focus but stays where she is.
    angela.check("#browse-freely")
    angela.locator("#clause-1").scroll_into_view_if_needed()
    fay.click('.agenda-item[data-clause-id="5"] [data-action=focus]')
    expect(angela.locator("#clause-5")).to_have_class(re.compile("is-focused"))
    jordan.wait_for_function("() => { const r = document.querySelector('#clause-5').getBoundingClientRect();"
                             " return r.top >= -2 && r.top < 200; }")
    assert _in_viewport(angela, "#clause-1")
    expect(projector.locator('.projected[data-clause-id="5"]')).to_be_visible()
    expect(projector.locator('.projected[data-clause-id="6"]')).to_be_hidden()

    # Speaker queue, live for everyone.
    angela.click("#hand-button")
    expect(angela.locator("#hand-button")).to_have_text("Lower hand")
    jordan.click("#hand-button")
    for page in (fay, angela, jordan, projector):
        expect(page.locator("[data-bind=queue] li")).to_have_count(2)
        expect(page.locator("[data-bind=queue] li").first).to_contain_text("Angela Whitfield")
    fay.click("[data-action=next]")
    for page in (fay, angela, jordan, projector):
        expect(page.locator("[data-bind=speaker]")).to_have_text("Angela Whitfield")
        # Jordan is a student: moderators (the facilitator, the admin's projector) see his name,
        # everyone else only his group, as students show by default.
        shown = "Jordan Okafor" if page in (fay, projector) else "A participant"
        expect(page.locator("[data-bind=queue] li").first).to_contain_text(shown)
    expect(angela.locator("#hand-button")).to_have_text("Done speaking")

    # A silent round: Angela's comment stays unseen by Jordan and the projector until the reveal.
    fay.click("[data-action=silent-start]")
    expect(jordan.locator("[data-bind=silent]")).to_be_visible()
    angela.select_option("#comment-clause", "5")
    angela.fill("#comment-body", "Questioning should wait for a parent in every case.")
    angela.click("text=Send comment")
    expect(angela.locator("[data-bind=comment-status]")).to_contain_text("hidden from others")
    jordan.fill("#comment-body", "Students need to know their rights before any questioning.")
    jordan.click("text=Send comment")
    expect(fay.locator("[data-bind=silent]")).to_contain_text("2 comments collected")
    expect(jordan.locator("#clause-5")).not_to_contain_text("wait for a parent")
    expect(projector.locator('.projected[data-clause-id="5"]')).not_to_contain_text("wait for a parent")
    fay.click("[data-action=silent-reveal]")
    for page in (jordan, projector, angela):
        expect(page.locator("#clause-5, .projected[data-clause-id='5']").first).to_contain_text("wait for a parent")
        expect(page.locator("#clause-5, .projected[data-clause-id='5']").first).to_contain_text("know their rights")

    # Attendance by hand for someone in the room without a device.
    fay.fill("#attendee-name", "Rosa Delgado")
    fay.select_option("#attendee-group", "families")
    fay.click("text=Add to attendance")
    expect(fay.locator("[data-bind=attendance]")).to_contain_text("Rosa Delgado")
    expect(angela.locator("[data-bind=present]")).to_contain_text("Rosa Delgado")

    fay.once("dialog", lambda dialog: dialog.accept())
    fay.click("[data-action=end]")
    for page in (fay, angela, jordan, projector):
        expect(page.locator("[data-bind=status]")).to_have_text("ended")

    fay.click("[data-bind=minutes-link]")
    minutes = fay.locator("article.minutes")
    for text in ("Angela Whitfield", "Jordan Okafor", "Rosa Delgado", "Diego Fernandez", "Helen Park",
                 "wait for a parent", "know their rights", "Comments made (2)", "checkpoint"):
        expect(minutes).to_contain_text(text)
    expect(minutes.locator("h3", has_text="Families (2)")).to_be_visible()
