"""The live channel's subscription to committed changes: each event goes to its document's
room under its action, and notices close sockets or tell a room a silent round's count.

Runs after the commit, outside any service: nothing here writes. A failed send is
logged, never raised: the event is stored and clients catch up by seq.
"""
from __future__ import annotations

import logging

from socketio import PubSubManager

from ..audience import MODERATORS, hides_names, serving
from ..events import Committed, Notice, RecordedEvent, event_to_dict
from ..extensions import socketio
from ..reads.audit import live_payloads
from . import state

log = logging.getLogger(__name__)


def deliver(items: list[Committed]) -> None:
    """Send one committed transaction's events and notices, in the order they were recorded."""
    for item in items:
        if isinstance(item, RecordedEvent):
            _send_event(item)
        elif isinstance(item, Notice):
            handler = NOTICE_HANDLERS.get(item.kind)
            if handler is not None:
                _isolated(handler, item)


def _send_event(item: RecordedEvent) -> None:
    """A room has two parts: readers (`document:<id>`) get the payload as the public sees it
    (the services serialise it for the public); moderators (`document:<id>:names`) get every
    name. Both get the same payload when it hides no one's name."""
    event = item.event
    if event.document_id is None or not item.broadcast:
        return
    readers, moderators = f"document:{event.document_id}", f"document:{event.document_id}:names"
    try:
        payload = {**event_to_dict(event), **item.live}
        if hides_names(payload):
            socketio.emit(event.action, payload, to=readers)
            if may_have_members(moderators):
                socketio.emit(event.action, _moderators_payload(item, payload), to=moderators)
        else:
            socketio.emit(event.action, payload, to=[readers, moderators])
    except Exception:  # noqa: BLE001 — the commit stands whatever the broadcast does
        log.exception("could not broadcast event %s", event.seq)


def may_have_members(room: str) -> bool:
    """False only when no socket can be in `room`: one process (no message queue) and nobody
    in it here. Rebuilding a payload with every name reads the database once per event, for
    a part of the room that is usually empty (moderators)."""
    manager = socketio.server.manager
    if isinstance(manager, PubSubManager):
        return True  # members may be on another process
    return bool(manager.rooms.get("/", {}).get(room))


def _moderators_payload(item: RecordedEvent, payload: dict) -> dict:
    """The payload with every name: as the service made it when it could, else rebuilt."""
    if item.live_with_names:
        with_names = {**payload, **item.live_with_names}
        if not hides_names(with_names):
            return with_names
    return payload_with_names(item.event, payload)


def payload_with_names(event, payload: dict) -> dict:
    """An event's payload as moderators see it: its comment, comments, meeting and resolution
    rebuilt with every name (the public payload otherwise)."""
    with serving(MODERATORS):
        rebuilt = live_payloads([event])
    if not rebuilt:
        return payload
    return {**payload, **{key: rebuilt[0][key]
                          for key in ("comment", "comments", "meeting", "resolution", "representative")
                          if key in payload and key in rebuilt[0]}}


def _isolated(handler, notice: Notice) -> None:
    try:
        handler(**notice.payload)
    except Exception:  # noqa: BLE001 — the commit stands; the next event carries the state again
        log.exception("could not deliver notice %s", notice.kind)


def disconnect_sockets(user_id: int | None = None, credential_id: int | None = None) -> None:
    """Close open sockets of a user or of one credential, on whichever process holds them."""
    for sid in state.registry.sids_where(user_id=user_id, credential_id=credential_id):
        try:
            socketio.server.disconnect(sid, namespace="/")
        except Exception:  # noqa: BLE001
            log.exception("could not disconnect socket %s", sid)


def _silent_round_progress(document_id: int, meeting_id: int, round_id: int, comment_count: int) -> None:
    """Only how many comments a silent round holds is told to the room, never who or what."""
    socketio.emit("meeting.silent_round_progress",
                  {"document_id": document_id, "meeting_id": meeting_id, "round_id": round_id,
                   "comment_count": comment_count}, to=[f"document:{document_id}", f"document:{document_id}:names"])


NOTICE_HANDLERS = {
    "user.deactivated": lambda user_id: disconnect_sockets(user_id=user_id),
    "credential.revoked": lambda credential_id: disconnect_sockets(credential_id=credential_id),
    "meeting.silent_round_progress": _silent_round_progress,
}
