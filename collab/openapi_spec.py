"""The OpenAPI 3 description served at /api/v1/openapi.json."""
from __future__ import annotations


def openapi_document() -> dict:
    return {"openapi": "3.1.0", "info": {"title": "Common Ground API", "version": "1"}, "paths": {}}
