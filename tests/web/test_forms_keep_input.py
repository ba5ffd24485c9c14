"""A refused form comes back with what the person typed, the message and the refusal's status;
service errors are mapped to page answers in one place (collab/web/forms.py)."""
from __future__ import annotations

import ast
import html
import re

import pytest

from collab.extensions import db
from collab.models import Comment
from tests.conftest import events_of
from tests.live_server import ROOT

RATIONALE = "We heard you: clause 2 now keeps officers out of everyday discipline, see the new text."


@pytest.fixture
def setting(make):
    document = make.document()
    admin = make.admin()
    make.open_period(document, admin)
    clause_ids = make.clause_ids(document)
    author = make.user(group="families", name="Pat Parent")
    first = make.comment(author, clause_ids[1], body="Officers must not handle discipline.")
    second = make.comment(make.user(group="students"), clause_ids[1], body="Same point from students.")
    return document, admin, author, first, second, clause_ids


def _text(answer) -> str:
    return html.unescape(answer.get_data(as_text=True))


def test_a_refused_queue_answer_keeps_the_rationale_the_ticked_boxes_and_the_filters(
        setting, client, sign_in, csrf_token):
    document, admin, _author, first, second, _ = setting
    sign_in(client, admin)
    before = len(events_of())
    answer = client.post(f"/documents/{document.id}/queue/resolve", data={
        "csrf_token": csrf_token(), "comment_ids": [first.id, second.id], "disposition": "accepted_with_changes",
        "rationale": RATIONALE, "version": "99", "next": f"/documents/{document.id}/queue?kind=concern"})
    page = _text(answer)
    assert answer.status_code in (400, 404, 409)
    assert len(events_of()) == before
    assert 'class="flash flash-error"' in page
    assert f">{RATIONALE}</textarea>" in page
    for comment in (first, second):
        assert re.search(rf'value="{comment.id}" id="pick-{comment.id}"[^>]*checked', page)
    assert '<option value="accepted_with_changes" selected>' in page
    assert 'value="99"' in page
    assert 'name="kind"' in page and '<option value="concern" selected' in page  # the filter it came from


def test_answering_with_no_box_ticked_keeps_the_rationale(setting, client, sign_in, csrf_token):
    document, admin, *_ = setting
    sign_in(client, admin)
    answer = client.post(f"/documents/{document.id}/queue/resolve", data={
        "csrf_token": csrf_token(), "disposition": "noted", "rationale": RATIONALE})
    assert answer.status_code == 400
    page = _text(answer)
    assert "Select at least one comment to answer." in page and f">{RATIONALE}</textarea>" in page


def test_a_refused_answer_on_the_comment_page_keeps_what_was_written(setting, client, sign_in, csrf_token):
    _document, admin, _author, first, *_ = setting
    sign_in(client, admin)
    answer = client.post(f"/comments/{first.id}/resolve", data={
        "csrf_token": csrf_token(), "disposition": "declined", "rationale": RATIONALE, "version": "99"})
    assert answer.status_code in (400, 404, 409)
    page = _text(answer)
    assert f"Comment #{first.id}" in page and f">{RATIONALE}</textarea>" in page
    assert '<option value="declined" selected>' in page
    assert db.session.get(Comment, first.id).status == "open"


def test_a_refused_flag_keeps_its_reason_on_the_comment_page(setting, client, sign_in, csrf_token, make):
    _document, _admin, _author, first, *_ = setting
    sign_in(client, make.user(group="community"))
    reason = "x" * 2_500  # over the limit: refused, not cut
    answer = client.post(f"/comments/{first.id}/flag", data={"csrf_token": csrf_token(), "reason": reason})
    assert answer.status_code in (400, 413)
    assert f'value="{reason}"' in _text(answer)
    assert events_of("comment.flagged") == []


def test_a_refused_meeting_plan_keeps_the_ticked_clauses_and_minutes(setting, client, sign_in, csrf_token):
    document, admin, *_rest, clause_ids = setting
    sign_in(client, admin)
    answer = client.post(f"/documents/{document.id}/meetings", data={
        "csrf_token": csrf_token(), "title": "   ", f"include-{clause_ids[1]}": "1",
        f"minutes-{clause_ids[1]}": "17"})
    assert answer.status_code == 400
    page = _text(answer)
    assert re.search(rf'id="include-{clause_ids[1]}"[^>]*checked', page)
    assert not re.search(rf'id="include-{clause_ids[0]}"[^>]*checked', page)
    assert re.search(rf'id="minutes-{clause_ids[1]}"[^>]*value="17"', page)


