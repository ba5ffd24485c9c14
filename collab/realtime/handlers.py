"""Socket.IO handlers: authenticate at connect, authorise at join (the room is the
visibility check), re-check the user on every event, call the services."""
from __future__ import annotations

import functools
import logging
import threading

from flask import current_app, request, session
from flask_socketio import Namespace, join_room, leave_room

from ..auth import SESSION_KEY
from ..errors import Invalid, RateLimited, ServiceError, Unauthenticated
from ..extensions import db, socketio
from ..models import Credential
from ..permissions import can_read, can_see_names
from ..rate_limits import allow_anonymous, spend_comment_budget
from ..reads.audit import catch_up
from ..serializers import comment_to_dict
from ..services.comments import create_comment
from ..audience import serving
from ..reads.access import readable_document
from ..services.users import find_credential
from ..parsing import optional_int
from . import state
from .registry import Connection
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

# The connection's WSGI environ lives as long as the socket: its credential is kept there.
SOCKET_KEY = "collab.credential_id"


def _room(document_id: int) -> str:
    return f"document:{document_id}"


def _names_room(document_id: int) -> str:
    """Moderators' part of a document's room: their broadcasts carry every name."""
    return f"document:{document_id}:names"


def _rooms(document_id: int) -> list[str]:
    return [_room(document_id), _names_room(document_id)]


def join_document_room(viewer, document_id: int) -> None:
    join_room(_names_room(document_id) if can_see_names(viewer) else _room(document_id))


def leave_document_room(document_id: int) -> None:
    leave_room(_room(document_id))
    leave_room(_names_room(document_id))


def _current_actor():
    """The socket's user, re-read now: a revoked credential, a deactivated user or
    a changed role takes effect at the next event. A reader without an account may
    only read: every write answers `unauthenticated` (the socket stays open)."""
    credential_id = request.environ.get(SOCKET_KEY)
    if credential_id is None:
        raise Unauthenticated(_l("Sign in to take part: without an account you can only read."))
    credential = db.session.get(Credential, credential_id)
    if credential is None or credential.revoked_at is not None or not credential.user.is_active:
        socketio.server.disconnect(request.sid, namespace="/")
        raise Unauthenticated(_l("Your session has ended. Sign in again."))
    return credential.user


def _socket_viewer():
    """Who reads through this socket now, for what answers show: the user while the credential
    holds, else None (the public). Refusing a revoked credential is _current_actor's job."""
    credential_id = request.environ.get(SOCKET_KEY)
    credential = db.session.get(Credential, credential_id) if credential_id else None
    if credential is None or credential.revoked_at is not None or not credential.user.is_active:
        return None
    return credential.user


def acknowledged(handler):
    """Map service errors to the `{ok: false, error}` acknowledgement."""
    @functools.wraps(handler)
    def wrapper(self, data=None):
        # Read what other requests committed, not objects a longer-lived session
        # (an outer app context, as in tests) still holds from earlier.
        db.session.expire_all()
        try:
            if data is not None and not isinstance(data, dict):
                raise Invalid(_l("Send an object."), "malformed_payload")
            with serving(_socket_viewer()):
                return handler(self, data or {})
        except ServiceError as error:
            return {"ok": False, "error": error.to_dict()}
        except Exception as error:  # noqa: BLE001 — the client gets an answer, the log the trace
            from ..http import DATABASE_UNAVAILABLE, database_unreachable

            if database_unreachable(error):
                log.error("database unreachable during a socket event")
                try:
                    db.session.rollback()
                except Exception:  # noqa: BLE001 — the connection is gone already
                    pass
                return {"ok": False, "error": {"code": "unavailable", "message": DATABASE_UNAVAILABLE}}
            log.exception("socket handler failed")
            db.session.rollback()
            return {"ok": False, "error": {"code": "internal_error",
                                           "message": "Something went wrong on our side. Nothing was changed."}}
    return wrapper


def _send_presence(document_id: int) -> None:
    socketio.emit("presence", {"document_id": document_id, **state.registry.presence_summary(document_id)},
                  to=_rooms(document_id), namespace="/")


_presence_pending: set[int] = set()
_presence_lock = threading.Lock()


def _broadcast_presence(document_id: int) -> None:
    """Tell the room who is there. Joins and leaves within PRESENCE_DEBOUNCE_SECONDS share
    one broadcast of the list as it then stands: when a meeting of a thousand people
    opens, each join would otherwise send the list to everyone already there (N² sends)."""
    delay = current_app.config["PRESENCE_DEBOUNCE_SECONDS"]
    if not delay:
        _send_presence(document_id)
        return
    with _presence_lock:
        if document_id in _presence_pending:
            return
        _presence_pending.add(document_id)
    socketio.start_background_task(_send_presence_later, document_id, delay)


