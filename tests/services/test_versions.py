import pytest

from collab.errors import Conflict, Forbidden, Invalid, NotFound
from collab.events import text_digest
from collab.extensions import db
from collab.models import Comment, Version
from collab.reads.documents import document_view
from collab.serializers import comment_to_dict
from collab.services.versions import (diff_versions, publish_version, review_carried_comment,
                                      take_suggestion)
from tests.conftest import any_database, events_of


def current_clauses(document):
    return [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]


def revise(clauses, index, **changes):
    return [dict(c, **changes) if i == index else dict(c) for i, c in enumerate(clauses)]


@any_database
def test_a_revised_clause_keeps_its_id_while_its_text_changes(make):
    document = make.document()
    admin = make.admin()
    clauses = current_clauses(document)
    new_body = "Arrest is a last resort, only after diversion has been tried."
    publish_version(admin, document.id, clauses=revise(clauses, 2, body=new_body), note="Stronger wording")
    view = document_view(document.id)
    assert view["version"] == 2
    assert [c["id"] for c in view["clauses"]] == [c["id"] for c in clauses]
    assert view["clauses"][2]["body"] == new_body
    assert document_view(document.id, version=1)["clauses"][2]["body"] == clauses[2]["body"]


@any_database
def test_publishing_adds_removes_and_reorders_clauses(make):
    document = make.document()
    admin = make.admin()
    one, two, three = current_clauses(document)
    new = {"number": "4", "heading": "Data", "body": "Arrests are reported by race, disability and sex."}
    publish_version(admin, document.id, clauses=[dict(three, number="1"), dict(one, number="2"), new])
    view = document_view(document.id)
    assert [c["heading"] for c in view["clauses"]] == ["Arrests", "Purpose", "Data"]
    assert view["clauses"][0]["id"] == three["id"] and view["clauses"][1]["id"] == one["id"]
    assert view["clauses"][2]["id"] not in {one["id"], two["id"], three["id"]}


@any_database
def test_publishing_records_the_event_and_a_checkpoint(make):
    from collab.models import Checkpoint

    document = make.document()
    admin = make.admin()
    clauses = current_clauses(document)
    publish_version(admin, document.id, clauses=revise(clauses, 0, heading="Purpose and goals"), note="Goals")
    [event] = events_of("version.published")
    assert '"version":2' in event.data and '"changed":[%d]' % clauses[0]["id"] in event.data
    assert text_digest("Goals") in event.data and "Goals\"" not in event.data
    checkpoint = db.session.query(Checkpoint).filter_by(reason="version.published").one()
    assert checkpoint.seq == event.seq


@any_database
@pytest.mark.parametrize("change, code", [
    (lambda c: c, "no_changes"),
    (lambda c: [], "invalid_clauses"),
    (lambda c: c + [dict(c[0], number="9")], "duplicate_clause_id"),
    (lambda c: revise(c, 0, id=99999), "unknown_clause"),
    (lambda c: revise(c, 1, number=c[0]["number"]), "duplicate_clause_number"),
    (lambda c: revise(c, 0, body="   "), "empty_body"),
])
def test_bad_versions_are_refused_and_store_nothing(make, change, code):
    document = make.document()
    admin = make.admin()
    before = len(events_of())
    with pytest.raises(Invalid) as raised:
        publish_version(admin, document.id, clauses=change(current_clauses(document)))
    assert raised.value.code == code
    assert len(events_of()) == before
    assert db.session.query(Version).count() == 1


@any_database
def test_a_stale_draft_is_refused(make):
    document = make.document()
    admin = make.admin()
    clauses = current_clauses(document)
    publish_version(admin, document.id, clauses=revise(clauses, 0, body="First edit."), base_version=1)
    with pytest.raises(Conflict) as raised:
        publish_version(admin, document.id, clauses=revise(clauses, 1, body="Second edit."), base_version=1)
    assert raised.value.code == "stale_version"
    assert document_view(document.id)["version"] == 2


@any_database
def test_only_admins_publish(make):
    document = make.document()
    with pytest.raises(Forbidden):
        publish_version(make.user(role="facilitator"), document.id,
                        clauses=revise(current_clauses(document), 0, body="Changed."))
    with pytest.raises(NotFound):
        publish_version(make.admin(), 999, clauses=current_clauses(document))


# --- diffs -----------------------------------------------------------------

@any_database
def test_diff_names_each_kind_of_change_and_word_level_edits(make):
    document = make.document()
    admin = make.admin()
    one, two, three = current_clauses(document)
    new = {"number": "4", "heading": "Data", "body": "Arrests are reported."}
    publish_version(admin, document.id, clauses=[
        one, dict(three, number="2", body="Arrest is the very last resort after diversion is considered."), new])
    diff = diff_versions(admin, document.id, 1, 2)
    kinds = {c["clause_id"]: c["change"] for c in diff["changes"]}
    assert kinds[one["id"]] == "unchanged"
    assert kinds[two["id"]] == "removed"
    assert kinds[three["id"]] == "changed"
    assert [c["change"] for c in diff["changes"]].count("added") == 1
    # Removed clauses stay where they stood: after clause 1.
    assert [c["clause_id"] for c in diff["changes"]][:3] == [one["id"], two["id"], three["id"]]
    changed = next(c for c in diff["changes"] if c["clause_id"] == three["id"])
    assert changed["fields"] == ["number", "body"]
    assert {"op": "delete", "text": "a"} in changed["words"]
    assert {"op": "insert", "text": "the very"} in changed["words"]
    assert changed["changed_in"] == [2]


