"""Group commit on SQLite: several service transactions made durable by one fsync.

With `synchronous=FULL` every COMMIT waits for an fsync of the write-ahead log (~4 ms on
this machine's disk), and SQLite admits one writer at a time: one transaction after the
other tops out near 240 commits/s whatever the CPU. Here writers that queue behind each
other share one database transaction, each in its own SAVEPOINT:

- a service's writes and its events are still atomic: its savepoint is released when it
  succeeds and rolled back when it fails, leaving the others' untouched;
- the seq stays gap-free: the chain head is read (and advanced) inside the shared
  transaction, so a rolled-back member leaves no hole, and members run one at a time;
- nothing is acknowledged or delivered before the fsync: every member waits for the
  group's COMMIT, then the committer hands all members' events and notices to the
  subscribers in seq order; a failed COMMIT fails every member, and nothing is delivered.

The last member, the one that sees no other writer waiting, commits the group. Under
gevent the COMMIT runs in gevent's thread pool, so the event loop serves requests (and
builds the next group) during the fsync.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

# A group commits at this size even if writers are still waiting (bounds a member's wait).
MAX_MEMBERS = 64


@dataclass
class _Group:
    connection: object
    transaction: object
    members: int = 0
    pending: list = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


def _off_the_loop(call: Callable[[], None]) -> None:
    """Run a blocking call (an fsync) in gevent's thread pool when the server runs on gevent."""
    try:
        from gevent import get_hub, monkey

        if monkey.is_module_patched("socket"):
            get_hub().threadpool.apply(call)
            return
    except ImportError:
        pass
    call()


class GroupCommit:
    """One per engine. `member()` wraps one service transaction; `deliver` gets the pending
    items of every member of a group, in order, after its COMMIT."""

    def __init__(self, engine, write_lock, deliver: Callable[[list], None]) -> None:
        self.engine = engine
        self.write_lock = write_lock
        self.deliver = deliver
        self.waiting = 0
        self.depth = 0  # > 1: a subscriber of a group being delivered writes (the lock is re-entered)
        self.group: _Group | None = None

    @contextmanager
    def member(self, session) -> Iterator[list]:
        """Run the body with `session` on the group's connection, in a savepoint (the caller
        has set `writing`, so the group begins with BEGIN IMMEDIATE). Yields the list the
        body's pending items go to; returns once the group is durable."""
        self.waiting += 1
        self.write_lock.acquire()
        self.waiting -= 1
        self.depth += 1
        nested = self.depth > 1
        group, ok = None, False
        try:
            if self.group is None:
                connection = self.engine.connect()
                try:
                    self.group = _Group(connection, connection.begin())
                except BaseException:
                    connection.close()  # e.g. another process held the lock past busy_timeout
                    raise
            group = self.group
            session.info["group_connection"] = group.connection
            pending: list = []
            try:
                yield pending
                ok = True
            finally:
                session.info.pop("group_connection", None)
            group.members += 1
            group.pending.extend(pending)
        finally:
            # Nested: this greenlet holds the lock for the outer delivery, so nobody else
            # could join the group or commit it.
            if group is not None and self.group is group and (
                    nested or self.waiting == 0 or group.members >= MAX_MEMBERS):
                self._commit(group)  # releases the write lock
            else:
                self.depth -= 1
                self.write_lock.release()
        if ok and group is not None:
            group.done.wait()
            if group.error is not None:
                raise group.error

    def _commit(self, group: _Group) -> None:
        """COMMIT (off the loop), then deliver, still holding the write lock: deliveries go out
        in commit order, and a subscriber that writes (scrub_free_space after a redaction)
        never meets a group that is open while its members wait (under gevent that would block
        the loop on SQLite's lock until busy_timeout)."""
        self.group = None
        try:
            try:
                if group.members:
                    _off_the_loop(group.transaction.commit)
                else:
                    group.transaction.rollback()  # every member failed: nothing to keep
            except BaseException as error:  # noqa: BLE001 — every member hears of it
                group.error = error
            finally:
                group.connection.close()
            if group.error is None:
                self.deliver(group.pending)
        finally:
            self.depth -= 1
            self.write_lock.release()
            group.done.set()
