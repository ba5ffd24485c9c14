"""The JSON API under /api/v1 (see shared API.md and /api/v1/openapi.json)."""
from . import (  # noqa: F401 — each module adds its routes to the blueprint
    accounts, agreements, auth, campaigns, comments, coverage, documents, events, invitations, meetings, moderation,
    notifications, openapi, outbox, resolutions, translations, users, versions,
)
from .blueprint import api  # noqa: F401
