"""Pages for resolutions, concern tracking, the overview, the printable report,
moderation and the public checkpoints. Views are thin: load, call the service, render."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..reads.queue import (AGES, QueueFilters, clause_labels, moderation_queue, ordered_clauses, overview,
                           report_language, work_queue)
from ..reads.comments import author_comments_page, comment_timeline, comments_of_group_page
from ..errors import Invalid
from ..models.comments import KINDS
from ..models.resolutions import DISPOSITIONS, NEXT_VERSION
from ..permissions import can_administer, can_moderate, require
from ..reads.audit import list_checkpoints
from ..reads.report_stream import report_page
from ..serializers import comment_to_dict
from ..reads.access import readable_comment, readable_document, require_account
from ..reads.intake import scan_summary
from .helpers import page_viewer
from ..models.lookups import get_document
from ..services.moderation import dismiss_flags, flag_comment, hide_comment, redact_comment, unhide_comment
from ..services.resolutions import record_resolution, record_resolutions, reopen_comment
from ..services.accounts import update_profile
from ..services.users import list_groups
from .blueprint import web
from .forms import form_view
from .helpers import actions_on_shown
from flask_babel import lazy_gettext as _l

DISPOSITION_LABELS = {"accepted": _l("Accepted"), "accepted_with_changes": _l("Accepted with changes"),
                      "declined": _l("Declined"), "deferred": _l("Deferred"), "noted": _l("Noted"),
                      "awaiting_answer": _l("Awaiting an answer"),
                      "no_answer_needed": _l("Conversation (no answer needed)"), "reopened": _l("Reopened by its author"),
                      "hidden": _l("Hidden by a moderator")}


@web.app_context_processor
def _labels():
    # Translated once per page: a report page shows a label per answer, and each use of a lazy
    # string is a catalogue lookup.
    return {"DISPOSITION_LABELS": {key: str(label) for key, label in DISPOSITION_LABELS.items()},
            "DISPOSITIONS": DISPOSITIONS, "KINDS": KINDS}


def _done(success: str, back: str):
    flash(success, "info")
    return redirect(back)


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


# --- the district's work queue ------------------------------------------------------------

def _queue_page(document_id: int, args):
    require(can_administer(current_user), current_user, _l("Only administrators see the work queue."))
    filters = QueueFilters.from_args(args)
    queue = work_queue(document_id, filters, args.get("limit"), args.get("cursor"))
    next_url = url_for("web.queue_page", document_id=document_id, **filters.as_args(),
                       cursor=queue["next"]) if queue["next"] else None
    return render_template("concerns/queue.html", document=get_document(document_id), filters=filters,
                           queue=queue, next_url=next_url, ages=[a for a in AGES if a],
                           clauses=ordered_clauses(clause_labels(document_id)), groups=list_groups())


@web.get("/documents/<int:document_id>/queue")
@login_required
def queue_page(document_id: int):
    return _queue_page(document_id, request.args)


def _queue_again(error, document_id: int):
    """The queue with the filters it was sent from, the ticked boxes and the answer kept."""
    back = _back(url_for("web.queue_page", document_id=document_id))
    return _queue_page(document_id, MultiDict(parse_qsl(urlsplit(back).query)))


def _answer_version():
    """The answer form's version: a number, or "next" when "changed in the next version" is ticked."""
    number = (request.form.get("version") or "").strip() or None
    if request.form.get("version_next"):
        if number is not None:
            raise Invalid(_l("Give a version number or tick “changed in the next version”, not both."),
                          "invalid_version")
        return NEXT_VERSION
    return number


@web.post("/documents/<int:document_id>/queue/resolve")
@login_required
@form_view(_queue_again)
def queue_resolve(document_id: int):
    ids = request.form.getlist("comment_ids")
    if not ids:
        raise Invalid(_l("Select at least one comment to answer."), "no_comments_selected")
    record_resolutions(current_user, document_id, ids, disposition=request.form.get("disposition"),
                       rationale=request.form.get("rationale"), version=_answer_version(),
                       rationale_es=request.form.get("rationale_es") or None)
    return _done(f"Answer recorded for {len(set(ids))} comment(s).",
                 _back(url_for("web.queue_page", document_id=document_id)))


# --- concern tracking -------------------------------------------------------------------

@web.get("/me/comments")
@login_required
def my_comments_page():
    page = author_comments_page(current_user.id, request.args)
    return render_template("concerns/tracking.html", title="My comments and what happened to them",
                           comments=[comment_to_dict(c) for c in page.items], counts=page.extra["counts"],
                           groups=list_groups(), mine=True,
                           next_url=url_for("web.my_comments_page", cursor=page.next) if page.next else None)


