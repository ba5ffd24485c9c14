"""The response-to-comments report as a stream: rows clause by clause (comments answered
together next to each other, under the first of them), read from the database in batches
(`yield_per`), so CSV and JSON start at once and the server's memory stays flat however
large the period. The report page takes the same rows a page at a time."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Iterator

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Comment, Resolution
from ..models.lookups import get_document
from ..serializers import current_resolution_dict
from ..timeutil import isoformat, utcnow
from .comments import disposition_counts_where
from .paging import decode_cursor, encode_cursor
from .queue import REPORT_COLUMNS, _report_row, clause_labels, ordered_clauses, spreadsheet_safe

BATCH = 500


def answer_batches(document_id: int) -> dict[str, list[int]]:
    """batch id -> the comments whose current answer it is (ids only: small however many)."""
    latest = (select(func.max(Resolution.id)).where(Resolution.document_id == document_id)
              .group_by(Resolution.comment_id))
    batches: dict[str, list[int]] = defaultdict(list)
    for batch_id, comment_id in db.session.execute(
            select(Resolution.batch_id, Resolution.comment_id)
            .where(Resolution.id.in_(latest), Resolution.batch_id.is_not(None)).order_by(Resolution.comment_id)):
        batches[batch_id].append(comment_id)
    return dict(batches)


def report_answers(document_id: int, after: list | None = None, batch: int = BATCH) -> Iterator[tuple]:
    """(clause, clause position, first comment id, resolution, rows) for each answer in report
    order, after the key `after` ([clause position, first comment id]). One query per clause:
    each comment is ordered by its answer's first comment on the clause (`lead`), so comments
    answered together come out next to each other without looking them up again."""
    clauses = ordered_clauses(clause_labels(document_id))
    batches = answer_batches(document_id)
    latest = (select(Resolution.comment_id, func.max(Resolution.id).label("resolution_id"))
              .where(Resolution.document_id == document_id).group_by(Resolution.comment_id).subquery())
    current = Resolution.__table__.alias("current_answer")
    for position, clause in enumerate(clauses):
        if after is not None and position < after[0]:
            continue
        lead = case((current.c.batch_id.is_(None), Comment.id),
                    else_=func.min(Comment.id).over(partition_by=(current.c.batch_id, Comment.clause_id)))
        ordered = (select(Comment.id.label("id"), lead.label("lead")).select_from(Comment)
                   .outerjoin(latest, latest.c.comment_id == Comment.id)
                   .outerjoin(current, current.c.id == latest.c.resolution_id)
                   .where(Comment.document_id == document_id, Comment.clause_id == clause["id"]).subquery())
        query = select(Comment, ordered.c.lead).join(ordered, ordered.c.id == Comment.id)
        if after is not None and position == after[0]:
            query = query.where(ordered.c.lead > after[1])
        query = query.order_by(ordered.c.lead, Comment.id).execution_options(yield_per=batch)
        group_lead, resolution, rows = None, None, []
        for comment, lead_id in db.session.execute(query):
            if lead_id != group_lead:
                if rows:
                    yield clause, position, group_lead, resolution, rows
                group_lead, resolution, rows = lead_id, current_resolution_dict(comment), []
            rows.append(_report_row(clause, comment, batches))
        if rows:
            yield clause, position, group_lead, resolution, rows


def _header(document_id: int) -> dict:
    document = get_document(document_id)
    return {"document": {"id": document.id, "title": document.title, "version": document.current_version},
            "generated_at": isoformat(utcnow()), "columns": REPORT_COLUMNS}


def report_csv_stream(document_id: int) -> Iterator[str]:
    get_document(document_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(REPORT_COLUMNS)
    for _clause, _position, _id, _resolution, rows in report_answers(document_id):
        for row in rows:
            shown = {**row, "group": row["group_name"],
                     "version": "next version" if row["version_pending"] else row["version"]}
            yield line([spreadsheet_safe(shown[c]) for c in REPORT_COLUMNS])


def report_json_stream(document_id: int) -> Iterator[str]:
    """The report's JSON (the shape of reads/queue.report: header, rows, clauses, summary),
    written as it is read. `rows` and `clauses` each need one pass over the comments."""
    header = _header(document_id)
    yield json.dumps(header)[:-1] + ', "rows": ['
    count = 0
    for _clause, _position, _id, _resolution, rows in report_answers(document_id):
        for row in rows:
            yield ("," if count else "") + json.dumps(row)
            count += 1
    yield '], "clauses": ['
    current, first_section, first_answer = None, True, True
    for clause, _position, _id, resolution, rows in report_answers(document_id):
        if clause["id"] != current:
            if current is not None:
                yield "]}"
            section = {k: clause[k] for k in ("id", "number", "heading", "removed")}
            yield ("" if first_section else ",") + '{"clause": ' + json.dumps(section) + ', "answers": ['
            current, first_section, first_answer = clause["id"], False, True
        yield ("" if first_answer else ",") + json.dumps({"resolution": resolution, "comments": rows})
        first_answer = False
    if current is not None:
        yield "]}"
    summary = {"comments": count, **disposition_counts_where(Comment.document_id == document_id)}
    yield '], "summary": ' + json.dumps(summary) + "}"


def report_page(document_id: int, cursor=None, limit: int = 200) -> dict:
    """Up to `limit` rows of the report (whole answers: a batch is never cut) after `cursor`."""
    after = decode_cursor(cursor, "report", 2)
    data = _header(document_id)
    sections: list[dict] = []
    taken, last_key, more = 0, None, False
    for clause, position, lead_id, resolution, rows in report_answers(document_id, after, batch=limit + 1):
        if taken >= limit:
            more = True
            break
        if not sections or sections[-1]["clause"]["id"] != clause["id"]:
            sections.append({"clause": {k: clause[k] for k in ("id", "number", "heading", "removed")},
                             "answers": []})
        sections[-1]["answers"].append({"resolution": resolution, "comments": rows})
        taken += len(rows)
        last_key = [position, lead_id]
    data["clauses"] = sections
    data["next"] = encode_cursor("report", last_key) if more and last_key else None
    data["summary"] = {"comments": db.session.execute(select(func.count()).where(
        Comment.document_id == document_id)).scalar_one(),
        **disposition_counts_where(Comment.document_id == document_id)}
    return data
