import io
import re

from collab.drafts.exporting import to_docx
from collab.extensions import db
from collab.models import Document, Version
from collab.reads.documents import document_view
from collab.services.versions import publish_version
from tests.conftest import events_of


def editor_form(document, csrf, **overrides):
    form = {"csrf_token": csrf, "base_version": str(document.current_version), "note": ""}
    for i, clause in enumerate(document_view(document.id)["clauses"]):
        form.update({"clause_index": form.get("clause_index", []) + [str(i)], f"clause-{i}-id": str(clause["id"]),
                     f"clause-{i}-number": clause["number"], f"clause-{i}-heading": clause["heading"],
                     f"clause-{i}-body": clause["body"]})
    form.update(overrides)
    return form


def test_an_admin_publishes_the_next_draft_and_sees_the_diff(client, make, sign_in, csrf_token):
    document = make.document()
    sign_in(client, make.admin())
    page = client.get(f"/documents/{document.id}/draft")
    assert page.status_code == 200 and b"Publish version 2" in page.data
    form = editor_form(document, csrf_token(), **{
        "clause-2-body": "Arrest is the very last resort after diversion is considered.",
        "clause-1-remove": "1", "note": "Stronger limits on arrests", "action": "confirm-publish"})
    answer = client.post(f"/documents/{document.id}/draft", data=form)
    assert answer.status_code == 302 and "/diff?" in answer.location
    view = document_view(document.id)
    assert view["version"] == 2 and [c["heading"] for c in view["clauses"]] == ["Purpose", "Arrests"]
    diff = client.get(answer.location)
    assert diff.status_code == 200
    html = diff.get_data(as_text=True)
    assert "<ins><span class=\"visually-hidden\">[inserted: </span>the very" in html
    assert "Stronger limits on arrests" in html and "1 changed, 0 added, 1 removed" in html


def test_adding_and_moving_clauses_keeps_what_was_typed(client, make, sign_in, csrf_token):
    document = make.document()
    sign_in(client, make.admin())
    form = editor_form(document, csrf_token(), **{"clause-0-body": "Typed but not saved.", "action": "add"})
    page = client.post(f"/documents/{document.id}/draft", data=form).get_data(as_text=True)
    assert "Typed but not saved." in page and 'name="clause-3-number"' in page
    form = editor_form(document, csrf_token(), action="down:0")
    page = client.post(f"/documents/{document.id}/draft", data=form).get_data(as_text=True)
    assert page.index("Officers do not enforce") < page.index("The program keeps students safe")
    assert db.session.query(Version).count() == 1


def test_an_invalid_draft_is_shown_again_with_the_error_and_stores_nothing(client, make, sign_in, csrf_token):
    document = make.document()
    sign_in(client, make.admin())
    before = len(events_of())
    form = editor_form(document, csrf_token(), **{"clause-0-body": "  ", "clause-1-body": "Kept edit.",
                                                  "action": "confirm-publish"})
    answer = client.post(f"/documents/{document.id}/draft", data=form)
    assert answer.status_code == 400
    assert "body must not be empty" in answer.get_data(as_text=True) and "Kept edit." in answer.get_data(as_text=True)
    assert len(events_of()) == before


def test_a_stale_draft_is_refused_with_a_clear_message(client, make, sign_in, csrf_token):
    document = make.document()
    sign_in(client, make.admin())
    form = editor_form(document, csrf_token(), **{"clause-0-body": "My edit.", "action": "confirm-publish"})
    clauses = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]
    publish_version(make.admin(), document.id, clauses=clauses[:2])
    answer = client.post(f"/documents/{document.id}/draft", data=form)
    assert answer.status_code == 409 and "Reload the draft" in answer.get_data(as_text=True)


def test_using_a_suggested_wording_in_the_editor_records_the_comment(client, make, sign_in, csrf_token):
    document = make.document()
    make.open_period(document)
    clause_id = make.clause_ids(document)[0]
    comment = make.comment(make.user(), clause_id, kind="suggestion", quote="keeps students safe",
                           suggested_text="keeps every student safe")
    sign_in(client, make.admin())
    form = editor_form(document, csrf_token(), action=f"take:{comment.id}")
    page = client.post(f"/documents/{document.id}/draft", data=form).get_data(as_text=True)
    assert "The program keeps every student safe and supports learning." in page
    assert f'name="taken" value="{comment.id}"' in page
    form = editor_form(document, csrf_token(), taken=str(comment.id), action="confirm-publish",
                       **{"clause-0-body": "The program keeps every student safe and supports learning."})
    assert client.post(f"/documents/{document.id}/draft", data=form).status_code == 302
    [event] = events_of("version.published")
    assert f'"taken_comment_ids":[{comment.id}]' in event.data
    diff = client.get(f"/documents/{document.id}/diff?from=1&to=2").get_data(as_text=True)
    assert "in answer to 1 comment." in diff


