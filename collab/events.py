"""The service transaction, the hash-chained event log, and delivery after commit.

Every change of state runs inside `transaction()`: the rows and their events are
written in one database transaction. Once it has committed, its events and notices
go, in the order recorded, to the subscribers registered at start-up (the live
channel is one). Nothing is delivered that was not stored: a rollback delivers nothing.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from .audience import serving
from .extensions import db
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
    """The plain SHA-256 that stands in the chain (`*_sha256`) for a text that is never
    redacted (clauses, titles, notes). Redactable texts take `salted_digest`."""
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def salted_digest(text: str | None, salt: str | None) -> str | None:
    """The digest that stands in the chain (`*_hmac`) for a redactable text: keyed by a
    random salt kept beside the text and deleted with it, so once the text is redacted
    nobody can confirm a guess at it (a phone number, a child's name) against the chain."""
    if text is None or salt is None:
        return None
    from .verify import hmac_text

    return hmac_text(text, salt)


def stored_text_digest(text: str, salt: str | None) -> tuple[str, str]:
    """("hmac", digest) for a text stored with a salt, ("sha256", digest) for one written
    before salts (its event holds the plain digest)."""
    if salt is not None:
        return "hmac", salted_digest(text, salt)
    return "sha256", text_digest(text)


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
class RecordedEvent:
    """A stored event as subscribers receive it after the commit. `live` holds the objects
    its broadcast carries (e.g. the comment as GET shows it); `broadcast` is False for an
    event the live channel must not send (a silent round's comments until the reveal).
    `live_with_names` is `live` as moderators see it, when the service had the objects at hand
    and `live` hides a name (None: the live channel rebuilds it if moderators are in the room)."""
    event: Event
    live: dict = field(default_factory=dict)
    broadcast: bool = True
    live_with_names: dict | None = None


@dataclass(frozen=True)
class Notice:
    """A fact for subscribers that is not part of the log: `user.deactivated` {user_id} and
    `credential.revoked` {credential_id} (their sockets must close), and
    `meeting.silent_round_progress` {document_id, meeting_id, round_id, comment_count}; `mail.queued`
    {mail_id} or {count} (wakes the mail worker); `text.redacted` (SQLite's log is emptied of the old text);
    `notifications.created` {notifications} (the live channel sends each to its owner)."""
    kind: str
    payload: dict


Committed = RecordedEvent | Notice
Subscriber = Callable[[list[Committed]], None]
_SUBSCRIBERS = "collab.subscribers"


def subscribe(callback: Subscriber, app: Flask | None = None) -> None:
    """Deliver every committed transaction's events and notices, in order, to `callback`.
    Registered per app at start-up; registering the same callback again changes nothing."""
    subscribers = (app or current_app).extensions.setdefault(_SUBSCRIBERS, [])
    if callback not in subscribers:
        subscribers.append(callback)


def _deliver(items: list[Committed]) -> None:
    """Hand a committed transaction's items to each subscriber. A failing subscriber is
    logged and the others still get them: the commit stands whatever a subscriber does."""
    if not items:
        return
    for callback in list(current_app.extensions.get(_SUBSCRIBERS, ())):
        try:
            callback(items)
        except Exception:  # noqa: BLE001 — the commit stands
            log.exception("subscriber %s failed", getattr(callback, "__qualname__", callback))


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


@contextmanager
def transaction() -> Iterator[None]:
    """Run a service's writes as one transaction; deliver its events and notices after the commit."""
    session = db.session()
    if session.info.get("service_transaction"):
        # A service called from another service joins the outer transaction.
        yield
        return
    if session.in_transaction():
        # End the read snapshot a view may hold, so the write starts fresh.
        session.commit()
    group = _group_commit() if _is_sqlite() else None
    if group is not None:
        # The group delivers its members' items after its COMMIT (collab/group_commit.py).
        token = writing.set(True)
        try:
            with group.member(session) as delivered_by_group:
                with _service_body(session) as pending:
                    yield
                delivered_by_group.extend(pending)
        finally:
            writing.reset(token)
        return
    with _sqlite_write_lock if _is_sqlite() else nullcontext():
        token = writing.set(True)
        try:
            with _service_body(session) as pending:
                yield
        finally:
            writing.reset(token)
    _deliver(pending)


@contextmanager
def _service_body(session) -> Iterator[list[Committed]]:
    """The service's writes, committed (or rolled back) as one transaction; yields the list of
    its events and notices, complete once the block has committed."""
    # What a service serialises for a broadcast reaches every reader in the room.
    public = serving(None)
    public.__enter__()
    pending: list[Committed] = []
    session.info["service_transaction"] = True
    session.info["pending"] = pending
    undos: list[Callable[[], None]] = []
    session.info["on_rollback"] = undos
    stored: list = []
    session.info["stored_objects"] = stored
    try:
        yield pending
        _store_head(session)
        session.commit()
    except BaseException:
        session.rollback()
        _forget(session, stored)
        _undo_outside_the_database(undos)
        raise
    finally:
        session.info.pop("service_transaction", None)
        session.info.pop("pending", None)
        session.info.pop("on_rollback", None)
        session.info.pop("stored_objects", None)
        session.info.pop("chain_head", None)
        public.__exit__(None, None, None)


_GROUP_COMMIT = "collab.group_commit"


def _group_commit():
    """This app's group commit on SQLite (SQLITE_GROUP_COMMIT), made on first use."""
    app = current_app
    if not app.config.get("SQLITE_GROUP_COMMIT"):
        return None
    group = app.extensions.get(_GROUP_COMMIT)
    if group is None or group.engine is not db.engine:
        from .group_commit import GroupCommit

        group = app.extensions[_GROUP_COMMIT] = GroupCommit(db.engine, _sqlite_write_lock, _deliver_after_group)
    return group


def _deliver_after_group(items: list[Committed]) -> None:
    # A subscriber that reads must not begin with BEGIN IMMEDIATE (as `writing` would make
    # it): it would hold SQLite's write lock while the next group waits for it.
    token = writing.set(False)
    try:
        _deliver(items)
    finally:
        writing.reset(token)


def _forget(session, stored: list) -> None:
    """Take the objects of rolled-back Core INSERTs (`stored_object`) out of the session: their
    rows are gone, and a later row may take the same id."""
    for instance in stored:
        if instance in session:
            session.expunge(instance)


def on_rollback(undo: Callable[[], None]) -> None:
    """Inside transaction(): undo something done outside the database (a file written) if this
    transaction, or the one it joined, rolls back."""
    if not db.session.info.get("service_transaction"):
        raise RuntimeError("on_rollback must run inside transaction()")
    db.session.info["on_rollback"].append(undo)


def _undo_outside_the_database(undos: list[Callable[[], None]]) -> None:
    for undo in reversed(undos):
        try:
            undo()
        except Exception:  # noqa: BLE001 — the rollback's own error is the one to raise
            log.exception("undoing %s after a rollback failed", getattr(undo, "__qualname__", undo))


# The chain head and the log are written with Core statements built once: an event is
# append-only and never changed afterwards, so the ORM's unit of work (an object, its
# state, a flush) was only overhead on every change of state.
_HEAD = ChainHead.__table__
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()
_ADVANCE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1)
                 .values(seq=bindparam("new_seq"), hash=bindparam("new_hash")))
