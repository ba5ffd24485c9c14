"""Who is connected and who is on which document, shared by every server process.

With one process a dict is enough; with several (SOCKETIO_MESSAGE_QUEUE set) the
registry lives in the same Redis, so presence and sign-out reach every process.
A crashed process's sockets drop out when its heartbeat key expires.

While Redis is unreachable each process goes on serving its own sockets from its own
copy (logged once per outage); when Redis answers again, the process writes its
sockets back, so the other processes see them again.
"""
from __future__ import annotations

import functools
import json
import logging
import threading
import uuid
from dataclasses import asdict, dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connection:
    """One socket. A reader without an account has no user, name, group or credential."""
    sid: str
    user_id: int | None
    name: str | None
    group: str | None
    credential_id: int | None
    show_name: bool = True


def _presence_list(connections: list[Connection]) -> list[dict]:
    """The signed-in people on a document, each once, named as they chose to be in public
    (presence goes to every reader in the room, signed in or not)."""
    people = {c.user_id: {"user_id": c.user_id, "name": c.name if c.show_name else None, "group": c.group}
              for c in connections if c.user_id is not None}
    # Named people by name, then those who show only their group.
    return sorted(people.values(), key=lambda p: (p["name"] is None, (p["name"] or "").lower(), p["user_id"]))


def _anonymous_count(connections: list[Connection]) -> int:
    """Readers without an account, counted by socket (they have nothing else to tell them apart)."""
    return sum(1 for c in connections if c.user_id is None)


class MemoryRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        self._documents: dict[int, set[str]] = {}
        self._meetings: dict[int, set[str]] = {}

    def add(self, connection: Connection) -> None:
        with self._lock:
            self._connections[connection.sid] = connection

    def remove(self, sid: str) -> list[int]:
        """Forget a socket; return the documents it was on."""
        with self._lock:
            self._connections.pop(sid, None)
            left = [doc for doc, sids in self._documents.items() if sid in sids]
            for doc in left:
                self._documents[doc].discard(sid)
            for sids in self._meetings.values():
                sids.discard(sid)
            return left

    def join_meeting(self, sid: str, meeting_id: int) -> None:
        with self._lock:
            self._meetings.setdefault(meeting_id, set()).add(sid)

    def leave_meeting(self, sid: str, meeting_id: int) -> None:
        with self._lock:
            self._meetings.get(meeting_id, set()).discard(sid)

    def meetings_of(self, sid: str) -> list[int]:
        with self._lock:
            return [meeting for meeting, sids in self._meetings.items() if sid in sids]

    def meeting_user_ids(self, meeting_id: int) -> set[int]:
        """The people with at least one live socket on a meeting."""
        with self._lock:
            return {self._connections[s].user_id for s in self._meetings.get(meeting_id, set())
                    if s in self._connections}

    def join(self, sid: str, document_id: int) -> None:
        with self._lock:
            self._documents.setdefault(document_id, set()).add(sid)

    def leave(self, sid: str, document_id: int) -> None:
        with self._lock:
            self._documents.get(document_id, set()).discard(sid)

    def _on(self, document_id: int) -> list[Connection]:
        with self._lock:
            sids = self._documents.get(document_id, set())
            return [self._connections[s] for s in sids if s in self._connections]

    def presence(self, document_id: int) -> list[dict]:
        return _presence_list(self._on(document_id))

    def presence_summary(self, document_id: int) -> dict:
        """`presence` (the people) and `anonymous` (how many readers without an account)."""
        connections = self._on(document_id)
        return {"presence": _presence_list(connections), "anonymous": _anonymous_count(connections)}

    def sids_where(self, user_id: int | None = None, credential_id: int | None = None) -> list[str]:
        with self._lock:
            return [c.sid for c in self._connections.values()
                    if (user_id is not None and c.user_id == user_id)
                    or (credential_id is not None and c.credential_id == credential_id)]


def _or_local(method):
    """Run a RedisRegistry method; while Redis is unreachable, the same method of the
    process's own MemoryRegistry answers instead (it holds this process's sockets)."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self._down:
            return getattr(self._local, method.__name__)(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except self._errors as error:
            self._went_down(error)
            return getattr(self._local, method.__name__)(*args, **kwargs)
    return wrapper


def _mirrored(method):
    """A change: made in the process's own copy, then in Redis unless it is unreachable."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        local_answer = getattr(self._local, method.__name__)(*args, **kwargs)
        if self._down:
            return local_answer
        try:
            return method(self, *args, **kwargs)
        except self._errors as error:
            self._went_down(error)
            return local_answer
    return wrapper


