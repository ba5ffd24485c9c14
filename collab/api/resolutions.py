"""Resolutions, concern tracking, the overview and the response-to-comments report."""
from flask import Response, jsonify, request, stream_with_context

from ..reads.comments import author_comments_page, comment_timeline, comments_of_group_page
from ..reads.queue import overview, report_language
from ..reads.report_stream import report_csv_stream, report_json_stream
from ..serializers import comment_to_dict, current_resolution_dict, resolution_to_dict
from ..models.lookups import get_comment
from ..reads.access import readable_comment, readable_document, require_account
from ..services.resolutions import record_resolution, record_resolutions, reopen_comment
from .blueprint import api
from .helpers import actor, json_body, viewer


@api.post("/comments/<int:comment_id>/resolution")
def record_resolution_view(comment_id: int):
    data = json_body()
    record_resolution(actor(), comment_id, disposition=data.get("disposition"),
                      rationale=data.get("rationale"), version=data.get("version"),
                      rationale_es=data.get("rationale_es"))
    comment = get_comment(comment_id)
    return jsonify(resolution=current_resolution_dict(comment), comment=comment_to_dict(comment)), 201


@api.post("/documents/<int:document_id>/resolutions")
def record_resolutions_view(document_id: int):
    data = json_body()
    resolutions = record_resolutions(actor(), document_id, data.get("comment_ids"),
                                     disposition=data.get("disposition"), rationale=data.get("rationale"),
                                     version=data.get("version"), rationale_es=data.get("rationale_es"))
    return jsonify(resolutions=[resolution_to_dict(r) for r in resolutions],
                   batch_id=resolutions[0].batch_id), 201


@api.get("/comments/<int:comment_id>/resolutions")
def resolution_history_view(comment_id: int):
    comment = readable_comment(viewer(), comment_id)
    return jsonify(resolutions=[resolution_to_dict(r) for r in comment.resolutions])


@api.post("/comments/<int:comment_id>/reopen")
def reopen_comment_view(comment_id: int):
    data = json_body()
    return jsonify(comment=comment_to_dict(reopen_comment(actor(), comment_id, reason=data.get("reason"))))


@api.get("/comments/<int:comment_id>/timeline")
def comment_timeline_view(comment_id: int):
    user = viewer()
    readable_comment(user, comment_id)
    return jsonify(comment_timeline(user, comment_id))


@api.get("/me/comments")
def my_comments_view():
    user = actor()
    page = author_comments_page(user.id, request.args)
    return jsonify(comments=[comment_to_dict(c) for c in page.items], counts=page.extra["counts"], next=page.next)


@api.get("/groups/<slug>/comments")
def group_comments_view(slug: str):
    require_account(viewer())
    group, page = comments_of_group_page(slug, request.args)
    return jsonify(group={"slug": group.slug, "name": group.name}, comments=[comment_to_dict(c) for c in page.items],
                   counts=page.extra["counts"], next=page.next)


@api.get("/documents/<int:document_id>/overview")
def overview_view(document_id: int):
    readable_document(viewer(), document_id)
    return jsonify(overview=overview(document_id))


@api.get("/documents/<int:document_id>/report.json")
def report_json_view(document_id: int):
    language = report_language(request.args.get("lang"))
    readable_document(viewer(), document_id)  # 404 or 401 before the stream starts
    return Response(stream_with_context(report_json_stream(document_id, language)), mimetype="application/json")


@api.get("/documents/<int:document_id>/report.csv")
def report_csv_view(document_id: int):
    document = readable_document(viewer(), document_id)
    language = report_language(request.args.get("lang"))
    suffix = "" if language == "en" else f"-{language}"
    # A generator, read from the database in batches: the first byte goes out at once.
    return Response(stream_with_context(report_csv_stream(document_id, language)), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="response-to-comments-{document.id}{suffix}.csv"'})