def test_participants_cannot_open_the_draft_editor_or_import(client, make, sign_in):
    document = make.document()
    sign_in(client, make.user())
    assert client.get(f"/documents/{document.id}/draft").status_code == 403
    assert client.get("/drafts/import").status_code == 403
    assert client.get(f"/documents/{document.id}/diff").status_code == 200
    assert client.get(f"/documents/{document.id}/versions").status_code == 200


def test_import_a_word_file_preview_then_create_the_document(client, make, sign_in, csrf_token):
    sign_in(client, make.admin())
    data = to_docx("Memorandum of Understanding", 1, None, [
        {"number": "1", "heading": "Purpose", "body": "Safety and learning."},
        {"number": "2", "heading": "Training", "body": "De-escalation training."}])
    preview = client.post("/drafts/import", data={"csrf_token": csrf_token(), "file": (io.BytesIO(data), "mou.docx")},
                          content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'value="Memorandum of Understanding"' in html
    assert "De-escalation training." in html and db.session.query(Document).count() == 0
    form = {"csrf_token": csrf_token(), "title": "Memorandum of Understanding", "clause_index": ["0", "1"],
            "clause-0-number": "1", "clause-0-heading": "Purpose", "clause-0-body": "Safety and learning.",
            "clause-1-number": "2", "clause-1-heading": "Training", "clause-1-body": "De-escalation training.",
            "action": "publish"}
    assert client.post("/drafts/new", data=form).status_code == 302
    document = db.session.query(Document).one()
    assert [c["heading"] for c in document_view(document.id)["clauses"]] == ["Purpose", "Training"]


def test_a_malformed_import_shows_a_clear_error_and_keeps_the_text(client, make, sign_in, csrf_token):
    sign_in(client, make.admin())
    answer = client.post("/drafts/import", data={"csrf_token": csrf_token(), "text": "No headings here."})
    assert answer.status_code == 400 and "No headings were found" in answer.get_data(as_text=True)
    assert "No headings here." in answer.get_data(as_text=True)
    answer = client.post("/drafts/import", content_type="multipart/form-data",
                         data={"csrf_token": csrf_token(), "file": (io.BytesIO(b"junk"), "mou.docx")})
    assert answer.status_code == 400 and "not a Word document" in answer.get_data(as_text=True)


def test_the_commenter_is_asked_whether_the_new_text_resolves_their_concern(client, make, sign_in, csrf_token):
    document = make.document()
    make.open_period(document)
    author = make.user()
    clause_id = make.clause_ids(document)[2]
    comment = make.comment(author, clause_id, quote="after diversion is considered", body="Diversion must be tried.")
    clauses = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]
    clauses[2]["body"] = "Officers call a counsellor first. Arrest is a last resort after diversion is considered."
    publish_version(make.admin(), document.id, clauses=clauses)
    sign_in(client, author)
    page = client.get("/my/carried-comments").get_data(as_text=True)
    assert "Does the new text resolve your concern?" in page and "written on v1" in page
    assert "<mark>after diversion is considered</mark>" in page
    answer = client.post(f"/comments/{comment.id}/review", data={"csrf_token": csrf_token(), "resolves": "no"})
    assert answer.status_code == 302
    [event] = events_of("comment.reviewed")
    assert '"resolves":false' in event.data


def test_publish_shows_what_would_change_first_and_publishes_only_on_confirmation(client, make, sign_in, csrf_token):
    document = make.document()
    sign_in(client, make.admin())
    # Every clause re-sent with the browser's \r\n: only the edited one counts as changed.
    form = editor_form(document, csrf_token(), action="publish", note="Limits on arrests")
    for key in [k for k in form if k.endswith("-body")]:
        form[key] = form[key].replace("\n", "\r\n") + "  "
    form["clause-2-body"] = "Arrest is the very last resort after diversion is considered."
    preview = client.post(f"/documents/{document.id}/draft", data=form)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "publish version 2?" in page
    assert "1 changed, 0 added, 0 removed, 2 unchanged." in re.sub(r"\s+", " ", page)
    assert '<ins><span class="visually-hidden">[inserted: </span>the very' in page
    assert 'value="confirm-publish"' in page and "Back to the editor" in page
    assert db.session.get(Document, document.id).current_version == 1 and events_of("version.published") == []
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert carried["clause-2-body"] == "Arrest is the very last resort after diversion is considered."
    assert carried["note"] == "Limits on arrests"
    back = client.post(f"/documents/{document.id}/draft", data={**form, "action": "edit"})
    assert back.status_code == 200 and "the very last resort" in back.get_data(as_text=True)
    assert events_of("version.published") == []
    answer = client.post(f"/documents/{document.id}/draft", data={**form, "action": "confirm-publish"})
    assert answer.status_code == 302 and "/diff?" in answer.location
    assert db.session.get(Document, document.id).current_version == 2


