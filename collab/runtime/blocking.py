"""Run CPU-heavy work (password hashing) off the gevent event loop, in a bounded pool.

Under gevent one process serves every socket on one loop: an Argon2 check takes tens of
milliseconds of CPU, and run on the loop it would stall every live delivery meanwhile
(a classroom signing in at once would freeze the room for seconds). argon2-cffi
releases the GIL, so real threads let the loop go on.

The pool is bounded twice: `workers` threads hash at once (by default one per core), and at
most `queue_limit` more calls wait for a thread. Beyond that a call is refused at once with
`Busy` (503 with Retry-After) instead of piling up: a waiting sign-in holds its request,
its connection and its memory, and past a few seconds of queue nobody is served in time.
(A lower scheduling priority for the threads was tried and dropped: on a busy machine a
niced thread got so little CPU that sign-ins waited minutes.)

One thread per core, not one fewer: hashing is bounded by the sign-ins that arrive, not by
the threads, and the scheduler shares a busy machine per runnable thread. With one thread on
2 cores shared with other processes the check thread got a quarter of a core and 1,000
sign-ins a minute were refused 7,105 times (load 6); with two, at load 4-6, the storm was
served in 64 s and the live readers' p99 stayed within 1.05x of no storm; at load 8-9 neither
kept up (bench/README.md, issue 15 item 4). With every check thread busy the loop still
keeps its share of the cores (three runnable threads on two cores: 2/3 of a core each).
"""
from __future__ import annotations

import math
import os
import threading
import time
from typing import Callable, TypeVar

from ..errors import Busy

T = TypeVar("T")

def default_workers() -> int:
    return os.cpu_count() or 1


def _gevent_is_serving() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("socket")


def _outcome(function: Callable[..., T], args: tuple) -> tuple[bool, object]:
    try:
        return True, function(*args)
    except Exception as error:  # noqa: BLE001 — re-raised by the caller, on its own greenlet
        return False, error


def _native_lock():
    """A lock that works between the event loop's thread and a real thread: under gevent
    `threading.Lock` is a greenlet lock. Held only for a few statements, never across a wait."""
    try:
        from gevent.monkey import get_original
    except ImportError:
        return threading.Lock()
    return get_original("threading", "Lock")()


class BoundedPool:
    """At most `workers` calls run at once and `queue_limit` wait; more raise Busy."""

    def __init__(self, workers: int, queue_limit: int, busy_message: str) -> None:
        self.workers = max(1, int(workers))
        self.queue_limit = max(0, int(queue_limit))
        self.busy_message = busy_message
        self._lock = _native_lock()
        self._in_flight = 0
        self._seconds_per_call = 0.05  # a running average, for Retry-After
        self.completed = 0
        self.refused = 0
        self._threadpool = None
        self._slots = threading.BoundedSemaphore(self.workers)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def refuse_if_full(self) -> None:
        """Raise Busy now if a call made now would be refused: a caller with work to do
        before its call (a sign-in reads the account first) is then refused without doing it."""
        with self._lock:
            self._refuse_if_full()

    def _refuse_if_full(self) -> None:
        if self._in_flight >= self.workers + self.queue_limit:
            self.refused += 1
            raise Busy(self.busy_message, retry_after=self._retry_after())

    def run(self, function: Callable[..., T], *args) -> T:
        with self._lock:
            self._refuse_if_full()
            self._in_flight += 1
        if _gevent_is_serving():
            # Hand an exception back as a value: raised inside the pool, gevent would also
            # print its traceback (a wrong password wrote twelve lines).
            succeeded, outcome = self._gevent_pool().apply(self._call_and_leave, (function, args))
        else:
            with self._slots:
                succeeded, outcome = self._call_and_leave(function, args)
        if not succeeded:
            raise outcome
        return outcome

    def _call_and_leave(self, function: Callable[..., T], args: tuple) -> tuple[bool, object]:
        """Run the call and give up its place as soon as it has run, on the thread that ran
        it. Left to the waiting greenlet, a finished check kept its place until the event
        loop resumed the request: with the loop busy delivering comments the pool looked
        full while its thread was idle, and sign-ins were refused for nothing."""
        start = time.monotonic()
        try:
            return _outcome(function, args)
        finally:
            seconds = time.monotonic() - start
            with self._lock:
                self._in_flight -= 1
                self.completed += 1
                self._seconds_per_call = 0.9 * self._seconds_per_call + 0.1 * seconds

    def _retry_after(self) -> int:
        """Seconds until the queue has drained at the recent pace (at least 1)."""
        return max(1, math.ceil(self._in_flight * self._seconds_per_call / self.workers))

    def _gevent_pool(self):
        if self._threadpool is None:
            from gevent.threadpool import ThreadPool

            self._threadpool = ThreadPool(self.workers)
        return self._threadpool


def off_event_loop(function: Callable[..., T], *args) -> T:
    """Call `function(*args)` in gevent's thread pool when serving under gevent, else directly
    (unbounded: for work that must not be refused; password checks use a BoundedPool)."""
    if _gevent_is_serving():
        import gevent

        succeeded, outcome = gevent.get_hub().threadpool.apply(_outcome, (function, args))
        if not succeeded:
            raise outcome
        return outcome
    return function(*args)
