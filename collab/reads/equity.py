"""Equity by group: whose comments were taken up. Per stakeholder group, for the whole document
and per clause: comments made, answered, accepted (in full / with changes), declined, deferred,
noted, still open, contested, and the median time to a first answer, with a flag where a group's
share accepted or its time to an answer differs markedly from all the other groups together.

Counted: the first comment of each thread (replies are discussion, not a new point), hidden ones
left out. Everything is computed with GROUP BY and window-function queries; no comment is loaded.
"""
from __future__ import annotations

import math
from collections import defaultdict
from statistics import median

from sqlalchemy import func, select

from ..extensions import db
from ..models import Comment, Group, Resolution, User
from ..models.resolutions import DISPOSITIONS
from ..models.lookups import get_document
from .memo import until_next_change
from .queue import clause_labels, ordered_clauses
from flask_babel import lazy_gettext as _l

# A comparison needs at least this many answered comments on both sides; below it a flag would mislead.
MIN_ANSWERED = 5
# |z| at or above this (two-sided, about 95%) flags a difference in the share accepted.
Z_THRESHOLD = 1.96
# A median time to answer at least this many times the others' (or at most its inverse) is flagged.
TIME_RATIO = 2.0

COUNT_FIELDS = ("comments", "answered", *DISPOSITIONS, "open", "contested")
FLAGS = ("too_few_to_compare", "accepted_share_lower", "accepted_share_higher", "slower_answers",
         "faster_answers")
FLAG_LABELS = {
    "too_few_to_compare": _l("Too few to compare"),
    "accepted_share_lower": _l("Share accepted markedly lower than the other groups'"),
    "accepted_share_higher": _l("Share accepted markedly higher than the other groups'"),
    "slower_answers": _l("Answered markedly more slowly than the other groups"),
    "faster_answers": _l("Answered markedly faster than the other groups"),
}
RULE = (f"A group is compared with all other groups together. Share accepted = (accepted + accepted with "
        f"changes) / answered; a two-proportion z-test flags a difference when |z| ≥ {Z_THRESHOLD} (about 95% "
        f"confidence). The median time to a first answer is flagged when it is at least {TIME_RATIO:g} times "
        f"the others' median, or at most half of it. Both sides need at least {MIN_ANSWERED} answered comments; "
        f"with fewer the group shows “too few to compare” instead of a flag. Counted: the first comment of "
        f"each thread, hidden comments left out; “contested” comments were sent back by their author at least once.")


def _hours(start, end):
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24.0
    return func.extract("epoch", end - start) / 3600.0


def _counted():
    """The comments equity counts: first comments of threads, not hidden."""
    return (Comment.parent_id.is_(None), Comment.status != "hidden")


def _count_rows(document_id: int):
    latest = (select(Resolution.comment_id, func.max(Resolution.id).label("id"))
              .where(Resolution.document_id == document_id).group_by(Resolution.comment_id).subquery())
    contested = Comment.reopened_at.is_not(None)
    return db.session.execute(
        select(Group.slug, Comment.clause_id, Comment.status, Resolution.disposition, contested, func.count())
        .join(User, Comment.author_id == User.id).join(Group, User.group_id == Group.id)
        .outerjoin(latest, latest.c.comment_id == Comment.id).outerjoin(Resolution, Resolution.id == latest.c.id)
        .where(Comment.document_id == document_id, *_counted())
        .group_by(Group.slug, Comment.clause_id, Comment.status, Resolution.disposition, contested)).all()


def _durations(document_id: int):
    """(group slug, clause id, hours from the comment to its first answer) for every answered comment."""
    first = (select(Resolution.comment_id, func.min(Resolution.recorded_at).label("at"))
             .where(Resolution.document_id == document_id).group_by(Resolution.comment_id).subquery())
    return (select(Group.slug.label("grp"), Comment.clause_id.label("clause_id"),
                   _hours(Comment.created_at, first.c.at).label("hours"))
            .join(User, Comment.author_id == User.id).join(Group, User.group_id == Group.id)
            .join(first, first.c.comment_id == Comment.id)
            .where(Comment.document_id == document_id, *_counted()).subquery())


def _medians(document_id: int) -> tuple[dict, dict, dict, dict]:
    """Medians of hours to a first answer: per group, per (group, clause), and of all other groups
    per group and per (group, clause). One query; the medians are taken here from the answered
    comments' hours (a float each): pairing every answer with each group it does not belong to
    in SQL sorted ~40,000 rows four times (1.1 s at 8,000 answers)."""
    durations = _durations(document_id)
    rows = [(group, clause_id, float(value)) for group, clause_id, value in db.session.execute(
        select(durations.c.grp, durations.c.clause_id, durations.c.hours))]
    in_clause: dict = defaultdict(list)
    for group, clause_id, value in rows:
        in_clause[clause_id].append((group, value))
    by_group, by_clause, others_by_group, others_by_clause = {}, {}, {}, {}
    for group in {g for g, _c, _v in rows}:
        by_group[group] = median([v for g, _c, v in rows if g == group])
        others = [v for g, _c, v in rows if g != group]
        if others:
            others_by_group[group] = median(others)
    for clause_id, answered in in_clause.items():
        for group in {g for g, _v in answered}:
            by_clause[(group, clause_id)] = median([v for g, v in answered if g == group])
            others = [v for g, v in answered if g != group]
            if others:
                others_by_clause[(group, clause_id)] = median(others)
    return by_group, by_clause, others_by_group, others_by_clause


def _empty() -> dict:
    return {field: 0 for field in COUNT_FIELDS}


def _add(cell: dict, status: str, disposition: str | None, contested: bool, count: int) -> None:
    cell["comments"] += count
    if status == "resolved":
        cell["answered"] += count
        if disposition in DISPOSITIONS:
            cell[disposition] += count
    else:
        cell["open"] += count
    if contested:
        cell["contested"] += count


