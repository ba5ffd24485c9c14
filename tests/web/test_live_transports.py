"""The pages' live channel: WebSocket only unless a sticky proxy allows long-polling too."""
import re


def _transports(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<meta name="live-transports" content="([^"]*)">', page).group(1)


def test_pages_connect_over_websocket_only_so_no_sticky_sessions_are_needed(app, client):
    assert _transports(client) == "websocket"


def test_behind_a_sticky_proxy_long_polling_is_the_fallback(app, client):
    app.config["LIVE_POLLING_FALLBACK"] = True
    assert _transports(client) == "websocket,polling"


def test_every_page_script_reads_the_transports_from_the_page():
    from tests.live_server import ROOT

    for name in ("document.js", "meeting-live.js", "notifications.js"):
        script = (ROOT / "static" / "js" / name).read_text()
        assert 'meta[name="live-transports"]' in script
        assert '"polling"' not in script
