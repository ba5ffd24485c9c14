"""Server-rendered pages and the browser client's assets."""
from . import (  # noqa: F401 — each adds its views
    accounts, admin, admin_accounts, agreements, campaigns, comment_lists, concerns, cosigning, coverage, documents,
    drafts, forms, helpers, language, meetings,
    notifications, outbox, pages, translations,
)
from .blueprint import web  # noqa: F401
