from flask import jsonify

from .openapi_spec import openapi_document
from .blueprint import api


@api.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
