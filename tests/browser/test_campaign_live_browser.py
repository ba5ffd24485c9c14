"""Copies of a form letter arriving while the document page is open: the page ends as the
server draws it after a reload (the copy that adds nothing goes, the representative carries
"Campaign: N comments", a copy with words of its own says it is part of the campaign), and an
edit that takes a copy out of the campaign shows it on its own again."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_document
from tests.browser.test_document_live_answers import _api, _new_document, _token

pytestmark = pytest.mark.browser

LETTER = ("As families of this district we ask that officers never take part in school discipline, and that "
          "counselors and restorative practices come before any police contact with a student.")
OWN = "Our members have seen this in three schools, and the families were never told."


def _notes(page, clause_id: int) -> dict[str, str]:
    return page.evaluate("""(clauseId) => Object.fromEntries([...document.querySelectorAll(
        `#clause-${clauseId} .thread`)].map((t) => [t.id, t.querySelector(':scope > .campaign-note')?.textContent
        .replace(/\\s+/g, ' ').trim() || '']))""", clause_id)


def test_copies_arriving_live_are_drawn_as_the_server_draws_the_campaign(signed_in, live_server):
    document = _new_document(live_server, _token(live_server, "admin"))
    clause = document["clauses"][1]
    reader = signed_in("admin")
    open_document(reader, document["id"])

    posted = {}
    for account, body in (("family", LETTER), ("student", LETTER), ("civil-rights", f"{LETTER}\n\n{OWN}")):
        posted[account] = _api(live_server, "POST", f"/clauses/{clause['id']}/comments", _token(live_server, account),
                               {"body": body, "kind": "concern"})["comment"]["id"]
    representative = reader.locator(f"#thread-{posted['family']} > .campaign-note")
    expect(representative).to_contain_text("Campaign: 3 comments (1 unique)", timeout=20000)
    expect(reader.locator(f"#thread-{posted['student']}")).to_have_count(0)
    expect(reader.locator(f"#thread-{posted['civil-rights']} > .campaign-note")).to_contain_text(
        "Part of a campaign of 3 comments (1 unique)")
    live = _notes(reader, clause["id"])
    open_document(reader, document["id"])  # the server's drawing
    assert _notes(reader, clause["id"]) == live

    # The copy with words of its own is rewritten: it leaves the campaign and stands on its own.
    _api(live_server, "PATCH", f"/comments/{posted['civil-rights']}", _token(live_server, "civil-rights"),
         {"body": "Officers should wear plain clothes inside school buildings so that young children are calm."})
    expect(representative).to_contain_text("Campaign: 2 comments (0 unique)", timeout=20000)
    expect(reader.locator(f"#thread-{posted['civil-rights']} > .campaign-note")).to_have_count(0)
    assert reader.js_errors == []
