"""Meeting pages: plan (per document), participant view, facilitator console, projector, minutes."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import Forbidden
from ..events import chain_head
from ..permissions import can_comment, can_run_meetings
from ..reads.documents import document_view
from ..reads.meetings import list_meetings, meeting_minutes
from ..serializers import meeting_view
from ..services import meetings as service
from ..reads.comments import list_comments
from ..services.users import list_groups
from ..reads.access import readable_document, readable_meeting
from .blueprint import web
from .forms import form_view
from .helpers import page_viewer
from flask_babel import lazy_gettext as _l



def _actor():
    return current_user._get_current_object()


def _agenda_from_form(clauses: list[dict]) -> list[dict]:
    """The agenda as the planning form sends it: ticked clauses, in document order, with minutes."""
    agenda = []
    for clause in clauses:
        if request.form.get(f"include-{clause['id']}"):
            minutes = request.form.get(f"minutes-{clause['id']}", "").strip()
            agenda.append({"clause_id": clause["id"], "minutes": int(minutes) if minutes.isdigit() else minutes})
    return agenda


def _meetings_page(document_id: int, error: str | None = None):
    actor = page_viewer()
    readable_document(actor, document_id)
    meetings = [meeting_view(m) for m in list_meetings(actor, document_id)]
    return render_template("meetings.html", document=document_view(document_id), meetings=meetings, error=error,
                           form=request.form if error else {}, can_run=can_run_meetings(actor))


@web.get("/documents/<int:document_id>/meetings")
def document_meetings(document_id: int):
    return _meetings_page(document_id)


@web.post("/documents/<int:document_id>/meetings")
@login_required
@form_view(lambda error, document_id: _meetings_page(document_id, error.message))
def plan_meeting(document_id: int):
    document = document_view(document_id)
    meeting = service.create_meeting(_actor(), document_id, title=request.form.get("title"),
                                     agenda=_agenda_from_form(document["clauses"]),
                                     starts_at=request.form.get("starts_at") or None)
    return redirect(url_for("web.meeting_console", meeting_id=meeting.id))


def _page_context(meeting_id: int) -> dict:
    actor = page_viewer()
    meeting = readable_meeting(actor, meeting_id)
    document = document_view(meeting.document_id)
    return {"meeting": meeting_view(meeting), "document": document, "head": chain_head()[0],
            "clauses": {c["id"]: c for c in document["clauses"]}, "actor": actor}


@web.get("/meetings/<int:meeting_id>")
def meeting_page(meeting_id: int):
    context = _page_context(meeting_id)
    comments: dict[int, list] = {}
    for comment in list_comments(context["actor"], context["document"]["id"]):
        comments.setdefault(comment.clause_id, []).append(comment)
    return render_template("meeting.html", comments=comments, can_comment=can_comment(context["actor"]),
                           can_run=can_run_meetings(context["actor"]), **context)


@web.get("/meetings/<int:meeting_id>/console")
@login_required
def meeting_console(meeting_id: int):
    if not can_run_meetings(_actor()):
        raise Forbidden(_l("Only administrators and facilitators can open a meeting's console."))
    return render_template("meeting_console.html", groups=list_groups(), **_page_context(meeting_id))


@web.get("/meetings/<int:meeting_id>/projector")
def meeting_projector(meeting_id: int):
    context = _page_context(meeting_id)
    comments: dict[int, list] = {}
    for comment in list_comments(context["actor"], context["document"]["id"]):
        if comment.meeting_id == meeting_id:
            comments.setdefault(comment.clause_id, []).append(comment)
    return render_template("meeting_projector.html", comments=comments, **context)


@web.get("/meetings/<int:meeting_id>/minutes")
def meeting_minutes_page(meeting_id: int):
    meeting = readable_meeting(page_viewer(), meeting_id)
    return render_template("meeting_minutes.html", minutes=meeting_minutes(meeting))


@web.app_template_filter("duration")
def duration_filter(seconds) -> str:
    """Seconds as h:mm:ss or m:ss."""
    if seconds is None:
        return "–"
    total = int(round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@web.app_template_filter("when")
def when_filter(iso: str | None) -> str:
    """An ISO time as the district's local time with its zone, for pages that are printed."""
    if not iso:
        return "–"
    from ..localtime import format_local

    return format_local(iso)