_READ_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)
_INSERT_EVENT = insert(Event.__table__)


def stored_object(instance):
    """`instance`, whose row a Core INSERT has just written with every column it holds, put in
    the session as that stored row (no flush, no read back): queries in this session return
    this very object, and it stays readable after the commit."""
    make_transient_to_detached(instance)
    db.session.add(instance)
    # Not a new object to the session, so a rollback would only expire it: taken out instead.
    db.session.info["stored_objects"].append(instance)
    return instance


def stored_row(model, values: dict, empty_collections: tuple[str, ...] = ()):
    """`stored_object` for an object made from `values` (every column of the row a Core
    INSERT has just written, and any many-to-one objects at hand) without attribute events:
    nothing in it is a change, and the events cost more than the INSERT. The collections
    named start empty (a new row has nothing pointing at it)."""
    instance = sa_inspect(model).class_manager.new_instance()
    instance.__dict__.update(values)
    for name in empty_collections:
        set_committed_value(instance, name, [])
    return stored_object(instance)


class _Head:
    """The chain head as this transaction holds it locked: seq and hash of its last event, and
    the seq its row holds (written once, just before the commit, however many events there are)."""
    __slots__ = ("seq", "hash", "stored_seq")

    def __init__(self, seq: int, hash_: str) -> None:
        self.seq, self.hash, self.stored_seq = seq, hash_, seq


