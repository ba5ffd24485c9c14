"""Coverage over the API: tags by admins only, carried onto new versions and shown on the
diff; suggestions that store nothing; comments on a missing provision answered and reported;
bad input refused with the error shape and nothing stored."""
from __future__ import annotations

import csv
import io

from collab.extensions import db
from collab.models import ClauseCoverage
from tests.api.helpers import assert_error, stored_rows
from tests.conftest import any_database, events_of


def _coverage(api, user, document_id, version=None):
    query = f"?version={version}" if version else ""
    answer = api.get(f"/documents/{document_id}/coverage{query}", user)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return {item["id"]: item for item in answer.get_json()["items"]}


@any_database
def test_tags_carry_forward_across_versions_and_the_diff_says_what_is_newly_covered_or_dropped(api, make, admin,
                                                                                            participant):
    document = make.document(admin)
    purpose, discipline, arrests = make.clause_ids(document)
    answer = api.call("PUT", f"/clauses/{discipline}/coverage", admin,
                      json={"items": [{"id": "S2.1", "strength": "addresses"}, {"id": "P.discipline",
                                                                                 "strength": "partly"}]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["items"] == [{"id": "S2.1", "strength": "addresses"},
                                          {"id": "P.discipline", "strength": "partly"}]
    [event] = events_of("clause.coverage_tagged")
    assert event.document_id == document.id and '"S2.1"' in event.data
    assert api.call("PUT", f"/clauses/{purpose}/coverage", admin,
                    json={"items": [{"id": "S1.5"}]}).status_code == 200

    items = _coverage(api, participant, document.id)
    assert items["S2.1"]["standing"] == "addresses"
    assert items["S2.1"]["clauses"][0] == {"clause_id": discipline, "number": "2", "heading": "Discipline",
                                           "strength": "addresses"}
    assert items["P.discipline"]["standing"] == "partly"
    assert items["S1.3"]["standing"] == "gap" and items["S1.3"]["clauses"] == []

    # v2: the discipline clause changes, the purpose clause is removed, a new clause is added.
    answer = api.post(f"/documents/{document.id}/versions", admin, json={"note": "v2", "clauses": [
        {"id": discipline, "number": "2", "heading": "Discipline", "body": "Officers never enforce school rules."},
        {"id": arrests, "number": "3", "heading": "Arrests", "body": "Arrest is a last resort after diversion."},
        {"number": "4", "heading": "State model", "body": "This MOU follows the state's model MOU."},
    ]})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    items = _coverage(api, participant, document.id)
    assert items["S2.1"]["clauses"][0]["clause_id"] == discipline  # carried with the changed clause
    assert items["P.discipline"]["standing"] == "partly"
    assert items["S1.5"]["standing"] == "gap"  # its clause was removed
    assert _coverage(api, participant, document.id, version=1)["S1.5"]["standing"] == "addresses"

    # The district revises the carried tags of v2; v1 keeps its own.
    new_clause = make.clause_ids(document)[2]
    api.call("PUT", f"/clauses/{discipline}/coverage", admin, json={"items": [
        {"id": "S2.1", "strength": "addresses"}, {"id": "P.discipline", "strength": "addresses"}]})
    api.call("PUT", f"/clauses/{new_clause}/coverage", admin, json={"items": [{"id": "S1.3"}]})
    assert _coverage(api, participant, document.id, version=1)["P.discipline"]["standing"] == "partly"

    diff = api.get(f"/documents/{document.id}/diff?from=1&to=2", participant).get_json()
    changes = {c["id"]: c["change"] for c in diff["coverage"]}
    assert changes == {"S1.3": "covered", "S1.5": "dropped", "P.discipline": "stronger"}



def test_the_diff_page_names_the_items_newly_covered_and_dropped(client, make, sign_in):
    admin = make.admin()
    document = make.document(admin)
    purpose, discipline, arrests = make.clause_ids(document)
    from collab.services.coverage import tag_clause_coverage
    from collab.services.versions import publish_version

    tag_clause_coverage(admin, purpose, items=[{"id": "S1.5", "strength": "addresses"}])
    publish_version(admin, document.id, clauses=[
        {"id": discipline, "number": "2", "heading": "Discipline", "body": "No school rules."},
        {"number": "3", "heading": "Model", "body": "Follows the state's model MOU."}])
    tag_clause_coverage(admin, make.clause_ids(document)[1], items=[{"id": "S1.3", "strength": "addresses"}])
    sign_in(client, make.user())
    page = client.get(f"/documents/{document.id}/diff?from=1&to=2").get_data(as_text=True)
    assert "Newly covers</strong> <span class=\"badge\">S1.3</span>" in page
    assert "No longer covers</strong> <span class=\"badge\">S1.5</span>" in page


def test_suggestions_appear_and_nothing_is_stored_until_the_district_confirms(api, make, admin):
    document = make.document(admin)
    arrests = make.clause_ids(document)[2]
    before = stored_rows()
    answer = api.get(f"/clauses/{arrests}/coverage", admin)
    assert answer.status_code == 200
    suggested = [s["id"] for s in answer.get_json()["suggestions"]]
    assert suggested[:2] == ["S2.2", "P.arrests"]
    assert answer.get_json()["items"] == []
    assert stored_rows() == before  # a suggestion is never a tag
    confirmed = api.call("PUT", f"/clauses/{arrests}/coverage", admin,
                         json={"items": [{"id": "S2.2", "strength": "partly"}]}).get_json()
    assert confirmed["items"] == [{"id": "S2.2", "strength": "partly"}]
    assert "S2.2" not in [s["id"] for s in confirmed["suggestions"]]
    assert db.session.query(ClauseCoverage).count() == 1


def test_only_admins_tag_and_a_refusal_stores_nothing(api, make, admin, participant):
    document = make.document(admin)
    clause = make.clause_ids(document)[0]
    facilitator = api.user(role="facilitator", group="community")
    before = stored_rows()
    for user in (participant, facilitator):
        assert_error(api.call("PUT", f"/clauses/{clause}/coverage", user, json={"items": [{"id": "S1.5"}]}),
                     403, "forbidden")
    assert_error(api.call("PUT", f"/clauses/{clause}/coverage", None, json={"items": []}), 401)
    assert stored_rows() == before


def test_bad_tags_are_400_with_the_error_shape_and_nothing_is_stored(api, make, admin):
    document = make.document(admin)
    clause = make.clause_ids(document)[0]
    before = stored_rows()
    cases = [
        ({"items": [{"id": "S9.9", "strength": "addresses"}]}, "unknown_item"),
        ({"items": [{"id": "S1.5", "strength": "mostly"}]}, "invalid_strength"),
        ({"items": [{"id": "S1.5"}, {"id": "S1.5", "strength": "partly"}]}, "duplicate_item"),
        ({"items": "S1.5"}, "invalid_items"),
        ({}, "invalid_items"),
    ]
    for body, code in cases:
        assert_error(api.call("PUT", f"/clauses/{clause}/coverage", admin, json=body), 400, code)
    assert_error(api.call("PUT", "/clauses/999/coverage", admin, json={"items": []}), 404)
    assert_error(api.get(f"/documents/{document.id}/coverage?version=x", admin), 400)
    assert_error(api.get(f"/documents/{document.id}/coverage?version=7", admin), 404)
    assert stored_rows() == before


@any_database
def test_a_comment_on_a_missing_provision_is_answered_and_reported(api, make, admin, participant):
    document = make.document(admin)
    make.open_period(document, admin)
    observer = api.user(role="observer", group="community")
    assert_error(api.post(f"/documents/{document.id}/coverage/S1.3/comments", observer,
                          json={"body": "Missing.", "kind": "concern"}), 403)
    assert_error(api.post(f"/documents/{document.id}/coverage/S9.9/comments", participant,
                          json={"body": "Missing.", "kind": "concern"}), 404, "unknown_item")
    assert_error(api.post(f"/documents/{document.id}/coverage/S1.3/comments", participant,
                          json={"body": " ", "kind": "concern"}), 400)
    answer = api.post(f"/documents/{document.id}/coverage/S1.3/comments", participant,
                      json={"body": "Nothing says we follow the state's model MOU.", "kind": "concern",
                            "suggested_text": "This MOU follows the state's model MOU."},
                      headers={"Idempotency-Key": "k-1"})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    comment = answer.get_json()["comment"]
    assert comment["clause_id"] is None and comment["coverage_item_id"] == "S1.3"
    again = api.post(f"/documents/{document.id}/coverage/S1.3/comments", participant,
                     json={"body": "Nothing says we follow the state's model MOU.", "kind": "concern",
                           "suggested_text": "This MOU follows the state's model MOU."},
                     headers={"Idempotency-Key": "k-1"})
    assert again.get_json()["comment"]["id"] == comment["id"] and again.headers["Idempotent-Replayed"] == "true"
    [event] = [e for e in events_of("comment.created")]
    assert '"coverage_item_id":"S1.3"' in event.data

    items = _coverage(api, participant, document.id)
    assert [c["id"] for c in items["S1.3"]["open_comments"]] == [comment["id"]]
    listed = api.get(f"/documents/{document.id}/comments", participant).get_json()["comments"]
    assert [c["id"] for c in listed] == [comment["id"]]

    answered = api.post(f"/comments/{comment['id']}/resolution", admin,
                        json={"disposition": "accepted", "rationale": "Clause 4 now says so."})
    assert answered.status_code == 201, answered.get_data(as_text=True)
    items = _coverage(api, participant, document.id)
    assert items["S1.3"]["open_comments"] == []
    assert items["S1.3"]["item_comments"][0]["resolution"]["disposition"] == "accepted"

    report = api.get(f"/documents/{document.id}/report.json", participant).get_json()
    [section] = report["missing_provisions"]
    assert section["item"]["id"] == "S1.3"
    [row] = section["answers"][0]["comments"]
    assert (row["comment_id"], row["coverage_item"], row["disposition"]) == (comment["id"], "S1.3", "accepted")
    assert row["clause_heading"].startswith("Missing provision S1.3")
    assert [r["comment_id"] for r in report["rows"]] == [comment["id"]]
    rows = list(csv.DictReader(io.StringIO(api.get(f"/documents/{document.id}/report.csv",
                                                   participant).get_data(as_text=True))))
    assert rows[0]["coverage_item"] == "S1.3" and rows[0]["disposition"] == "accepted"


def test_a_reply_stays_on_its_threads_item(api, make, admin, participant):
    document = make.document(admin)
    make.open_period(document, admin)
    root = api.post(f"/documents/{document.id}/coverage/S1.3/comments", participant,
                    json={"body": "Missing.", "kind": "concern"}).get_json()["comment"]
    reply = api.post(f"/documents/{document.id}/coverage/S1.3/comments", admin,
                     json={"body": "We will add it.", "kind": "question", "parent_id": root["id"]})
    assert reply.status_code == 201 and reply.get_json()["comment"]["parent_id"] == root["id"]
    assert_error(api.post(f"/documents/{document.id}/coverage/S1.2/comments", admin,
                          json={"body": "Elsewhere.", "kind": "question", "parent_id": root["id"]}),
                 400, "wrong_item")
    clause = make.clause_ids(document)[0]
    assert_error(api.post(f"/clauses/{clause}/comments", admin,
                          json={"body": "On a clause.", "kind": "question", "parent_id": root["id"]}),
                 400, "wrong_clause")


def test_commenting_on_a_missing_provision_needs_an_open_period(api, make, admin, participant):
    document = make.document(admin)
    assert_error(api.post(f"/documents/{document.id}/coverage/S1.3/comments", participant,
                          json={"body": "Missing.", "kind": "concern"}), 409, "commenting_closed")


def test_a_new_draft_starts_from_the_model_already_tagged(api, admin, participant):
    assert_error(api.post("/drafts/from-model", participant, json={}), 403)
    answer = api.post("/drafts/from-model", admin, json={"title": "Our new MOU"})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    document = answer.get_json()["document"]
    assert document["title"] == "Our new MOU" and len(document["clauses"]) == 25
    items = _coverage(api, participant, document["id"])
    assert all(item["standing"] != "gap" for item in items.values())
    assert items["S1.3"]["standing"] == "addresses"
    for weak in ("P.discipline", "P.questioning", "P.force", "P.data", "P.complaints", "P.engagement"):
        assert items[weak]["standing"] == "partly", weak
    assert len(events_of("clause.coverage_tagged")) == 24