def accepted_share(cell: dict) -> float | None:
    return (cell["accepted"] + cell["accepted_with_changes"]) / cell["answered"] if cell["answered"] else None


def two_proportion_z(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float | None:
    """The pooled two-proportion z statistic; None when there is no variation to compare."""
    pooled = (hits_a + hits_b) / (n_a + n_b)
    variance = pooled * (1 - pooled) * (1 / n_a + 1 / n_b)
    if variance <= 0:
        return None
    return (hits_a / n_a - hits_b / n_b) / math.sqrt(variance)


def _flags(cell: dict, others: dict, median: float | None, others_median: float | None) -> dict:
    if cell["answered"] < MIN_ANSWERED or others["answered"] < MIN_ANSWERED:
        return {"flags": ["too_few_to_compare"], "z": None}
    flags = []
    accepted = cell["accepted"] + cell["accepted_with_changes"]
    others_accepted = others["accepted"] + others["accepted_with_changes"]
    z = two_proportion_z(accepted, cell["answered"], others_accepted, others["answered"])
    if z is not None and abs(z) >= Z_THRESHOLD:
        flags.append("accepted_share_lower" if z < 0 else "accepted_share_higher")
    if median is not None and others_median is not None:
        if others_median > 0 and median >= TIME_RATIO * others_median:
            flags.append("slower_answers")
        elif median > 0 and median * TIME_RATIO <= others_median:
            flags.append("faster_answers")
    return {"flags": flags, "z": round(z, 2) if z is not None else None}


def _row(slug: str, name: str, cell: dict, total: dict, median, others_median) -> dict:
    others = {field: total[field] - cell[field] for field in COUNT_FIELDS}
    share, others_share = accepted_share(cell), accepted_share(others)
    verdict = _flags(cell, others, median, others_median)
    return {"group": slug, "name": name, **cell,
            "median_hours_to_answer": round(float(median), 1) if median is not None else None,
            "others_median_hours_to_answer": round(float(others_median), 1) if others_median is not None else None,
            "accepted_share": round(share, 3) if share is not None else None,
            "others_accepted_share": round(others_share, 3) if others_share is not None else None,
            "z": verdict["z"], "flags": verdict["flags"],
            "flag": verdict["flags"][0] if verdict["flags"] else None}


def equity(document_id: int) -> dict:
    """Equity figures of a document by group, whole and per clause (GET /documents/{id}/equity),
    computed again only after something changed (reads/memo.py)."""
    get_document(document_id)
    return until_next_change("equity", (document_id,), lambda: _equity(document_id))


def _equity(document_id: int) -> dict:
    document = get_document(document_id)
    labels = clause_labels(document_id)
    groups = list(db.session.execute(select(Group.slug, Group.name).order_by(Group.id)))
    names = dict(groups)
    by_group: dict[str, dict] = defaultdict(_empty)
    by_clause: dict[int, dict[str, dict]] = defaultdict(lambda: defaultdict(_empty))
    for slug, clause_id, status, disposition, contested, count in _count_rows(document_id):
        _add(by_group[slug], status, disposition, bool(contested), count)
        _add(by_clause[clause_id][slug], status, disposition, bool(contested), count)
    medians, clause_medians, others_medians, clause_others = _medians(document_id)
    total = _empty()
    for cell in by_group.values():
        for field in COUNT_FIELDS:
            total[field] += cell[field]
    rows = [_row(slug, name, by_group.get(slug, _empty()), total, medians.get(slug), others_medians.get(slug))
            for slug, name in groups]
    clauses = []
    for clause in ordered_clauses(labels):
        cells = by_clause.get(clause["id"], {})
        clause_total = _empty()
        for cell in cells.values():
            for field in COUNT_FIELDS:
                clause_total[field] += cell[field]
        clauses.append({
            "clause_id": clause["id"], "number": clause["number"], "heading": clause["heading"],
            "removed": clause["removed"], **{f: clause_total[f] for f in COUNT_FIELDS},
            "groups": [_row(slug, names.get(slug, slug), cell, clause_total, clause_medians.get((slug, clause["id"])),
                            clause_others.get((slug, clause["id"])))
                       for slug, cell in sorted(cells.items(), key=lambda item: list(names).index(item[0])
                                                if item[0] in names else len(names))]})
    return {"document_id": document.id, "title": document.title, "version": document.current_version,
            "groups": rows, "totals": {**total, "accepted_share": _rounded(accepted_share(total))},
            "clauses": clauses,
            "rule": {"text": RULE, "min_answered": MIN_ANSWERED, "z_threshold": Z_THRESHOLD,
                     "time_ratio": TIME_RATIO}}


def _rounded(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


EQUITY_CSV_COLUMNS = ["scope", "clause_number", "clause_heading", "group", *COUNT_FIELDS, "accepted_share",
                      "median_hours_to_answer", "flag"]


def equity_csv(document_id: int) -> str:
    """The equity figures as CSV: one row per group for the document, then per clause and group."""
    import csv
    import io

    from .queue import spreadsheet_safe

    data = equity(document_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EQUITY_CSV_COLUMNS)

    def write(scope: str, number, heading, row: dict) -> None:
        writer.writerow([spreadsheet_safe(v) for v in (
            scope, number, heading, row["group"], *(row[f] for f in COUNT_FIELDS), row["accepted_share"],
            row["median_hours_to_answer"], " ".join(row["flags"]))])

    for row in data["groups"]:
        write("document", "", "", row)
    for clause in data["clauses"]:
        for row in clause["groups"]:
            write("clause", clause["number"], clause["heading"], row)
    return buffer.getvalue()
