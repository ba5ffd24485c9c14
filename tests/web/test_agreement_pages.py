"""The equity page (chart, table, rule, CSV), the report's equity section, summaries beside the
legal text, and adoption and review pages; refused forms keep what was typed."""
from __future__ import annotations

import csv
import io
import re

from flask import g

from collab.services.agreements import adopt_version, record_signature, write_clause_summary
from collab.services.resolutions import record_resolution
from collab.timeutil import utcnow
from tests.conftest import events_of
from tests.equity_data import build

PLAIN = "Officers stay out of school discipline. Teachers handle it."


def test_the_equity_page_shows_the_chart_the_figures_and_the_rule(make, client, sign_in):
    document, _admin, data = build(make)
    sign_in(client, data["family"])
    page = client.get(f"/documents/{document.id}/equity")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg and "<title id=\"equity-chart-title\">" in svg and "<desc" in svg
    assert "Robin" not in html  # figures by group, never by person
    row = re.search(r"<th scope=\"row\">Civil-rights groups</th>(.*?)</tr>", html, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert [c.strip() for c in cells[:9]] == ["8", "7", "1", "0", "4", "1", "1", "1", "1"]
    assert "14%" in cells[9] and "55.0" in cells[10]
    assert "Share accepted markedly lower" in cells[11] and "more slowly" in cells[11]
    police = re.search(r"<th scope=\"row\">Law enforcement[^<]*</th>(.*?)</tr>", html, re.S).group(1)
    assert "Too few to compare" in police
    assert "two-proportion z-test" in html and "at least 5 answered comments" in html
    assert "Clause 3" in html


def test_the_equity_csv_page_and_the_report_section(make, client, sign_in):
    document, admin, data = build(make)
    write_clause_summary(admin, document.id, data["clauses"][0], text=PLAIN)
    sign_in(client, data["family"])
    answer = client.get(f"/documents/{document.id}/equity.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    families = next(r for r in rows if r["scope"] == "document" and r["group"] == "families")
    assert (families["accepted"], families["accepted_share"], families["flag"]) == (
        "6", "0.875", "accepted_share_higher faster_answers")
    report = client.get(f"/documents/{document.id}/response").get_data(as_text=True)
    assert "Equity by group" in report and "Too few to compare" in report
    assert "In plain words:</strong> " + PLAIN in report
    original = client.get(f"/api/v1/documents/{document.id}/report.csv").get_data(as_text=True)
    assert original.splitlines()[0].startswith("clause_number,clause_heading,comment_id")  # unchanged


def test_a_summary_stands_beside_the_legal_text(make, client, sign_in):
    document = make.document()
    admin = make.admin()
    clause_id = make.clause_ids(document)[1]
    write_clause_summary(admin, document.id, clause_id, text=PLAIN)
    sign_in(client, make.user())
    html = client.get(f"/documents/{document.id}").get_data(as_text=True)
    section = html[html.index(f'id="clause-{clause_id}"'):]
    assert section.index("clause-body") < section.index("In plain words") < section.index(PLAIN)


def test_the_summary_page_scores_keeps_refused_text_and_saves(make, client, sign_in, csrf_token):
    document = make.document()
    admin = make.admin()
    clause_id = make.clause_ids(document)[0]
    sign_in(client, admin)
    path = f"/documents/{document.id}/versions/1/clauses/{clause_id}/summary"
    preview = client.post(path, data={"csrf_token": csrf_token(), "text": PLAIN, "action": "preview"})
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "9 of 150 words" in html and "Reading ease" in html and PLAIN in html
    assert events_of("summary.written") == []
    long_text = "plain " * 151
    refused = client.post(path, data={"csrf_token": csrf_token(), "text": long_text, "action": "save"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "at most 150 words; this one has 151" in html and long_text.strip() in html
    saved = client.post(path, data={"csrf_token": csrf_token(), "text": PLAIN, "action": "save"})
    assert saved.status_code == 302 and len(events_of("summary.written")) == 1
    sign_in(client, make.user())
    assert client.get(f"/documents/{document.id}/versions/1/summaries").status_code == 403


def test_adoption_by_form_banner_badge_and_export(make, client, sign_in, csrf_token):
    document = make.document()
    admin = make.admin()
    sign_in(client, admin)
    today = utcnow().date().isoformat()
    adopted = client.post(f"/documents/{document.id}/adoption",
                          data={"csrf_token": csrf_token(), "version": "1", "adopted_on": today, "next_review_on": ""})
    assert adopted.status_code == 302
    adoption_id = events_of("version.adopted")[0].data.split('"adoption_id":')[1].split(",")[0]
    refused = client.post(f"/documents/{document.id}/adoption/{adoption_id}/signatures", data={
        "csrf_token": csrf_token(), "party": "", "name": "Dana Chief", "title": "Superintendent", "signed_on": today})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "party is required" in html and 'value="Dana Chief"' in html and 'value="Superintendent"' in html
    bad_date = client.post(f"/documents/{document.id}/adoption/{adoption_id}/signatures", data={
        "csrf_token": csrf_token(), "party": "district", "name": "Dana Chief", "title": "Superintendent",
        "signed_on": "yesterday"})
    assert bad_date.status_code == 400 and "must be a date like" in bad_date.get_data(as_text=True)
    signed = client.post(f"/documents/{document.id}/adoption/{adoption_id}/signatures", data={
        "csrf_token": csrf_token(), "party": "district", "name": "Dana Chief", "title": "Superintendent",
        "signed_on": today})
    assert signed.status_code == 302
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Version 1 is the adopted agreement" in page and "Dana Chief (Superintendent, School district)" in page
    versions = client.get(f"/documents/{document.id}/versions").get_data(as_text=True)
    assert f"adopted {today}" in versions
    markdown = client.get(f"/api/v1/documents/{document.id}/versions/1/export.md").get_data(as_text=True)
    assert f"Adopted on {today}, signed by Dana Chief, Superintendent (School district), {today}." in markdown
    docx = client.get(f"/api/v1/documents/{document.id}/versions/1/export.docx")
    import docx as python_docx

    paragraphs = [p.text for p in python_docx.Document(io.BytesIO(docx.data)).paragraphs]
    assert any(p.startswith(f"Adopted on {today}, signed by Dana Chief") for p in paragraphs)


def test_starting_the_review_lists_the_carried_concerns_on_the_new_draft(make, client, sign_in, csrf_token):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_id = make.clause_ids(document)[2]
    deferred = make.comment(make.user(group="civil-rights"), clause_id, body="Publish arrest data by race.")
    record_resolution(admin, deferred.id, disposition="deferred", rationale="Next cycle.")
    adopt_version(admin, document.id)
    sign_in(client, make.user())
    assert client.post(f"/documents/{document.id}/review", data={"csrf_token": csrf_token()}).status_code == 403
    sign_in(client, admin)
    g.pop("csrf_token", None)  # the token of the previous session is cached on the shared g
    started = client.post(f"/documents/{document.id}/review", data={"csrf_token": csrf_token()})
    assert started.status_code == 302, started.get_data(as_text=True)[-3000:]
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    carried = page[page.index('id="carried-concerns"'):]
    assert f'href="/comments/{deferred.id}"' in carried and "deferred" in carried
    assert "Publish arrest data by race." in carried


def test_adoption_page_reads_for_everyone_and_signing_is_for_admins(make, client, sign_in, csrf_token):
    document = make.document()
    admin = make.admin()
    adoption = adopt_version(admin, document.id)
    record_signature(admin, adoption.id, party="other", party_name="County Juvenile Court", name="Jo Judge",
                     title="Presiding judge", signed_on=utcnow().date().isoformat())
    sign_in(client, make.user())
    page = client.get(f"/documents/{document.id}/adoption").get_data(as_text=True)
    assert "County Juvenile Court" in page and "Record a signature" not in page
    refused = client.post(f"/documents/{document.id}/adoption/{adoption.id}/signatures", data={
        "csrf_token": csrf_token(), "party": "district", "name": "X", "title": "Y",
        "signed_on": utcnow().date().isoformat()})
    assert refused.status_code == 403 and "Only administrators record signatures." in refused.get_data(as_text=True)
