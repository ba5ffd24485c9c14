from flask import jsonify, request, send_file

from ..rate_limits import spend_comment_budget
from ..serializers import comment_to_dict
from ..services.comments import create_comment, edit_comment
from ..services.cosigning import cosign_comment, withdraw_cosignature
from ..services.intake import ScanUpload, attach_scan, enter_comment_on_behalf
from ..reads.comments import comments_page
from ..reads.intake import staff_scan
from ..reads.similar import similar_comments
from ..errors import Invalid
from .blueprint import api
from .helpers import actor, json_body, viewer
from flask_babel import lazy_gettext as _l


@api.post("/clauses/<int:clause_id>/comments")
def create_comment_view(clause_id: int):
    user = actor()  # 401 comes before any complaint about the body
    spend_comment_budget(user.id)
    data = json_body()
    if data.get("on_behalf_of") is not None or data.get("source") is not None:
        # Staff entering a comment received by letter, phone, meeting or e-mail for someone.
        comment = enter_comment_on_behalf(
            user, clause_id, on_behalf_of=data.get("on_behalf_of"), source=data.get("source"),
            body=data.get("body"), kind=data.get("kind"), quote=data.get("quote"),
            suggested_text=data.get("suggested_text"), language=data.get("language"))
        return jsonify(comment=comment_to_dict(comment)), 201
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


@api.post("/comments/<int:comment_id>/cosign")
def cosign_view(comment_id: int):
    user = actor()
    return jsonify(comment_id=comment_id, cosigners=cosign_comment(user, comment_id), cosigned=True), 201


@api.delete("/comments/<int:comment_id>/cosign")
def withdraw_cosign_view(comment_id: int):
    withdraw_cosignature(actor(), comment_id)
    return "", 204


@api.get("/clauses/<int:clause_id>/similar")
def similar_comments_view(clause_id: int):
    """Comments on the clause nearly identical to `text` (for "add your name instead?")."""
    return jsonify(similar=similar_comments(viewer(), clause_id, request.args.get("text", "")))


@api.post("/comments/<int:comment_id>/scan")
def attach_scan_view(comment_id: int):
    user = actor()
    upload = request.files.get("scan")
    if upload is None:
        raise Invalid(_l("Send the scan as multipart/form-data in the field `scan` (PDF, PNG or JPEG)."), "scan_missing")
    scan = attach_scan(user, comment_id, ScanUpload(upload.filename or "", upload.read()))
    return jsonify(scan={"filename": scan.filename, "content_type": scan.content_type, "size": scan.size}), 201


@api.get("/comments/<int:comment_id>/scan")
def scan_view(comment_id: int):
    scan, path = staff_scan(viewer(), comment_id)
    return scan_response(scan, path)


def scan_response(scan, path):
    """The file, as a download of its sniffed type, never cached by shared caches."""
    response = send_file(path, mimetype=scan.content_type, as_attachment=True, download_name=scan.filename,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
