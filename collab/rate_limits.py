"""Rate limits, keyed so that a school's shared network address does not lock a
classroom out and a stranger cannot lock an owner out of their account.

- Sign-in: failed password checks are counted per (account, address), with a looser
  ceiling per account; the API and the sign-in page share the counts. A plain
  per-address limit (Flask-Limiter) caps all sign-in requests from one address.
- Commenting: one budget per person, spent by the API, the page form and the live
  channel's `comment.create` alike.

The counters live in Flask-Limiter's storage (shared by every process when
RATELIMIT_STORAGE_URI is Redis). While that storage is unreachable the limits are kept
per process and the outage is logged: people can still comment and sign in."""
from __future__ import annotations

import logging
import math
import time

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from .errors import RateLimited, Unauthenticated
from .extensions import limiter
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)


def limit_sign_in(view):
    """Every sign-in request (right or wrong) counts against its address's limit."""
    return limiter.shared_limit(lambda: current_app.config["SIGN_IN_ADDRESS_RATE_LIMIT"], scope="sign-in-address",
                                methods=["POST"])(view)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _mail_recipient() -> str:
    """The e-mail address a request would mail (its form or JSON body), else the client address."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None
    if isinstance(email, str) and email.strip():
        return "account:" + email.strip().lower()
    return "address:" + get_remote_address()


def limit_account_mail(view):
    """Sign-up, sign-in links and password resets mail someone: limited per e-mail address
    and, more loosely, per client address (POST only; the pages' GETs are free)."""
    view = limiter.shared_limit(lambda: current_app.config["ACCOUNT_MAIL_RATE_LIMIT"], "account-mail",
                                key_func=_mail_recipient, methods=["POST"])(view)
    return limiter.shared_limit(lambda: current_app.config["ACCOUNT_ADDRESS_RATE_LIMIT"], "account-address",
                                methods=["POST"])(view)


def limit_link_redemption(view):
    """Using a mailed link: per client address (a token cannot be guessed; this keeps anyone from trying)."""
    return limiter.shared_limit(lambda: current_app.config["ACCOUNT_ADDRESS_RATE_LIMIT"], "link-redemption",
                                methods=["POST"])(view)


def _too_many(message: str, item: RateLimitItem, *identifiers: str) -> RateLimited:
    reset = _call("get_window_stats", item, *identifiers).reset_time
    error = RateLimited(message)
    error.retry_after = max(1, math.ceil(reset - time.time()))
    return error


def _sign_in_keys(email: object) -> tuple[str, str] | None:
    if not isinstance(email, str) or not email.strip():
        return None
    account = email.strip().lower()
    return account, get_remote_address() or "unknown"


def password_sign_in(email: object, password: object):
    """Check an e-mail and password (services.users.authenticate) behind the failure counts;
    the API and the sign-in page both come here. Raises RateLimited while the pair
    (account, address) or the account as a whole has failed too often.

    Only password guessing is counted: a sign-in by a link sent to the account's
    e-mail (a separate path) must not come through here, so the owner always has
    a way in however many guesses strangers make."""
    from .services.users import authenticate

    keys = _sign_in_keys(email) if _enabled() else None
    if keys is None:
        return authenticate(email, password)
    account, address = keys
    per_pair = parse(current_app.config["SIGN_IN_RATE_LIMIT"])
    per_account = parse(current_app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"])
    message = _l("Too many failed sign-ins for this account. Wait a little and try again.")
    if not _call("test", per_pair, "sign-in-failures", account, address):
        raise _too_many(message, per_pair, "sign-in-failures", account, address)
    if not _call("test", per_account, "sign-in-failures", account):
        raise _too_many(message, per_account, "sign-in-failures", account)
    try:
        return authenticate(email, password)
    except Unauthenticated:
        _call("hit", per_pair, "sign-in-failures", account, address)
        _call("hit", per_account, "sign-in-failures", account)
        raise


def spend_comment_budget(user_id: int) -> None:
    """Count one comment attempt against the person's budget (COMMENT_RATE_LIMIT), whatever
    the channel; raise RateLimited once it is spent."""
    if not _enabled():
        return
    item = parse(current_app.config["COMMENT_RATE_LIMIT"])
    if not _call("hit", item, "comments", str(user_id)):
        raise _too_many(_l("Too many comments in a short time. Wait a moment and try again."),
                        item, "comments", str(user_id))


# --- storage outages --------------------------------------------------------------------
# Flask-Limiter falls back to memory by itself for the limits it applies to views
# (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED); the counts kept here go through the same
# storage and fall back the same way.
RETRY_STORAGE_SECONDS = 5.0


def _call(method: str, item: RateLimitItem, *identifiers: str):
    # This app's in-process counters (made at the first outage), and until when to use them.
    fallback = current_app.extensions.setdefault("rate_limit_fallback", {"limiter": None, "until": 0.0})
    if time.monotonic() < fallback["until"]:
        return getattr(fallback["limiter"], method)(item, *identifiers)
    try:
        return getattr(limiter.limiter, method)(item, *identifiers)
    except Exception as error:  # noqa: BLE001 — whatever the storage's client raises
        log.warning("rate-limit storage unreachable (%s); counting in this process for the next %.0f s",
                    error.__class__.__name__, RETRY_STORAGE_SECONDS)
        if fallback["limiter"] is None:
            fallback["limiter"] = FixedWindowRateLimiter(InlineSweepMemoryStorage(f"{SCHEME}://"))
        fallback["until"] = time.monotonic() + RETRY_STORAGE_SECONDS
        return getattr(fallback["limiter"], method)(item, *identifiers)


def allow_anonymous(address: str | None = None) -> bool:
    """Readers without an account share one budget per client address (ANONYMOUS_RATE_LIMIT),
    across pages, the API and the live channel's connects and joins: True while within it,
    counting this request. Signed-in people are limited per person where they write instead."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    try:
        return limiter.limiter.hit(parse(current_app.config["ANONYMOUS_RATE_LIMIT"]), "anonymous",
                                   address or get_remote_address())
    except Exception as error:  # noqa: BLE001 — the storage is down: reading is not refused for it
        log.warning("rate-limit storage unreachable (%s); readers without an account are not counted",
                    error.__class__.__name__)
        return True


def check_anonymous_request() -> None:
    """Before every page and API request (not static files): refuse an anonymous reader over the limit."""
    from .auth import presented_credentials
    from .errors import RateLimited

    # Whoever presents credentials is limited per person where they write (and refused if the
    # credentials are dead); looking at the header and cookie costs no query.
    if request.endpoint in (None, "static") or presented_credentials():
        return
    if not allow_anonymous():
        raise RateLimited(_l("Too many requests from this address without an account. Wait a moment, or sign in."))


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
