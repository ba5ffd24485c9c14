"""Server-rendered pages and the browser client's assets."""
from flask import Blueprint

web = Blueprint("web", __name__)

from . import admin, documents, helpers, pages  # noqa: E402,F401
