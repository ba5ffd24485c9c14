"""The JSON API under /api/v1 (see shared API.md and /api/v1/openapi.json)."""
from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401
    auth, comments, documents, events, meetings, moderation, openapi, outbox, resolutions, users, versions,
)
