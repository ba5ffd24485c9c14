"""Read models for resolutions, moderation and the audit trail: the district's work queue,
concern tracking, a comment's timeline, the clause x group overview, the response-to-comments
report and the moderators' queue. No writes here; every list loads in a fixed number of queries."""
from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, select

from ..domain.checklist import checklist
from ..extensions import db
from ..models import (ClauseText, Comment, Flag, Group, User, Version)
from ..models.comments import KINDS
from ..serializers import comment_to_dict, current_resolution_dict, flag_to_dict
from ..models.lookups import get_document
from .campaigns import campaign_badges, is_plain_copy
from .comments import HIDDEN_TEXT, disposition_counts
from .conditions import awaiting_answer_condition
from .memo import until_next_change
from .report_rows import answer_columns
from .translations import latest_headings
from ..parsing import choice, optional_int
from ..timeutil import isoformat, utcnow
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

AGES = {"": None, "1": 1, "3": 3, "7": 7, "14": 14, "30": 30}
def clause_labels(document_id: int) -> dict[int, dict]:
    """clause id -> {number, heading, position, removed} from the latest version holding it."""
    document = get_document(document_id)
    rows = db.session.execute(
        select(ClauseText.clause_id, ClauseText.number, ClauseText.heading, ClauseText.position, Version.number)
        .join(Version).where(Version.document_id == document_id).order_by(Version.number)
    ).all()
    labels = {}
    for clause_id, number, heading, position, version in rows:
        labels[clause_id] = {"id": clause_id, "number": number, "heading": heading,
                             "position": position, "removed": version != document.current_version}
    return labels


def ordered_clauses(labels: dict[int, dict]) -> list[dict]:
    return sorted(labels.values(), key=lambda c: (c["removed"], c["position"], c["id"]))


# --- the district's work queue ----------------------------------------------------------

@dataclass
class QueueFilters:
    clause_id: int | None = None
    group: str | None = None
    kind: str | None = None
    age: int | None = None  # open for at least this many days
    q: str | None = None  # words in the text (reads/search.py)

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        kind = args.get("kind") or None
        age = args.get("age") or ""
        if age not in AGES:
            from ..errors import Invalid

            raise Invalid(_l("age must be one of 1, 3, 7, 14 or 30 days."), "invalid_age")
        from .search import CommentFilters

        q = CommentFilters.from_args({"q": args.get("q")}).q
        return cls(q=q, clause_id=optional_int(args.get("clause_id") or None, "clause_id"),
                   group=args.get("group") or None,
                   kind=choice(kind, "kind", KINDS) if kind else None, age=AGES[age])

    def as_args(self) -> dict:
        return {k: v for k, v in {"clause_id": self.clause_id, "group": self.group, "kind": self.kind,
                                  "age": self.age, "q": self.q}.items() if v is not None}


def work_queue(document_id: int, filters: QueueFilters, limit: int | None = None, cursor=None) -> dict:
    """Open comments that await the district's answer (never answered, or reopened by their
    author; not plain replies, not the district's own), filtered, oldest first, a page at a
    time (`limit`, `cursor`; `next` names the following page), with counts of all of them by
    clause, group and kind from one GROUP BY."""
    from .paging import keyset_page, page_limit

    from .memo import until_next_change

    get_document(document_id)
    waiting = and_(Comment.document_id == document_id, awaiting_answer_condition())
    now = utcnow()
    total_open, counts = until_next_change("queue.counts", (document_id,), lambda: _queue_counts(waiting))
    # A campaign waits once, as its representative (members with words of their own too).
    query = select(Comment).where(waiting, ~is_plain_copy())
    if filters.clause_id is not None:
        query = query.where(Comment.clause_id == filters.clause_id)
    if filters.group is not None:
        query = query.where(Comment.author_id.in_(
            select(User.id).join(Group, User.group_id == Group.id).where(Group.slug == filters.group)))
    if filters.kind is not None:
        query = query.where(Comment.kind == filters.kind)
    if filters.age is not None:
        query = query.where(Comment.created_at <= now - timedelta(days=filters.age))
    if filters.q:
        from .search import text_matches

        query = query.where(text_matches(filters.q), Comment.redacted_at.is_(None))
    if filters.age is None:  # an age filter depends on the clock as well as on the data
        shown = until_next_change("queue.shown", (document_id, filters.clause_id, filters.group, filters.kind,
                                                   filters.q), lambda: _count(query))
    else:
        shown = _count(query)
    page = keyset_page(db.session, query, Comment.id, kind="queue", limit=page_limit(limit), cursor=cursor,
                       descending=False)
    badges = campaign_badges(None, [c.id for c in page.items])
    return {
        "comments": [{**comment_to_dict(c), "age_days": (now - c.created_at).days,
                      **({"campaign": badges[c.id]} if c.id in badges else {})} for c in page.items],
        "total_open": total_open,
        "shown": shown,
        "next": page.next,
        "counts": {"clause": dict(counts["clause"]), "group": dict(counts["group"]), "kind": dict(counts["kind"]),
                   "reopened": counts["reopened"]},
    }


