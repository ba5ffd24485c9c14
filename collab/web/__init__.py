"""Server-rendered pages."""
from flask import Blueprint

web = Blueprint("web", __name__)

from . import meetings, pages  # noqa: E402,F401
