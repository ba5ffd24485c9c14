"""The live channel refuses connections from a foreign Origin (a real server: the
test client skips the check) and accepts the site's own."""
import secrets

import pytest
import socketio

from tests.server.conftest import FAMILY, Listener

pytestmark = pytest.mark.server


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_foreign_origin_is_refused(sqlite_site, transport):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(sqlite_site.url(), token=sqlite_site.token(FAMILY), headers={"Origin": "https://evil.example"},
                 transports=[transport])


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_own_origin_is_accepted(sqlite_site, listeners, transport):
    listener = listeners(sqlite_site.url(), token=sqlite_site.token(FAMILY), headers={"Origin": sqlite_site.url()},
                         transports=[transport])
    ack = listener.call("join", {"document_id": sqlite_site.document_id})
    assert ack["ok"] is True and ack["head"] > 0


def test_foreign_origin_is_refused_even_with_valid_credentials_on_a_lookalike_host(sqlite_site):
    lookalike = sqlite_site.url().replace("127.0.0.1", "127.0.0.1.evil.example")
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(sqlite_site.url(), token=sqlite_site.token(FAMILY), headers={"Origin": lookalike})


def test_a_reader_without_credentials_follows_a_public_document_on_the_real_server(sqlite_site, listeners):
    listener = listeners(sqlite_site.url(), headers={"Origin": sqlite_site.url()})
    ack = listener.call("join", {"document_id": sqlite_site.document_id})
    assert ack["ok"] is True and ack["anonymous"] == 1


def test_without_credentials_a_foreign_origin_or_a_bad_token_is_still_refused(sqlite_site):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(sqlite_site.url(), headers={"Origin": "https://evil.example"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(sqlite_site.url(), token="not-a-token", headers={"Origin": sqlite_site.url()})


# --- X-Forwarded-Host is believed only behind a configured proxy (issue 11, item 8) -----------

@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_forged_forwarded_host_does_not_make_a_foreign_origin_the_sites_own(sqlite_site, transport):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(sqlite_site.url(), token=sqlite_site.token(FAMILY), transports=[transport],
                 headers={"Origin": "https://evil.example", "X-Forwarded-Host": "evil.example",
                          "X-Forwarded-Proto": "https"})


@pytest.fixture(scope="module")
def proxied_site(tmp_path_factory):
    """A server told that one proxy stands before it (PROXY_COUNT=1)."""
    from tests.live_server import start_server
    from tests.server.conftest import GENEROUS_LIMITS, Site, _demo

    env = {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('proxied') / 'site.sqlite3'}",
           "SECRET_KEY": secrets.token_hex(16), "SOCKETIO_MESSAGE_QUEUE": "", "PROXY_COUNT": "1",
           **GENEROUS_LIMITS}
    document_id = _demo(env)
    server = start_server(env)
    yield Site([server], document_id)
    server.stop()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_behind_a_proxy_the_host_it_forwards_is_the_sites_own(proxied_site, listeners, transport):
    listener = listeners(proxied_site.url(), token=proxied_site.token(FAMILY), transports=[transport],
                         headers={"Origin": "https://agreement.example", "X-Forwarded-Host": "agreement.example",
                                  "X-Forwarded-Proto": "https"})
    assert listener.call("join", {"document_id": proxied_site.document_id})["ok"] is True


def test_behind_one_proxy_only_the_value_it_appended_counts(proxied_site):
    # The client sent "evil.example"; the proxy appended the host it was asked for.
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(proxied_site.url(), token=proxied_site.token(FAMILY),
                 headers={"Origin": "https://evil.example", "X-Forwarded-Host": "evil.example, agreement.example",
                          "X-Forwarded-Proto": "https"})
