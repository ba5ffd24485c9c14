"""Campaign grouping at the size of issue 13, on PostgreSQL: a synthetic period of N comments
(default 55,000) of which 1,593 copy one of three form letters (a fifth of them with a personal
paragraph added, a fifth with other case and punctuation), written straight into `comments`
(the bench measures grouping, not ingestion), then grouped by the very code the server runs
(`services.campaign_grouping.group_all`, as `flask campaigns group` does). Then one new comment
at a time, through create_comment, grouped by `group_step` as the background worker does:
with the index warm, and after a restart (the index rebuilt from the stored signatures).

  python bench/campaigns.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_campaigns

The database is emptied first (its public schema is dropped): a scratch one.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from collab.demo.scale import CLAUSES, FORM_LETTER, GROUPS, sentence  # noqa: E402

LETTERS = [
    (FORM_LETTER, 1000),
    ("We are students at the high school. We want the resource officer out of our hallways and out of the "
     "cafeteria. When officers stand at the doors every morning we feel watched, not safe. Please spend the "
     "money on counselors, nurses and social workers instead, and publish every arrest made on campus.", 400),
    ("The teachers' association asks the board to require forty hours of training in adolescent development "
     "before any officer works in a school, to forbid searches at the request of school staff, and to report "
     "every use of force to the families concerned within one day.", 193),
]
PERSONAL = ["My daughter was searched in front of her class last spring and has not wanted to go back since.",
            "I coach soccer at the middle school and I see every week how the kids react to the patrol car.",
            "Our family moved here for the schools, and this is the first time we have felt unwelcome in them."]
WORDS = ("board district school officer student parent teacher counselor policy safety budget training record "
         "search arrest campus meeting report review complaint family community program clause agreement "
         "rule discipline hallway bus lunch class grade principal nurse social worker restorative diversion "
         "youth court citation data privacy camera uniform weapon drill lockdown emergency response").split()


def ordinary(rng: random.Random, i: int) -> str:
    parts = []
    for n in range(rng.randint(2, 4)):
        if rng.random() < 0.5:
            parts.append(sentence(rng, i * 10 + n))
        else:
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
            parts.append(" ".join(words).capitalize() + ".")
    return " ".join(parts)


def variant(rng: random.Random, letter: str) -> str:
    roll = rng.random()
    if roll < 0.2:
        return f"{letter}\n\n{rng.choice(PERSONAL)} {sentence(rng, rng.randrange(10**6))}"
    if roll < 0.4:
        return letter.upper().replace(",", "").replace(".", "!")
    return letter


def build(app, comments: int, copies: int, seed: int = 13) -> int:
    from datetime import timedelta

    from sqlalchemy import insert, select, text

    from collab.extensions import db
    from collab.models import Comment, Group, User
    from collab.reads.documents import document_view
    from collab.services.documents import create_document, create_period
    from collab.services.users import create_user
    from collab.timeutil import isoformat, utcnow

    rng = random.Random(seed)
    with app.app_context():
        admin = create_user(None, email="admin@bench.example", name="Dana Admin", password="correct horse battery",
                            role="admin", group="district")
        document = create_document(admin, title=f"SRO agreement ({comments:,} comments)", clauses=[
            {"number": str(n + 1), "heading": h, "body": b} for n, (h, b) in enumerate(CLAUSES)])
        now = utcnow()
        create_period(admin, document.id, opens_at=isoformat(now - timedelta(seconds=5)),
                      closes_at=isoformat(now + timedelta(days=30)))
        clause_ids = [c["id"] for c in document_view(document.id)["clauses"]]
        groups = dict(db.session.execute(select(Group.slug, Group.id)).all())
        first_user = (db.session.execute(select(text("max(id)")).select_from(User)).scalar() or 0) + 1
        people = list(range(first_user, first_user + 2000))
        db.session.execute(insert(User), [{
            "id": i, "email": f"person{i}@bench.example", "name": f"Person {i}", "password_hash": "-",
            "role": "participant", "is_active": True, "email_verified_at": now,
            "group_id": groups[rng.choices([g for g, _ in GROUPS], [w for _, w in GROUPS])[0]]} for i in people])
        db.session.commit()
        letters = [letter for letter, n in LETTERS for _ in range(round(n * copies / 1593))][:copies]
        rng.shuffle(letters)
        slots = set(rng.sample(range(comments), len(letters)))
        rows, letter_iter = [], iter(letters)
        for i in range(comments):
            body = variant(rng, next(letter_iter)) if i in slots else ordinary(rng, i)
            rows.append({"document_id": document.id, "clause_id": rng.choice(clause_ids), "version": 1,
                         "author_id": people[i % len(people)], "kind": "concern", "body": body, "language": "en",
                         "status": "open", "created_at": now})
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Comment), rows[start:start + 5000])
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return document.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=55_000)
    parser.add_argument("--copies", type=int, default=1_593)
    parser.add_argument("--new", type=int, default=5, help="new comments grouped one at a time")
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    url = args.database_url
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
                       "PERIOD_SCHEDULER_ENABLED": "0", "CAMPAIGN_GROUPER_ENABLED": "0"})
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, func, select, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    from collab import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url,
                      "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    started = time.perf_counter()
    document_id = build(app, args.comments, args.copies)
    print(f"database: {url}; {args.comments:,} comments ({args.copies:,} copies of 3 form letters) written "
          f"in {time.perf_counter() - started:.0f} s")

    from collab.campaigns import index as campaign_index
    from collab.extensions import db
    from collab.models import Campaign, CampaignMember, User
    from collab.services.campaign_grouping import group_all, group_step, warm_indexes
    from collab.services.comments import create_comment

    with app.app_context():
        load = os.getloadavg()
        started, cpu = time.perf_counter(), time.process_time()
        result = group_all(document_id)
        whole, whole_cpu = time.perf_counter() - started, time.process_time() - cpu
        members = db.session.execute(select(func.count()).select_from(CampaignMember)).scalar()
        campaigns = db.session.execute(select(Campaign.id, func.count()).join(CampaignMember).group_by(Campaign.id)
                                       .order_by(func.count().desc())).all()
        print(f"whole period: {result.signed:,} comments grouped in {whole:.1f} s ({whole_cpu:.1f} s CPU in this process) "
              f"({result.signed / whole:,.0f}/s); {len(campaigns)} campaigns, {members:,} members "
              f"(largest {[n for _, n in campaigns[:5]]}); load average before {load}")

        clause_id = db.session.execute(text("SELECT id FROM clauses ORDER BY id LIMIT 1")).scalar()
        authors = db.session.execute(select(User).where(User.email.like("%@bench.example"),
                                                        User.role == "participant").limit(args.new * 2)).scalars().all()
        timings = {"warm": [], "restart": [], "rebuild": []}
        cpu_times = {"warm": [], "restart": [], "rebuild": []}
        for n in range(args.new * 2):
            kind = "warm" if n % 2 == 0 else "restart"
            if kind == "restart":
                # As a freshly started process: the worker rebuilds the index from the table on
                # start (timed apart), then groups the comment.
                campaign_index.forget(document_id)
                started, cpu = time.perf_counter(), time.process_time()
                warm_indexes()
                timings["rebuild"].append(time.perf_counter() - started)
                cpu_times["rebuild"].append(time.process_time() - cpu)
            create_comment(authors[n], clause_id, body=f"{LETTERS[1][0]}\n\n{PERSONAL[n % 3]} Number {n}.",
                           kind="concern")
            started, cpu = time.perf_counter(), time.process_time()
            step = group_step()
            timings[kind].append(time.perf_counter() - started)
            cpu_times[kind].append(time.process_time() - cpu)
            assert step.signed == 1 and step.joined == 1, step
        labels = {"warm": "one new comment, index warm", "restart": "one new comment, just after a restart",
                  "rebuild": f"index rebuilt from {args.comments:,} signatures (worker start)"}
        for kind, values in timings.items():
            print(f"{labels[kind]}: median {statistics.median(values) * 1000:.0f} ms, "
                  f"max {max(values) * 1000:.0f} ms over {len(values)}; CPU median "
                  f"{statistics.median(cpu_times[kind]) * 1000:.0f} ms")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
