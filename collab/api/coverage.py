"""Coverage: the checklist, a version's coverage, a clause's tags, comments on a missing item."""
from flask import jsonify, request

from ..demo.content import MODEL_DRAFT_TITLE, model_clauses
from ..domain.checklist import checklist
from ..rate_limits import spend_comment_budget
from ..reads.coverage import clause_coverage, coverage_view
from ..reads.documents import document_view, ensure_readable
from ..serializers import comment_to_dict
from ..services.coverage import start_from_model, tag_clause_coverage
from ..services.coverage_comments import comment_on_item
from .blueprint import api
from .helpers import actor, json_body


@api.get("/checklist")
def checklist_view():
    ensure_readable(actor())
    return jsonify(items=[item.to_dict() for item in checklist()])


@api.get("/documents/<int:document_id>/coverage")
def coverage_of_document(document_id: int):
    return jsonify(coverage_view(actor(), document_id, request.args.get("version")))


@api.get("/clauses/<int:clause_id>/coverage")
def coverage_of_clause(clause_id: int):
    return jsonify(clause_coverage(actor(), clause_id))


@api.put("/clauses/<int:clause_id>/coverage")
def tag_clause(clause_id: int):
    user = actor()
    tag_clause_coverage(user, clause_id, items=json_body().get("items"))
    return jsonify(clause_coverage(user, clause_id))


@api.post("/documents/<int:document_id>/coverage/<item_id>/comments")
def comment_on_item_view(document_id: int, item_id: str):
    user = actor()
    spend_comment_budget(user.id)
    data = json_body()
    comment, created = comment_on_item(
        user, document_id, item_id, body=data.get("body"), kind=data.get("kind"), parent_id=data.get("parent_id"),
        suggested_text=data.get("suggested_text"), idempotency_key=request.headers.get("Idempotency-Key"))
    response = jsonify(comment=comment_to_dict(comment))
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201


@api.post("/drafts/from-model")
def start_from_model_view():
    user = actor()
    data = json_body() if request.data else {}
    document = start_from_model(user, title=data.get("title") or MODEL_DRAFT_TITLE, clauses=model_clauses())
    return jsonify(document=document_view(document.id)), 201
