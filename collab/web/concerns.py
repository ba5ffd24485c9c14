"""Pages for resolutions, concern tracking, the overview, the printable report,
moderation and the public checkpoints. Views are thin: load, call the service, render."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..reads.queue import AGES, QueueFilters, clause_labels, moderation_queue, ordered_clauses, overview, report, work_queue
from ..reads.comments import comment_timeline, comments_of_author, comments_of_group, disposition_counts
from ..errors import ServiceError
from ..models.comments import KINDS
from ..models.resolutions import DISPOSITIONS
from ..permissions import can_administer, can_moderate, require
from ..reads.audit import list_checkpoints
from ..serializers import comment_to_dict
from ..reads.access import readable_comment, readable_document, require_account
from .helpers import page_viewer
from ..models.lookups import get_document
from ..services.moderation import dismiss_flags, flag_comment, hide_comment, redact_comment, unhide_comment
from ..services.resolutions import record_resolution, record_resolutions, reopen_comment
from ..services.users import list_groups, update_profile
from .blueprint import web

DISPOSITION_LABELS = {"accepted": "Accepted", "accepted_with_changes": "Accepted with changes",
                      "declined": "Declined", "deferred": "Deferred", "noted": "Noted",
                      "awaiting_answer": "Awaiting an answer", "reopened": "Reopened by its author",
                      "hidden": "Hidden by a moderator"}


@web.app_context_processor
def _labels():
    return {"DISPOSITION_LABELS": DISPOSITION_LABELS, "DISPOSITIONS": DISPOSITIONS, "KINDS": KINDS}


def _act(action, success: str, back: str):
    """Run a service call from a form; say what happened and go back to the page."""
    try:
        action()
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(success, "info")
    return redirect(back)


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


# --- the district's work queue ------------------------------------------------------------

@web.get("/documents/<int:document_id>/queue")
@login_required
def queue_page(document_id: int):
    require(can_administer(current_user), current_user, "Only administrators see the work queue.")
    filters = QueueFilters.from_args(request.args)
    return render_template("concerns/queue.html", document=get_document(document_id), filters=filters,
                           queue=work_queue(document_id, filters), ages=[a for a in AGES if a],
                           clauses=ordered_clauses(clause_labels(document_id)), groups=list_groups())


@web.post("/documents/<int:document_id>/queue/resolve")
@login_required
def queue_resolve(document_id: int):
    ids = request.form.getlist("comment_ids")
    version = request.form.get("version") or None
    back = _back(url_for("web.queue_page", document_id=document_id))
    if not ids:
        flash("Select at least one comment to answer.", "error")
        return redirect(back)
    return _act(lambda: record_resolutions(current_user, document_id, ids, disposition=request.form.get("disposition"),
                                           rationale=request.form.get("rationale"), version=version),
                f"Answer recorded for {len(set(ids))} comment(s).", back)


# --- concern tracking -------------------------------------------------------------------

@web.get("/me/comments")
@login_required
def my_comments_page():
    comments = comments_of_author(current_user.id)
    return render_template("concerns/tracking.html", title="My comments and what happened to them",
                           comments=[comment_to_dict(c) for c in comments], counts=disposition_counts(comments),
                           groups=list_groups(), mine=True)


@web.post("/me/public-name")
@login_required
def my_public_name():
    choice = {"yes": True, "no": False}.get(request.form.get("show_name"))
    return _act(lambda: update_profile(current_user, {"show_name": choice}),
                "Saved: readers who are not moderators see " +
                ("your name." if choice else "only your group."), url_for("web.my_comments_page"))


@web.get("/groups/<slug>/comments")
@login_required
def group_comments_page(slug: str):
    require_account(page_viewer())
    group, comments = comments_of_group(slug)
    return render_template("concerns/tracking.html", title=f"Comments of {group.name}",
                           comments=[comment_to_dict(c) for c in comments], counts=disposition_counts(comments),
                           groups=list_groups(), current_group=group.slug, mine=False)


@web.get("/comments/<int:comment_id>")
def comment_page(comment_id: int):
    viewer = page_viewer()
    readable_comment(viewer, comment_id)
    view = comment_timeline(viewer, comment_id)
    return render_template("concerns/comment.html", view=view, comment=view["comment"],
                           can_moderate=can_moderate(viewer), can_administer=can_administer(viewer))


def _comment_back(comment_id: int) -> str:
    return _back(url_for("web.comment_page", comment_id=comment_id))


@web.post("/comments/<int:comment_id>/resolve")
@login_required
def resolve_comment_form(comment_id: int):
    return _act(lambda: record_resolution(current_user, comment_id, disposition=request.form.get("disposition"),
                                          rationale=request.form.get("rationale"),
                                          version=request.form.get("version") or None),
                "The answer was recorded.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/reopen")
@login_required
def reopen_comment_form(comment_id: int):
    return _act(lambda: reopen_comment(current_user, comment_id, reason=request.form.get("reason")),
                "Sent back to the district: it will answer again.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/flag")
@login_required
def flag_comment_form(comment_id: int):
    return _act(lambda: flag_comment(current_user, comment_id, reason=request.form.get("reason")),
                "Thank you: a moderator will look at this comment.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/hide")
@login_required
def hide_comment_form(comment_id: int):
    return _act(lambda: hide_comment(current_user, comment_id, reason=request.form.get("reason")),
                "The comment is hidden.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/unhide")
@login_required
def unhide_comment_form(comment_id: int):
    return _act(lambda: unhide_comment(current_user, comment_id, reason=request.form.get("reason")),
                "The comment is shown again.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/dismiss-flags")
@login_required
def dismiss_flags_form(comment_id: int):
    return _act(lambda: dismiss_flags(current_user, comment_id, reason=request.form.get("reason")),
                "The flags were dismissed.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/redact")
@login_required
def redact_comment_form(comment_id: int):
    return _act(lambda: redact_comment(current_user, comment_id, reason=request.form.get("reason")),
                "The comment's texts were redacted.", _comment_back(comment_id))


# --- overview, report, moderation, checkpoints ---------------------------------------------

@web.get("/documents/<int:document_id>/overview")
def overview_page(document_id: int):
    document = readable_document(page_viewer(), document_id)
    return render_template("concerns/overview.html", document=document, overview=overview(document_id))


@web.get("/documents/<int:document_id>/response")
def response_page(document_id: int):
    readable_document(page_viewer(), document_id)
    return render_template("concerns/response.html", report=report(document_id))


@web.get("/moderation")
@login_required
def moderation_page():
    require(can_moderate(current_user), current_user, "Only moderators see the moderation queue.")
    return render_template("concerns/moderation.html", queue=moderation_queue())


@web.get("/checkpoints")
def checkpoints_page():
    """Public: anyone may keep a copy of the published chain heads (they hold no content)."""
    return render_template("concerns/checkpoints.html", checkpoints=list(reversed(list_checkpoints())))


@web.get("/checkpoints.json")
def checkpoints_json():
    response = jsonify(checkpoints=list_checkpoints())
    response.headers["Content-Disposition"] = 'attachment; filename="common-ground-checkpoints.json"'
    return response
