"""Rate limits (Flask-Limiter), keyed so that a school's shared network address does
not lock a classroom out: sign-in is limited per account (and, more loosely, per
address); commenting per person."""
from __future__ import annotations

import time

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse
from limits.storage import MemoryStorage

from .extensions import limiter


def _sign_in_account() -> str:
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, dict) or hasattr(data, "get") else None
    if isinstance(email, str) and email.strip():
        return "account:" + email.strip().lower()
    return "address:" + get_remote_address()


def _person() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "address:" + get_remote_address()


def limit_sign_in(view):
    view = limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], key_func=_sign_in_account,
                         methods=["POST"])(view)
    return limiter.limit(lambda: current_app.config["SIGN_IN_ADDRESS_RATE_LIMIT"], methods=["POST"])(view)


def limit_commenting(view):
    return limiter.limit(lambda: current_app.config["COMMENT_RATE_LIMIT"], key_func=_person)(view)


def allow_live_comment(user_id: int) -> bool:
    """The same per-person limit for `comment.create` on the live channel (Flask-Limiter
    guards HTTP views only): True while the person is within it, counting this one."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return limiter.limiter.hit(parse(current_app.config["COMMENT_RATE_LIMIT"]), "live-comment", str(user_id))


def allow_anonymous(address: str | None = None) -> bool:
    """Readers without an account share one budget per client address (ANONYMOUS_RATE_LIMIT),
    across pages, the API and the live channel's connects and joins: True while within it,
    counting this request. Signed-in people are limited per person where they write instead."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return limiter.limiter.hit(parse(current_app.config["ANONYMOUS_RATE_LIMIT"]), "anonymous",
                               address or get_remote_address())


def check_anonymous_request() -> None:
    """Before every page and API request (not static files): refuse an anonymous reader over the limit."""
    from .auth import presented_credentials
    from .errors import RateLimited

    # Whoever presents credentials is limited per person where they write (and refused if the
    # credentials are dead); looking at the header and cookie costs no query.
    if request.endpoint in (None, "static") or presented_credentials():
        return
    if not allow_anonymous():
        raise RateLimited("Too many requests from this address without an account. Wait a moment, "
                          "or sign in.")


# --- storage ---------------------------------------------------------------------------
# In-process rate-limit counters that do not start a thread per request.
#
# limits' MemoryStorage (behind Flask-Limiter's `memory://`) sweeps expired counters in a
# `threading.Timer` that it starts anew whenever the last one (10 ms) has ended: under
# traffic, on almost every limited request. Under gevent, starting a thread waits for the
# new greenlet to run, so each comment POST went to the back of the event loop, behind
# every delivery queued for the room: measured with 1,000 readers, POST p50 171 ms
# instead of 18 ms. Here the sweep runs inline at most once a second; counters are read
# through `get()`, which drops an expired one by itself, so limits stay exact.
SCHEME = "common-ground-memory"
SWEEP_SECONDS = 1.0


class InlineSweepMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces MemoryStorage's private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()


def storage_uri(configured: str) -> str:
    """The storage to give Flask-Limiter: ours in place of `memory://`, anything else as configured."""
    return f"{SCHEME}://" if configured.strip() == "memory://" else configured