def _store_head(session) -> None:
    """Write the transaction's last seq and hash into the chain head row, if it appended events."""
    head = session.info.get("chain_head")
    if head is not None and head.seq != head.stored_seq:
        session.connection().execute(_ADVANCE_HEAD, {"new_seq": head.seq, "new_hash": head.hash})
        head.stored_seq = head.seq


def _locked_head() -> _Head:
    """The chain head, locked for the rest of the service transaction (read once per
    transaction: the lock keeps every other writer from changing it meanwhile)."""
    info = db.session.info
    if not info.get("service_transaction"):
        raise RuntimeError("the chain head is only written inside transaction()")
    head = info.get("chain_head")
    if head is None:
        seq, hash_ = db.session.connection().execute(_LOCK_HEAD).one()
        head = info["chain_head"] = _Head(seq, hash_)
    return head


def holds_locked_head() -> bool:
    """Whether this service transaction has read and locked the chain head already."""
    return db.session.info.get("chain_head") is not None


def hold_locked_head(seq: int, hash_: str) -> None:
    """The chain head as a statement that locked it with other rows read it (FOR UPDATE OF
    chain_head), held for the rest of the transaction as `_locked_head` would have read it."""
    info = db.session.info
    if not info.get("service_transaction"):
        raise RuntimeError("the chain head is only locked inside transaction()")
    if info.get("chain_head") is None:
        info["chain_head"] = _Head(seq, hash_)


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
    # The rows the event is about go to the database first (as they did when the event
    # was an ORM object flushed with them).
    session.flush()
    seq, at, actor_id = head.seq + 1, utcnow(), actor.id if actor else None
    data_json = canonical_json(data)
    # `data` as the chain hashes it: its canonical JSON read back (what a verifier reads).
    event_hash = compute_hash(head.hash, {"seq": seq, "at": isoformat(at), "actor": actor_id, "action": action,
                                          "document_id": document_id, "subject": subject,
                                          "data": json.loads(data_json)})
    row = {"seq": seq, "at": at, "actor_id": actor_id, "action": action, "document_id": document_id,
           "subject": subject, "data": data_json, "prev_hash": head.hash, "hash": event_hash}
    session.connection().execute(_INSERT_EVENT, row)
    # The head row is written once at the commit (_store_head); the lock taken when it was
    # read keeps every other writer out until then.
    head.seq, head.hash = seq, event_hash
    event = stored_row(Event, row)
    session.info["pending"].append(RecordedEvent(event, live or {}, broadcast))
    return event


def record_notice(kind: str, **payload: Any) -> Notice:
    """Tell subscribers something after the commit that is not a log event (see `Notice`).
    Delivered in order with the transaction's events; never on rollback."""
    if not db.session.info.get("service_transaction"):
        raise RuntimeError("record_notice must run inside transaction()")
    notice = Notice(kind, payload)
    db.session.info["pending"].append(notice)
    return notice


def attach_live(event: Event, live: dict, with_names: dict | None = None) -> None:
    """Add objects to an event's broadcast payload once they are complete; `with_names`, the
    same objects as moderators see them, spares the live channel reading them again."""
    for item in db.session.info.get("pending", []):
        if isinstance(item, RecordedEvent) and item.event is event:
            item.live.update(live)
            if with_names:
                item.live_with_names = {**(item.live_with_names or {}), **with_names}


def chain_head() -> tuple[int, str]:
    """(seq, hash) of the last stored event, read from the database (never a remembered object)."""
    row = db.session.execute(_READ_HEAD).first()
    if row is None:
        return 0, GENESIS_HASH
    return row.seq, row.hash


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
