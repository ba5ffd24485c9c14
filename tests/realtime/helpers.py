"""Small readers over what Socket.IO test clients received."""
from __future__ import annotations


def received(sock, name: str | None = None) -> list[dict]:
    """Payloads the client received since the last call (of one event name if given).
    Reading consumes the client's whole queue."""
    packets = sock.get_received()
    return [p["args"][0] for p in packets if name is None or p["name"] == name]


def names(sock) -> list[str]:
    return [p["name"] for p in sock.get_received()]


def join(sock, document_id, since=None) -> dict:
    payload = {"document_id": document_id}
    if since is not None:
        payload["since"] = since
    return sock.emit("join", payload, callback=True)


def presence_ids(payload: dict) -> list[int]:
    return [person["user_id"] for person in payload["presence"]]
