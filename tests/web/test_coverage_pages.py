"""The coverage pages: gaps first, the tagging form's suggestions (stored only when saved),
a comment on a missing provision through the form (kept on refusal), the queue and the
printable report, and the admin's "start from the model"."""
from __future__ import annotations

from collab.extensions import db
from collab.models import ClauseCoverage, Comment, Document
from collab.services.coverage import tag_clause_coverage
from tests.conftest import events_of
from tests.web.helpers import page_csrf


def test_the_coverage_page_shows_gaps_first_with_the_tagged_clauses(client, make, sign_in):
    admin = make.admin()
    document = make.document(admin)
    discipline = make.clause_ids(document)[1]
    tag_clause_coverage(admin, discipline, items=[{"id": "S2.1", "strength": "partly"}])
    sign_in(client, make.user())
    page = client.get(f"/documents/{document.id}/coverage").get_data(as_text=True)
    assert page.index('id="standing-gap"') < page.index('id="standing-partly"') < page.index('id="standing-addresses"')
    partly = page[page.index('id="standing-partly"'):page.index('id="standing-addresses"')]
    assert "S2.1" in partly and "Clause 2. Discipline" in partly and "Partly" in partly
    assert "40 not addressed, 1 partly addressed, 0 addressed (of 41)" in page
    assert "Tag the clauses" not in page  # admins only
    assert client.get(f"/documents/{document.id}/coverage?version=9").status_code == 404


def test_the_tagging_form_suggests_and_stores_only_what_is_saved(client, make, sign_in):
    admin = make.admin()
    document = make.document(admin)
    arrests = make.clause_ids(document)[2]
    sign_in(client, admin)
    page = client.get(f"/clauses/{arrests}/coverage").get_data(as_text=True)
    assert "Suggested from the clause's words" in page
    assert 'name="item:S2.2"' in page and "Its words appear in the clause: arrest" in page
    assert db.session.query(ClauseCoverage).count() == 0
    token = page_csrf(client, f"/clauses/{arrests}/coverage")
    answer = client.post(f"/clauses/{arrests}/coverage", data={"csrf_token": token, "item:S2.2": "partly",
                                                               "item:P.arrests": "addresses"})
    assert answer.status_code == 302
    stored = {(t.item_id, t.strength) for t in db.session.query(ClauseCoverage)}
    assert stored == {("S2.2", "partly"), ("P.arrests", "addresses")}
    refused = client.post(f"/clauses/{arrests}/coverage", data={"csrf_token": token, "item:S2.2": "mostly"})
    assert refused.status_code == 400
    assert "strength must be one of addresses, partly, not" in refused.get_data(as_text=True)


def test_a_participant_may_not_tag_through_the_form(client, make, sign_in):
    document = make.document(make.admin())
    clause = make.clause_ids(document)[0]
    sign_in(client, make.user())
    token = page_csrf(client, f"/clauses/{clause}/coverage")
    assert client.post(f"/clauses/{clause}/coverage", data={"csrf_token": token, "item:S1.5": "addresses"}
                       ).status_code == 403
    assert db.session.query(ClauseCoverage).count() == 0


def test_a_missing_provision_is_commented_on_through_the_page_and_reaches_queue_and_report(client, make, sign_in):
    admin = make.admin()
    document = make.document(admin)
    make.open_period(document, admin)
    advocate = make.user(group="civil-rights", name="Cora Advocate")
    sign_in(client, advocate)
    path = f"/documents/{document.id}/coverage"
    token = page_csrf(client, path)
    refused = client.post(f"{path}/S1.3/comments", data={"csrf_token": token, "kind": "concern", "body": " ",
                                                         "suggested_text": "Kept wording."})
    assert refused.status_code == 400 and "Kept wording." in refused.get_data(as_text=True)
    answer = client.post(f"{path}/S1.3/comments", data={"csrf_token": token, "kind": "concern",
                                                        "body": "Say we follow the state's model MOU."})
    assert answer.status_code == 302
    comment = db.session.query(Comment).one()
    assert (comment.clause_id, comment.coverage_item_id) == (None, "S1.3")

    sign_in(client, admin)
    queue = client.get(f"/documents/{document.id}/queue").get_data(as_text=True)
    assert "Missing: S1.3" in queue and "Say we follow the state" in queue
    from collab.services.resolutions import record_resolution

    record_resolution(admin, comment.id, disposition="accepted_with_changes", rationale="Added to clause 1.")
    report = client.get(f"/documents/{document.id}/response").get_data(as_text=True)
    missing = report[report.index("Missing provisions"):]
    assert "S1.3" in missing and "Say we follow the state" in missing and "Added to clause 1." in missing


