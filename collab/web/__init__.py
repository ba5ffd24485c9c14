"""Server-rendered pages and the browser client's assets."""
from . import accounts, admin, admin_accounts, concerns, documents, drafts, helpers, meetings, outbox, pages  # noqa: F401 — each adds its views
from .blueprint import web  # noqa: F401