def _count(query) -> int:
    return db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def _queue_counts(waiting) -> tuple[int, dict]:
    """How many comments await an answer, by clause, group and kind, and how many were reopened."""
    counts = {"clause": Counter(), "group": Counter(), "kind": Counter(), "reopened": 0}
    total_open = 0
    for clause_id, slug, kind, reopened, count in db.session.execute(
            select(Comment.clause_id, Group.slug, Comment.kind, Comment.reopened_at.is_not(None), func.count())
            .join(User, Comment.author_id == User.id).join(Group, User.group_id == Group.id).where(waiting)
            .group_by(Comment.clause_id, Group.slug, Comment.kind, Comment.reopened_at.is_not(None))):
        total_open += count
        counts["clause"][clause_id] += count
        counts["group"][slug] += count
        counts["kind"][kind] += count
        counts["reopened"] += count if reopened else 0
    return total_open, counts


# --- concern tracking ---------------------------------------------------------------------

# --- a comment's timeline ------------------------------------------------------------------

# --- clause x group overview ---------------------------------------------------------------

def overview(document_id: int) -> dict:
    """For every clause and group: how many concerns, suggestions, supports and questions
    were raised (hidden comments not counted) and how many are resolved. One query over the
    document's comments, made again only after a change (reads/memo.py)."""
    return until_next_change("overview", (document_id,), lambda: _overview(document_id))


