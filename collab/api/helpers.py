"""Small pieces every API view uses."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from ..auth import reader_or_none
from ..errors import Invalid, Unauthenticated
from ..parsing import check_json_value
from flask_babel import lazy_gettext as _l


def json_body() -> dict:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    data = request.get_json(silent=True)
    if data is None:
        if not request.data:
            raise Invalid(_l("Send a JSON object in the request body."), "malformed_json")
        raise Invalid(_l("The request body is not valid JSON."), "malformed_json")
    if not isinstance(data, dict):
        raise Invalid(_l("The request body must be a JSON object."), "malformed_json")
    check_json_value(data)
    return data


def viewer():
    """The signed-in user, or None for someone without an account (who may read public documents)."""
    return reader_or_none()


def actor():
    """The signed-in user, or 401."""
    if not current_user.is_authenticated:
        raise Unauthenticated(_l("Sign in first: send a bearer token or a session cookie."))
    return current_user._get_current_object()
