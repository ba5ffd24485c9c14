"""The coverage page of a version, the district's tagging form with its suggestions, comments on
a missing provision, and starting a new draft from the model agreement."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..demo.content import MODEL_DRAFT_TITLE, model_clauses
from ..domain.checklist import checklist
from ..models.lookups import commenting_state, get_document
from ..permissions import can_administer, can_comment
from ..rate_limits import spend_comment_budget
from ..reads.coverage import clause_coverage, coverage_view
from ..reads.documents import document_view
from ..services.coverage import start_from_model, tag_clause_coverage
from ..services.coverage_comments import comment_on_item
from ..services.versions import list_versions
from .blueprint import web
from .forms import form_view
from .helpers import page_actor, page_viewer
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

STRENGTH_LABELS = {"addresses": _l("Addresses"), "partly": _l("Partly"), "not": _l("Does not address")}
STANDING_LABELS = {"gap": _l("Not addressed by any clause"), "partly": _l("Only partly addressed"),
                   "addresses": _l("Addressed")}


def render_coverage(document_id: int, version=None):
    actor = page_viewer()
    coverage = coverage_view(actor, document_id, version)
    groups = {standing: [i for i in coverage["items"] if i["standing"] == standing] for standing in STANDING_LABELS}
    tag_counts: dict[int, int] = {}
    for item in coverage["items"]:
        for clause in item["clauses"]:
            tag_counts[clause["clause_id"]] = tag_counts.get(clause["clause_id"], 0) + 1
    clauses = document_view(document_id, version=coverage["version"])["clauses"]
    return render_template("coverage.html", coverage=coverage, groups=groups, document=get_document(document_id),
                           clauses=clauses, tag_counts=tag_counts,
                           versions=list_versions(document_id), STANDING_LABELS=STANDING_LABELS,
                           STRENGTH_LABELS=STRENGTH_LABELS, is_admin=can_administer(actor),
                           can_comment=can_comment(actor), commenting=commenting_state(document_id))


@web.get("/documents/<int:document_id>/coverage")
def coverage_page(document_id: int):
    return render_coverage(document_id, request.args.get("version") or None)


@web.post("/documents/<int:document_id>/coverage/<item_id>/comments")
@login_required
@form_view(lambda error, document_id, item_id: render_coverage(document_id))
def coverage_comment_submit(document_id: int, item_id: str):
    """Anyone who may comment says a provision is missing (or weak); the district answers it
    like any other comment."""
    spend_comment_budget(page_actor().id)
    comment, _created = comment_on_item(page_actor(), document_id, item_id, body=request.form.get("body"),
                                        kind=request.form.get("kind") or "concern",
                                        suggested_text=request.form.get("suggested_text") or None,
                                        idempotency_key=request.form.get("idempotency_key") or None)
    flash(_("Your comment was posted."), "info")
    return redirect(url_for("web.coverage_page", document_id=document_id, _anchor=f"comment-{comment.id}"))


def render_tagging(clause_id: int):
    actor = page_actor()
    clause = clause_coverage(actor, clause_id)
    return render_template("coverage_tag.html", clause=clause, document=get_document(clause["document_id"]),
                           items=checklist(), tags={t["id"]: t["strength"] for t in clause["items"]},
                           suggested={s["id"]: s["matched"] for s in clause["suggestions"]},
                           STRENGTH_LABELS=STRENGTH_LABELS, is_admin=can_administer(actor))


@web.get("/clauses/<int:clause_id>/coverage")
@login_required
def coverage_tag_page(clause_id: int):
    return render_tagging(clause_id)


@web.post("/clauses/<int:clause_id>/coverage")
@login_required
@form_view(lambda error, clause_id: render_tagging(clause_id))
def coverage_tag_submit(clause_id: int):
    """Each item's choice is a field `item:<id>`: only what the district chose is stored."""
    items = [{"id": item.id, "strength": request.form.get(f"item:{item.id}", "not")} for item in checklist()]
    extra = [name[len("item:"):] for name in request.form if name.startswith("item:")]
    items += [{"id": item_id, "strength": request.form[f"item:{item_id}"]}
              for item_id in extra if item_id not in {i["id"] for i in items}]
    tags = tag_clause_coverage(page_actor(), clause_id, items=items)
    flash(_("Saved: this clause addresses %(count)s item(s) of the checklist.", count=len(tags)), "info")
    clause = clause_coverage(page_actor(), clause_id)
    return redirect(url_for("web.coverage_page", document_id=clause["document_id"], _anchor=f"clause-{clause_id}"))


@web.post("/admin/documents/from-model")
@login_required
@form_view(lambda error: redirect(url_for("web.admin", _anchor="new-document")))
def admin_start_from_model():
    title = request.form.get("title") or MODEL_DRAFT_TITLE
    document = start_from_model(page_actor(), title=title, clauses=model_clauses())
    flash(_("A new draft was started from the model MOU, clause by clause, with its coverage tags. Edit it and open a comment period when it is ready."), "info")
    return redirect(url_for("web.coverage_page", document_id=document.id))