def _overview(document_id: int) -> dict:
    labels = clause_labels(document_id)
    groups = list(db.session.execute(select(Group).order_by(Group.id)).scalars())
    rows = db.session.execute(
        select(Comment.clause_id, Group.slug, Comment.kind, Comment.status, func.count())
        .join(User, Comment.author_id == User.id).join(Group, User.group_id == Group.id)
        .where(Comment.document_id == document_id, Comment.status != "hidden")
        .group_by(Comment.clause_id, Group.slug, Comment.kind, Comment.status)).all()
    cells: dict = defaultdict(lambda: {**{k: 0 for k in KINDS}, "total": 0, "resolved": 0})
    for clause_id, slug, kind, status, count in rows:
        cell = cells[(clause_id, slug)]
        cell[kind] += count
        cell["total"] += count
        if status == "resolved":
            cell["resolved"] += count
    peak = max((c["total"] for c in cells.values()), default=0)
    clauses = []
    for clause in ordered_clauses(labels):
        row = {"clause_id": clause["id"], "number": clause["number"], "heading": clause["heading"],
               "removed": clause["removed"], "groups": {}}
        for group in groups:
            cell = dict(cells.get((clause["id"], group.slug)) or {**{k: 0 for k in KINDS}, "total": 0, "resolved": 0})
            cell["level"] = 0 if not cell["total"] else 1 + min(3, (cell["total"] * 4 - 1) // max(peak, 1))
            row["groups"][group.slug] = cell
        row["total"] = sum(c["total"] for c in row["groups"].values())
        row["resolved"] = sum(c["resolved"] for c in row["groups"].values())
        clauses.append(row)
    return {"document_id": document_id, "groups": [{"slug": g.slug, "name": g.name} for g in groups],
            "kinds": list(KINDS), "clauses": clauses, "peak": peak}


# --- the response-to-comments report --------------------------------------------------------

REPORT_COLUMNS = ["clause_number", "clause_heading", "comment_id", "parent_id", "answered_with", "author",
                  "group", "kind", "status", "comment", "created_at", "disposition", "rationale", "version",
                  "resolved_at", "contested", "coverage_item", "source", "cosigners"]


def next_version_words(language: str) -> str:
    with force_locale(language):
        return str(_l("next version"))


# The CSV is read by people: its group column holds the group's name (the JSON keeps the
# slug in `group` and adds `group_name`), and a change promised for the next version says so.


REPORT_LANGUAGES = ("en", "es")


def report_language(value) -> str:
    """The report's `?lang=`: en (default) or es."""
    if value in (None, ""):
        return "en"
    return choice(value, "lang", REPORT_LANGUAGES)


def report(document_id: int, language: str = "en") -> dict:
    """Every comment of a document, clause by clause, with the district's current answer.
    Comments answered together appear under one answer (`answered_with`). Hidden texts
    are absent; redacted ones show the marker. In Spanish (`language` es) the clause headings
    and rationales are the district's Spanish where it wrote them, else the English, marked by
    `clause_heading_language` / `rationale_language` "en"."""
    document = get_document(document_id)
    labels = clause_labels(document_id)
    if language != "en":
        labels = _translated_labels(labels, latest_headings(document_id, language), language)
    comments = list(db.session.execute(
        select(Comment).where(Comment.document_id == document_id).order_by(Comment.id)).scalars())
    batches: dict[str, list[int]] = defaultdict(list)
    for comment in comments:
        if comment.resolutions and comment.resolutions[-1].batch_id:
            batches[comment.resolutions[-1].batch_id].append(comment.id)
    by_clause: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        by_clause[comment.clause_id].append(comment)
    sections = []
    for clause in ordered_clauses(labels):
        answers = _answers(clause, by_clause.get(clause["id"], []), batches)
        if language != "en":
            for answer in answers:
                _translate_answer(answer, language)
        sections.append({"clause": {**{k: clause[k] for k in ("id", "number", "heading", "removed")},
                                    "heading_language": clause.get("heading_language", "en")},
                         "answers": answers})
    # Comments on a checklist item no clause covers: after the clauses, under "Missing provisions".
    by_item: dict[str, list[Comment]] = defaultdict(list)
    for comment in by_clause.get(None, []):
        by_item[comment.coverage_item_id].append(comment)
    missing = []
    for item in checklist():
        if item.id in by_item:
            place = {"number": "", "heading": f"Missing provision {item.id}: {item.text_in()}"}
            answers = _answers(place, by_item[item.id], batches)
            if language != "en":
                for answer in answers:
                    _translate_answer(answer, language)
            missing.append({"item": item.to_dict(), "answers": answers})
    rows = [row for section in [*sections, *missing] for answer in section["answers"] for row in answer["comments"]]
    return {"document": {"id": document.id, "title": document.title, "version": document.current_version},
            "language": language, "generated_at": isoformat(utcnow()), "columns": REPORT_COLUMNS, "rows": rows,
            "clauses": sections, "missing_provisions": missing,
            "summary": {"comments": len(rows), **disposition_counts(comments)}}


def _answers(place: dict, comments: list[Comment], batches: dict) -> list[dict]:
    """The comments of one clause (or checklist item), those answered together under one answer."""
    answers: list[dict] = []
    placed: dict[str, dict] = {}
    for comment in comments:
        row = _report_row(place, comment, batches)
        batch = comment.resolutions[-1].batch_id if comment.resolutions else None
        if batch and batch in placed:
            placed[batch]["comments"].append(row)
            continue
        answer = {"resolution": current_resolution_dict(comment), "comments": [row]}
        if batch:
            placed[batch] = answer
        answers.append(answer)
    return answers


def _translated_labels(labels: dict[int, dict], headings: dict[int, dict], language: str) -> dict[int, dict]:
    translated = {}
    for clause_id, label in labels.items():
        found = headings.get(clause_id)
        if found and found["heading"]:
            translated[clause_id] = {**label, "heading": found["heading"], "heading_language": language}
        else:
            translated[clause_id] = {**label, "heading_language": "en"}
    return translated


def _translate_answer(answer: dict, language: str) -> None:
    """The Spanish rationale where the district wrote one; else the English, marked as such."""
    resolution = answer["resolution"]
    translated = resolution and resolution.get(f"rationale_{language}")
    if resolution:
        answer["resolution"] = {**resolution, "rationale": translated or resolution["rationale"],
                                "rationale_language": language if translated else "en"}
    for row in answer["comments"]:
        if row["rationale"] is not None:
            row["rationale"] = translated or row["rationale"]
            row["rationale_language"] = language if translated else "en"


def _report_row(clause: dict, comment: Comment, batches: dict) -> dict:
    view = comment_to_dict(comment)
    resolution = view["resolution"]
    batch = comment.resolutions[-1].batch_id if comment.resolutions else None
    text = HIDDEN_TEXT if comment.status == "hidden" else view["body"]
    return {
        "clause_number": clause["number"], "clause_heading": clause["heading"], "comment_id": comment.id,
        "parent_id": comment.parent_id,
        "answered_with": [i for i in batches.get(batch, []) if i != comment.id] if batch else [],
        "author": view["author"]["name"], "group": view["author"]["group"],
        "group_name": comment.author.group.name, "kind": comment.kind,
        "status": comment.status, "comment": text, "comment_language": comment.language,
        "created_at": view["created_at"], "clause_heading_language": clause.get("heading_language", "en"),
        **answer_columns(resolution),
        "coverage_item": comment.coverage_item_id,
        "source": comment.source, "cosigners": comment.cosigner_count,
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP's advice: prefix a quote)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = value if isinstance(value, str) else str(value)
    if text[:1].isascii():  # NFKC leaves ASCII as it is: no need to normalise
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    # Spreadsheets also read full-width and small forms (＝＋－＠, ﹦…) as formula signs.
    if unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_STARTS):
        return "'" + text
    return text


def spreadsheet_safe_row(values: list) -> list:
    """spreadsheet_safe of each value, with the common cases (ASCII text that starts with no
    formula sign, numbers, nothing) decided without a call: the report writes ~1 million cells."""
    cells = []
    for value in values:
        kind = value.__class__
        if kind is str and (not value or (value[0] < "\x80" and value[0] not in FORMULA_FIRST)):
            cells.append(value)
        elif value is None:
            cells.append("")
        elif kind is int:
            cells.append(str(value))
        else:
            cells.append(spreadsheet_safe(value))
    return cells


FORMULA_FIRST = frozenset(FORMULA_STARTS)


# How a Spanish CSV marks a text that stayed in English.
IN_ENGLISH = {"es": "[en inglés] "}


def report_csv(document_id: int, language: str = "en") -> str:
    import csv
    import io

    data = report(document_id, language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)  # the JSON's column names in every language: scripts read them
    for row in data["rows"]:
        shown = {**row, "group": row["group_name"],
                 "version": next_version_words(language) if row["version_pending"] else row["version"]}
        if language != "en":
            for column in ("clause_heading", "rationale"):
                if shown[column] and row.get(f"{column}_language") == "en":
                    shown[column] = IN_ENGLISH[language] + shown[column]
        writer.writerow([spreadsheet_safe(shown[c]) for c in REPORT_COLUMNS])
    return buffer.getvalue()


# --- the moderators' queue -------------------------------------------------------------------

def moderation_queue() -> dict:
    """Comments with open flags (most flagged first) and the comments now hidden, with the
    flags and texts moderators need to decide."""
    flags = list(db.session.execute(
        select(Flag).where(Flag.handled_at.is_(None)).order_by(Flag.id)).scalars())
    by_comment: dict[int, list[Flag]] = defaultdict(list)
    for flag in flags:
        by_comment[flag.comment_id].append(flag)
    hidden = list(db.session.execute(
        select(Comment).where(Comment.status == "hidden").order_by(Comment.hidden_at.desc())).scalars())
    flagged = list(db.session.execute(select(Comment).where(Comment.id.in_(list(by_comment))))
                   .scalars()) if by_comment else []
    flagged.sort(key=lambda c: (-len(by_comment[c.id]), by_comment[c.id][0].id))

    def item(comment: Comment) -> dict:
        return {"comment": comment_to_dict(comment),
                "text": None if comment.redacted_at else comment.body,
                "flags": [flag_to_dict(f) for f in by_comment.get(comment.id, [])]}

    return {"flagged": [item(c) for c in flagged], "hidden": [item(c) for c in hidden]}


def open_flags_by_comment(comment_ids: list[int]) -> dict[int, list[Flag]]:
    if not comment_ids:
        return {}
    result: dict[int, list[Flag]] = {}
    for flag in db.session.execute(select(Flag).where(Flag.comment_id.in_(comment_ids),
                                                      Flag.handled_at.is_(None)).order_by(Flag.id)).scalars():
        result.setdefault(flag.comment_id, []).append(flag)
    return result
