"""The in-process rate-limit counters: exact limits, and no thread started per request
(under gevent a new thread sent each comment POST to the back of the event loop)."""
import threading
import time

import pytest

from collab import create_app
from collab.extensions import limiter
from collab.rate_limits import SCHEME, InlineSweepMemoryStorage, storage_uri
from tests.conftest import IsolatedClient, _config_dict

COMMENT = {"body": "Please add a complaint process.", "kind": "suggestion"}


@pytest.fixture
def limited_app(app, database_url):
    def _build(**settings):
        built = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                            "RATELIMIT_STORAGE_URI": "memory://", **settings})
        built.test_client_class = IsolatedClient
        return built

    return _build


def test_memory_storage_becomes_ours_and_a_shared_storage_is_kept():
    assert storage_uri("memory://") == f"{SCHEME}://"
    assert storage_uri("redis://127.0.0.1:6379/3") == "redis://127.0.0.1:6379/3"


def test_a_limited_comment_post_starts_no_thread(limited_app, make, monkeypatch):
    document = make.document()
    make.open_period(document)
    clause_id = make.clause_ids(document)[0]
    headers = make.bearer(make.user())
    client = limited_app(COMMENT_RATE_LIMIT="100 per minute").test_client()
    assert isinstance(limiter.storage, InlineSweepMemoryStorage)
    started = []
    original = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda self: (started.append(self.name), original(self))[1])
    for number in range(3):
        assert client.post(f"/api/v1/clauses/{clause_id}/comments", json={**COMMENT, "body": f"Point {number}."},
                           headers=headers).status_code == 201
        time.sleep(0.02)  # longer than MemoryStorage's 10 ms timer: it would start a new one each time
    assert started == []


def test_the_limit_still_counts_every_request(limited_app, make):
    document = make.document()
    make.open_period(document)
    clause_id = make.clause_ids(document)[0]
    headers = make.bearer(make.user())
    client = limited_app(COMMENT_RATE_LIMIT="2 per minute").test_client()
    statuses = []
    for number in range(3):
        statuses.append(client.post(f"/api/v1/clauses/{clause_id}/comments", json={**COMMENT, "body": f"Point {number}."},
                                    headers=headers).status_code)
        time.sleep(0.02)
    assert statuses == [201, 201, 429]


def test_expired_counters_are_swept_inline_at_most_once_a_second():
    storage = InlineSweepMemoryStorage(f"{SCHEME}://")
    storage.timer.join()  # the one timer MemoryStorage starts when it is made
    storage.incr("brief", expiry=0.01)  # sweeps (the first time) and counts
    time.sleep(0.02)
    storage.incr("long", expiry=60)  # within the second since the first sweep: nothing swept yet
    assert "brief" in storage.storage
    storage._next_sweep = 0.0  # a second has passed
    storage.incr("long", expiry=60)
    assert "brief" not in storage.storage
    assert storage.get("long") == 2
