"""Server-rendered pages and the browser client's assets."""
from . import admin, concerns, documents, drafts, forms, helpers, meetings, notifications, outbox, pages  # noqa: F401 — each adds its views
from .blueprint import web  # noqa: F401