def test_the_admin_starts_a_draft_from_the_model(client, make, sign_in):
    admin = make.admin()
    sign_in(client, admin)
    assert "Start from the model" in client.get("/admin").get_data(as_text=True)
    answer = client.post("/admin/documents/from-model", data={"csrf_token": page_csrf(client, "/admin"),
                                                              "title": "Riverbend 2028"})
    assert answer.status_code == 302
    document = db.session.query(Document).filter_by(title="Riverbend 2028").one()
    page = client.get(f"/documents/{document.id}/coverage").get_data(as_text=True)
    assert "0 not addressed" in page and "Tag the clauses" in page
    assert len(events_of("clause.coverage_tagged")) == 24


def test_the_demo_tags_its_mou_weak_clauses_partly_and_covers_s1_3(runner):
    result = runner.invoke(args=["demo", "--password", "demo-password-long"])
    assert result.exit_code == 0, result.output
    from collab.models.lookups import get_document
    from collab.reads.coverage import standings_at

    standings = standings_at(get_document(1), 1)
    assert "gap" not in standings.values()
    assert standings["S1.3"] == "addresses"
    assert {k for k, v in standings.items() if v == "partly"} >= {
        "P.discipline", "P.arrests", "P.questioning", "P.force", "P.data", "P.complaints", "P.engagement"}


def test_after_an_edit_the_diff_leads_the_district_to_review_the_clause_tags(client, make, sign_in):
    admin = make.admin()
    document = make.document(admin)
    purpose, discipline, arrests = make.clause_ids(document)
    tag_clause_coverage(admin, arrests, items=[{"id": "S2.2", "strength": "partly"}])
    from collab.services.versions import publish_version

    publish_version(admin, document.id, clauses=[
        {"id": purpose, "number": "1", "heading": "Purpose", "body": "Safety and learning."},
        {"id": discipline, "number": "2", "heading": "Discipline", "body": "No school rules."},
        {"id": arrests, "number": "3", "heading": "Arrests", "body": "Never arrest; use diversion and a warning."}])
    sign_in(client, admin)
    diff = client.get(f"/documents/{document.id}/diff").get_data(as_text=True)
    assert f'href="/clauses/{arrests}/coverage">Review what clause 3 covers' in diff
    form = client.get(f"/clauses/{arrests}/coverage").get_data(as_text=True)
    # The carried tag stands chosen; the new words suggest the arrests provision, not chosen yet.
    assert '<option value="partly" selected>' in form[form.index('name="item:S2.2"'):]
    after = form[form.index('name="item:P.arrests"'):]
    assert '<option value="not" selected>' in after[:after.index("</select>")]


def test_the_coverage_of_a_version_costs_the_same_few_queries_however_many_tags_and_comments(make):
    from collab.reads.coverage import coverage_view
    from tests.api.test_comment_write_cost import statements_issued

    admin = make.admin()
    reader = make.user()
    small, large = make.document(admin, title="Small"), make.document(admin, title="Large")
    for document in (small, large):
        make.open_period(document, admin)
    first_small = make.clause_ids(small)[0]
    tag_clause_coverage(admin, first_small, items=[{"id": "S1.5"}])
    make.comment(make.user(), first_small)
    for index, clause_id in enumerate(make.clause_ids(large)):
        tag_clause_coverage(admin, clause_id, items=[{"id": "S2.1"}, {"id": "S2.2", "strength": "partly"}])
        for _ in range(index + 2):
            make.comment(make.user(), clause_id)
    from collab.services.coverage_comments import comment_on_item

    comment_on_item(reader, large.id, "S1.3", body="Missing.", kind="concern")
    counts = []
    for document in (small, large):
        db.session.expire_all()
        with statements_issued() as statements:
            view = coverage_view(reader, document.id)
        counts.append(len(statements))
    assert view["counts"]["gap"] == 39
    assert counts[0] == counts[1] and counts[1] <= 9, counts
