"""Paged pieces of the document page and the document's search page: the next threads of a
clause (an HTML fragment for the page's script, or a page of its own without JavaScript),
and comments found by words and filters, a page at a time."""
from __future__ import annotations

from flask import jsonify, render_template, request, url_for

from ..permissions import can_comment, comment_actions
from ..reads.comments import comments_page
from ..reads.access import readable_document
from ..reads.documents import document_view
from ..reads.queue import clause_labels, ordered_clauses
from ..reads.search import CommentFilters
from ..reads.threads import thread_order, thread_page
from ..serializers import comment_to_dict
from ..services.users import list_groups
from .blueprint import web
from .helpers import page_viewer


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


@web.get("/documents/<int:document_id>/clauses/<int:clause_id>/threads")
def clause_threads(document_id: int, clause_id: int):
    actor = page_viewer()
    readable_document(actor, document_id)
    order = thread_order(request.args.get("order"))
    page = thread_page(actor, document_id, clause_id, request.args.get("cursor"), request.args.get("limit"),
                       order=order)
    document = document_view(document_id, with_clauses=False)
    context = {"document": document, "can_comment": can_comment(actor), "reply_to": None, "form_error": None,
               "thread_order": order}
    if _wants_json():
        html = render_template("_threads.html", threads=page["threads"], **context)
        return jsonify(html=html, next=page["next"], count=len(page["threads"]))
    clause = next((c for c in ordered_clauses(clause_labels(document_id)) if c["id"] == clause_id), None)
    return render_template("clause_threads.html", threads=page["threads"], next=page["next"], clause=clause,
                           clause_id=clause_id, **context)


@web.get("/documents/<int:document_id>/search")
def document_search(document_id: int):
    actor = page_viewer()
    readable_document(actor, document_id)
    args = request.args.copy()
    args.setdefault("sort", "newest")
    filters = CommentFilters.from_args(args)
    page = comments_page(actor, document_id, args)
    comments = [{**comment_to_dict(c), "actions": comment_actions(actor, c)} for c in page.items]
    return render_template("search.html", document=document_view(document_id, with_clauses=False),
                           comments=comments, notice=page.extra["notice"], filters=filters,
                           clauses=ordered_clauses(clause_labels(document_id)), groups=list_groups(),
                           next_url=url_for("web.document_search", document_id=document_id,
                                            **filters.as_args(), cursor=page.next) if page.next else None)
