"""The live channel refuses connections from a foreign Origin (a real server: the
test client skips the check) and accepts the site's own."""
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
