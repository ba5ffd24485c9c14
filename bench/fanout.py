"""Fan-out benchmark of the live channel.

Starts Common Ground as the README does (`flask db upgrade`, `flask demo`, `python app.py`)
on a fresh SQLite file in a temporary directory, joins N readers to the demo document
(python-socketio clients, spread over several reader processes that run on gevent),
has writers post M comments over HTTP, and prints:

  * latency from the start of each POST to the comment's delivery at the LAST reader
    (p50/p95/p99/max),
  * comments acknowledged per second, deliveries per second,
  * lost and duplicate deliveries (both must be 0).

Examples:
  python bench/fanout.py --readers 1000 --rate 20 --comments 400
  python bench/fanout.py --readers 10 --writers 8 --rate 0 --comments 2000
  python bench/fanout.py --readers 1000 --rate 20 --comments 400 --profile /tmp/fanout.svg
  python bench/fanout.py --readers 1000 --rate 20 --comments 400 --server relay

Everything is bounded: only 127.0.0.1, a fixed number of comments and a --timeout;
every process it starts is stopped at the end.
"""
from __future__ import annotations

import sys

if __name__ == "__main__" and "--reader-worker" in sys.argv:
    # A reader process: many clients as greenlets, so the benchmark's own
    # clients are not what limits the figures.
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "common-ground-demo"
READER_ACCOUNT = "press@demo.commonground.example"
WRITER_ACCOUNTS = [f"{name}@demo.commonground.example" for name in (
    "family", "student", "educator", "school-leader", "police", "juvenile-justice", "civil-rights", "community")]
MARKER = re.compile(r"Benchmark comment #(\d+) ")
CLIENTS_PER_READER_PROCESS = 250


# --- reader process -------------------------------------------------------------------

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

    def read_light(index: int, ws) -> None:
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


# --- orchestration --------------------------------------------------------------------

def flask(args: list[str], env: dict) -> str:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=300).stdout


def start_server(env: dict, timeout: float = 60, script: str = "app.py",
                 extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, script, "--host", "127.0.0.1", "--port", "0", *extra], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"serving on (http://\S+)", line or "")
        if match:
            # BENCH_SERVER_LOG=path keeps the server's output (its errors) for reading afterwards.
            log_path = os.environ.get("BENCH_SERVER_LOG")
            sink = open(log_path, "a") if log_path else None  # noqa: SIM115 — lives as long as the server
            threading.Thread(target=lambda: [sink and sink.write(line) for line in process.stdout],
                             daemon=True).start()
            return process, match.group(1)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit("the server did not start")


