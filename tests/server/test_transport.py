"""The WebSocket transport of a real server: browsers offer per-message deflate, and the
server declines it, so a comment sent to a room of a thousand is framed, not compressed,
a thousand times."""
import base64
import json
import os
import socket
from urllib.parse import urlsplit

import pytest

from tests.server.conftest import FAMILY, WAIT

pytestmark = pytest.mark.server

# Bytes read past what a test has consumed, per socket.
sock_buffer: dict[socket.socket, bytes] = {}


def _handshake(url: str, extensions: str | None, receive_buffer: int | None = None) -> tuple[socket.socket, str]:
    """Open /socket.io/ as a browser does (Engine.IO 4 over WebSocket); return the socket
    and the server's handshake answer. `receive_buffer` fixes the socket's receive buffer
    before it connects (a reader that can hold only that much)."""
    parts = urlsplit(url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(WAIT)
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect((parts.hostname, parts.port))
    key = base64.b64encode(os.urandom(16)).decode()
    lines = ["GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", f"Host: {parts.netloc}", "Upgrade: websocket",
             "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", f"Origin: {url}"]
    if extensions:
        lines.append(f"Sec-WebSocket-Extensions: {extensions}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection during the handshake"
        answer += chunk
    head, rest = answer.split(b"\r\n\r\n", 1)
    sock_buffer[sock] = rest
    return sock, head.decode()


def _read_frame(sock: socket.socket) -> tuple[int, str]:
    """One server frame: (first byte, text). Server frames are never masked."""
    def take(count: int) -> bytes:
        while len(sock_buffer[sock]) < count:
            chunk = sock.recv(65536)
            assert chunk, "the server closed the connection"
            sock_buffer[sock] += chunk
        data, sock_buffer[sock] = sock_buffer[sock][:count], sock_buffer[sock][count:]
        return data

    first, second = take(2)
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(take(2), "big")
    elif length == 127:
        length = int.from_bytes(take(8), "big")
    payload = take(length)
    return first, payload.decode("utf-8", errors="replace")


def _send_text(sock: socket.socket, text: str) -> None:
    data = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    header += bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + len(data).to_bytes(2, "big")
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def test_the_server_declines_per_message_deflate_and_sends_plain_frames(sqlite_site):
    sock, answer = _handshake(sqlite_site.url(), "permessage-deflate; client_max_window_bits")
    try:
        assert answer.startswith("HTTP/1.1 101")
        assert "sec-websocket-extensions" not in answer.lower()
        first, opening = _read_frame(sock)
        assert first == 0x81 and opening.startswith("0")  # FIN + text, RSV1 (compressed) clear
        _send_text(sock, "40" + json.dumps({"token": sqlite_site.token(FAMILY)}))
        first, connected = _read_frame(sock)
        assert first == 0x81 and connected.startswith("40")
        _send_text(sock, "420" + json.dumps(["join", {"document_id": sqlite_site.document_id}]))
        while True:
            first, message = _read_frame(sock)
            assert first & 0x40 == 0, "a compressed frame"
            if message.startswith("430"):
                assert json.loads(message[3:])[0]["ok"] is True
                break
    finally:
        sock.close()


def test_a_client_that_offers_no_extension_connects_as_before(sqlite_site):
    sock, answer = _handshake(sqlite_site.url(), None)
    try:
        assert answer.startswith("HTTP/1.1 101")
        first, opening = _read_frame(sock)
        assert first == 0x81 and json.loads(opening[1:])["sid"]
    finally:
        sock.close()
