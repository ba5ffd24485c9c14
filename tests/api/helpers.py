"""Helpers for the JSON API tests: calling as a user, checking the error shape,
and proving that a refused request stored nothing."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from collab.extensions import db

ERROR_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The answer is exactly `{"error": {"code": snake_case, "message": sentence}}` with `status`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.content_type
    body = response.get_json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"code", "message"}
    assert ERROR_CODE.match(error["code"]), error["code"]
    assert isinstance(error["message"], str) and error["message"].strip()
    if code is not None:
        assert error["code"] == code
    return error


def stored_rows() -> dict[str, int]:
    """How many rows every table holds, events included."""
    db.session.rollback()  # a fresh snapshot, not the one an earlier request left open
    return {table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables}


class Api:
    """Calls /api/v1 as a user (bearer token) or anonymously."""

    def __init__(self, client, make):
        self.client = client
        self.make = make
        self._headers: dict[int, dict] = {}

    def headers(self, user=None, extra: dict | None = None) -> dict:
        headers = {}
        if user is not None:
            if user.id not in self._headers:
                self._headers[user.id] = self.make.bearer(user)
            headers.update(self._headers[user.id])
        headers.update(extra or {})
        return headers

    def user(self, role="participant", group="families", **kwargs):
        """A new user whose token is issued now, so that later row counts do not move."""
        user = self.make.user(role=role, group=group, **kwargs)
        self.headers(user)
        return user

    def call(self, method: str, path: str, user=None, json=None, headers: dict | None = None, **kwargs):
        return self.client.open("/api/v1" + path, method=method, json=json,
                                headers=self.headers(user, headers), **kwargs)

    def get(self, path, user=None, **kwargs):
        return self.call("GET", path, user, **kwargs)

    def post(self, path, user=None, json=None, **kwargs):
        return self.call("POST", path, user, json=json, **kwargs)

    def patch(self, path, user=None, json=None, **kwargs):
        return self.call("PATCH", path, user, json=json, **kwargs)

    def delete(self, path, user=None, **kwargs):
        return self.call("DELETE", path, user, **kwargs)
