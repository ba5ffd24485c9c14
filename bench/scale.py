"""Build a large comment period through the service functions, like the one of issue 13
(collab/demo/scale.py, also `flask --app app demo --scale N`), on a scratch database.
Prints the ingestion rate.

  python bench/scale.py --comments 55000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch
  python bench/scale.py --comments 10000            # a fresh SQLite file in a temporary directory

The database named by --database-url is emptied first (its public schema is dropped): a scratch one.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=55_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--answers", type=int, default=3_000)
    parser.add_argument("--campaign", type=int, default=1_593)
    parser.add_argument("--cosignatures", type=int, default=None, help="default: one per 14 comments")
    parser.add_argument("--no-grouping", action="store_true", help="leave the campaign grouping to be run")
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
    from collab.demo.scale import ScalePlan, build_period

    plan = ScalePlan(args.comments, accounts=args.accounts, answers=args.answers, campaign=args.campaign,
                     cosignatures=args.cosignatures, batch=args.batch, group_campaigns=not args.no_grouping)
    with app.app_context():
        figures = build_period(plan, progress=lambda line: print(line, flush=True))
    print(f"accounts: {args.accounts:,} in {figures.accounts_s:.1f} s")
    print(f"comments: {args.comments:,} in {figures.comments_s:.1f} s = {figures.comments_per_s:,.0f} comments/s "
          f"(each through create_comment with its event; {args.batch} per commit)")
    print(f"entered by staff on behalf: {figures.entered_on_behalf:,}")
    print(f"co-signatures: {figures.cosignatures:,} in {figures.cosign_s:.1f} s (most on one comment: {figures.most_cosigned})")
    print(f"answers: {plan.answers:,} in {figures.answers_s:.1f} s")
    print(f"campaign grouping: {figures.campaigns} campaigns in {figures.grouping_s:.1f} s")
    print(f"document id: {figures.document_id}; load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