def test_item12_line_breaks_resaved_by_the_editor_are_not_a_change(client, make, sign_in, csrf_token):
    document = make.document(clauses=[
        {"number": "1", "heading": "Purpose", "body": "Keep students safe.\nSupport learning."},
        {"number": "2", "heading": "Discipline", "body": "Officers do not enforce school rules."},
        {"number": "3", "heading": "Arrests", "body": "Arrest is a last resort."},
    ])
    make.open_period(document)
    author = make.user()
    untouched_id, edited_id = make.clause_ids(document)[0], make.clause_ids(document)[2]
    asked_not = make.comment(author, untouched_id, body="Safe from whom?")
    asked = make.comment(author, edited_id, body="Diversion first.")
    sign_in(client, make.admin())
    # A browser sends textareas back with CRLF line breaks and the editor may leave trailing spaces.
    form = editor_form(document, csrf_token(), **{
        "clause-0-body": "Keep students safe.  \r\nSupport learning.\r\n",
        "clause-1-heading": "Discipline ",
        "clause-2-body": "Arrest is a last resort, after diversion.", "action": "confirm-publish"})
    assert client.post(f"/documents/{document.id}/draft", data=form).status_code == 302
    view = document_view(document.id)
    assert view["clauses"][0]["body"] == "Keep students safe.\nSupport learning."
    [event] = events_of("version.published")
    assert f'"changed":[{edited_id}]' in event.data
    html = client.get(f"/documents/{document.id}/diff?from=1&to=2").get_data(as_text=True)
    assert "1 changed, 0 added, 0 removed" in html
    sign_in(client, author)
    page = client.get("/my/carried-comments").get_data(as_text=True)
    assert f'id="comment-{asked.id}"' in page and f'id="comment-{asked_not.id}"' not in page


def test_item17_the_import_preview_merges_splits_and_fixes_headings_before_saving(client, make, sign_in,
                                                                                  csrf_token):
    sign_in(client, make.admin())
    text = ("School Resource Officer Agreement\n\nGoals and Objectives\n\nThe program keeps students safe.\n\n"
            "Assignment of School Resource Officer\n\nOne officer per high school.\n\nSuperintendent\n\n"
            "Signed on behalf of the district.")
    preview = client.post("/drafts/import", data={"csrf_token": csrf_token(), "text": text})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Split here" in html and "Merge with the next clause" in html
    assert 'value="Superintendent"' in html
    form = {"csrf_token": csrf_token(), "title": "School Resource Officer Agreement",
            "clause_index": ["0", "1", "2"],
            "clause-0-number": "1", "clause-0-heading": "Goals and Objectives",
            "clause-0-body": "The program keeps students safe.\r\n\r\nHours and Special Events\r\nRegular school hours.",
            "clause-1-number": "2", "clause-1-heading": "Assignment of SRO",
            "clause-1-body": "One officer per high school.",
            "clause-2-number": "3", "clause-2-heading": "Superintendent",
            "clause-2-body": "Signed on behalf of the district."}
    # The signature line was taken for a heading: merge it back into clause 2.
    merged = client.post("/drafts/new", data={**form, "action": "merge:1"}).get_data(as_text=True)
    assert "One officer per high school.\n\nSuperintendent\nSigned on behalf of the district." in merged
    assert 'name="clause-2-number"' not in merged
    # Clause 1 holds two clauses: split at the cursor (the script sends its offset).
    at = form["clause-0-body"].replace("\r\n", "\n").index("Hours")
    split = client.post("/drafts/new", data={**form, "action": "split:0", "clause-0-split-at": str(at)})
    html = split.get_data(as_text=True)
    assert 'id="clause-1-number" name="clause-1-number" value="" size="6" maxlength="20" autofocus' in html
    assert 'value="Hours and Special Events"' in html and ">Regular school hours.</textarea>" in html
    assert ">The program keeps students safe.</textarea>" in html
    # Without a cursor position the split falls at the first blank line; nothing to split is a clear error.
    refused = client.post("/drafts/new", data={**form, "action": "split:1"})
    assert refused.status_code == 400 and "put the cursor" in refused.get_data(as_text=True)
    assert 'value="Assignment of SRO"' in refused.get_data(as_text=True)
    # The fixed heading is what is saved.
    final = {**form, "clause-0-body": "The program keeps students safe.", "action": "publish"}
    assert client.post("/drafts/new", data=final).status_code == 302
    document = db.session.query(Document).one()
    assert [c["heading"] for c in document_view(document.id)["clauses"]] == [
        "Goals and Objectives", "Assignment of SRO", "Superintendent"]
