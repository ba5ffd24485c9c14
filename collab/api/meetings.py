"""Meetings: plan, run and read them (API.md, plus the queue, silent rounds, attendance, minutes)."""
from flask import jsonify

from ..realtime import state
from ..reads.meetings import list_meetings, meeting_minutes
from ..serializers import meeting_view
from ..serializers import comment_to_dict
from ..models.lookups import get_meeting
from ..services import meetings as service
from ..reads.documents import ensure_readable
from .blueprint import api
from .helpers import actor, json_body


def _meeting(meeting, status: int = 200):
    return jsonify(meeting=meeting_view(meeting)), status


@api.post("/documents/<int:document_id>/meetings")
def create_meeting_view(document_id: int):
    data = json_body()
    return _meeting(service.create_meeting(actor(), document_id, title=data.get("title"),
                                           agenda=data.get("agenda"), starts_at=data.get("starts_at")), 201)


@api.get("/documents/<int:document_id>/meetings")
def list_meetings_view(document_id: int):
    return jsonify(meetings=[meeting_view(m) for m in list_meetings(actor(), document_id)])


@api.get("/meetings/<int:meeting_id>")
def show_meeting(meeting_id: int):
    ensure_readable(actor())
    return _meeting(get_meeting(meeting_id))


@api.get("/meetings/<int:meeting_id>/minutes")
def meeting_minutes_view(meeting_id: int):
    ensure_readable(actor())
    return jsonify(minutes=meeting_minutes(get_meeting(meeting_id)))


@api.post("/meetings/<int:meeting_id>/start")
def start_meeting_view(meeting_id: int):
    # The people on the meeting's page (any server process) are present from the start.
    return _meeting(service.start_meeting(actor(), meeting_id,
                                          connected_user_ids=state.registry.meeting_user_ids))


@api.post("/meetings/<int:meeting_id>/end")
def end_meeting_view(meeting_id: int):
    return _meeting(service.end_meeting(actor(), meeting_id))


@api.post("/meetings/<int:meeting_id>/focus")
def focus_view(meeting_id: int):
    return _meeting(service.focus_clause(actor(), meeting_id, json_body().get("clause_id")))


@api.post("/meetings/<int:meeting_id>/hands")
def raise_hand_view(meeting_id: int):
    return _meeting(service.raise_hand(actor(), meeting_id), 201)


@api.delete("/meetings/<int:meeting_id>/hands/<int:user_id>")
def lower_hand_view(meeting_id: int, user_id: int):
    return _meeting(service.lower_hand(actor(), meeting_id, user_id))


@api.post("/meetings/<int:meeting_id>/speaker/next")
def call_next_speaker_view(meeting_id: int):
    return _meeting(service.call_next_speaker(actor(), meeting_id))


@api.post("/meetings/<int:meeting_id>/silent-rounds")
def start_silent_round_view(meeting_id: int):
    user = actor()
    data = json_body()
    service.start_silent_round(user, meeting_id, data.get("clause_id"))
    return _meeting(get_meeting(meeting_id), 201)


@api.post("/meetings/<int:meeting_id>/silent-rounds/current/reveal")
def reveal_silent_round_view(meeting_id: int):
    comments = service.reveal_silent_round(actor(), meeting_id)
    return jsonify(meeting=meeting_view(get_meeting(meeting_id)),
                   comments=[comment_to_dict(c) for c in comments])


@api.post("/meetings/<int:meeting_id>/attendance")
def record_attendance_view(meeting_id: int):
    data = json_body()
    service.record_attendance(actor(), meeting_id, name=data.get("name"), group=data.get("group"))
    return _meeting(get_meeting(meeting_id), 201)


@api.post("/meetings/<int:meeting_id>/attendance/<int:attendance_id>/end")
def end_attendance_view(meeting_id: int, attendance_id: int):
    service.end_attendance(actor(), meeting_id, attendance_id)
    return _meeting(get_meeting(meeting_id))
