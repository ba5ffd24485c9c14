from flask import Response, jsonify, request

from ..errors import Invalid, NotFound
from ..reads.documents import document_view
from ..serializers import comment_to_dict, version_to_dict
from ..reads.access import readable_document
from ..reads.coverage import coverage_changes
from ..services.versions import (diff_versions, export_version, list_versions, parse_draft, publish_version,
                                 review_carried_comment, take_suggestion)
from .blueprint import api
from .helpers import actor, json_body, viewer
from flask_babel import lazy_gettext as _l


@api.post("/documents/<int:document_id>/versions")
def publish_version_view(document_id: int):
    data = json_body()
    version = publish_version(actor(), document_id, clauses=data.get("clauses"), note=data.get("note"),
                              base_version=data.get("base_version"),
                              taken_comment_ids=data.get("taken_comment_ids"))
    return jsonify(document=document_view(document_id), version=version_to_dict(version)), 201


@api.get("/documents/<int:document_id>/versions")
def list_versions_view(document_id: int):
    readable_document(viewer(), document_id)
    return jsonify(versions=[version_to_dict(v) for v in list_versions(document_id)])


@api.get("/documents/<int:document_id>/diff")
def diff_view(document_id: int):
    diff = diff_versions(viewer(), document_id, request.args.get("from") or None, request.args.get("to") or None)
    return jsonify({**diff, "coverage": coverage_changes(document_id, diff["from"], diff["to"])})


@api.get("/documents/<int:document_id>/versions/<int:number>/export.<fmt>")
def export_version_view(document_id: int, number: int, fmt: str):
    if number < 1:
        raise NotFound(_l("Version %(number)s of this document does not exist.", number=number))
    filename, media_type, content = export_version(viewer(), document_id, number, fmt)
    return Response(content, content_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@api.post("/comments/<int:comment_id>/take-suggestion")
def take_suggestion_view(comment_id: int):
    data = json_body() if request.data else {}
    version = take_suggestion(actor(), comment_id, note=data.get("note"), base_version=data.get("base_version"))
    return jsonify(document=document_view(version.document_id), version=version_to_dict(version)), 201


@api.post("/comments/<int:comment_id>/review")
def review_comment_view(comment_id: int):
    placement = review_carried_comment(actor(), comment_id, resolves=json_body().get("resolves"))
    return jsonify(comment=comment_to_dict(placement.comment))


@api.post("/drafts/parse")
def parse_draft_view():
    """JSON `{text, document_id?}`, or a multipart form with `file` (.docx) or `text`."""
    user = actor()
    if request.files.get("file"):
        upload = request.files["file"]
        if not (upload.filename or "").lower().endswith(".docx"):
            raise Invalid(_l("Upload a Word file ending in .docx, or paste the text instead."), "not_a_docx")
        result = parse_draft(user, docx_bytes=upload.read(), document_id=request.form.get("document_id") or None)
    elif request.form:
        result = parse_draft(user, text=request.form.get("text"), document_id=request.form.get("document_id") or None)
    else:
        data = json_body()
        result = parse_draft(user, text=data.get("text"), document_id=data.get("document_id"))
    return jsonify(draft=result)
