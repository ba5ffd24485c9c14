"""Cross-cutting HTTP behaviour: CSRF, security headers, and mapping errors to answers."""
from __future__ import annotations

import logging
import math
import time

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from .auth import SESSION_KEY, uses_bearer
from .errors import NotFound, ServiceError
from .rate_limits import check_anonymous_request
from .extensions import csrf, limiter
from .parsing import LARGEST_INT, safe_text, unsafe_character
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
              422: "unprocessable", 429: "rate_limited", 500: "internal_error", 503: "unavailable"}

# How long a client is asked to wait when the database cannot be reached; the pool
# checks connections before use (pool_pre_ping), so the first request after the
# database is back succeeds.
DATABASE_RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = _l("The database cannot be reached just now. Nothing was changed; try again in a few seconds.")


def database_unreachable(error: BaseException) -> bool:
    """True for errors that mean the database is down or the connection was lost, as
    opposed to a bug in a statement (which stays a 500)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(error, (OperationalError, InterfaceError)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


# The same bytes for everyone: these may be cached whoever asks.
SHARED_ASSET_ENDPOINTS = {"static", "web.socket_io_client"}


def _carries_credentials() -> bool:
    from flask import session

    return uses_bearer() or SESSION_KEY in session


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": str(message)}}), status


class BoundedIntegerConverter(IntegerConverter):
    """The `int` URL converter, limited to what the databases store: a larger id in a
    path matches no route (404) instead of overflowing the query."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_INT)
        super().__init__(url_map, *args, **kwargs)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deeply for the parser is malformed
    JSON (ValueError, so `get_json(silent=True)` gives None) rather than a RecursionError."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def prepare_app(app: Flask) -> None:
    """What must be in place before the blueprints register their routes."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.json = JSONProvider(app)


def register_http_handlers(app: Flask) -> None:
    @app.before_request
    def _refuse_unsafe_characters():
        # The text rule of services/validation.py, at the edge for what no service reads
        # as text: a path segment (a slug) and query values. A form's texts are checked by
        # the services, so that the page comes back with what the person typed; only a NUL,
        # which nobody types and PostgreSQL cannot even compare, is refused here in any field.
        if unsafe_character(request.path):
            raise NotFound(_l("Nothing is here."))
        for key, values in request.args.lists():
            for value in [key, *values]:
                safe_text(value, "The address")
        if request.method not in SAFE_METHODS:
            for key, values in request.form.lists():
                if any("\x00" in value for value in [key, *values]):
                    safe_text("\x00", "The form")
        return None

    @app.before_request
    def _limit_anonymous_readers():
        check_anonymous_request()

    @app.before_request
    def _check_csrf():
        # Cookie-authenticated unsafe requests need the CSRF token (pages and JSON
        # alike); bearer-token requests carry no ambient authority and need none.
        if request.method in SAFE_METHODS or uses_bearer():
            return None
        if request.endpoint == "web.unsubscribe_now":
            return None  # a mail's signed token is the authority (RFC 8058 one-click, no session)
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return None
        from flask import session

        if wants_json() and SESSION_KEY not in session:
            return None  # nothing ambient to abuse: the request is anonymous
        csrf.protect()
        return None

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if wants_json() or (_carries_credentials() and request.endpoint not in SHARED_ASSET_ENDPOINTS):
            # Every answer to a signed-in person may hold personal data (their name heads
            # every page): no browser or proxy cache keeps it for the next user.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(ServiceError)
    def _service_error(error: ServiceError):
        headers = {"Retry-After": str(error.retry_after)} if getattr(error, "retry_after", None) else {}
        if wants_json():
            body, status = error_response(error.status, error.code, error.message)
            return body, status, headers
        if error.status == 401:
            return redirect(url_for("web.sign_in", next=request.full_path.rstrip("?")))
        flash(error.message, "error")
        return render_template("error.html", status=error.status, message=error.message), error.status, headers

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        message = _l("The form expired or came from another site. Reload the page and try again.")
        if wants_json():
            return error_response(403, "csrf_failed", message)
        return render_template("error.html", status=403, message=message), 403

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error):
        message = _l("Too many requests (%(description)s). Wait a moment and try again.", description=error.description)
        breached = limiter.current_limit
        headers = {"Retry-After": str(max(1, math.ceil(breached.reset_at - time.time())))} if breached else {}
        if wants_json():
            body, status = error_response(429, "rate_limited", message)
            return body, status, headers
        return render_template("error.html", status=429, message=message), 429, headers

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        if status == 401 and not wants_json():
            return redirect("/sign-in?next=" + request.path)
        message = {
            413: _l("The request is too large."),
            404: _l("Nothing is here."),
            405: _l("This method is not allowed here."),
        }.get(status, error.description or error.name)
        if wants_json():
            response = error_response(status, HTTP_CODES.get(status, "error"), message)
        else:
            response = render_template("error.html", status=status, message=message), status
        # A 405 names the methods the resource does allow (RFC 9110).
        allowed = dict(error.get_headers()).get("Allow") if status == 405 else None
        return (*response, {"Allow": allowed}) if allowed else response

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError):
        if not database_unreachable(error):
            return _unexpected(error)
        log.error("database unreachable: %s", str(error.orig or error).splitlines()[0][:200])
        try:
            from .extensions import db

            db.session.rollback()
        except Exception:  # noqa: BLE001 — the connection is gone already
            pass
        from flask import g

        from .extensions import login_manager

        # Nobody is signed in as far as the answer goes: rendering must not ask the database again.
        g._login_user = login_manager.anonymous_user()
        headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
        if wants_json():
            body, status = error_response(503, "unavailable", DATABASE_UNAVAILABLE)
            return body, status, headers
        return render_template("unavailable.html", message=DATABASE_UNAVAILABLE), 503, headers

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        message = _l("Something went wrong on our side. Nothing was changed.")
        if wants_json():
            return error_response(500, "internal_error", message)
        return render_template("error.html", status=500, message=message), 500
