"""Build a large comment period through the service functions, like the one of issue 13:
N comments (5% replies, 10% quoting the clause, campaign copies of one form letter),
answers (by default 3,000 covering ~8,000 comments: 2,000 single, 1,000 shared by 6),
from 2,000 accounts in five groups, English and Spanish text. Prints the ingestion rate.

  python bench/scale.py --comments 55000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch
  python bench/scale.py --comments 10000            # a fresh SQLite file in a temporary directory

The database named by --database-url is emptied first (its public schema is dropped): a scratch one.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROUPS = (("families", 0.45), ("students", 0.2), ("community", 0.2), ("educators", 0.1), ("district", 0.05))
CLAUSES = [
    ("Purpose", "The program keeps students safe and supports learning in every school of the district."),
    ("Discipline", "Officers do not enforce school rules or take part in school discipline of any kind."),
    ("Arrests", "Arrest on school grounds is a last resort after diversion and restorative options are considered."),
    ("Searches", "Officers search a student only with probable cause and never at the request of school staff."),
    ("Data", "Records of contacts with students are kept for one year and shared only as the law requires."),
    ("Training", "Officers complete forty hours of training in adolescent development and de-escalation each year."),
    ("Complaints", "Families may complain to an independent office that answers within thirty days."),
    ("Review", "The agreement is reviewed every year with students, families and educators in public meetings."),
]
EN = ["officers", "students", "arrests", "schools", "discipline", "counselors", "safety", "searches", "families",
      "records", "training", "complaints", "teachers", "parents", "restorative", "diversion", "police", "campus"]
ES = ["policías", "estudiantes", "escuelas", "disciplina", "consejeros", "seguridad", "familias", "registros",
      "maestros", "padres", "quejas", "arrestos", "niños", "comunidad"]
FORM_LETTER = ("As a parent in this district I ask that officers never take part in school discipline, that "
               "arrests on campus end except for serious violent crime, and that counselors come first.")


def sentence(rng: random.Random, index: int) -> str:
    if rng.random() < 0.25:
        words = rng.sample(ES, 6)
        return f"Comentario {index}: las {words[0]} y los {words[1]} de las {words[2]} piden {words[3]} y {words[4]}."
    words = rng.sample(EN, 7)
    return (f"Comment {index}: the {words[0]} and {words[1]} need clear rules on {words[2]}; "
            f"{words[3]} should come before {words[4]} for {words[5]} and {words[6]}.")


def build(app, comments: int, accounts: int, answers: int, campaign: int, batch: int = 200,
          seed: int = 13) -> dict:
    from collab.extensions import db
    from collab.models import Comment
    from collab.services.comments import create_comment
    from collab.services.documents import create_document, create_period
    from collab.services.resolutions import record_resolution, record_resolutions
    from collab.services.users import create_user
    from collab.timeutil import isoformat, utcnow
    from datetime import timedelta
    from sqlalchemy import text

    rng = random.Random(seed)
    figures = {}
    with app.app_context():
        started = time.perf_counter()
        admin = create_user(None, email="admin@scale.example", name="Dana Admin", password="correct horse battery",
                            role="admin", group="district")
        people = []
        for i in range(accounts):
            group = rng.choices([g for g, _ in GROUPS], [w for _, w in GROUPS])[0]
            people.append(create_user(None, email=f"person{i}@scale.example", name=f"Person {i}",
                                      password="correct horse battery", role="participant", group=group).id)
        figures["accounts_s"] = time.perf_counter() - started
        document = create_document(admin, title=f"SRO agreement ({comments:,} comments)", clauses=[
            {"number": str(n + 1), "heading": h, "body": b} for n, (h, b) in enumerate(CLAUSES)])
        now = utcnow()
        create_period(admin, document.id, opens_at=isoformat(now - timedelta(seconds=5)),
                      closes_at=isoformat(now + timedelta(days=30)))
        from collab.reads.documents import document_view

        clause_ids = [c["id"] for c in document_view(document.id)["clauses"]]
        bodies = dict(zip(clause_ids, (b for _h, b in CLAUSES)))
        from collab.models import User

        users = {u.id: u for u in db.session.query(User).all()}
        roots: dict[int, list[int]] = {c: [] for c in clause_ids}
        campaign_left = campaign
        started = time.perf_counter()
        from collab.events import transaction

        def one(i: int) -> None:
            nonlocal campaign_left
            author = users[people[i % len(people)]]
            clause = clause_ids[rng.randrange(len(clause_ids))]
            roll = rng.random()
            if roll < 0.05 and roots[clause]:
                kwargs = {"kind": "reply", "parent_id": rng.choice(roots[clause][-200:])}
                body = f"Reply {i}: " + sentence(rng, i)
            elif campaign_left and roll < 0.05 + campaign / comments:
                # Copies of one form letter, each from another person (one copy per person).
                author = users[people[(campaign - campaign_left) % len(people)]]
                body, kwargs = FORM_LETTER, {"kind": "concern"}
                campaign_left -= 1
            else:
                body = sentence(rng, i)
                kwargs = {"kind": rng.choice(("concern", "concern", "suggestion", "support", "question"))}
                if rng.random() < 0.11:
                    words = bodies[clause].split()
                    start = rng.randrange(len(words) - 4)
                    kwargs["quote"] = " ".join(words[start:start + 4])
                if kwargs["kind"] == "suggestion" and rng.random() < 0.5:
                    kwargs["suggested_text"] = f"Suggested wording {i}: " + bodies[clause].replace("every", "each")
            comment, _ = create_comment(author, clause, body=body, **kwargs)
            if comment.parent_id is None:
                roots[clause].append(comment.id)

        started = time.perf_counter()
        for first in range(0, comments, batch):
            # Each comment through create_comment (checks, rows, event); `batch` of them share a
            # commit, as the services allow (a service inside a transaction joins it).
            with transaction():
                for i in range(first, min(first + batch, comments)):
                    one(i)
            done = min(first + batch, comments)
            if done % 5000 < batch:
                elapsed = time.perf_counter() - started
                print(f"  {done:,} comments, {done / elapsed:,.0f}/s", flush=True)
        figures["comments_s"] = time.perf_counter() - started
        figures["comments_per_s"] = comments / figures["comments_s"]
        admin = db.session.get(User, admin.id)
        answerable = [cid for (cid,) in db.session.query(Comment.id).filter(
            Comment.document_id == document.id, Comment.parent_id.is_(None)).order_by(Comment.id)]
        rng.shuffle(answerable)
        singles, shared = answers * 2 // 3, answers - answers * 2 // 3
        started = time.perf_counter()
        pool = iter(answerable)
        dispositions = ("accepted", "accepted_with_changes", "declined", "deferred", "noted")
        for n in range(singles):
            record_resolution(admin, next(pool), disposition=rng.choice(dispositions),
                              rationale=f"Answer {n}: the district will consider this in the next draft.")
        for n in range(shared):
            record_resolutions(admin, document.id, [next(pool) for _ in range(6)],
                               disposition=rng.choice(dispositions),
                               rationale=f"Shared answer {n}: these comments raise the same point.")
        figures["answers_s"] = time.perf_counter() - started
        # Fresh planner statistics, as autovacuum would gather soon after a load this size:
        # without them PostgreSQL guesses a handful of rows and scans every comment to search.
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        figures["document_id"] = document.id
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=55_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--answers", type=int, default=3_000)
    parser.add_argument("--campaign", type=int, default=1_593)
    parser.add_argument("--batch", type=int, default=200, help="comments per commit (1: one each)")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='cg-scale-')}/scale.sqlite3"
    os.environ.update({"DATABASE_URL": url, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
                       "PERIOD_SCHEDULER_ENABLED": "0", "DUPLICATE_COMMENT_WINDOW_SECONDS": "600"})
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql"):
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
    print(f"database: {url}")
    figures = build(app, args.comments, args.accounts, args.answers, args.campaign, args.batch)
    print(f"accounts: {args.accounts:,} in {figures['accounts_s']:.1f} s")
    print(f"comments: {args.comments:,} in {figures['comments_s']:.1f} s = {figures['comments_per_s']:,.0f} comments/s "
          f"(each through create_comment with its event; {args.batch} per commit)")
    print(f"answers: {args.answers:,} in {figures['answers_s']:.1f} s")
    print(f"document id: {figures['document_id']}; load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
