"""Signed unsubscribe tokens: a mail's link works without signing in, for a while."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..errors import Invalid
from flask_babel import lazy_gettext as _l

SALT = "collab.notifications.unsubscribe"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id: int) -> str:
    return _serializer().dumps({"user_id": user_id})


def user_id_from_token(token: object) -> int:
    """The user the token was made for; 400 for a forged, damaged or expired token."""
    if not isinstance(token, str) or not token:
        raise Invalid(_l("This unsubscribe link has no token."), "invalid_token")
    max_age = int(current_app.config["UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS"]) * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise Invalid(_l("This unsubscribe link has expired. Sign in to change your mail settings."), "token_expired")
    except BadSignature:
        raise Invalid(_l("This unsubscribe link is not valid."), "invalid_token")
    if not isinstance(data, dict) or not isinstance(data.get("user_id"), int):
        raise Invalid(_l("This unsubscribe link is not valid."), "invalid_token")
    return data["user_id"]


def unsubscribe_url(user_id: int) -> str:
    return f"{current_app.config['SITE_URL']}/unsubscribe?token={unsubscribe_token(user_id)}"
