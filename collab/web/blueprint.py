"""The pages' blueprint, on its own so that view modules and the package never import each other."""
from flask import Blueprint

web = Blueprint("web", __name__)
