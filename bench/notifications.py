"""Fan-out of one event to N followers: notification rows per second, time until every mail
is in the outbox, and the latency of comment POSTs made meanwhile.

N people follow a clause and want every mail at once; a new version changes that clause.
The notifier (collab.notifications.notifier, as each server process runs it) fans the
event out in batches while a writer thread posts comments through Flask's test client at a
fixed rate; the POST latencies before the event (baseline) and during the fan-out are printed.
Fresh SQLite file by default; --database-url for PostgreSQL (its schema is dropped: a
scratch database).

  python bench/notifications.py --followers 20000
  python bench/notifications.py --followers 20000 --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=100, help="NOTIFIER_BATCH_SIZE")
    parser.add_argument("--rate", type=float, default=10.0, help="comment POSTs per second meanwhile")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="cg-notify-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_STORAGE_URI": "memory://",
                       "COMMENT_RATE_LIMIT": "1000000 per minute", "NOTIFIER_BATCH_SIZE": str(args.batch),
                       "NOTIFIER_POLL_SECONDS": "0.05", "SITE_URL": "https://bench.example"})
    from datetime import timedelta

    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select, text

    from collab import create_app
    from collab.extensions import db
    from collab.models import ClauseFollow, Group, OutboxMail, User
    from collab.models.notifications import Notification, NotificationCursor, NotificationPreference
    from collab.notifications.notifier import run_notifier
    from collab.services.documents import create_document, create_period
    from collab.services.users import create_user, issue_credential
    from collab.services.versions import publish_version
    from collab.timeutil import isoformat, utcnow

    app = create_app({"ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        admin = create_user(None, email="admin@example.org", name="Admin", password="a long password",
                            role="admin", group="district")
        writer = create_user(None, email="writer@example.org", name="Writer", password="a long password",
                             role="participant", group="families")
        document = create_document(admin, title="Agreement", clauses=[
            {"number": "1", "heading": "Purpose", "body": "The program keeps students safe."},
            {"number": "2", "heading": "Arrests", "body": "Arrest is a last resort."}])
        create_period(admin, document.id, opens_at=None, closes_at=isoformat(utcnow() + timedelta(days=1)))
        from collab.reads.documents import document_view

        clauses = [{k: c[k] for k in ("id", "number", "heading", "body")} for c in document_view(document.id)["clauses"]]
        group_id = db.session.execute(select(Group.id).where(Group.slug == "families")).scalar_one()
        first = db.session.execute(select(func.max(User.id))).scalar() + 1
        ids = range(first, first + args.followers)
        db.session.execute(insert(User), [{"id": i, "email": f"f{i}@example.org", "name": f"Follower {i}",
                                           "password_hash": "-", "role": "participant", "group_id": group_id,
                                           "is_active": True} for i in ids])
        db.session.execute(insert(ClauseFollow), [{"user_id": i, "clause_id": clauses[1]["id"],
                                                   "document_id": document.id, "is_following": True} for i in ids])
        db.session.execute(insert(NotificationPreference), [
            {"user_id": i, "email_frequency": "immediate", "kinds": {}, "answers_immediately": True} for i in ids])
        db.session.commit()
        token = issue_credential(writer, "token")[1]
        admin_id, document_id, comment_clause = admin.id, document.id, clauses[0]["id"]
        run_notifier(app, until_idle=True)  # the setup's own events

    stop_notifier = threading.Event()
    notifier = threading.Thread(target=run_notifier, args=(app, stop_notifier), daemon=True)
    notifier.start()

    latencies: list[tuple[float, float]] = []  # (started at, seconds)
    stop_writer = threading.Event()

    def write_comments() -> None:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        number = 0
        while not stop_writer.is_set():
            number += 1
            started = time.perf_counter()
            response = client.post(f"/api/v1/clauses/{comment_clause}/comments", headers=headers,
                                   json={"kind": "concern", "body": f"Comment {number} while the fan-out runs."})
            latencies.append((started, time.perf_counter() - started))
            if response.status_code != 201:
                print("POST failed:", response.status_code, response.get_data(as_text=True)[:200])
            time.sleep(max(0.0, 1 / args.rate - (time.perf_counter() - started)))

    writer_thread = threading.Thread(target=write_comments, daemon=True)
    writer_thread.start()
    time.sleep(3)  # baseline POSTs

    with app.app_context():
        published_at = time.perf_counter()
        changed = [dict(c) for c in clauses]
        changed[1]["body"] = "Arrest is a last resort, after diversion."
        version = publish_version(db.session.get(User, admin_id), document_id, clauses=changed, note="v2")
        seq = version and db.session.execute(text("SELECT MAX(seq) FROM events WHERE action = 'version.published'")
                                             ).scalar()
        db.session.remove()
    first_row_at = done_at = None
    while done_at is None:
        with app.app_context():
            rows = db.session.execute(select(func.count()).select_from(Notification).where(
                Notification.event_seq == seq)).scalar()
            mails = db.session.execute(select(func.count()).select_from(OutboxMail).where(
                OutboxMail.caused_by_event_seq == seq)).scalar()
            cursor = db.session.get(NotificationCursor, 1)
            if rows and first_row_at is None:
                first_row_at = time.perf_counter()
            if cursor.last_seq >= seq and cursor.partial_seq is None and mails >= args.followers:
                done_at = time.perf_counter()
            db.session.remove()
        time.sleep(0.05)
    time.sleep(1)
    stop_writer.set()
    writer_thread.join(10)
    stop_notifier.set()
    notifier.join(30)

    baseline = [s for at, s in latencies if at < published_at]
    during = [s for at, s in latencies if published_at <= at <= done_at]
    elapsed = done_at - published_at
    print(f"database: {db.engine.dialect.name if False else url.split(':')[0]}; followers {args.followers}; "
          f"batch {args.batch}; POST rate {args.rate}/s; load {os.getloadavg()[0]:.2f}")
    print(f"notification rows: {rows} in {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s); "
          f"first rows after {first_row_at - published_at:.2f} s")
    print(f"every mail in the outbox ({mails}) {elapsed:.2f} s after the publish")
    for name, values in (("baseline", baseline), ("during fan-out", during)):
        if values:
            print(f"comment POST {name}: n={len(values)} p50 {statistics.median(values) * 1000:.1f} ms, "
                  f"p99 {percentile(values, 0.99) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
