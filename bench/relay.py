"""A bare Flask-SocketIO relay that speaks just enough of Common Ground's API for
bench/fanout.py (`--server relay`): tokens, the document's clauses, joining a document's
room, and a comment POST that broadcasts a payload of the same shape and size as
`comment.created` — with no database, no authentication and no event log.

It shows what python-socketio, engine.io and gevent cost by themselves on this machine,
so that the figures of the real server can be compared with them.

  python bench/relay.py --host 127.0.0.1 --port 0
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import hashlib  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
from pathlib import Path  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402
from gevent import pywsgi  # noqa: E402

app = Flask(__name__)
# manage_session=False: Flask-SocketIO 5.5's managed session cannot be installed on Flask >= 3.1.3.
socketio = SocketIO(app, async_mode="gevent", cors_allowed_origins="*", logger=False, engineio_logger=False,
                    manage_session=False)
seq = itertools.count(1)
DOCUMENT_ID = 1
TEMPLATE = json.loads(Path(os.environ.get("RELAY_PAYLOAD") or Path(__file__).with_name("relay_payload.json"))
                      .read_text())


@app.post("/api/v1/auth/tokens")
def token():
    return jsonify(token="relay"), 201


@app.get("/api/v1/documents/<int:document_id>")
def document(document_id):
    return jsonify(document={"id": document_id, "clauses": [{"id": n} for n in range(1, 9)]})


@app.post("/api/v1/clauses/<int:clause_id>/comments")
def comment(clause_id):
    data = request.get_json()
    payload, shown = payload_for(clause_id, data["body"], data["kind"])
    socketio.emit("comment.created", payload, to=f"document:{DOCUMENT_ID}")
    return jsonify(comment=shown), 201


def payload_for(clause_id: int, body: str, kind: str) -> tuple[dict, dict]:
    """The template (RELAY_PAYLOAD: the payload the project sent in the same benchmark run, else
    bench/relay_payload.json) with this comment's numbers and texts; node_relay.js does the same."""
    number = next(seq)
    digest = hashlib.sha256(body.encode()).hexdigest()
    shown = {**TEMPLATE["comment"], "id": number, "clause_id": clause_id, "kind": kind, "body": body, "seq": number}
    data = {**TEMPLATE["data"], "clause_id": clause_id, "comment_id": number, "kind": kind}
    data.update({key: digest for key in ("body_hmac", "body_sha256") if key in data})
    payload = {**TEMPLATE, "seq": number, "subject": f"comment:{number}", "data": data, "prev_hash": digest,
               "hash": digest, "comment": shown}
    return payload, shown


@socketio.on("connect")
def connect(auth=None):
    return True


@socketio.on("join")
def join(data):
    join_room(f"document:{data['document_id']}")
    return {"ok": True, "head": 0, "head_hash": "", "presence": [], "missed": []}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()

    class NoDelayServer(pywsgi.WSGIServer):
        def handle(self, sock, address):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return super().handle(sock, address)

    server = NoDelayServer((args.host, args.port), app, log=None)
    server.init_socket()
    host, port = server.socket.getsockname()[:2]
    print(f"The relay is serving on http://{host}:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
