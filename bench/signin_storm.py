"""Sign-in storm: N password sign-ins within S seconds while R readers receive comments.

Runs bench/fanout.py's measurement twice on fresh servers with the same readers and comments:
first without sign-ins, then with the storm. The storm is N different people: before the server
starts (outside the measured window) N accounts are created through the service
(`create_user`, so each password is hashed with the server's default Argon2id parameters), in
two processes. Then each signs in once (POST /api/v1/auth/tokens), paced evenly over S seconds,
each on its own connection. A sign-in answered 503 busy is retried after its Retry-After, as a
browser's person would; its time runs from the first attempt to the token.

Rate limits stay at the server's defaults except the per-address ones: every request of the
benchmark comes from 127.0.0.1, where 1,000 people would come from many addresses
(SIGN_IN_ADDRESS_RATE_LIMIT and ANONYMOUS_RATE_LIMIT lifted, as fanout.py does, and the
writers' per-person COMMENT_RATE_LIMIT). The failed-sign-in limits per account and per (account, address) are the defaults.

Prints sign-in p50/p99/max and every answer's status, how many were refused at first, the
server's CPU during the storm, and the readers' p50/p99 without and during the storm.

  python bench/signin_storm.py                      # 1,000 sign-ins in 60 s, 1,000 readers, 20 comments/s
  python bench/signin_storm.py --sign-ins 300 --seconds 20 --readers 200

Bounded like fanout.py: 127.0.0.1 only, a fixed number of requests, --timeout, every process stopped.
"""
from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fanout  # noqa: E402

ACCOUNT_DOMAIN = "storm.bench.example"
CREATING_PROCESSES = 2  # the machine's cores: each hash is ~29 ms of one core


def storm_email(index: int) -> str:
    return f"person{index}@{ACCOUNT_DOMAIN}"


def create_accounts(first: int, count: int) -> None:
    """Run in a process of its own (app context, no gevent): accounts first..first+count-1
    through the service, each password hashed with the server's default parameters."""
    sys.path.insert(0, str(fanout.ROOT))
    from app import app
    from collab.services.users import create_user

    with app.app_context():
        for index in range(first, first + count):
            create_user(None, email=storm_email(index), name=f"Storm person {index}", password=fanout.PASSWORD,
                        role="participant", group="families")


