"""The reader processes of bench/fanout.py: many Socket.IO clients as greenlets of one
process, so that the benchmark's own clients are not what limits the figures. Started by
fanout.py as `python bench/fanout_reader.py URL TOKEN DOCUMENT CLIENTS COMMENTS TIMEOUT KIND`.
"""
from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

MARKER = re.compile(r"Benchmark comment #(\d+) ")


def reader_worker(url: str, token: str, document_id: int, clients: int, comments: int, timeout: float,
                  light: bool) -> None:
    """Join `clients` sockets to the document; report, per comment, how many clients got it,
    how many extra copies arrived, and when the last copy arrived (time.monotonic, which is
    one clock for every process of the machine)."""
    import gevent
    import gevent.pool
    import socketio
    import websocket

    received: list[dict[int, int]] = [dict() for _ in range(clients)]  # client -> comment -> copies
    last_at = [0.0] * comments
    sockets: list = []
    failures: list[str] = []

    def count(index: int, number: int, now: float) -> None:
        if 0 <= number < comments:
            copies = received[index]
            copies[number] = copies.get(number, 0) + 1
            if now > last_at[number]:
                last_at[number] = now

    def open_socketio_client(index: int) -> None:
        client = socketio.Client(reconnection=False)

        @client.on("comment.created")
        def _delivered(payload):
            now = time.monotonic()
            match = MARKER.search((payload.get("comment") or {}).get("body") or "")
            if match:
                count(index, int(match.group(1)), now)

        client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=30)
        ack = client.call("join", {"document_id": document_id}, timeout=60)
        if not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")
        sockets.append(client)

    def open_light_client(index: int) -> None:
        """The Socket.IO protocol (Engine.IO 4 over WebSocket) by hand, reading only what
        the benchmark needs: a fraction of a full client's cost per message."""
        ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                         timeout=60, suppress_origin=True, skip_utf8_validation=True)
        if not ws.recv().startswith("0"):
            raise RuntimeError("no Engine.IO open packet")
        ws.send("40" + json.dumps({"token": token}))
        if not ws.recv().startswith("40"):
            raise RuntimeError("connection refused")
        ws.send("420" + json.dumps(["join", {"document_id": document_id}]))
        while True:
            message = ws.recv()
            if message.startswith("430"):
                if not json.loads(message[3:])[0].get("ok"):
                    raise RuntimeError(f"join refused: {message[:200]}")
                break
            if message == "2":
                ws.send("3")
        ws.settimeout(None)
        sockets.append(ws)
        gevent.spawn(read_light, index, ws)

    capture = os.environ.get("FANOUT_CAPTURE_PAYLOAD")

    def read_light(index: int, ws) -> None:
        nonlocal capture
        try:
            while True:
                message = ws.recv()
                now = time.monotonic()
                if message == "2":
                    ws.send("3")  # Engine.IO ping
                elif message.startswith('42["comment.created"'):
                    match = MARKER.search(message)
                    if match:
                        count(index, int(match.group(1)), now)
                    if capture:  # the payload as readers get it, for the relays to send the same
                        Path(capture).write_text(json.dumps(json.loads(message[2:])[1], indent=1))
                        capture = None
        except Exception:  # noqa: BLE001 — the connection closed; missing deliveries show as lost
            return

    def open_client(index: int) -> None:
        try:
            (open_light_client if light else open_socketio_client)(index)
        except Exception as error:  # noqa: BLE001 — reported to the parent
            failures.append(f"{error.__class__.__name__}: {error}")

    pool = gevent.pool.Pool(50)
    for index in range(clients):
        pool.spawn(open_client, index)
    pool.join(timeout=timeout)
    print(json.dumps({"ready": len(sockets), "failures": failures[:5]}), flush=True)

    # The parent writes "done" once every comment was acknowledged; read it on a real
    # thread so the clients' greenlets keep receiving meanwhile.
    gevent.get_hub().threadpool.apply(sys.stdin.readline)
    deadline = time.monotonic() + timeout
    # Wait until every client has every comment, or the deadline.
    while time.monotonic() < deadline:
        if all(len(copies) == comments for copies in received[:len(sockets)]):
            break
        gevent.sleep(0.05)
    gevent.sleep(0.5)  # any duplicate would arrive by now
    got = [0] * comments
    duplicates = 0
    for copies in received:
        for number, count in copies.items():
            got[number] += 1
            duplicates += count - 1
    print(json.dumps({"got": got, "duplicates": duplicates, "last_at": last_at}), flush=True)
    for client in sockets:
        gevent.spawn(client.close if light else client.disconnect)
    gevent.sleep(1)
    os._exit(0)


if __name__ == "__main__":
    url, token, document_id, clients, comments, timeout, kind = sys.argv[1:8]
    reader_worker(url, token, int(document_id), int(clients), int(comments), float(timeout), kind == "light")
