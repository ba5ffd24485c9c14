"""The service transaction, the hash-chained event log, and publishing after commit.

Every change of state runs inside `transaction()`: the rows and their events are
written in one database transaction, and the events are broadcast only once that
transaction has committed. Nothing is broadcast that was not stored.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from sqlalchemy import select

from .audience import hides_names, serving
from .extensions import db, socketio
from .models import ChainHead, Checkpoint, Event, User
from .models.events import GENESIS_HASH
from .timeutil import isoformat, utcnow

log = logging.getLogger(__name__)

# Read by the SQLite "begin" hook: write transactions take the lock up front
# (BEGIN IMMEDIATE) instead of failing later when upgrading a read lock.
writing: contextvars.ContextVar[bool] = contextvars.ContextVar("writing", default=False)

# SQLite has one writer at a time; queueing writers here, rather than letting
# them spin on the database lock, keeps latency flat. Under gevent this lock is
# patched into a greenlet lock. PostgreSQL serialises on the chain head row instead.
_sqlite_write_lock = threading.RLock()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_digest(text: str | None) -> str | None:
    """The digest that stands in the chain for a free text, so the text can be redacted later."""
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chained_fields(event: Event) -> dict:
    return {
        "seq": event.seq,
        "at": isoformat(event.at),
        "actor": event.actor_id,
        "action": event.action,
        "document_id": event.document_id,
        "subject": event.subject,
        "data": json.loads(event.data),
    }


def compute_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


@dataclass
class _Pending:
    event: Event
    live: dict = field(default_factory=dict)
    broadcast: bool = True


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


@contextmanager
def transaction() -> Iterator[None]:
    """Run a service's writes as one transaction; publish its events after the commit."""
    session = db.session()
    if session.info.get("service_transaction"):
        # A service called from another service joins the outer transaction.
        yield
        return
    if session.in_transaction():
        # End the read snapshot a view may hold, so the write starts fresh.
        session.commit()
    with _sqlite_write_lock if _is_sqlite() else nullcontext():
        token = writing.set(True)
        # What a service serialises for a broadcast reaches every reader in the room.
        public = serving(None)
        public.__enter__()
        session.info["service_transaction"] = True
        session.info["pending_events"] = []
        session.info["after_commit"] = []
        try:
            yield
            session.commit()
            pending: list[_Pending] = session.info["pending_events"]
            callbacks = session.info["after_commit"]
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop("service_transaction", None)
            session.info.pop("pending_events", None)
            session.info.pop("after_commit", None)
            session.info.pop("chain_head", None)
            writing.reset(token)
            public.__exit__(None, None, None)
    for item in pending:
        publish(item)
    for callback in callbacks:
        try:
            callback()
        except Exception:  # noqa: BLE001 — the commit stands
            log.exception("after-commit action failed")


def after_commit(callback) -> None:
    """Run `callback` once the current service transaction has committed (never on rollback)."""
    db.session.info["after_commit"].append(callback)


_LOCK_HEAD = (select(ChainHead).where(ChainHead.id == 1).with_for_update()
              .execution_options(populate_existing=True))


def _locked_head() -> ChainHead:
    """The chain head, locked for the rest of the service transaction (read once per
    transaction: the lock keeps every other writer from changing it meanwhile)."""
    info = db.session.info
    if not info.get("service_transaction"):
        raise RuntimeError("the chain head is only written inside transaction()")
    head = info.get("chain_head")
    if head is None:
        # populate_existing: a head object an earlier transaction of this session left
        # in the identity map would otherwise keep its old seq.
        head = db.session.execute(_LOCK_HEAD).scalar_one()
        info["chain_head"] = head
    return head


def next_seq() -> int:
    """The seq the next event of this transaction will get, so that a row can carry its
    event's seq from its INSERT on (the chain head stays locked until the commit)."""
    return _locked_head().seq + 1


def record_event(
    action: str,
    actor: User | None,
    subject: str,
    data: dict,
    document_id: int | None = None,
    live: dict | None = None,
    broadcast: bool = True,
) -> Event:
    """Append one event to the chain inside the current service transaction.

    `data` is hashed, so it must hold digests of free texts, never the texts.
    `live` is added to the broadcast payload (e.g. the comment as GET shows it).
    `broadcast=False` stores the event without sending it live (a silent round's
    comments stay unseen until the reveal, which sends them together).
    """
    session = db.session
    if not session.info.get("service_transaction"):
        raise RuntimeError("record_event must run inside transaction()")
    head = _locked_head()
    event = Event(
        seq=head.seq + 1,
        at=utcnow(),
        actor_id=actor.id if actor else None,
        action=action,
        document_id=document_id,
        subject=subject,
        data=canonical_json(data),
        prev_hash=head.hash,
    )
    event.hash = compute_hash(head.hash, chained_fields(event))
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    session.flush()
    session.info["pending_events"].append(_Pending(event, live or {}, broadcast))
    return event


def attach_live(event: Event, live: dict) -> None:
    """Add objects to an event's broadcast payload once they are complete."""
    for item in db.session.info.get("pending_events", []):
        if item.event is event:
            item.live.update(live)


# Set by the live channel at start-up: the payload of an event as moderators see it (every name).
names_payload: Callable[[Event, dict], dict] | None = None


def publish(item: _Pending) -> None:
    """Send a committed event to its document's room. A failure is logged, never
    raised: the event is stored and clients catch up by seq.

    A room has two parts: readers (`document:<id>`) get the payload as the public sees it;
    moderators (`document:<id>:names`) get every name. Both get the same payload when it
    hides no one's name."""
    event = item.event
    if event.document_id is None or not item.broadcast:
        return

    payload = {**event_to_dict(event), **item.live}
    readers, moderators = f"document:{event.document_id}", f"document:{event.document_id}:names"
    try:
        if names_payload is not None and hides_names(payload):
            socketio.emit(event.action, payload, to=readers)
            socketio.emit(event.action, names_payload(event, payload), to=moderators)
        else:
            socketio.emit(event.action, payload, to=[readers, moderators])
    except Exception:  # noqa: BLE001 — the commit stands whatever the broadcast does
        log.exception("could not broadcast event %s", event.seq)


def chain_head() -> tuple[int, str]:
    head = db.session.get(ChainHead, 1)
    if head is None:
        return 0, GENESIS_HASH
    return head.seq, head.hash


def record_checkpoint(reason: str, document_id: int | None = None) -> Checkpoint:
    """Publish the chain's head as it stands after this transaction's last event so far.
    Call it right after the milestone's own event (a version, a period's close, a meeting's end)."""
    head = _locked_head()
    checkpoint = Checkpoint(seq=head.seq, at=utcnow(), head_hash=head.hash, reason=reason,
                            document_id=document_id)
    db.session.add(checkpoint)
    db.session.flush()
    return checkpoint


def event_to_dict(event: Event) -> dict:
    from .events import chained_fields

    return {**chained_fields(event), "prev_hash": event.prev_hash, "hash": event.hash}