def prepare(sign_ins: int):
    """The `prepare` hook of fanout.run: the storm's accounts, before the server starts."""
    def create(env: dict) -> None:
        started = time.monotonic()
        share = -(-sign_ins // CREATING_PROCESSES)
        processes = [subprocess.Popen([sys.executable, __file__, "--create-accounts", str(first),
                                       str(min(share, sign_ins - first))], cwd=fanout.ROOT, env=env)
                     for first in range(0, sign_ins, share)]
        if any(process.wait(600) for process in processes):
            raise SystemExit("creating the accounts failed")
        print(f"{sign_ins} accounts created in {time.monotonic() - started:.1f} s (before the server starts)")
    return create


def server_threads_cpu() -> dict[str, float]:
    """CPU seconds of each thread of the server (this process's child running app.py), by
    thread id: the event loop is the thread whose id is the process's, the others are the
    password-check pool's and gevent's thread pool's."""
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
    server = next(pid for pid in children if "app.py" in Path(f"/proc/{pid}/cmdline").read_text())
    ticks = os.sysconf("SC_CLK_TCK")
    threads = {}
    for task in Path(f"/proc/{server}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        name = "event loop" if task.name == server else f"thread {task.name}"
        threads[name] = (int(fields[11]) + int(fields[12])) / ticks
    return threads


def storm(sign_ins: int, seconds: float):
    """The `during` hook of fanout.run: the sign-ins, paced evenly from t0, one person each."""
    import requests

    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()

    def sign_in(index: int, url: str, t0: float) -> tuple[float, int, int]:
        delay = t0 + index * seconds / sign_ins - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        started, refused = time.monotonic(), 0
        with requests.Session() as session:
            while time.monotonic() - started < 120:
                try:
                    answer = session.post(f"{url}/api/v1/auth/tokens",
                                          json={"email": storm_email(index), "password": fanout.PASSWORD}, timeout=120)
                except requests.RequestException as error:
                    with lock:
                        statuses[error.__class__.__name__] += 1
                    return time.monotonic() - started, refused, 0
                with lock:
                    statuses[answer.status_code] += 1
                if answer.status_code != 503:
                    return time.monotonic() - started, refused, answer.status_code
                refused += 1
                time.sleep(float(answer.headers.get("Retry-After", "1")))
        return time.monotonic() - started, refused, 503

    def during(url: str, t0: float) -> dict:
        threads_before = server_threads_cpu()
        # Enough threads that a slow answer never delays the next sign-in's start.
        with ThreadPoolExecutor(max_workers=min(sign_ins, 200)) as pool:
            outcomes = list(pool.map(lambda i: sign_in(i, url, t0), range(sign_ins)))
        return {"sign_in_seconds": [o[0] for o in outcomes], "refused_first": sum(1 for o in outcomes if o[1]),
                "retries": sum(o[1] for o in outcomes), "failed": sum(1 for o in outcomes if o[2] != 201),
                "statuses": dict(statuses), "storm_wall": time.monotonic() - t0,
                "threads_cpu": {name: cpu - threads_before.get(name, 0.0)
                                for name, cpu in server_threads_cpu().items()}}

    return during


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sign-ins", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=20, help="comments per second (default 20)")
    parser.add_argument("--timeout", type=float, default=240)
    parser.add_argument("--env", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        help="an environment variable for the server (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (app.py --workers; >1 needs --redis)")
    parser.add_argument("--redis", default="", help="SOCKETIO_MESSAGE_QUEUE for the server (flushed first)")
    parser.add_argument("--skip-baseline", action="store_true", help="measure only with the storm")
    parser.add_argument("--profile", default="",
                        help="record the server with py-spy during the storm (.svg, .json or .txt, as fanout.py)")
    parser.add_argument("--create-accounts", nargs=2, type=int, metavar=("FIRST", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.create_accounts:
        create_accounts(*args.create_accounts)
        return
    if not (1 <= args.sign_ins <= 5000 and 1 <= args.readers <= 5000 and 1 <= args.seconds <= 600):
        parser.error("sign-ins 1..5000, readers 1..5000, seconds 1..600")
    # fanout.run reads these
    args.comments = int(args.rate * args.seconds)
    args.writers, args.reader_processes, args.client, args.server = 0, 0, "light", "common-ground"
    profile, args.profile = args.profile, ""
    args.database_url = ""

    results = {}
    if not args.skip_baseline:
        print("=== without sign-ins")
        results["without"] = fanout.run(args, prepare=prepare(args.sign_ins))
    print(f"=== with {args.sign_ins} sign-ins in {args.seconds:.0f} s")
    args.profile = profile
    results["with"] = fanout.run(args, during=storm(args.sign_ins, args.seconds), prepare=prepare(args.sign_ins))

    storm_result = results["with"].get("during") or {}
    times = [t * 1000 for t in storm_result.get("sign_in_seconds", [])]
    print()
    if times:
        print(f"sign-ins: {len(times)}, p50 {fanout.percentile(times, .5):.0f} ms, "
              f"p99 {fanout.percentile(times, .99):.0f} ms, max {max(times):.0f} ms; "
              f"answered 503 busy at first: {storm_result['refused_first']} ({storm_result['retries']} retries); "
              f"failed: {storm_result['failed']}; answers by status: {storm_result['statuses']}; "
              f"last answer {storm_result['storm_wall']:.1f} s after the first sign-in began")
        busiest = sorted(storm_result["threads_cpu"].items(), key=lambda item: -item[1])[:4]
        print(f"server CPU by thread over the storm's {storm_result['storm_wall']:.1f} s: "
              + ", ".join(f"{name} {cpu:.1f} s" for name, cpu in busiest))
    for name, result in results.items():
        if "p50" in result:
            print(f"readers {name} the storm: POST -> last reader p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms, "
                  f"lost {result['lost']}, duplicates {result['duplicates']}, server CPU {result['cpu_server']:.1f} s")
    if "p99" in results.get("without", {}) and "p99" in results["with"]:
        print(f"readers' p99 during ÷ without: {results['with']['p99'] / results['without']['p99']:.2f}")
    if "cpu_server" in results.get("without", {}) and "cpu_server" in results["with"] and times:
        extra = results["with"]["cpu_server"] - results["without"]["cpu_server"]
        print(f"server CPU for the sign-ins (with − without): {extra:.1f} s = {extra / len(times) * 1000:.1f} ms "
              "a sign-in")
    for name, result in results.items():
        if "acked_per_s" in result:
            print(f"comments acknowledged/s {name} the storm: {result['acked_per_s']:.1f}")
    sys.exit(0 if all(fanout.ok(r) for r in results.values()) and not storm_result.get("failed") else 1)


if __name__ == "__main__":
    threading.excepthook = lambda hook: print("thread failed:", hook.exc_value, file=sys.stderr)
    main()