@any_database
def test_diff_marks_reordered_clauses_as_moved(make):
    document = make.document()
    admin = make.admin()
    one, two, three = current_clauses(document)
    publish_version(admin, document.id, clauses=[three, one, two])
    diff = diff_versions(admin, document.id, 1, 2)
    by_id = {c["clause_id"]: c for c in diff["changes"]}
    assert [c["clause_id"] for c in diff["changes"]] == [three["id"], one["id"], two["id"]]
    assert all(c["change"] == "unchanged" for c in diff["changes"])
    assert by_id[three["id"]]["moved"] and not by_id[one["id"]]["moved"] and not by_id[two["id"]]["moved"]


@any_database
def test_diff_of_unknown_versions_is_not_found(make):
    document = make.document()
    with pytest.raises(NotFound):
        diff_versions(make.admin(), document.id, 1, 5)
    with pytest.raises(Invalid):
        diff_versions(make.admin(), document.id, "one", 1)


# --- comments follow the text -------------------------------------------------

def carried(comment_id):
    db.session.expire_all()
    return comment_to_dict(db.session.get(Comment, comment_id))


@pytest.fixture
def commented(make):
    document = make.document(clauses=[
        {"number": "1", "heading": "Arrests",
         "body": "Arrest is a last resort after diversion is considered. Parents are told the same day."},
        {"number": "2", "heading": "Discipline", "body": "Officers do not enforce school rules or discipline."},
    ])
    make.open_period(document)
    author = make.user()
    return document, author, current_clauses(document)


@any_database
def test_a_quote_still_in_place_is_exact(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[0]["id"], quote="Parents are told the same day")
    publish_version(make.admin(), document.id, clauses=revise(clauses, 1, body="Officers never enforce rules."))
    shown = carried(comment.id)
    assert shown["written_on_version"] == 1 and shown["carried_forward"] and shown["shown_on_version"] == 2
    start = clauses[0]["body"].index("Parents")
    assert shown["anchor"] == {"status": "exact", "start": start, "end": start + 29, "version": 2}
    assert not shown["clause_changed"]


@any_database
def test_a_shifted_quote_is_found_where_it_moved(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[0]["id"], quote="Parents are told the same day")
    body = "Before any arrest, staff call a counsellor. " + clauses[0]["body"]
    publish_version(make.admin(), document.id, clauses=revise(clauses, 0, body=body))
    shown = carried(comment.id)
    assert shown["anchor"]["status"] == "moved"
    assert body[shown["anchor"]["start"]:shown["anchor"]["end"]] == "Parents are told the same day"
    assert shown["clause_changed"]


@any_database
def test_an_edited_quote_is_found_by_a_tolerant_match(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[0]["id"], quote="Arrest is a last resort after diversion is considered")
    body = "Arrest is the very last resort after diversion has been considered. Parents are told the same day."
    publish_version(make.admin(), document.id, clauses=revise(clauses, 0, body=body))
    anchor = carried(comment.id)["anchor"]
    assert anchor["status"] == "fuzzy"
    assert body[anchor["start"]:anchor["end"]].startswith("Arrest is the very last resort")
    assert "Parents" not in body[anchor["start"]:anchor["end"]]


@any_database
def test_a_removed_passage_is_shown_as_changed_never_lost(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[0]["id"], quote="Parents are told the same day")
    publish_version(make.admin(), document.id,
                    clauses=revise(clauses, 0, body="Arrest is a last resort after diversion is considered."))
    shown = carried(comment.id)
    assert shown["anchor"] == {"status": "lost", "start": None, "end": None, "version": 2}
    assert shown["quote"] == "Parents are told the same day" and shown["body"]
    listed = make_list(make, document)
    assert comment.id in [c["id"] for c in listed]


def make_list(make, document):
    from collab.reads.comments import list_comments

    return [comment_to_dict(c) for c in list_comments(make.admin(), document.id)]


@any_database
def test_comments_on_a_removed_clause_keep_their_version(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[1]["id"], quote="school rules")
    publish_version(make.admin(), document.id, clauses=[clauses[0]])
    shown = carried(comment.id)
    assert shown["version"] == 1 and shown["clause_removed"] and shown["anchor"]["status"] == "lost"


