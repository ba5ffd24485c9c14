"""A large comment period built through the service functions, like the one of issue 13:
N comments (5% replies, ~10% quoting the clause, campaign copies of one form letter, ~1% entered by
staff from a letter, a call or a meeting), co-signatures skewed so a few comments gather hundreds,
answers (by default 3,000 covering ~8,000 comments: 2,000 single, 1,000 shared by 6), from 2,000
accounts in five groups, English and Spanish text; then the campaign grouping job over the period.

`flask --app app demo --scale 55000` runs it; `bench/scale.py` too, on a scratch database."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from sqlalchemy import select, text

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
INTAKE_SOURCES = ("letter", "phone", "meeting")
# Share of comments staff enter for someone (letters, calls, a meeting's microphone).
INTAKE_SHARE = 0.01
# Co-signatures per comment at the default: a few thousand at 55,000 comments.
COSIGNATURES_PER_COMMENT = 1 / 14
DISPOSITIONS = ("accepted", "accepted_with_changes", "declined", "deferred", "noted")


@dataclass
class ScalePlan:
    comments: int
    accounts: int = 2_000
    answers: int = 3_000
    campaign: int = 1_593
    cosignatures: int | None = None  # None: COSIGNATURES_PER_COMMENT of the comments
    batch: int = 200
    group_campaigns: bool = True
    password: str = "correct horse battery"
    seed: int = 13
    email_domain: str = "scale.example"

    def __post_init__(self):
        if self.cosignatures is None:
            self.cosignatures = int(self.comments * COSIGNATURES_PER_COMMENT)
        # Never more answers or copies than the comments can hold.
        self.campaign = min(self.campaign, self.comments // 10, self.accounts)
        self.answers = min(self.answers, self.comments // 8)


@dataclass
class ScaleFigures:
    document_id: int = 0
    accounts_s: float = 0.0
    comments_s: float = 0.0
    comments_per_s: float = 0.0
    entered_on_behalf: int = 0
    cosignatures: int = 0
    most_cosigned: int = 0
    cosign_s: float = 0.0
    answers_s: float = 0.0
    grouping_s: float = 0.0
    campaigns: int = 0
    notes: list[str] = field(default_factory=list)


def sentence(rng: random.Random, index: int) -> str:
    if rng.random() < 0.25:
        words = rng.sample(ES, 6)
        return f"Comentario {index}: las {words[0]} y los {words[1]} de las {words[2]} piden {words[3]} y {words[4]}."
    words = rng.sample(EN, 7)
    return (f"Comment {index}: the {words[0]} and {words[1]} need clear rules on {words[2]}; "
            f"{words[3]} should come before {words[4]} for {words[5]} and {words[6]}.")


def build_period(plan: ScalePlan, progress: Callable[[str], None] = lambda line: None) -> ScaleFigures:
    """Build the period in the current app context; every row through a service function."""
    from ..events import transaction
    from ..extensions import db
    from ..models import User
    from ..reads.documents import document_view
    from ..services.documents import create_document, create_period
    from ..services.users import create_user
    from ..timeutil import isoformat, utcnow

    rng = random.Random(plan.seed)
    figures = ScaleFigures()
    started = time.perf_counter()
    admin = create_user(None, email=f"admin@{plan.email_domain}", name="Dana Admin", password=plan.password,
                        role="admin", group="district")
    people = []
    for i in range(plan.accounts):
        group = rng.choices([g for g, _ in GROUPS], [w for _, w in GROUPS])[0]
        people.append(create_user(None, email=f"person{i}@{plan.email_domain}", name=f"Person {i}",
                                  password=plan.password, role="participant", group=group).id)
    figures.accounts_s = time.perf_counter() - started
    progress(f"  {plan.accounts:,} accounts in {figures.accounts_s:.1f} s")
    document = create_document(admin, title=f"SRO agreement ({plan.comments:,} comments)", clauses=[
        {"number": str(n + 1), "heading": h, "body": b} for n, (h, b) in enumerate(CLAUSES)])
    now = utcnow()
    create_period(admin, document.id, opens_at=isoformat(now - timedelta(seconds=5)),
                  closes_at=isoformat(now + timedelta(days=30)))
    figures.document_id = document.id
    clause_ids = [c["id"] for c in document_view(document.id)["clauses"]]
    users = {u.id: u for u in db.session.execute(select(User)).scalars()}
    writer = _Writer(rng, plan, users, people, users[admin.id], clause_ids)

    started = time.perf_counter()
    for first in range(0, plan.comments, plan.batch):
        # Each comment through its service (checks, rows, event); `batch` of them share a commit,
        # as the services allow (a service inside a transaction joins it).
        with transaction():
            for i in range(first, min(first + plan.batch, plan.comments)):
                writer.one(i)
        done = min(first + plan.batch, plan.comments)
        if done % 5000 < plan.batch:
            progress(f"  {done:,} comments, {done / (time.perf_counter() - started):,.0f}/s")
    figures.comments_s = time.perf_counter() - started
    figures.comments_per_s = plan.comments / max(figures.comments_s, 1e-9)
    figures.entered_on_behalf = writer.entered

    started = time.perf_counter()
    figures.cosignatures, figures.most_cosigned = _cosign(rng, plan, users, people, writer.authors)
    figures.cosign_s = time.perf_counter() - started
    progress(f"  {figures.cosignatures:,} co-signatures in {figures.cosign_s:.1f} s "
             f"(most on one comment: {figures.most_cosigned})")
    started = time.perf_counter()
    _answer(rng, plan, db.session.get(User, admin.id), document.id)
    figures.answers_s = time.perf_counter() - started
    if plan.group_campaigns:
        from ..services.campaign_grouping import group_all

        started = time.perf_counter()
        result = group_all(document.id)
        figures.grouping_s = time.perf_counter() - started
        figures.campaigns = result.campaigns
        if result.busy:
            figures.notes.append("Another process was grouping: run `flask --app app campaigns group` later.")
    # Fresh planner statistics, as autovacuum would gather soon after a load this size:
    # without them PostgreSQL guesses a handful of rows and scans every comment to search.
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return figures


class _Writer:
    """Writes comment i: a reply, a copy of the form letter, one entered by staff, or an ordinary one."""

    def __init__(self, rng, plan: ScalePlan, users, people, admin, clause_ids):
        self.rng, self.plan, self.users, self.people, self.admin = rng, plan, users, people, admin
        self.clause_ids = clause_ids
        self.bodies = dict(zip(clause_ids, (b for _h, b in CLAUSES)))
        self.roots: dict[int, list[int]] = {c: [] for c in clause_ids}
        self.authors: dict[int, int] = {}  # thread-opening comment -> its author
        self.campaign_left = plan.campaign
        self.entered = 0

    def one(self, i: int) -> None:
        from ..services.comments import create_comment
        from ..services.intake import enter_comment_on_behalf

        rng, plan = self.rng, self.plan
        author = self.users[self.people[i % len(self.people)]]
        clause = self.clause_ids[rng.randrange(len(self.clause_ids))]
        roll = rng.random()
        if roll < 0.05 and self.roots[clause]:
            comment, _ = create_comment(author, clause, body=f"Reply {i}: " + sentence(rng, i), kind="reply",
                                        parent_id=rng.choice(self.roots[clause][-200:]))
            return
        if self.campaign_left and roll < 0.05 + plan.campaign / plan.comments:
            # Copies of one form letter, each from another person (one copy per person).
            author = self.users[self.people[(plan.campaign - self.campaign_left) % len(self.people)]]
            self.campaign_left -= 1
            comment, _ = create_comment(author, clause, body=FORM_LETTER, kind="concern")
        elif roll > 1 - INTAKE_SHARE:
            group = rng.choices([g for g, _ in GROUPS[:4]], [w for _, w in GROUPS[:4]])[0]
            comment = enter_comment_on_behalf(
                self.admin, clause, on_behalf_of={"name": f"Caller {i}", "group": group},
                source=rng.choice(INTAKE_SOURCES), body=sentence(rng, i),
                kind=rng.choice(("concern", "suggestion", "question")))
            self.entered += 1
        else:
            kwargs = {"kind": rng.choice(("concern", "concern", "suggestion", "support", "question"))}
            if rng.random() < 0.11:
                words = self.bodies[clause].split()
                start = rng.randrange(len(words) - 4)
                kwargs["quote"] = " ".join(words[start:start + 4])
            if kwargs["kind"] == "suggestion" and rng.random() < 0.5:
                kwargs["suggested_text"] = f"Suggested wording {i}: " + self.bodies[clause].replace("every", "each")
            comment, _ = create_comment(author, clause, body=sentence(rng, i), **kwargs)
        self.roots[clause].append(comment.id)
        self.authors[comment.id] = comment.author_id


def _cosign(rng, plan: ScalePlan, users, people, authors: dict[int, int]) -> tuple[int, int]:
    """`plan.cosignatures` names on thread-opening comments, Zipf-skewed: the k-th most popular
    of the chosen comments gets a share 1/k, so the first few gather hundreds. How many, and the most."""
    from ..events import transaction
    from ..services.cosigning import cosign_comment

    if not plan.cosignatures or not authors:
        return 0, 0
    targets = rng.sample(sorted(authors), min(len(authors), max(1, plan.cosignatures // 20)))
    weights = [1 / (k + 1) for k in range(len(targets))]
    scale = plan.cosignatures / sum(weights)
    names = []
    for comment_id, weight in zip(targets, weights):
        candidates = [p for p in people if p != authors[comment_id]]
        count = min(len(candidates), max(1, round(weight * scale)))
        names.extend((comment_id, person) for person in rng.sample(candidates, count))
    names = names[:plan.cosignatures]
    rng.shuffle(names)
    for first in range(0, len(names), plan.batch):
        with transaction():
            for comment_id, person in names[first:first + plan.batch]:
                cosign_comment(users[person], comment_id)
    most = max(sum(1 for c, _p in names if c == target) for target in targets)
    return len(names), most


def _answer(rng, plan: ScalePlan, admin, document_id: int) -> None:
    from ..extensions import db
    from ..models import Comment
    from ..services.resolutions import record_resolution, record_resolutions

    answerable = list(db.session.execute(select(Comment.id).where(
        Comment.document_id == document_id, Comment.parent_id.is_(None)).order_by(Comment.id)).scalars())
    rng.shuffle(answerable)
    singles = plan.answers * 2 // 3
    shared = min(plan.answers - singles, max(0, (len(answerable) - singles) // 6))
    pool = iter(answerable)
    for n in range(singles):
        record_resolution(admin, next(pool), disposition=rng.choice(DISPOSITIONS),
                          rationale=f"Answer {n}: the district will consider this in the next draft.")
    for n in range(shared):
        record_resolutions(admin, document_id, [next(pool) for _ in range(6)], disposition=rng.choice(DISPOSITIONS),
                           rationale=f"Shared answer {n}: these comments raise the same point.")
