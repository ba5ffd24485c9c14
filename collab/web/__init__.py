"""Server-rendered pages and the browser client's assets."""
from . import admin, comment_lists, concerns, documents, drafts, forms, helpers, meetings, outbox, pages  # noqa: F401 — each adds its views
from .blueprint import web  # noqa: F401
