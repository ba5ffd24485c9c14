"""Fan-out benchmark of the live channel.

Starts Common Ground as the README does (`flask db upgrade`, `flask demo`, `python app.py`)
on a fresh SQLite file in a temporary directory, joins N readers to the demo document
(clients spread over several reader processes that run on gevent: bench/fanout_reader.py),
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
  python bench/fanout.py --readers 1000 --rate 20 --comments 400 --compare   # project, relay, Node relay

Everything is bounded: only 127.0.0.1, a fixed number of comments and a --timeout;
every process it starts is stopped at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "common-ground-demo"
READER_ACCOUNT = "press@demo.commonground.example"
WRITER_ACCOUNTS = [f"{name}@demo.commonground.example" for name in (
    "family", "student", "educator", "school-leader", "police", "juvenile-justice", "civil-rights", "community")]
CLIENTS_PER_READER_PROCESS = 250


# --- orchestration --------------------------------------------------------------------

def flask(args: list[str], env: dict) -> str:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=300).stdout


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def uwsgi_command(port: int) -> list[str]:
    return [str(Path(sys.executable).with_name("uwsgi")), "--http-socket", f"127.0.0.1:{port}", "--http-websockets",
            "--gevent", "2000", "--gevent-early-monkey-patch", "--tcp-nodelay", "--wsgi-file", "bench/uwsgi_app.py",
            "--callable", "app", "--die-on-term", "--disable-logging"]


def start_server(env: dict, timeout: float = 60, script: str = "app.py",
                 extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    if script == "uwsgi":
        port = free_port()
        command = uwsgi_command(port)
        env = {**env, "FANOUT_SERVING_LINE": f"serving on http://127.0.0.1:{port}"}
    else:
        command = ["node" if script.endswith(".js") else sys.executable, script, "--host", "127.0.0.1", "--port", "0", *extra]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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


SERVERS = {"common-ground": "app.py", "relay": "bench/relay.py", "node": "bench/node_relay.js", "uwsgi": "uwsgi"}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(args, server_kind: str | None = None, payload_file: str = "", capture_payload: str = "",
        during=None, prepare=None) -> dict:
    """One measurement of one server; prints its figures and returns them. `during(url, t0)`,
    if given, runs on a thread of its own while the comments are written (bench/signin_storm.py)
    and what it returns is added to the result as "during". `prepare(env)`, if given, runs after
    the demo is loaded and before the server starts (outside every measured window)."""
    import requests

    server_kind = server_kind or args.server
    workdir = tempfile.mkdtemp(prefix="cg-bench-")
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    database_url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    if args.database_url:
        drop_schema(args.database_url)
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16),
           "SOCKETIO_MESSAGE_QUEUE": args.redis, "RATELIMIT_STORAGE_URI": args.redis or "memory://",
           # Every request comes from 127.0.0.1: the per-address limits (sign-in requests, requests
           # without an account) are lifted, and the writers' per-person comment budget. The
           # failed-sign-in limits (per account, per account and address) stay at their defaults.
           "COMMENT_RATE_LIMIT": "1000000 per minute", "SIGN_IN_ADDRESS_RATE_LIMIT": "1000000 per minute",
           "ANONYMOUS_RATE_LIMIT": "1000000 per minute",
           "PYTHONUNBUFFERED": "1", "RELAY_PAYLOAD": payload_file, "FANOUT_CAPTURE_PAYLOAD": capture_payload}
    for name, value in (args.env or []):
        env[name] = value
    print(f"--- {server_kind}: {uptime()}")
    if server_kind in ("relay", "node"):
        document_id = 1
        server, url = start_server(env, script=SERVERS[server_kind])
    else:
        flask(["db", "upgrade"], env)
        demo = flask(["demo", "--password", PASSWORD], env)
        document_id = int(demo.split("(document ", 1)[1].split(")", 1)[0])
        if prepare is not None:
            prepare(env)
        extra = ("--workers", str(args.workers)) if SERVERS[server_kind] == "app.py" else ()
        server, url = start_server(env, script=SERVERS[server_kind], extra=extra)
    readers: list[subprocess.Popen] = []
    profiler: subprocess.Popen | None = None
    try:
        class OneConnectionEach:
            """uWSGI's --http-socket closes each connection after one answer without saying so."""
            def post(self, *args, **kwargs):
                with requests.Session() as session:
                    return session.post(*args, **kwargs)

            def get(self, *args, **kwargs):
                with requests.Session() as session:
                    return session.get(*args, **kwargs)

        def new_session():
            return OneConnectionEach() if server_kind == "uwsgi" else requests.Session()

        http = new_session()
        reader_token = token_for(http, url, READER_ACCOUNT)
        admin = {"Authorization": f"Bearer {token_for(http, url, 'admin@demo.commonground.example')}"}
        clause_ids = [c["id"] for c in http.get(f"{url}/api/v1/documents/{document_id}", headers=admin,
                                                timeout=30).json()["document"]["clauses"]]
        processes = args.reader_processes or max(1, -(-args.readers // CLIENTS_PER_READER_PROCESS))
        shares = [args.readers // processes + (1 if i < args.readers % processes else 0) for i in range(processes)]
        started = time.monotonic()
        for number, share in enumerate(shares):
            reader_env = {**env, "FANOUT_CAPTURE_PAYLOAD": capture_payload if number == 0 else ""}
            readers.append(subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "fanout_reader.py"), url, reader_token, str(document_id), str(share),
                 str(args.comments), str(args.timeout), args.client],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=reader_env))
        joined = 0
        for process in readers:
            report = json.loads(process.stdout.readline() or "{}")
            joined += report.get("ready", 0)
            if report.get("failures"):
                print("reader failures:", report["failures"], file=sys.stderr)
        print(f"{joined}/{args.readers} readers joined in {time.monotonic() - started:.1f} s "
              f"({len(readers)} reader processes)")
        if joined != args.readers:
            return {"server": server_kind, "failed": "readers did not join"}
        time.sleep(1)  # let the join presence broadcasts drain

        starts = [0.0] * args.comments
        acked = [0.0] * args.comments
        errors: list[str] = []
        next_index = iter(range(args.comments))
        lock = threading.Lock()
        writers = args.writers or 4
        tokens = [token_for(http, url, WRITER_ACCOUNTS[i % len(WRITER_ACCOUNTS)]) for i in range(writers)]
        if args.profile and server_kind == "common-ground":
            # py-spy samples the server only while the comments are written and delivered (every
            # server process with --workers).
            profiler = subprocess.Popen(
                [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(server.pid), "--rate", "200",
                 "--format", {".json": "speedscope", ".txt": "raw"}.get(Path(args.profile).suffix, "flamegraph"),
                 "--output", args.profile, "--nonblocking", *(("--subprocesses",) if args.workers > 1 else ())],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(1)
        t0 = time.monotonic() + 0.2
        cpu_before = {p.pid: cpu_seconds(p.pid) for p in [server, *readers]}

        def writer(number: int) -> None:
            session = new_session()
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
        side: dict = {}
        if during is not None:
            threads.append(threading.Thread(target=lambda: side.update(during(url, t0)), daemon=True))
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
        result = {"server": server_kind, "during": side, "lost": lost, "duplicates": duplicates, "errors": len(errors),
                  "cpu_server": cpu_server, "deliveries": sum(got), "wall": wall,
                  "acked_per_s": len(posted) / ack_span}
        if latencies_ms:
            result.update(p50=percentile(latencies_ms, .50), p95=percentile(latencies_ms, .95),
                          p99=percentile(latencies_ms, .99))
            print("POST start -> delivery at the last reader: "
                  f"p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
                  f"p99 {result['p99']:.1f} ms, max {max(latencies_ms):.1f} ms")
        print(f"POST answered: p50 {statistics.median(post_ms):.1f} ms, p99 {percentile(post_ms, .99):.1f} ms")
        print(f"comments acknowledged/s: {len(posted) / ack_span:.0f}")
        print(f"deliveries/s: {sum(got) / delivery_span:.0f} ({sum(got)} deliveries)")
        per_core = sum(got) / cpu_server if cpu_server else 0
        result["per_core"] = per_core
        print(f"server CPU per delivery: {1e6 / per_core if per_core else 0:.1f} µs "
              f"= {per_core:,.0f} deliveries/s per core")
        print(f"lost deliveries: {lost}, duplicate deliveries: {duplicates}")
        print(f"CPU over {wall:.1f} s of writing: server {cpu_server:.1f} s, reader processes {cpu_readers:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"--- after {server_kind}: {uptime()}")
        return result
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


def ok(result: dict) -> bool:
    return not result.get("failed") and result["lost"] == 0 and result["duplicates"] == 0 and not result["errors"]


def compare(args) -> int:
    """The project, then the bare Flask-SocketIO relay and the Node socket.io relay (or the
    servers --compare names) one after the other with the same readers and the payload the
    project sent, and the ratios to the Node relay."""
    kinds = [kind.strip() for kind in args.compare.split(",") if kind.strip()]
    payload = Path(tempfile.mkdtemp(prefix="cg-payload-")) / "comment_created.json"
    results = []
    for kind in kinds:
        if kind in ("relay", "node") and not payload.exists():
            payload = ROOT / "bench" / "relay_payload.json"
            print(f"relays send the payload of {payload} ({len(json.dumps(json.loads(payload.read_text()))):,} bytes)")
        results.append(run(args, kind, payload_file=str(payload),
                           capture_payload="" if payload.exists() or kind != "common-ground" else str(payload)))
        if kind == "common-ground" and payload.exists():
            print(f"relays send the payload the project sent ({len(json.dumps(json.loads(payload.read_text()))):,} "
                  "bytes)")
    node = next((r for r in results if r["server"] == "node"), results[-1])
    print("\nserver          p50 ms   p99 ms  server µs/delivery  deliveries/s/core  p50 ÷ node  p99 ÷ node  lost  dup")
    for result in results:
        if "p50" not in result:
            print(f"{result['server']:<14}  {result.get('failed', 'no complete delivery')}")
            continue
        print(f"{result['server']:<14} {result['p50']:7.1f} {result['p99']:8.1f} "
              f"{1e6 / result['per_core'] if result['per_core'] else 0:19.1f} {result['per_core']:18,.0f} "
              f"{result['p50'] / node['p50'] if node.get('p50') else 0:11.1f} "
              f"{result['p99'] / node['p99'] if node.get('p99') else 0:11.1f} "
              f"{result['lost']:5d} {result['duplicates']:4d}")
    return 0 if all(ok(r) for r in results) else 1


def main() -> None:
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
    parser.add_argument("--server", choices=list(SERVERS), default="common-ground",
                        help="the server to measure: Common Ground (default), Common Ground under uWSGI's gevent "
                             "loop (uwsgi; bench/uwsgi_app.py), bench/relay.py (a bare Flask-SocketIO relay of the "
                             "same payloads) or bench/node_relay.js (the same on Node's socket.io)")
    parser.add_argument("--compare", nargs="?", const="common-ground,relay,node", default="",
                        help="measure Common Ground, then both relays with the payload it sent, and print the "
                             "ratios to the Node relay; or the servers named, e.g. common-ground,uwsgi,relay,node")
    parser.add_argument("--env", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        help="an environment variable for the server (repeatable)")
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
    if args.compare:
        sys.exit(compare(args))
    result = run(args)
    sys.exit(0 if ok(result) else 1)


if __name__ == "__main__":
    main()
