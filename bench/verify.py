"""How long does `events verify` take for a large log?

    .venv/bin/python bench/verify.py [--events 100000] [--database-url URL]

Builds a log of that many events directly through record_event (in batches of 1,000 per
transaction) on a fresh SQLite file (or the given, empty and migrated, database), then times
the database verification, the export and the offline verifier on the export."""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cg-bench-verify-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"

    from flask_migrate import upgrade

    from collab import create_app
    from collab.audit import export_log, verify_database
    from collab.events import record_event, text_digest, transaction

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SOCKETIO_ASYNC_MODE": "threading",
                      "SOCKETIO_MESSAGE_QUEUE": None, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        written = 0
        while written < args.events:
            with transaction():
                for _ in range(min(args.batch, args.events - written)):
                    written += 1
                    record_event("comment.created", None, f"comment:{written}", {
                        "comment_id": written, "clause_id": written % 40, "version": 1, "parent_id": None,
                        "kind": "concern", "body_sha256": text_digest(f"Comment number {written}."),
                        "quote_sha256": None, "suggested_text_sha256": None})
        print(f"built {written} events in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")

        started = time.perf_counter()
        report = verify_database()
        print(f"events verify: {time.perf_counter() - started:.2f} s -> {report.summary()}")

        started = time.perf_counter()
        export_log(workdir / "export")
        print(f"events export: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    offline = subprocess.run([sys.executable, "-I", str(workdir / "export" / "verify.py"), str(workdir / "export")],
                             capture_output=True, text=True)
    print(f"offline verify.py: {time.perf_counter() - started:.2f} s -> {offline.stdout.splitlines()[0]}")
    print(f"(files in {workdir}; remove them when done)")


if __name__ == "__main__":
    main()
