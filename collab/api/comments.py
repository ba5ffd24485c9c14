from flask import jsonify, request

from ..rate_limits import spend_comment_budget
from ..serializers import comment_to_dict
from ..services.comments import create_comment, edit_comment
from ..reads.comments import comments_page
from .blueprint import api
from .helpers import actor, json_body, viewer


@api.post("/clauses/<int:clause_id>/comments")
def create_comment_view(clause_id: int):
    user = actor()  # 401 comes before any complaint about the body
    spend_comment_budget(user.id)
    data = json_body()
    comment, created = create_comment(
        user, clause_id, body=data.get("body"), kind=data.get("kind"), parent_id=data.get("parent_id"),
        quote=data.get("quote"), suggested_text=data.get("suggested_text"), language=data.get("language"),
        idempotency_key=request.headers.get("Idempotency-Key"))
    response = jsonify(comment=comment_to_dict(comment))
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201


@api.get("/documents/<int:document_id>/comments")
def list_comments_view(document_id: int):
    """One page (`limit`, default 50, at most 200) after `cursor`; `next` names the following
    page, null on the last. Without `limit` the first 50 come back, as before 1.1 all did."""
    page = comments_page(viewer(), document_id, request.args)
    return jsonify(comments=[comment_to_dict(c) for c in page.items], next=page.next, sort=page.extra["sort"],
                   notice=page.extra["notice"])


@api.patch("/comments/<int:comment_id>")
def edit_comment_view(comment_id: int):
    user = actor()
    data = json_body()
    return jsonify(comment=comment_to_dict(edit_comment(user, comment_id, body=data.get("body"))))