def _send_presence_later(document_id: int, delay: float) -> None:
    socketio.sleep(delay)
    with _presence_lock:
        _presence_pending.discard(document_id)
    try:
        _send_presence(document_id)
    except Exception:  # noqa: BLE001 — the next join or leave sends it again
        log.exception("could not send presence of document %s", document_id)


class DocumentNamespace(Namespace):
    def on_connect(self, auth=None):
        token = auth.get("token") if isinstance(auth, dict) else None
        session_secret = session.get(SESSION_KEY)
        if not token and not session_secret:
            # Without credentials: a reader of public documents (join checks which).
            if not allow_anonymous():
                raise ConnectionRefusedError("rate_limited")
            request.environ[SOCKET_KEY] = None
            state.registry.add(Connection(sid=request.sid, user_id=None, name=None, group=None,
                                             credential_id=None))
            return True
        credential = find_credential(token, "token") if token else find_credential(session_secret, "session")
        if credential is None or not can_read(credential.user):
            raise ConnectionRefusedError("unauthorized")
        # The cookie session is read here once and never written.
        request.environ[SOCKET_KEY] = credential.id
        user = credential.user
        state.registry.add(Connection(sid=request.sid, user_id=user.id, name=user.name,
                                      group=user.group.slug, credential_id=credential.id,
                                      show_name=user.show_name))
        join_room(f"user:{user.id}")  # this person's notifications, and nobody else's
        return True

    def on_disconnect(self, reason=None):
        for document_id in state.registry.remove(request.sid):
            _broadcast_presence(document_id)

    @acknowledged
    def on_join(self, data):
        viewer = _current_actor() if request.environ.get(SOCKET_KEY) is not None else None
        if viewer is None and not allow_anonymous():
            raise RateLimited(_l("Too many requests from this address without an account. Wait a moment."))
        document_id = optional_int(data.get("document_id"), "document_id")
        if document_id is None:
            raise Invalid(_l("document_id is required."), "invalid_document_id")
        since = optional_int(data.get("since"), "since")
        readable_document(viewer, document_id)
        # Join first, then read: an event committed in between is in `missed`
        # and may also arrive live; clients de-duplicate by seq.
        join_document_room(viewer, document_id)
        state.registry.join(request.sid, document_id)
        head, head_hash, missed = catch_up(document_id, since)
        summary = state.registry.presence_summary(document_id)
        _broadcast_presence(document_id)
        return {"ok": True, "head": head, "head_hash": head_hash, **summary, "missed": missed}

    @acknowledged
    def on_leave(self, data):
        document_id = optional_int(data.get("document_id"), "document_id")
        if document_id is None:
            raise Invalid(_l("document_id is required."), "invalid_document_id")
        leave_document_room(document_id)
        state.registry.leave(request.sid, document_id)
        _broadcast_presence(document_id)
        return {"ok": True}

    @acknowledged
    def on_comment_create(self, data):
        actor = _current_actor()
        spend_comment_budget(actor.id)
        clause_id = optional_int(data.get("clause_id"), "clause_id")
        if clause_id is None:
            raise Invalid(_l("clause_id is required."), "invalid_clause_id")
        comment, _created = create_comment(
            actor, clause_id, body=data.get("body"), kind=data.get("kind"), parent_id=data.get("parent_id"),
            quote=data.get("quote"), suggested_text=data.get("suggested_text"), language=data.get("language"),
            idempotency_key=data.get("idempotency_key"))
        return {"ok": True, "comment": comment_to_dict(comment)}

    def trigger_event(self, event, *args):
        if event in RESERVED_EVENTS and _sent_by_client(event, self.namespace, args):
            # A client may not play the server's lifecycle events: a fake `disconnect`
            # would drop it from presence while it kept watching.
            log.warning("socket %s sent the reserved event name %r: ignored", args[0] if args else None, event)
            return {"ok": False, "error": {"code": "reserved_event",
                                           "message": f"{event!r} is a reserved event name."}}
        # API event names have dots: "comment.create" is handled by on_comment_create.
        return super().trigger_event((event or "").replace(".", "_"), *args)


# Names python-socketio's server triggers itself (the client's `connect_error` has no server side).
RESERVED_EVENTS = {"connect", "disconnect"}


def _sent_by_client(event: str, namespace: str, args: tuple) -> bool:
    """Whether a lifecycle event came in as a client's event packet. The server's own
    `connect` passes the socket's WSGI environ itself; its own `disconnect` runs after
    the socket was marked as leaving, so the socket no longer counts as connected."""
    sid = args[0] if args else None
    if event == "connect":
        return not (len(args) > 1 and args[1] is socketio.server.get_environ(sid, namespace))
    return socketio.server.manager.is_connected(sid, namespace)
