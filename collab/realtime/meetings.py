"""Meeting events on the live channel, and attendance kept true across reconnects.

A socket joins a meeting with `meeting.join`: it enters the document's room (the
visibility check) and the meeting's entry in the presence registry, which the
attendance sweep reads on every server process. When a person's last socket on a
meeting drops, their attendance interval ends then, unless they come back within
the grace time.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import current_app, request

from ..errors import Invalid
from ..extensions import db
from ..reads.audit import catch_up
from ..serializers import meeting_view
from ..models.lookups import get_meeting
from ..services import meetings as service
from ..parsing import optional_int
from . import state
from .handlers import (DocumentNamespace, _broadcast_presence, _current_actor, acknowledged,
                       join_document_room, leave_document_room)
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

# Kept in the connection's environ, which lives as long as the socket (like its credential).
USER_KEY = "collab.meeting_user_id"


def _meeting_id(data: dict) -> int:
    meeting_id = optional_int(data.get("meeting_id"), "meeting_id")
    if meeting_id is None:
        raise Invalid(_l("meeting_id is required."), "invalid_meeting_id")
    return meeting_id


class MeetingHandlers:
    """Handlers for `meeting.*` events; mixed into the live channel's namespace."""

    def on_connect(self, auth=None):
        accepted = super().on_connect(auth)
        _ensure_sweeper(current_app._get_current_object())
        return accepted

    def on_disconnect(self, reason=None):
        meeting_ids = state.registry.meetings_of(request.sid)
        user_id = request.environ.get(USER_KEY)
        super().on_disconnect(reason)
        for meeting_id in meeting_ids:
            _maybe_gone(user_id, meeting_id)

    @acknowledged
    def on_meeting_join(self, data):
        actor = _current_actor()
        meeting_id = _meeting_id(data)
        since = optional_int(data.get("since"), "since")
        meeting = get_meeting(meeting_id)
        document_id = meeting.document_id
        request.environ[USER_KEY] = actor.id
        # Registry first, then the attendance row: the sweep reads rows, then the registry.
        join_document_room(actor, document_id)
        state.registry.join(request.sid, document_id)
        state.registry.join_meeting(request.sid, meeting_id)
        meeting = service.join_meeting(actor, meeting_id)
        head, head_hash, missed = catch_up(document_id, since)
        summary = state.registry.presence_summary(document_id)
        _broadcast_presence(document_id)
        return {"ok": True, "meeting": meeting_view(meeting), "head": head, "head_hash": head_hash,
                **summary, "missed": missed}

    @acknowledged
    def on_meeting_leave(self, data):
        actor = _current_actor()
        meeting_id = _meeting_id(data)
        meeting = get_meeting(meeting_id)
        state.registry.leave_meeting(request.sid, meeting_id)
        if actor.id not in state.registry.meeting_user_ids(meeting_id):
            service.leave_meeting(actor, meeting_id)
        leave_document_room(meeting.document_id)
        state.registry.leave(request.sid, meeting.document_id)
        _broadcast_presence(meeting.document_id)
        return {"ok": True}

    @acknowledged
    def on_meeting_raise_hand(self, data):
        meeting = service.raise_hand(_current_actor(), _meeting_id(data))
        return {"ok": True, "meeting": meeting_view(meeting)}

    @acknowledged
    def on_meeting_lower_hand(self, data):
        meeting = service.lower_hand(_current_actor(), _meeting_id(data), data.get("user_id"))
        return {"ok": True, "meeting": meeting_view(meeting)}

    @acknowledged
    def on_meeting_focus(self, data):
        meeting = service.focus_clause(_current_actor(), _meeting_id(data), data.get("clause_id"))
        return {"ok": True, "meeting": meeting_view(meeting)}

    @acknowledged
    def on_meeting_next_speaker(self, data):
        meeting = service.call_next_speaker(_current_actor(), _meeting_id(data))
        return {"ok": True, "meeting": meeting_view(meeting)}


class LiveNamespace(MeetingHandlers, DocumentNamespace):
    """The default namespace: documents (handlers.py) and meetings (this module)."""


def _maybe_gone(user_id: int | None, meeting_id: int) -> None:
    if user_id is None or user_id in state.registry.meeting_user_ids(meeting_id):
        return  # another tab or device of the same person is still there
    try:
        service.mark_disconnected(user_id, meeting_id)
    except Exception:  # noqa: BLE001 — the sweep closes the interval later anyway
        log.exception("could not note a disconnect from meeting %s", meeting_id)
        db.session.rollback()


_sweeper_lock = threading.Lock()
_sweeper_started = False


def _ensure_sweeper(app) -> None:
    """Start this process's attendance sweep on its first connection (a running server,
    never the command line). Tests call service.sweep_attendance themselves."""
    global _sweeper_started
    if app.config.get("TESTING") or _sweeper_started:
        return
    with _sweeper_lock:
        if _sweeper_started:
            return
        _sweeper_started = True
    from ..extensions import socketio

    socketio.start_background_task(_sweep_forever, app)


def _sweep_forever(app) -> None:
    interval = app.config.get("MEETING_SWEEP_SECONDS", 5)
    while True:
        time.sleep(interval)
        with app.app_context():
            try:
                service.sweep_attendance(state.registry.meeting_user_ids)
            except Exception:  # noqa: BLE001 — retried at the next sweep
                log.exception("attendance sweep failed")
            finally:
                db.session.remove()
