"""Cross-cutting HTTP behaviour: CSRF, security headers, and mapping errors to answers."""
from __future__ import annotations

import logging

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .auth import SESSION_KEY, uses_bearer
from .errors import ServiceError
from .rate_limits import check_anonymous_request
from .extensions import csrf

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
              422: "unprocessable", 429: "rate_limited", 500: "internal_error"}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": message}}), status


def register_http_handlers(app: Flask) -> None:
    @app.before_request
    def _authenticate_afresh():
        # Flask-Login caches the user on `g`, which lives as long as the app context;
        # where several requests share one (tests, CLI), each must still load its own user.
        from flask import g

        g.pop("_login_user", None)

    @app.before_request
    def _limit_anonymous_readers():
        check_anonymous_request()

    @app.before_request
    def _check_csrf():
        # Cookie-authenticated unsafe requests need the CSRF token (pages and JSON
        # alike); bearer-token requests carry no ambient authority and need none.
        if request.method in SAFE_METHODS or uses_bearer():
            return None
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
        if wants_json():
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(ServiceError)
    def _service_error(error: ServiceError):
        if wants_json():
            return error_response(error.status, error.code, error.message)
        if error.status == 401:
            return redirect(url_for("web.sign_in", next=request.full_path.rstrip("?")))
        flash(error.message, "error")
        return render_template("error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        message = "The form expired or came from another site. Reload the page and try again."
        if wants_json():
            return error_response(403, "csrf_failed", message)
        return render_template("error.html", status=403, message=message), 403

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error):
        message = f"Too many requests ({error.description}). Wait a moment and try again."
        if wants_json():
            return error_response(429, "rate_limited", message)
        return render_template("error.html", status=429, message=message), 429

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        if status == 401 and not wants_json():
            return redirect("/sign-in?next=" + request.path)
        message = {
            413: "The request is too large.",
            404: "Nothing is here.",
            405: "This method is not allowed here.",
        }.get(status, error.description or error.name)
        if wants_json():
            return error_response(status, HTTP_CODES.get(status, "error"), message)
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        message = "Something went wrong on our side. Nothing was changed."
        if wants_json():
            return error_response(500, "internal_error", message)
        return render_template("error.html", status=500, message=message), 500
