"""In-process cost of the comment write path, without sockets or a second process.

Creates a fresh SQLite database in a temporary directory, posts N comments through
Flask's test client (the full request: authentication, rate limit, service, event,
broadcast to an empty room, JSON answer), and prints the time per POST and the SQL
statements per POST. It measures our code, not the network or the server loop.

  python bench/write_path.py --comments 1000
  python bench/write_path.py --comments 1000 --profile /tmp/write_path.txt
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--quote", action="store_true", help="every comment quotes its clause")
    parser.add_argument("--profile", default="", help="py-spy collapsed stacks (.txt) or flame graph (.svg)")
    parser.add_argument("--trace", action="store_true", help="print the SQL statements of one POST first")
    args = parser.parse_args()
    if not 1 <= args.comments <= 100_000:
        parser.error("comments 1..100000")

    workdir = tempfile.mkdtemp(prefix="cg-write-")
    os.environ.update({"DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3", "SECRET_KEY": "bench",
                       "RATELIMIT_STORAGE_URI": "memory://", "COMMENT_RATE_LIMIT": "1000000 per minute",
                       "PERIOD_SCHEDULER_ENABLED": "0"})
    from flask_migrate import upgrade
    from sqlalchemy import event

    from collab import create_app
    from collab.extensions import db
    from collab.services.comments import create_comment  # noqa: F401 — imported before timing
    from collab.services.documents import create_document, create_period
    from collab.services.users import create_user, issue_credential
    from collab.timeutil import isoformat, utcnow

    app = create_app({"ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}})
    with app.app_context():
        upgrade()
        admin = create_user(None, email="admin@example.org", name="Admin", password="a long password",
                            role="admin", group="district")
        writer = create_user(None, email="writer@example.org", name="Writer", password="a long password",
                             role="participant", group="families")
        document = create_document(admin, title="Agreement", clauses=[
            {"number": "1", "heading": "Purpose", "body": "The program keeps students safe and supports learning."}])
        from datetime import timedelta

        create_period(admin, document.id, opens_at=None, closes_at=isoformat(utcnow() + timedelta(days=1)))
        token = issue_credential(writer, "token")[1]
        from collab.models.lookups import clause_texts

        clause_id = clause_texts(document)[0].clause_id
        db.session.remove()

    statements = [0]

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"body": "A concern about this clause.", "kind": "concern"}
    if args.quote:
        body["quote"] = "keeps students safe"
    posted = [0]

    def post():
        # Each text differs: the same text twice within minutes is refused as a double post.
        posted[0] += 1
        return client.post(f"/api/v1/clauses/{clause_id}/comments", headers=headers,
                           json={**body, "body": f"{body['body']} (#{posted[0]})"})

    for _ in range(20):  # warm up
        post()
    if args.trace:
        with app.app_context():
            trace = lambda _c, _cur, statement, *_a: print("   ", " ".join(statement.split())[:160])
            event.listen(db.engine, "before_cursor_execute", trace)
            post()
            event.remove(db.engine, "before_cursor_execute", trace)
    profiler = None
    if args.profile:
        profiler = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid",
                                     str(os.getpid()), "--rate", "500", "--format",
                                     "raw" if args.profile.endswith(".txt") else "flamegraph",
                                     "--output", args.profile], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
    statements[0] = 0
    times = []
    cpu = time.process_time()
    for _ in range(args.comments):
        started = time.perf_counter()
        response = post()
        times.append(time.perf_counter() - started)
        if response.status_code != 201:
            raise SystemExit(f"POST failed: {response.status_code} {response.get_data(as_text=True)[:200]}")
    cpu = time.process_time() - cpu
    if profiler is not None:
        import signal

        profiler.send_signal(signal.SIGINT)
        profiler.wait(60)
    times_ms = sorted(t * 1000 for t in times)
    print(f"{args.comments} POSTs: median {statistics.median(times_ms):.2f} ms, "
          f"p99 {times_ms[int(len(times_ms) * .99) - 1]:.2f} ms, CPU {cpu / args.comments * 1000:.2f} ms a POST, "
          f"{statements[0] / args.comments:.1f} SQL statements a POST (BEGIN included); "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
