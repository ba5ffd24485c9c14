"""Server-rendered pages and the browser client's assets."""
from flask import Blueprint

web = Blueprint("web", __name__)

from . import admin, concerns, documents, drafts, forms, helpers, meetings, pages  # noqa: E402,F401