def token_for(session, url: str, email: str) -> str:
    response = session.post(f"{url}/api/v1/auth/tokens", json={"email": email, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return response.json()["token"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process and its live children (`--workers`) have used so far (Linux /proc)."""
    def own(p: int) -> float:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(c) for c in children.read_text().split()] if children.exists() else []
    return own(pid) + sum(own(k) for k in kids)


def drop_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run(args) -> int:
    import requests

    workdir = tempfile.mkdtemp(prefix="cg-bench-")
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    database_url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    if args.database_url:
        drop_schema(args.database_url)
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16),
           "SOCKETIO_MESSAGE_QUEUE": args.redis, "RATELIMIT_STORAGE_URI": args.redis or "memory://",
           "COMMENT_RATE_LIMIT": "1000000 per minute", "SIGN_IN_RATE_LIMIT": "1000 per minute",
           "PYTHONUNBUFFERED": "1"}
    if args.server == "relay":
        document_id = 1
        server, url = start_server(env, script="bench/relay.py")
    else:
        flask(["db", "upgrade"], env)
        demo = flask(["demo", "--password", PASSWORD], env)
        document_id = int(demo.split("(document ", 1)[1].split(")", 1)[0])
        server, url = start_server(env, extra=("--workers", str(args.workers)))
    readers: list[subprocess.Popen] = []
    profiler: subprocess.Popen | None = None
    try:
        http = requests.Session()
        reader_token = token_for(http, url, READER_ACCOUNT)
        admin = {"Authorization": f"Bearer {token_for(http, url, 'admin@demo.commonground.example')}"}
        clause_ids = [c["id"] for c in http.get(f"{url}/api/v1/documents/{document_id}", headers=admin,
                                                timeout=30).json()["document"]["clauses"]]
        processes = args.reader_processes or max(1, -(-args.readers // CLIENTS_PER_READER_PROCESS))
        shares = [args.readers // processes + (1 if i < args.readers % processes else 0) for i in range(processes)]
        started = time.monotonic()
        for share in shares:
            readers.append(subprocess.Popen(
                [sys.executable, __file__, "--reader-worker", url, reader_token, str(document_id), str(share),
                 str(args.comments), str(args.timeout), args.client],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT))
        joined = 0
        for process in readers:
            report = json.loads(process.stdout.readline() or "{}")
            joined += report.get("ready", 0)
            if report.get("failures"):
                print("reader failures:", report["failures"], file=sys.stderr)
        print(f"{joined}/{args.readers} readers joined in {time.monotonic() - started:.1f} s "
              f"({len(readers)} reader processes)")
        if joined != args.readers:
            return 2
        time.sleep(1)  # let the join presence broadcasts drain

        starts = [0.0] * args.comments
        acked = [0.0] * args.comments
        errors: list[str] = []
        next_index = iter(range(args.comments))
        lock = threading.Lock()
        writers = args.writers or 4
        tokens = [token_for(http, url, WRITER_ACCOUNTS[i % len(WRITER_ACCOUNTS)]) for i in range(writers)]
        if args.profile:
            # py-spy samples the server only while the comments are written and delivered.
            profiler = subprocess.Popen(
                [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(server.pid), "--rate", "200",
                 "--format", {".json": "speedscope", ".txt": "raw"}.get(Path(args.profile).suffix, "flamegraph"),
                 "--output", args.profile, "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(1)
        t0 = time.monotonic() + 0.2
        cpu_before = {p.pid: cpu_seconds(p.pid) for p in [server, *readers]}

        def writer(number: int) -> None:
            session = requests.Session()
            headers = {"Authorization": f"Bearer {tokens[number]}"}
            while True:
                with lock:
                    index = next(next_index, None)
                if index is None or time.monotonic() - t0 > args.timeout:
                    return
                if args.rate:
                    delay = t0 + index / args.rate - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                starts[index] = time.monotonic()
                response = session.post(
                    f"{url}/api/v1/clauses/{clause_ids[index % len(clause_ids)]}/comments", headers=headers,
                    json={"body": f"Benchmark comment #{index} of this run.", "kind": "concern"}, timeout=60)
                acked[index] = time.monotonic()
                if response.status_code != 201:
                    errors.append(f"{response.status_code} {response.text[:200]}")

        threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.timeout + 60)
        for process in readers:
            process.stdin.write("done\n")
            process.stdin.flush()
        reports = [json.loads(process.stdout.readline() or "{}") for process in readers]
        cpu_server = cpu_seconds(server.pid) - cpu_before[server.pid]
        cpu_readers = sum(cpu_seconds(p.pid) - cpu_before[p.pid] for p in readers)
        wall = time.monotonic() - t0
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            try:
                profiler.wait(60)
                print(f"server profile written to {args.profile}")
            except subprocess.TimeoutExpired:
                profiler.kill()
        if errors:
            print(f"{len(errors)} POSTs failed, e.g. {errors[0]}", file=sys.stderr)
        posted = [i for i in range(args.comments) if acked[i] and starts[i]]
        got = [sum(r["got"][i] for r in reports) for i in range(args.comments)]
        last_at = [max(r["last_at"][i] for r in reports) for i in range(args.comments)]
        complete = [i for i in posted if got[i] == joined]
        latencies_ms = [(last_at[i] - starts[i]) * 1000 for i in complete]
        post_ms = [(acked[i] - starts[i]) * 1000 for i in posted]
        lost = sum(joined - got[i] for i in range(args.comments))
        duplicates = sum(r["duplicates"] for r in reports)
        first_start = min(starts[i] for i in posted)
        ack_span = max(acked[i] for i in posted) - first_start
        delivery_span = max(last_at) - first_start
        mode = f"{args.rate}/s paced" if args.rate else "full speed"
        print(f"readers {joined}, comments {len(posted)} ({writers} writers, {mode}), failed POSTs {len(errors)}")
        if latencies_ms:
            print("POST start -> delivery at the last reader: "
                  f"p50 {percentile(latencies_ms, .50):.1f} ms, p95 {percentile(latencies_ms, .95):.1f} ms, "
                  f"p99 {percentile(latencies_ms, .99):.1f} ms, max {max(latencies_ms):.1f} ms")
        print(f"POST answered: p50 {statistics.median(post_ms):.1f} ms, p99 {percentile(post_ms, .99):.1f} ms")
        print(f"comments acknowledged/s: {len(posted) / ack_span:.0f}")
        print(f"deliveries/s: {sum(got) / delivery_span:.0f} ({sum(got)} deliveries)")
        print(f"lost deliveries: {lost}, duplicate deliveries: {duplicates}")
        print(f"CPU over {wall:.1f} s of writing: server {cpu_server:.1f} s, reader processes {cpu_readers:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return 0 if lost == 0 and duplicates == 0 and not errors else 1
    finally:
        if profiler is not None and profiler.poll() is None:
            profiler.kill()
        for process in readers:
            if process.poll() is None:
                process.kill()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    if "--reader-worker" in sys.argv:
        i = sys.argv.index("--reader-worker")
        url, token, document_id, clients, comments, timeout, kind = sys.argv[i + 1:i + 8]
        reader_worker(url, token, int(document_id), int(clients), int(comments), float(timeout), kind == "light")
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=200, help="sockets joined to the document (default 200)")
    parser.add_argument("--comments", type=int, default=200, help="comments to post (default 200)")
    parser.add_argument("--rate", type=float, default=20,
                        help="comments per second, paced; 0 posts at full speed (default 20)")
    parser.add_argument("--writers", type=int, default=0,
                        help="concurrent writers (default 4 paced; use 8 with --rate 0)")
    parser.add_argument("--reader-processes", type=int, default=0,
                        help=f"reader processes (default one per {CLIENTS_PER_READER_PROCESS} readers)")
    parser.add_argument("--client", choices=["light", "python-socketio"], default="light",
                        help="reader client: the Socket.IO protocol by hand over websocket-client (light, "
                             "default) or python-socketio's full Client (heavier per message)")
    parser.add_argument("--server", choices=["common-ground", "relay"], default="common-ground",
                        help="the server to measure: Common Ground (default) or bench/relay.py, a bare "
                             "Flask-SocketIO relay of the same payloads, for comparison")
    parser.add_argument("--profile", default="",
                        help="record the server with py-spy while comments are written: a flame graph "
                             "(.svg), a speedscope file (.json) or collapsed stacks (.txt)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds any phase may take (default 180)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (app.py --workers; >1 needs --redis)")
    parser.add_argument("--redis", default="", help="SOCKETIO_MESSAGE_QUEUE for the server (flushed first)")
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database (its schema is dropped)")
    args = parser.parse_args()
    if not (1 <= args.readers <= 5000 and 1 <= args.comments <= 100_000 and 0 <= args.writers <= 64):
        parser.error("readers 1..5000, comments 1..100000, writers 0..64")
    sys.exit(run(args))


if __name__ == "__main__":
    main()
