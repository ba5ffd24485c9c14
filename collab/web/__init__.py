"""Server-rendered pages and the browser client's assets."""
from . import (  # noqa: F401 — each adds its views
    accounts, admin, admin_accounts, concerns, coverage, documents, drafts, forms, helpers, meetings, outbox, pages,
)
from .blueprint import web  # noqa: F401
