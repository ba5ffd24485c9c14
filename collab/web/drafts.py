"""Pages for drafts: versions, the draft editor (publish, take suggested wording),
import with a preview, the diff, and the commenter's follow-up on carried comments."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..drafts.importing import heading_shaped
from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import Comment, Document
from ..permissions import can_administer
from ..serializers import comment_to_dict
from ..models.lookups import clause_texts, get_document
from ..services.documents import create_document
from ..reads.access import readable_document
from .helpers import page_viewer
from ..services.versions import (carried_comments_of, comments_for_diff, diff_versions, list_versions,
                                 parse_draft, publish_version, review_carried_comment, take_suggestion)
from ..reads.coverage import coverage_changes
from ..reads.translations import translation_diff
from .blueprint import web
from .forms import form_view
from .publishing import draft_changes
from ..reads.agreements import adoption_of, adoptions_by_version
from flask_babel import lazy_gettext as _l
from flask_babel import gettext

EMPTY_CLAUSE = {"id": None, "number": "", "heading": "", "body": ""}


def _actor():
    return current_user._get_current_object()


def _require_admin():
    if not can_administer(_actor()):
        abort(403)


@web.get("/documents/<int:document_id>/versions")
def versions_page(document_id: int):
    viewer = page_viewer()
    document = readable_document(viewer, document_id)
    return render_template("versions.html", document=document, versions=list_versions(document_id),
                           is_admin=can_administer(viewer), adoption=adoption_of(document_id),
                           adopted=adoptions_by_version(document_id))


# --- the draft editor -----------------------------------------------------------

def _suggestions(document_id: int) -> dict[int, list[dict]]:
    """Open comments with suggested wording, by clause."""
    comments = db.session.execute(
        select(Comment).where(Comment.document_id == document_id, Comment.status == "open",
                              Comment.suggested_text.is_not(None)).order_by(Comment.id)).scalars()
    by_clause: dict[int, list[dict]] = {}
    for comment in comments:
        by_clause.setdefault(comment.clause_id, []).append(comment_to_dict(comment))
    return by_clause


def _form_clauses() -> list[dict]:
    clauses = []
    for index in request.form.getlist("clause_index"):
        raw_id = request.form.get(f"clause-{index}-id") or None
        clauses.append({
            "id": int(raw_id) if raw_id and raw_id.isdigit() else None,
            "number": request.form.get(f"clause-{index}-number", ""),
            "heading": request.form.get(f"clause-{index}-heading", ""),
            "body": request.form.get(f"clause-{index}-body", ""),
            "remove": bool(request.form.get(f"clause-{index}-remove")),
        })
    return clauses


def _render_editor(document: Document | None, clauses: list[dict], *, note="", base_version=None, taken=(),
                   title="", error=None, warnings=(), removed=(), status=200, focus=None):
    suggestions = _suggestions(document.id) if document else {}
    return render_template(
        "draft_edit.html", document=document, clauses=clauses, note=note, base_version=base_version,
        taken=list(taken), title=title, error=error, warnings=list(warnings), removed=list(removed),
        suggestions=suggestions, focus=focus), status


@web.get("/documents/<int:document_id>/draft")
@login_required
def draft_page(document_id: int):
    _require_admin()
    document = get_document(document_id)
    clauses = [{"id": t.clause_id, "number": t.number, "heading": t.heading, "body": t.body}
               for t in clause_texts(document)]
    return _render_editor(document, clauses, base_version=document.current_version)[0]


def _editor_again(error, document_id: int | None = None):
    """The editor as the person left it: every clause, the note and the suggestions taken."""
    document = get_document(document_id) if document_id is not None else None
    return _render_editor(document, _form_clauses(), **_editor_fields(), error=error.message)


@web.post("/documents/<int:document_id>/draft")
@login_required
@form_view(_editor_again)
def draft_submit(document_id: int):
    _require_admin()
    document = get_document(document_id)
    return _editor_action(document)


@web.post("/drafts/new")
@login_required
@form_view(_editor_again)
def new_document_submit():
    _require_admin()
    return _editor_action(None)


def _editor_fields() -> dict:
    return {"note": request.form.get("note", ""), "title": request.form.get("title", ""),
            "base_version": request.form.get("base_version") or None,
            "taken": [int(t) for t in request.form.getlist("taken") if t.isdigit()]}


def _editor_action(document: Document | None):
    clauses = _form_clauses()
    keep = _editor_fields()
    note, title, base_version, taken = keep["note"], keep["title"], keep["base_version"], keep["taken"]
    action = request.form.get("action", "publish")
    focus = None
    if action == "add":
        clauses.append(dict(EMPTY_CLAUSE))
        focus = f"clause-{len(clauses) - 1}-number"
    elif action.startswith(("up:", "down:")):
        direction, _, raw = action.partition(":")
        index = int(raw) if raw.isdigit() else -1
        other = index - 1 if direction == "up" else index + 1
        if 0 <= index < len(clauses) and 0 <= other < len(clauses):
            clauses[index], clauses[other] = clauses[other], clauses[index]
            focus = f"clause-{other}-{direction}"
    elif action.startswith(("merge:", "split:")):
        error, focus = _merge_or_split(clauses, action)
        if error:
            return _render_editor(document, clauses, **keep, error=error, status=400, focus=focus)
    elif action.startswith("take:") and document is not None:
        comment_id = int(action[5:]) if action[5:].isdigit() else None
        suggestion = next((s for items in _suggestions(document.id).values() for s in items
                           if s["id"] == comment_id), None)
        for index, clause in enumerate(clauses):
            if suggestion and clause["id"] == suggestion["clause_id"]:
                quote = suggestion["quote"]
                if quote and quote in clause["body"]:
                    clause["body"] = clause["body"].replace(quote, suggestion["suggested_text"], 1)
                else:
                    clause["body"] = suggestion["suggested_text"]
                if comment_id not in taken:
                    taken.append(comment_id)
                focus = f"clause-{index}-body"
        if suggestion is None:
            raise Conflict(_l("That suggestion is no longer open."), "suggestion_not_open")
    elif action == "publish" and document is not None:
        kept = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in clauses if not c["remove"]]
        return render_template("publish_confirm.html", document=document, changes=draft_changes(document, kept),
                               next_version=_next_version(document, base_version), note=note)
    elif action in ("publish", "confirm-publish"):
        kept = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in clauses if not c["remove"]]
        if document is None:
            created = create_document(_actor(), title=title, clauses=kept)
            flash(gettext("“%(title)s” was created as version 1.", title=created.title), "info")
            return redirect(url_for("web.versions_page", document_id=created.id))
        version = publish_version(_actor(), document.id, clauses=kept, note=note, base_version=base_version,
                                  taken_comment_ids=taken)
        flash(gettext("Version %(number)s is published.", number=version.number), "info")
        return redirect(url_for("web.diff_page", document_id=document.id, to=version.number,
                                **{"from": version.number - 1}))
    return _render_editor(document, clauses, **keep, focus=focus)


def _next_version(document: Document, base_version: str | None) -> int:
    return (int(base_version) if base_version and base_version.isdigit() else document.current_version) + 1


def _merge_or_split(clauses: list[dict], action: str) -> tuple[str | None, str | None]:
    """Fix where clauses start before saving: merge a clause with the next one (the next
    one's heading stays in the text, so no words are lost), or split one at the cursor
    (at its first paragraph break without JavaScript). Returns (error, field to focus)."""
    verb, _, raw = action.partition(":")
    index = int(raw) if raw.isdigit() else -1
    if not 0 <= index < len(clauses):
        return "That clause is no longer in the draft.", None
    clause = clauses[index]
    if verb == "merge":
        if index + 1 >= len(clauses):
            return "The last clause has no next clause to merge with.", f"clause-{index}-body"
        following = clauses.pop(index + 1)
        parts = [clause["body"].rstrip(), "\n".join(p for p in (following["heading"], following["body"].strip()) if p)]
        clause["body"] = "\n\n".join(p for p in parts if p)
        clause["id"] = clause["id"] or following["id"]
        return None, f"clause-{index}-body"
    body = clause["body"].replace("\r\n", "\n")
    raw_at = request.form.get(f"clause-{index}-split-at", "")
    at = int(raw_at) if raw_at.isdigit() else -1
    if not 0 < at < len(body.rstrip()):
        at = body.find("\n\n")
    head, rest = body[:at].rstrip(), body[at:].strip() if at > 0 else ""
    if at <= 0 or not head or not rest:
        return ("To split a clause, put the cursor in its text where the new clause should start, "
                "then press “Split here”.", f"clause-{index}-body")
    heading, _, text = rest.partition("\n")
    if not (heading_shaped(heading.strip()) and text.strip()):
        heading, text = "", rest
    clause["body"] = head
    clauses.insert(index + 1, {"id": None, "number": "", "heading": heading.strip(), "body": text.strip(),
                               "remove": False})
    return None, f"clause-{index + 1}-number"


@web.post("/comments/<int:comment_id>/take-suggestion")
@login_required
def take_suggestion_submit(comment_id: int):
    _require_admin()
    version = take_suggestion(_actor(), comment_id, base_version=request.form.get("base_version") or None)
    flash(gettext("Version %(number)s is published with the suggested wording.", number=version.number), "info")
    return redirect(url_for("web.diff_page", document_id=version.document_id, to=version.number,
                            **{"from": version.number - 1}))


# --- import ---------------------------------------------------------------------

def _import_again(error):
    document_id = request.values.get("document_id") or None
    document = get_document(int(document_id)) if document_id and document_id.isdigit() else None
    return render_template("import.html", document=document, text=request.form.get("text", ""), error=error.message)


@web.route("/drafts/import", methods=["GET", "POST"])
@login_required
@form_view(_import_again)
def import_page():
    _require_admin()
    document_id = request.values.get("document_id") or None
    document = get_document(int(document_id)) if document_id and document_id.isdigit() else None
    if request.method == "GET":
        return render_template("import.html", document=document, text="")
    text = request.form.get("text", "")
    upload = request.files.get("file")
    if upload and upload.filename:
        if not upload.filename.lower().endswith(".docx"):
            raise Invalid(_l("Choose a Word file ending in .docx, or paste the text instead."), "not_a_docx")
        draft = parse_draft(_actor(), docx_bytes=upload.read(), document_id=document.id if document else None)
    else:
        draft = parse_draft(_actor(), text=text, document_id=document.id if document else None)
    clauses = [{**dict(EMPTY_CLAUSE), **c} for c in draft["clauses"]]
    return _render_editor(document, clauses, title=draft.get("title") or "",
                          base_version=draft.get("base_version"), warnings=draft["warnings"],
                          removed=draft.get("removed", []),
                          note="Imported from a file." if document else "")[0]


# --- diff -------------------------------------------------------------------------

@web.get("/documents/<int:document_id>/diff")
def diff_page(document_id: int):
    viewer = page_viewer()
    document = readable_document(viewer, document_id)
    diff = diff_versions(viewer, document_id, request.args.get("from") or None, request.args.get("to") or None)
    low, high = min(diff["from"], diff["to"]), max(diff["from"], diff["to"])
    changed_ids = {c["clause_id"] for c in diff["changes"] if c["change"] != "unchanged"}
    earlier = {}
    for comment in comments_for_diff(document_id, changed_ids, low, high):
        earlier.setdefault(comment.clause_id, []).append(comment_to_dict(comment))
    answered_ids = {i for c in diff["changes"] for i in c["answered_comment_ids"]}
    answered = {c.id: comment_to_dict(c) for c in db.session.execute(
        select(Comment).where(Comment.id.in_(answered_ids))).scalars()} if answered_ids else {}
    show_all = request.args.get("all") == "1"
    counts = {kind: sum(1 for c in diff["changes"] if c["change"] == kind)
              for kind in ("added", "removed", "changed", "unchanged")}
    counts["moved"] = sum(1 for c in diff["changes"] if c["moved"])
    text = request.args.get("text") if request.args.get("text") in ("es", "both") else "en"
    spanish = translation_diff(document, diff["from"], diff["to"], "es") if text != "en" else {}
    return render_template("diff.html", document=document, diff=diff, versions=list_versions(document_id),
                           earlier=earlier, answered=answered, show_all=show_all, counts=counts,
                           coverage_changes=coverage_changes(document_id, diff["from"], diff["to"]),
                           is_admin=can_administer(viewer), text_mode=text, spanish=spanish)


# --- the commenter's follow-up ------------------------------------------------------

@web.get("/my/carried-comments")
@login_required
def carried_page():
    comments = carried_comments_of(_actor())
    documents = {}
    texts = {}
    for comment in comments:
        if comment.document_id not in documents:
            document = get_document(comment.document_id)
            documents[document.id] = document
            texts[document.id] = {t.clause_id: t for t in clause_texts(document)}
    items = []
    for comment in comments:
        shown = comment_to_dict(comment)
        text = texts[comment.document_id].get(comment.clause_id)
        items.append({"comment": shown, "document": documents[comment.document_id], "text": text,
                      "old": _written_on(comment)})
    return render_template("carried.html", items=items)


def _written_on(comment: Comment):
    document = get_document(comment.document_id)
    return next((t for t in clause_texts(document, comment.version) if t.clause_id == comment.clause_id), None)


@web.post("/comments/<int:comment_id>/review")
@login_required
@form_view(lambda error, comment_id: carried_page())
def review_submit(comment_id: int):
    answer = request.form.get("resolves")
    if answer not in ("yes", "no"):
        raise Invalid(_l("Choose whether the new text resolves your concern."), "missing_answer")
    review_carried_comment(_actor(), comment_id, resolves=answer == "yes")
    flash(gettext("Thank you: the district sees your answer next to your comment."), "info")
    return redirect(url_for("web.carried_page") + f"#comment-{comment_id}")
