"""Rate limits (Flask-Limiter), keyed so that a school's shared network address does
not lock a classroom out: sign-in is limited per account (and, more loosely, per
address); commenting per person."""
from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

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