@web.post("/me/public-name")
@login_required
@form_view(lambda error: redirect(url_for("web.my_comments_page")))
def my_public_name():
    # Anything but "yes" or "no" goes to the service as is, which refuses it as not true or false.
    choice = {"yes": True, "no": False}.get(request.form.get("show_name"), request.form.get("show_name", ""))
    update_profile(current_user, {"show_name": choice})
    return _done("Saved: readers who are not moderators see " + ("your name." if choice else "only your group."),
                 url_for("web.my_comments_page"))


@web.get("/groups/<slug>/comments")
@login_required
def group_comments_page(slug: str):
    require_account(page_viewer())
    group, page = comments_of_group_page(slug, request.args)
    return render_template("concerns/tracking.html", title=f"Comments of {group.name}",
                           comments=[comment_to_dict(c) for c in page.items], counts=page.extra["counts"],
                           groups=list_groups(), current_group=group.slug, mine=False,
                           next_url=url_for("web.group_comments_page", slug=slug, cursor=page.next) if page.next else None)


@web.get("/comments/<int:comment_id>")
def comment_page(comment_id: int):
    viewer = page_viewer()
    readable_comment(viewer, comment_id)
    view = comment_timeline(viewer, comment_id)
    return render_template("concerns/comment.html", view=view, comment=view["comment"],
                           scan=scan_summary(viewer, comment_id), actions=actions_on_shown(viewer, view["comment"]),
                           can_moderate=can_moderate(viewer), can_administer=can_administer(viewer))


def _comment_back(comment_id: int) -> str:
    return _back(url_for("web.comment_page", comment_id=comment_id))


def _comment_page_again(error, comment_id: int):
    """The comment's own page, the refused form filled in as it was sent."""
    return comment_page(comment_id)


@web.post("/comments/<int:comment_id>/resolve")
@login_required
@form_view(_comment_page_again)
def resolve_comment_form(comment_id: int):
    record_resolution(current_user, comment_id, disposition=request.form.get("disposition"),
                      rationale=request.form.get("rationale"), version=_answer_version(),
                      rationale_es=request.form.get("rationale_es") or None)
    return _done("The answer was recorded.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/reopen")
@login_required
@form_view(_comment_page_again)
def reopen_comment_form(comment_id: int):
    reopen_comment(current_user, comment_id, reason=request.form.get("reason"))
    return _done("Sent back to the district: it will answer again.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/flag")
@login_required
@form_view(_comment_page_again)
def flag_comment_form(comment_id: int):
    flag_comment(current_user, comment_id, reason=request.form.get("reason"))
    return _done("Thank you: a moderator will look at this comment.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/hide")
@login_required
@form_view(_comment_page_again)
def hide_comment_form(comment_id: int):
    hide_comment(current_user, comment_id, reason=request.form.get("reason"))
    return _done("The comment is hidden.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/unhide")
@login_required
@form_view(_comment_page_again)
def unhide_comment_form(comment_id: int):
    unhide_comment(current_user, comment_id, reason=request.form.get("reason"))
    return _done("The comment is shown again.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/dismiss-flags")
@login_required
@form_view(_comment_page_again)
def dismiss_flags_form(comment_id: int):
    dismiss_flags(current_user, comment_id, reason=request.form.get("reason"))
    return _done("The flags were dismissed.", _comment_back(comment_id))


@web.post("/comments/<int:comment_id>/redact")
@login_required
@form_view(_comment_page_again)
def redact_comment_form(comment_id: int):
    redact_comment(current_user, comment_id, reason=request.form.get("reason"))
    return _done("The comment's texts were redacted.", _comment_back(comment_id))


# --- overview, report, moderation, checkpoints ---------------------------------------------

@web.get("/documents/<int:document_id>/overview")
def overview_page(document_id: int):
    document = readable_document(page_viewer(), document_id)
    return render_template("concerns/overview.html", document=document, overview=overview(document_id))


@web.get("/documents/<int:document_id>/response")
def response_page(document_id: int):
    # Held until the page is rendered: the session's identity map keeps an object only while
    # it is referenced, and the report's reads look the document up again (one SELECT each).
    document = readable_document(page_viewer(), document_id)
    from ..reads.agreements import adoption_of, summaries_of
    from ..reads.equity import equity

    language = report_language(request.args.get("lang"))
    # A page of whole answers at a time (the CSV and JSON carry everything, streamed).
    data = report_page(document_id, request.args.get("cursor"), language=language)
    next_url = url_for("web.response_page", document_id=document_id, cursor=data["next"],
                       lang=None if language == "en" else language) if data["next"] else None
    return render_template("concerns/response.html", report=data, next_url=next_url, equity=equity(document.id),
                           adoption=adoption_of(document_id),
                           summaries=summaries_of(document_id, data["document"]["version"]))


@web.get("/moderation")
@login_required
def moderation_page():
    require(can_moderate(current_user), current_user, _l("Only moderators see the moderation queue."))
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