class RedisRegistry:
    HEARTBEAT_SECONDS = 10
    HEARTBEAT_TTL = 30

    def __init__(self, url: str, start_background_task) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=2, socket_timeout=5)
        self._errors = (redis.RedisError, OSError)
        self._local = MemoryRegistry()
        self._down = False
        self.server_id = uuid.uuid4().hex
        try:
            self._beat()
        except self._errors as error:
            self._went_down(error)
        start_background_task(self._heartbeat_forever)

    def _went_down(self, error: BaseException) -> None:
        if not self._down:
            log.warning("Redis unreachable (%s): live presence and sign-outs reach this process's sockets only "
                        "until it is back", error.__class__.__name__)
        self._down = True

    def _beat(self) -> None:
        self._redis.set(f"cg:server:{self.server_id}", "1", ex=self.HEARTBEAT_TTL)

    def _heartbeat_forever(self) -> None:
        import time

        while True:
            time.sleep(self.HEARTBEAT_SECONDS)
            try:
                self._beat()
                if self._down:
                    self._write_back()
            except self._errors as error:
                self._went_down(error)

    def _write_back(self) -> None:
        """Redis is back: put this process's sockets there again, then use it again."""
        local = self._local
        with local._lock:
            connections = list(local._connections.values())
            documents = {doc: set(sids) for doc, sids in local._documents.items()}
            meetings = {meeting: set(sids) for meeting, sids in local._meetings.items()}
        # What Redis still holds of this process is from before the outage: replace it.
        sids = list(self._redis.smembers("cg:conns"))
        records = self._redis.mget([f"cg:conn:{s}" for s in sids]) if sids else []
        for sid, record in zip(sids, records):
            if record and json.loads(record).get("server") == self.server_id:
                RedisRegistry.remove.__wrapped__(self, sid)
        for connection in connections:
            RedisRegistry.add.__wrapped__(self, connection)
        for doc, sids in documents.items():
            for sid in sids:
                RedisRegistry.join.__wrapped__(self, sid, doc)
        for meeting, sids in meetings.items():
            for sid in sids:
                RedisRegistry.join_meeting.__wrapped__(self, sid, meeting)
        self._down = False
        log.info("Redis reachable again: live presence is shared across processes again")

    @_mirrored
    def add(self, connection: Connection) -> None:
        record = json.dumps({**asdict(connection), "server": self.server_id})
        pipe = self._redis.pipeline()
        pipe.set(f"cg:conn:{connection.sid}", record)
        pipe.sadd("cg:conns", connection.sid)
        pipe.execute()

    @_mirrored
    def remove(self, sid: str) -> list[int]:
        docs = [int(d) for d in self._redis.smembers(f"cg:conn:{sid}:docs")]
        pipe = self._redis.pipeline()
        for doc in docs:
            pipe.srem(f"cg:doc:{doc}", sid)
        for meeting in self.meetings_of(sid):
            pipe.srem(f"cg:meeting:{meeting}", sid)
        pipe.delete(f"cg:conn:{sid}", f"cg:conn:{sid}:docs", f"cg:conn:{sid}:meetings")
        pipe.srem("cg:conns", sid)
        pipe.execute()
        return docs

    @_mirrored
    def join(self, sid: str, document_id: int) -> None:
        pipe = self._redis.pipeline()
        pipe.sadd(f"cg:doc:{document_id}", sid)
        pipe.sadd(f"cg:conn:{sid}:docs", document_id)
        pipe.execute()

    @_mirrored
    def leave(self, sid: str, document_id: int) -> None:
        pipe = self._redis.pipeline()
        pipe.srem(f"cg:doc:{document_id}", sid)
        pipe.srem(f"cg:conn:{sid}:docs", document_id)
        pipe.execute()

    @_mirrored
    def join_meeting(self, sid: str, meeting_id: int) -> None:
        pipe = self._redis.pipeline()
        pipe.sadd(f"cg:meeting:{meeting_id}", sid)
        pipe.sadd(f"cg:conn:{sid}:meetings", meeting_id)
        pipe.execute()

    @_mirrored
    def leave_meeting(self, sid: str, meeting_id: int) -> None:
        pipe = self._redis.pipeline()
        pipe.srem(f"cg:meeting:{meeting_id}", sid)
        pipe.srem(f"cg:conn:{sid}:meetings", meeting_id)
        pipe.execute()

    @_or_local
    def meetings_of(self, sid: str) -> list[int]:
        return [int(m) for m in self._redis.smembers(f"cg:conn:{sid}:meetings")]

    @_or_local
    def meeting_user_ids(self, meeting_id: int) -> set[int]:
        """The people with at least one live socket on a meeting, on any live process."""
        return {c.user_id for c in self._live(list(self._redis.smembers(f"cg:meeting:{meeting_id}")))}

    def _live(self, sids: list[str]) -> list[Connection]:
        if not sids:
            return []
        records = self._redis.mget([f"cg:conn:{s}" for s in sids])
        parsed = [(sid, json.loads(r) if r else None) for sid, r in zip(sids, records)]
        servers = sorted({p["server"] for _, p in parsed if p})
        alive = dict(zip(servers, self._redis.mget([f"cg:server:{s}" for s in servers]))) if servers else {}
        live = []
        for sid, record in parsed:
            if record and alive.get(record["server"]):
                record.pop("server")
                live.append(Connection(**record))
            else:
                self.remove(sid)  # its process is gone
        return live

    @_or_local
    def presence(self, document_id: int) -> list[dict]:
        return _presence_list(self._live(list(self._redis.smembers(f"cg:doc:{document_id}"))))

    @_or_local
    def presence_summary(self, document_id: int) -> dict:
        connections = self._live(list(self._redis.smembers(f"cg:doc:{document_id}")))
        return {"presence": _presence_list(connections), "anonymous": _anonymous_count(connections)}

    @_or_local
    def sids_where(self, user_id: int | None = None, credential_id: int | None = None) -> list[str]:
        return [c.sid for c in self._live(list(self._redis.smembers("cg:conns")))
                if (user_id is not None and c.user_id == user_id)
                or (credential_id is not None and c.credential_id == credential_id)]
