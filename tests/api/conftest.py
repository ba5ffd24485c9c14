"""Fixtures for the JSON API tests (helpers in tests/api/helpers.py)."""
from __future__ import annotations

import pytest

from tests.api.helpers import Api


@pytest.fixture
def api(client, make) -> Api:
    return Api(client, make)


@pytest.fixture
def admin(api):
    return api.user(role="admin", group="district", name="Dana Admin")


@pytest.fixture
def participant(api):
    return api.user(role="participant", group="families", name="Pat Parent")


@pytest.fixture
def observer(api):
    return api.user(role="observer", group="community", name="Olu Observer")


@pytest.fixture
def document(make, admin):
    return make.document(admin)


@pytest.fixture
def open_document(make, admin, document):
    make.open_period(document, admin)
    return document


@pytest.fixture
def clause_id(make, document) -> int:
    return make.clause_ids(document)[1]  # "Officers do not enforce school rules or discipline."
