"""Server-rendered pages."""
from flask import Blueprint

web = Blueprint("web", __name__)

from . import concerns, drafts, meetings, pages  # noqa: E402,F401
