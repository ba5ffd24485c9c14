"""The API's blueprint, on its own so that route modules and the package never import each other."""
from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")