@any_database
def test_only_open_comments_are_carried_forward_across_several_versions(make, commented):
    document, author, clauses = commented
    open_comment = make.comment(author, clauses[0]["id"], quote="Parents are told the same day")
    no_quote = make.comment(author, clauses[0]["id"], body="Too vague.")
    settled = make.comment(author, clauses[0]["id"], body="Fine by me.", kind="support")
    settled.status = "resolved"
    db.session.commit()
    admin = make.admin()
    body2 = "Before any arrest, staff call a counsellor. " + clauses[0]["body"]
    publish_version(admin, document.id, clauses=revise(clauses, 0, body=body2))
    clauses2 = current_clauses(document)
    publish_version(admin, document.id, clauses=revise(clauses2, 1, body="Officers never enforce rules."))
    first, second, third = carried(open_comment.id), carried(no_quote.id), carried(settled.id)
    assert first["shown_on_version"] == 3 and first["written_on_version"] == 1
    assert first["anchor"]["status"] == "exact" and first["clause_changed"]
    assert body2[first["anchor"]["start"]:first["anchor"]["end"]] == "Parents are told the same day"
    assert second["carried_forward"] and second["anchor"] is None
    assert not third["carried_forward"] and third["shown_on_version"] == 1
    [event] = events_of("version.published")[-1:]
    assert '"comment_id":%d' % open_comment.id in event.data and '"comment_id":%d' % settled.id not in event.data


@any_database
def test_the_author_says_whether_the_new_text_resolves_their_concern(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[0]["id"], quote="Parents are told the same day")
    with pytest.raises(Conflict):
        review_carried_comment(author, comment.id, resolves=True)
    publish_version(make.admin(), document.id, clauses=revise(clauses, 0, body="Parents are told at once."))
    with pytest.raises(Forbidden):
        review_carried_comment(make.user(), comment.id, resolves=True)
    with pytest.raises(Invalid):
        review_carried_comment(author, comment.id, resolves="yes")
    review_carried_comment(author, comment.id, resolves=False)
    shown = carried(comment.id)
    assert shown["author_review"]["resolves"] is False and shown["author_review"]["version"] == 2
    assert shown["status"] == "open"
    [event] = events_of("comment.reviewed")
    assert '"resolves":false' in event.data


# --- suggested wording ----------------------------------------------------------

@any_database
def test_taking_a_suggestion_publishes_it_and_records_the_comment(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[0]["id"], kind="suggestion", quote="the same day",
                           suggested_text="within one hour")
    version = take_suggestion(make.admin(), comment.id)
    assert version.number == 2
    body = document_view(document.id)["clauses"][0]["body"]
    assert body.endswith("Parents are told within one hour.")
    [event] = events_of("version.published")
    assert '"taken_comment_ids":[%d]' % comment.id in event.data
    diff = diff_versions(make.admin(), document.id, 1, 2)
    assert diff["changes"][0]["answered_comment_ids"] == [comment.id]
    assert comment.author.name in version.note


@any_database
def test_a_suggestion_without_quote_replaces_the_clause_text(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[1]["id"], kind="suggestion",
                           suggested_text="Officers play no part in school discipline.")
    take_suggestion(make.admin(), comment.id, note="Clearer discipline clause")
    assert document_view(document.id)["clauses"][1]["body"] == "Officers play no part in school discipline."


@any_database
def test_a_comment_without_suggestion_cannot_be_taken(make, commented):
    document, author, clauses = commented
    comment = make.comment(author, clauses[0]["id"])
    before = len(events_of())
    with pytest.raises(Invalid):
        take_suggestion(make.admin(), comment.id)
    with pytest.raises(Forbidden):
        take_suggestion(author, comment.id)
    assert len(events_of()) == before



@any_database
def test_item12_api_text_is_normalised_and_unchanged_clauses_are_not_questioned(make, commented):
    document, author, clauses = commented
    on_unchanged = make.comment(author, clauses[1]["id"], body="Who decides what a school rule is?")
    on_changed = make.comment(author, clauses[0]["id"], body="Diversion must come first.")
    # Clause 2 comes back re-saved with CRLF line breaks and trailing spaces: not a change.
    resaved = [dict(c, body=c["body"].replace(". ", ".  \r\n") + " \r\n") for c in clauses]
    resaved = revise(resaved, 0, body="Arrest is a last resort.\r\nParents are told the same day.")
    publish_version(make.admin(), document.id, clauses=resaved)
    assert document_view(document.id)["clauses"][0]["body"] == "Arrest is a last resort.\nParents are told the same day."
    diff = diff_versions(make.admin(), document.id, 1, 2)
    assert [c["change"] for c in diff["changes"]] == ["changed", "unchanged"]
    [event] = events_of("version.published")
    assert f'"changed":[{clauses[0]["id"]}]' in event.data
    assert carried(on_changed.id)["clause_changed"] and not carried(on_unchanged.id)["clause_changed"]
    review_carried_comment(author, on_changed.id, resolves=True)
    with pytest.raises(Conflict) as refused:
        review_carried_comment(author, on_unchanged.id, resolves=True)
    assert refused.value.code == "clause_unchanged"
    from collab.services.versions import carried_comments_of
    assert [c.id for c in carried_comments_of(author)] == [on_changed.id]