def test_a_refused_period_close_answers_with_the_admin_page_and_its_status(setting, client, sign_in, csrf_token):
    _document, admin, *_ = setting
    sign_in(client, admin)
    answer = client.post("/admin/periods/999999/close", data={"csrf_token": csrf_token(), "confirm": "yes"})
    assert answer.status_code == 404
    assert 'class="flash flash-error"' in _text(answer) and "Administration" in _text(answer)


# --- comments over the length limit: refused whole, never cut (issue 11, item 14) -------------

LONG = "A parent's long account of what happened at school. " * 400  # ~20,800 characters


def test_a_comment_over_the_limit_is_refused_whole_and_comes_back_uncut(setting, client, sign_in, csrf_token):
    document, _admin, author, *_rest, clause_ids = setting
    sign_in(client, author)
    before = db.session.query(Comment).count()
    answer = client.post(f"/documents/{document.id}/clauses/{clause_ids[0]}/comments", data={
        "csrf_token": csrf_token(), "body": LONG, "kind": "concern"})
    assert answer.status_code == 413
    page = _text(answer)
    assert f"Your comment is {len(LONG.strip()):,} characters long; the limit is 10,000." in page
    assert LONG.strip() in page  # every character is back in the form, nothing cut
    assert db.session.query(Comment).count() == before


def test_the_api_refuses_an_over_long_comment_with_the_error_shape(setting, client, make):
    _document, _admin, author, *_rest, clause_ids = setting
    answer = client.post(f"/api/v1/clauses/{clause_ids[0]}/comments", headers=make.bearer(author),
                         json={"body": LONG, "kind": "concern"})
    assert answer.status_code == 413
    error = answer.get_json()["error"]
    assert error["code"] == "body_too_long" and "the limit is 10,000" in error["message"]


def test_comment_fields_carry_a_counter_and_no_maxlength_that_would_cut_a_paste(setting, client, sign_in):
    document, _admin, author, *_ = setting
    sign_in(client, author)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    forms = re.findall(r'<form class="comment-form".*?</form>', page, re.S)
    assert forms
    for form in forms:
        assert "maxlength" not in form
        body = re.search(r'<textarea id="body-(\w+)" name="body"[^>]*>', form)
        assert 'data-max-length="10000"' in body.group(0)
        counter = f'id="count-{body.group(1)}"'
        assert counter in form and f'count-{body.group(1)}"' in body.group(0)
        assert 'aria-live="polite"' in form[form.index(counter):]


# --- one mapping ---------------------------------------------------------------------------

def _handlers_of(path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            if "ServiceError" in names:
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_service_errors_are_mapped_in_one_place_per_edge():
    """Pages: collab/web/forms.py; CLI: cli.ServiceCommand; JSON: http.py; live acks: handlers.py."""
    allowed = {ROOT / "collab" / "web" / "forms.py": 1, ROOT / "collab" / "cli.py": 1,
               ROOT / "collab" / "realtime" / "handlers.py": 1}
    for path in [*sorted((ROOT / "collab" / "web").glob("*.py")), ROOT / "collab" / "cli.py",
                 *sorted((ROOT / "collab" / "api").glob("*.py")), *sorted((ROOT / "collab" / "realtime").glob("*.py"))]:
        assert len(_handlers_of(path)) == allowed.get(path, 0), _handlers_of(path)


def test_the_cli_prints_a_refusal_and_exits_non_zero(runner):
    result = runner.invoke(args=["users", "create", "--email", "a@example.org", "--name", "A",
                                 "--password", "correct horse battery", "--role", "participant",
                                 "--group", "no-such-group"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output


def test_no_long_text_field_cuts_a_paste_and_each_has_its_counter(setting, client, sign_in):
    """maxlength cuts a paste without a word; long texts are counted and refused instead."""
    document, admin, _author, first, *_ = setting
    sign_in(client, admin)
    for path in (f"/documents/{document.id}", f"/comments/{first.id}", f"/documents/{document.id}/queue",
                 f"/documents/{document.id}/draft"):
        page = client.get(path).get_data(as_text=True)
        textareas = re.findall(r"<textarea[^>]*>", page)
        assert textareas, path
        for field in textareas:
            assert "maxlength" not in field, (path, field)
            counter = re.search(r'data-counter="([^"]+)"', field)
            if 'name="quote"' in field:
                continue  # filled from a selection, never typed
            assert counter and f'id="{counter.group(1)}"' in page, (path, field)
