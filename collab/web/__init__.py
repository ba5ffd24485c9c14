"""Server-rendered pages and the browser client's assets."""
from . import admin, concerns, documents, drafts, forms, helpers, meetings, outbox, pages, translations  # noqa: F401 — each adds its views
from .blueprint import web  # noqa: F401
