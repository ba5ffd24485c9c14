"""Run CPU-heavy work (password hashing) off the gevent event loop.

Under gevent one process serves every socket on one loop: an Argon2 check takes
~150 ms of CPU, and run on the loop it would stall every live delivery meanwhile
(a classroom signing in at once would freeze the room for seconds). argon2-cffi
releases the GIL, so a real thread from gevent's pool lets the loop go on.
"""
from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


def _gevent_is_serving() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("socket")


def off_event_loop(function: Callable[..., T], *args) -> T:
    """Call `function(*args)` in gevent's thread pool when serving under gevent, else directly."""
    if _gevent_is_serving():
        import gevent

        # Hand an exception back as a value: raised inside the pool, gevent would also
        # print its traceback (a wrong password wrote twelve lines).
        succeeded, outcome = gevent.get_hub().threadpool.apply(_outcome, (function, args))
        if not succeeded:
            raise outcome
        return outcome
    return function(*args)


def _outcome(function: Callable[..., T], args: tuple) -> tuple[bool, object]:
    try:
        return True, function(*args)
    except Exception as error:  # noqa: BLE001 — re-raised by the caller, on its own greenlet
        return False, error
