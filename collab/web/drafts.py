"""Pages for drafts: versions, the draft editor (publish, take suggested wording),
import with a preview, the diff, and the commenter's follow-up on carried comments."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..errors import Invalid, ServiceError
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
from .blueprint import web

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
                           is_admin=can_administer(viewer))


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


@web.post("/documents/<int:document_id>/draft")
@login_required
def draft_submit(document_id: int):
    _require_admin()
    document = get_document(document_id)
    return _editor_action(document)


@web.post("/drafts/new")
@login_required
def new_document_submit():
    _require_admin()
    return _editor_action(None)


def _editor_action(document: Document | None):
    clauses = _form_clauses()
    note = request.form.get("note", "")
    title = request.form.get("title", "")
    base_version = request.form.get("base_version") or None
    taken = [int(t) for t in request.form.getlist("taken") if t.isdigit()]
    action = request.form.get("action", "publish")
    focus = None
    keep = dict(note=note, base_version=base_version, taken=taken, title=title)
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
            return _render_editor(document, clauses, **keep, error="That suggestion is no longer open.",
                                  status=409)
    else:
        kept = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in clauses if not c["remove"]]
        try:
            if document is None:
                created = create_document(_actor(), title=title, clauses=kept)
                flash(f"“{created.title}” was created as version 1.", "info")
                return redirect(url_for("web.versions_page", document_id=created.id))
            version = publish_version(_actor(), document.id, clauses=kept, note=note, base_version=base_version,
                                      taken_comment_ids=taken)
        except ServiceError as error:
            return _render_editor(document, clauses, **keep, error=error.message, status=error.status)
        flash(f"Version {version.number} is published.", "info")
        return redirect(url_for("web.diff_page", document_id=document.id, to=version.number,
                                **{"from": version.number - 1}))
    return _render_editor(document, clauses, **keep, focus=focus)


@web.post("/comments/<int:comment_id>/take-suggestion")
@login_required
def take_suggestion_submit(comment_id: int):
    _require_admin()
    version = take_suggestion(_actor(), comment_id, base_version=request.form.get("base_version") or None)
    flash(f"Version {version.number} is published with the suggested wording.", "info")
    return redirect(url_for("web.diff_page", document_id=version.document_id, to=version.number,
                            **{"from": version.number - 1}))


# --- import ---------------------------------------------------------------------

@web.route("/drafts/import", methods=["GET", "POST"])
@login_required
def import_page():
    _require_admin()
    document_id = request.values.get("document_id") or None
    document = get_document(int(document_id)) if document_id and document_id.isdigit() else None
    if request.method == "GET":
        return render_template("import.html", document=document, text="")
    text = request.form.get("text", "")
    upload = request.files.get("file")
    try:
        if upload and upload.filename:
            if not upload.filename.lower().endswith(".docx"):
                raise Invalid("Choose a Word file ending in .docx, or paste the text instead.", "not_a_docx")
            draft = parse_draft(_actor(), docx_bytes=upload.read(), document_id=document.id if document else None)
        else:
            draft = parse_draft(_actor(), text=text, document_id=document.id if document else None)
    except ServiceError as error:
        return render_template("import.html", document=document, text=text, error=error.message), 400
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
    return render_template("diff.html", document=document, diff=diff, versions=list_versions(document_id),
                           earlier=earlier, answered=answered, show_all=show_all, counts=counts,
                           is_admin=can_administer(viewer))


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
def review_submit(comment_id: int):
    answer = request.form.get("resolves")
    if answer not in ("yes", "no"):
        flash("Choose whether the new text resolves your concern.", "error")
    else:
        try:
            review_carried_comment(_actor(), comment_id, resolves=answer == "yes")
            flash("Thank you: the district sees your answer next to your comment.", "info")
        except ServiceError as error:
            flash(error.message, "error")
    return redirect(url_for("web.carried_page") + f"#comment-{comment_id}")
