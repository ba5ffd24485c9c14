"""Server time of the pages and lists of a large period (built by bench/scale.py), in
process through Flask's test client as an administrator: median of 3 runs each, size of the
answer, SQL statements; report.csv time to first byte and total, with the process's RSS
sampled while it streams.

  python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch --document 1
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS_MS = {"page": 200, "document": 300, "search": 300}


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--document", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="measure only the rows whose name contains this")
    parser.add_argument("--no-report", action="store_true", help="skip report.csv and report.json")
    args = parser.parse_args()
    os.environ.update({"DATABASE_URL": args.database_url, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
                       "PERIOD_SCHEDULER_ENABLED": "0"})
    from sqlalchemy import event, func, select

    from collab import create_app
    from collab.auth import SESSION_KEY
    from collab.extensions import db
    from collab.models import Comment, User
    from collab.services.users import issue_credential

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    import gc

    gc.collect()
    gc.freeze()  # as the server does (collab/runtime/server.py)
    client = app.test_client()
    with app.app_context():
        admin = db.session.execute(select(User).where(User.role == "admin").order_by(User.id)).scalars().first()
        _credential, secret = issue_credential(admin, "session")
        _c, token = issue_credential(admin, "token")
        admin_id = admin.id
        busiest = db.session.execute(select(Comment.clause_id, func.count()).where(
            Comment.document_id == args.document).group_by(Comment.clause_id).order_by(func.count().desc())).first()
        total = db.session.execute(select(func.count()).select_from(Comment)).scalar_one()
        first_next = None
    with client.session_transaction() as session:
        session[SESSION_KEY] = secret
    bearer = {"Authorization": f"Bearer {token}"}
    statements = [0]

    def count(*_args):
        statements[0] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    doc, clause = args.document, busiest[0]
    answer = client.get(f"/api/v1/documents/{doc}/comments?limit=50", headers=bearer).get_json()
    first_next = answer["next"]
    # The cursors of each list's second page, as a reader following "Next" would get them.
    from urllib.parse import quote

    def cursor_of(url, key="next", headers=None):
        data = client.get(url, headers=headers or bearer).get_json()
        return quote(data[key] or "", safe="")

    group_next = cursor_of("/api/v1/groups/families/comments")
    with app.app_context():
        from collab.reads.queue import QueueFilters, work_queue
        from collab.reads.report_stream import report_page
        from collab.reads.threads import first_threads

        queue_next = quote(work_queue(doc, QueueFilters())["next"] or "", safe="")
        report_next = quote(report_page(doc)["next"] or "", safe="")
        threads_next = quote(first_threads(db.session.get(User, admin_id), doc)[clause]["next"] or "", safe="")
    pages = [
        ("document", "document page", f"/documents/{doc}", {}),
        ("page", "Show more comments (busiest clause)", f"/documents/{doc}/clauses/{clause}/threads?cursor={threads_next}", {}),
        ("page", "API comments, first page", f"/api/v1/documents/{doc}/comments", bearer),
        ("page", "API comments, next page", f"/api/v1/documents/{doc}/comments?cursor={first_next}", bearer),
        ("page", "API comments of the busiest clause, newest", f"/api/v1/documents/{doc}/comments?clause_id={clause}&sort=newest", bearer),
        ("page", "work queue", f"/documents/{doc}/queue", {}),
        ("page", "work queue, next page", f"/documents/{doc}/queue?cursor={queue_next}", {}),
        ("page", "work queue, filtered (group + kind)", f"/documents/{doc}/queue?group=students&kind=question", {}),
        ("page", "work queue, filtered by clause", f"/documents/{doc}/queue?clause_id={clause}", {}),
        ("page", "families group page", "/groups/families/comments", {}),
        ("page", "families group page, next page", f"/groups/families/comments?cursor={group_next}", {}),
        ("page", "API group comments", "/api/v1/groups/families/comments", bearer),
        ("page", "my comments", "/me/comments", {}),
        ("page", "API my comments", "/api/v1/me/comments", bearer),
        ("page", "report page (first page)", f"/documents/{doc}/response", {}),
        ("page", "report page, next page", f"/documents/{doc}/response?cursor={report_next}", {}),
        ("page", "report page in Spanish", f"/documents/{doc}/response?lang=es", {}),
        ("page", "overview", f"/documents/{doc}/overview", {}),
        ("page", "events (API)", f"/api/v1/events?document_id={doc}&limit=50", bearer),
        ("search", "search page: officers", f"/documents/{doc}/search?q=officers", {}),
        ("search", "search API: escuelas (Spanish)", f"/api/v1/documents/{doc}/comments?q=escuelas&sort=newest", bearer),
        ("search", "search page: a rare word (restorative + escuelas)", f"/documents/{doc}/search?q=restorative+escuelas", {}),
        ("search", "work queue search: counselors", f"/documents/{doc}/queue?q=counselors", {}),
        ("search", "search API: form letter words + filters", f"/api/v1/documents/{doc}/comments?q=counselors+come+first&kind=concern&has_quote=no", bearer),
    ]
    print(f"{total:,} comments in the database; document {doc}; busiest clause {clause} ({busiest[1]:,} comments)")
    print(f"load average before: {os.getloadavg()}")
    print("| what | median ms | first ms | CPU ms (this process) | size | statements | goal |")
    print("|---|---|---|---|---|---|---|")
    for goal, name, url, headers in pages:
        if args.only and args.only not in name:
            continue
        times, cpu = [], []
        for _ in range(args.runs):
            statements[0] = 0
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, headers=headers)
            body = response.get_data()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {response.status_code} {body[:300]!r}")
        median = statistics.median(times)
        mark = "ok" if median < GOALS_MS[goal] else "MISSED"
        print(f"| {name} | {median:,.0f} | {times[0]:,.0f} | {statistics.median(cpu):,.0f} | {len(body) / 1024:,.0f} kB "
              f"| {statements[0]} | < {GOALS_MS[goal]} ms {mark} |")

    for kind in () if args.no_report else ("csv", "json"):
        samples, done = [], threading.Event()

        def sample():
            while not done.is_set():
                samples.append(rss_mb())
                time.sleep(0.05)

        before = rss_mb()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(f"/api/v1/documents/{doc}/report.{kind}", headers=bearer, buffered=False)
        chunks = iter(response.response)
        first = next(chunks)
        first_byte = (time.perf_counter() - started) * 1000
        size = len(first)
        for chunk in chunks:
            size += len(chunk)
        total_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu_started
        response.close()
        done.set()
        sampler.join()
        print(f"report.{kind}: first byte {first_byte:,.0f} ms (goal < 500), all {size / 1e6:,.1f} MB in {total_s:,.1f} s "
              f"(goal < 10 s), {cpu_s:,.1f} s of CPU in this process; RSS {before:,.0f} MB before, peak {max(samples or [before]):,.0f} MB while streaming")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
