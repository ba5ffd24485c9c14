"""Sign-in storm: N password sign-ins within S seconds while R readers receive comments.

Runs bench/fanout.py's measurement twice on fresh servers with the same readers and comments:
first without sign-ins, then with the storm (POST /api/v1/auth/tokens with the demo accounts'
passwords, hashed with the server's default Argon2id parameters, paced evenly over S seconds,
each on its own connection). A sign-in answered 503 busy is retried after its Retry-After, as a
browser's person would; its time runs from the first attempt to the token. Prints sign-in
p50/p99/max, how many were refused at first, and the readers' p50/p99 without and during the storm.

  python bench/signin_storm.py                      # 1,000 sign-ins in 60 s, 1,000 readers, 20 comments/s
  python bench/signin_storm.py --sign-ins 300 --seconds 20 --readers 200

Bounded like fanout.py: 127.0.0.1 only, a fixed number of requests, --timeout, every process stopped.
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fanout  # noqa: E402

ACCOUNTS = ["admin", "facilitator", *[a.split("@")[0] for a in fanout.WRITER_ACCOUNTS], "press"]


def storm(sign_ins: int, seconds: float):
    """The `during` hook of fanout.run: the sign-ins, paced evenly from t0."""
    import requests

    def sign_in(index: int, url: str, t0: float) -> tuple[float, int, int]:
        delay = t0 + index * seconds / sign_ins - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        started, refused = time.monotonic(), 0
        email = f"{ACCOUNTS[index % len(ACCOUNTS)]}@demo.commonground.example"
        with requests.Session() as session:
            while time.monotonic() - started < 120:
                answer = session.post(f"{url}/api/v1/auth/tokens", json={"email": email, "password": fanout.PASSWORD},
                                      timeout=120)
                if answer.status_code != 503:
                    return time.monotonic() - started, refused, answer.status_code
                refused += 1
                time.sleep(float(answer.headers.get("Retry-After", "1")))
        return time.monotonic() - started, refused, 503

    def during(url: str, t0: float) -> dict:
        # Enough threads that a slow answer never delays the next sign-in's start.
        with ThreadPoolExecutor(max_workers=min(sign_ins, 200)) as pool:
            outcomes = list(pool.map(lambda i: sign_in(i, url, t0), range(sign_ins)))
        return {"sign_in_seconds": [o[0] for o in outcomes], "refused_first": sum(1 for o in outcomes if o[1]),
                "retries": sum(o[1] for o in outcomes), "failed": sum(1 for o in outcomes if o[2] != 201)}

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
    args = parser.parse_args()
    if not (1 <= args.sign_ins <= 5000 and 1 <= args.readers <= 5000 and 1 <= args.seconds <= 600):
        parser.error("sign-ins 1..5000, readers 1..5000, seconds 1..600")
    # fanout.run reads these
    args.comments = int(args.rate * args.seconds)
    args.writers, args.reader_processes, args.client, args.server, args.profile = 0, 0, "light", "common-ground", ""
    args.database_url = ""

    results = {}
    if not args.skip_baseline:
        print("=== without sign-ins")
        results["without"] = fanout.run(args)
    print(f"=== with {args.sign_ins} sign-ins in {args.seconds:.0f} s")
    results["with"] = fanout.run(args, during=storm(args.sign_ins, args.seconds))

    storm_result = results["with"].get("during") or {}
    times = [t * 1000 for t in storm_result.get("sign_in_seconds", [])]
    print()
    if times:
        print(f"sign-ins: {len(times)}, p50 {fanout.percentile(times, .5):.0f} ms, "
              f"p99 {fanout.percentile(times, .99):.0f} ms, max {max(times):.0f} ms; "
              f"answered 503 busy at first: {storm_result['refused_first']} ({storm_result['retries']} retries); "
              f"failed: {storm_result['failed']}")
    for name, result in results.items():
        if "p50" in result:
            print(f"readers {name} the storm: POST -> last reader p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms, "
                  f"lost {result['lost']}, duplicates {result['duplicates']}, server CPU {result['cpu_server']:.1f} s")
    if "p99" in results.get("without", {}) and "p99" in results["with"]:
        print(f"readers' p99 during ÷ without: {results['with']['p99'] / results['without']['p99']:.2f}")
    sys.exit(0 if all(fanout.ok(r) for r in results.values()) and not storm_result.get("failed") else 1)


if __name__ == "__main__":
    threading.excepthook = lambda hook: print("thread failed:", hook.exc_value, file=sys.stderr)
    main()
