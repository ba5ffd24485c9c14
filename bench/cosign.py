"""Co-signing and the similar-comment suggestion, in-process on a fresh SQLite database.

Writes `--comments` thread-opening comments on one clause (varied ~250-character texts), then
measures: co-signatures per second through the service (`--cosigns` of them, by `--people`
people), GET /api/v1/clauses/{id}/similar (the clause's newest 500 comments compared with
rapidfuzz) and one page of GET /documents/{id}/comments?sort=cosigned, each p50/p99 over
`--queries` requests, with the load average.

  python bench/cosign.py --comments 2000 --cosigns 2000 --people 200 --queries 50
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("officers students school search lockers discipline arrest diversion families training cameras "
         "complaints data report board review parents teachers counselors consent warrant").split()


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(35)).capitalize() + "."


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--cosigns", type=int, default=2000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cg-cosign-")
    os.environ.update({"DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3", "SECRET_KEY": "bench",
                       "RATELIMIT_STORAGE_URI": "memory://", "COMMENT_RATE_LIMIT": "1000000 per minute",
                       "PERIOD_SCHEDULER_ENABLED": "0", "DUPLICATE_COMMENT_WINDOW_SECONDS": "0"})
    from flask_migrate import upgrade

    from collab import create_app
    from collab.extensions import db
    from collab.models.lookups import clause_texts
    from collab.services.comments import create_comment
    from collab.services.cosigning import cosign_comment
    from collab.services.documents import create_document, create_period
    from collab.services.users import create_user, issue_credential
    from collab.timeutil import isoformat, utcnow

    rng = random.Random(13)
    app = create_app({"ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
                      "SCAN_DIR": workdir})
    with app.app_context():
        upgrade()
        admin = create_user(None, email="admin@example.org", name="Admin", password="a long password",
                            role="admin", group="district")
        document = create_document(admin, title="Agreement", clauses=[
            {"number": "1", "heading": "Searches", "body": "Officers do not search students' lockers."}])
        create_period(admin, document.id, opens_at=None, closes_at=isoformat(utcnow() + timedelta(days=1)))
        clause_id = clause_texts(document)[0].clause_id
        groups = ("families", "students", "community", "educators")
        people = [create_user(None, email=f"p{i}@example.org", name=f"Person {i}", password="a long password",
                              role="participant", group=groups[i % len(groups)]) for i in range(args.people)]
        comment_ids = [create_comment(people[i % len(people)], clause_id, body=_text(rng), kind="concern")[0].id
                       for i in range(args.comments)]
        token = issue_credential(people[0], "token")[1]
        pairs, seen = [], set()
        while len(pairs) < args.cosigns:
            person, comment_id = rng.randrange(len(people)), rng.choice(comment_ids)
            if (person, comment_id) not in seen and comment_id % len(people) != person:
                seen.add((person, comment_id))
                pairs.append((people[person], comment_id))
        started = time.perf_counter()
        done = 0
        for person, comment_id in pairs:
            try:
                cosign_comment(person, comment_id)
                done += 1
            except Exception:  # noqa: BLE001 — own comment: skipped, not counted
                db.session.rollback()
        elapsed = time.perf_counter() - started
        db.session.remove()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    similar, cosigned = [], []
    for _ in range(args.queries):
        text = _text(rng)
        started = time.perf_counter()
        answer = client.get(f"/api/v1/clauses/{clause_id}/similar", query_string={"text": text}, headers=headers)
        similar.append(time.perf_counter() - started)
        assert answer.status_code == 200
        started = time.perf_counter()
        answer = client.get(f"/api/v1/documents/{document.id}/comments?sort=cosigned&limit=50", headers=headers)
        cosigned.append(time.perf_counter() - started)
        assert answer.status_code == 200
    print(f"{args.comments} comments, {done} co-signatures in {elapsed:.1f} s: {done / elapsed:.0f} co-signatures/s")
    print(f"GET /clauses/{{id}}/similar (500 candidates): {_percentiles(similar)}")
    print(f"GET /documents/{{id}}/comments?sort=cosigned&limit=50: {_percentiles(cosigned)}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
