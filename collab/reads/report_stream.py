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

from sqlalchemy import and_, case, func, select

from ..domain.checklist import checklist
from ..extensions import db
from ..models import Comment, Resolution
from ..models.lookups import get_document
from ..serializers import current_resolution_dict
from ..timeutil import isoformat, utcnow
from .comments import disposition_counts_where
from .paging import decode_cursor, encode_cursor
from .queue import (IN_ENGLISH, REPORT_COLUMNS, next_version_words, _report_row, _translate_answer, _translated_labels, clause_labels,
                    ordered_clauses, spreadsheet_safe)
from .translations import latest_headings

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


def report_places(document_id: int, language: str = "en") -> list[tuple[dict, object, object]]:
    """(place, which comments, checklist item) in report order: the clauses (headings in `language`
    where the district wrote them), then each checklist item commented on as a missing provision."""
    labels = clause_labels(document_id)
    if language != "en":
        labels = _translated_labels(labels, latest_headings(document_id, language), language)
    places: list[tuple[dict, object, object]] = [
        (clause, Comment.clause_id == clause["id"], None) for clause in ordered_clauses(labels)]
    items = set(db.session.execute(select(Comment.coverage_item_id).where(
        Comment.document_id == document_id, Comment.clause_id.is_(None)).distinct()).scalars())
    for item in checklist():
        if item.id in items:
            place = {"id": None, "number": "", "heading": f"Missing provision {item.id}: {item.text_in()}"}
            places.append((place, and_(Comment.clause_id.is_(None), Comment.coverage_item_id == item.id), item))
    return places


def report_answers(document_id: int, after: list | None = None, batch: int = BATCH,
                   language: str = "en") -> Iterator[tuple]:
    """(place, place position, first comment id, resolution, rows, checklist item or None) for each
    answer in report order, after the key `after` ([place position, first comment id]). One query
    per place: each comment is ordered by its answer's first comment there (`lead`), so comments
    answered together come out next to each other without looking them up again. In Spanish the
    rationales are the district's Spanish where it wrote them (marked like reads/queue.report)."""
    places = report_places(document_id, language)
    batches = answer_batches(document_id)
    latest = (select(Resolution.comment_id, func.max(Resolution.id).label("resolution_id"))
              .where(Resolution.document_id == document_id).group_by(Resolution.comment_id).subquery())
    current = Resolution.__table__.alias("current_answer")
    for position, (place, which, item) in enumerate(places):
        if after is not None and position < after[0]:
            continue
        lead = case((current.c.batch_id.is_(None), Comment.id),
                    else_=func.min(Comment.id).over(
                        partition_by=(current.c.batch_id, Comment.clause_id, Comment.coverage_item_id)))
        ordered = (select(Comment.id.label("id"), lead.label("lead")).select_from(Comment)
                   .outerjoin(latest, latest.c.comment_id == Comment.id)
                   .outerjoin(current, current.c.id == latest.c.resolution_id)
                   .where(Comment.document_id == document_id, which).subquery())
        query = select(Comment, ordered.c.lead).join(ordered, ordered.c.id == Comment.id)
        if after is not None and position == after[0]:
            query = query.where(ordered.c.lead > after[1])
        query = query.order_by(ordered.c.lead, Comment.id).execution_options(yield_per=batch)
        group_lead, answer = None, None
        for comment, lead_id in db.session.execute(query):
            if lead_id != group_lead:
                if answer:
                    yield place, position, group_lead, *_in_language(answer, language), item
                group_lead, answer = lead_id, {"resolution": current_resolution_dict(comment), "comments": []}
            answer["comments"].append(_report_row(place, comment, batches))
        if answer:
            yield place, position, group_lead, *_in_language(answer, language), item


def _in_language(answer: dict, language: str) -> tuple[dict | None, list[dict]]:
    if language != "en":
        _translate_answer(answer, language)
    return answer["resolution"], answer["comments"]


def _section_clause(clause: dict) -> dict:
    return {**{k: clause[k] for k in ("id", "number", "heading", "removed")},
            "heading_language": clause.get("heading_language", "en")}


def _header(document_id: int, language: str = "en") -> dict:
    document = get_document(document_id)
    return {"document": {"id": document.id, "title": document.title, "version": document.current_version},
            "language": language, "generated_at": isoformat(utcnow()), "columns": REPORT_COLUMNS}


def report_csv_stream(document_id: int, language: str = "en") -> Iterator[str]:
    get_document(document_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(REPORT_COLUMNS)
    for _place, _position, _id, _resolution, rows, _item in report_answers(document_id, language=language):
        for row in rows:
            shown = {**row, "group": row["group_name"],
                     "version": next_version_words(language) if row["version_pending"] else row["version"]}
            if language != "en":
                for column in ("clause_heading", "rationale"):
                    if shown[column] and row.get(f"{column}_language") == "en":
                        shown[column] = IN_ENGLISH[language] + shown[column]
            yield line([spreadsheet_safe(shown[c]) for c in REPORT_COLUMNS])


def report_json_stream(document_id: int, language: str = "en") -> Iterator[str]:
    """The report's JSON (the shape of reads/queue.report: header, rows, clauses,
    missing_provisions, summary), written as it is read. `rows` and the sections each need
    one pass over the comments."""
    header = _header(document_id, language)
    yield json.dumps(header)[:-1] + ', "rows": ['
    count = 0
    for _place, _position, _id, _resolution, rows, _item in report_answers(document_id, language=language):
        for row in rows:
            yield ("," if count else "") + json.dumps(row)
            count += 1
    yield '], "clauses": ['
    current, first_section, first_answer, in_missing = None, True, True, False
    for place, position, _id, resolution, rows, item in report_answers(document_id, language=language):
        if position != current:
            if current is not None:
                yield "]}"
            if item is not None and not in_missing:
                yield '], "missing_provisions": ['
                in_missing, first_section = True, True
            opening = ('{"item": ' + json.dumps(item.to_dict()) if item is not None
                       else '{"clause": ' + json.dumps(_section_clause(place)))
            yield ("" if first_section else ",") + opening + ', "answers": ['
            current, first_section, first_answer = position, False, True
        yield ("" if first_answer else ",") + json.dumps({"resolution": resolution, "comments": rows})
        first_answer = False
    if current is not None:
        yield "]}"
    if not in_missing:
        yield '], "missing_provisions": ['
    summary = {"comments": count, **disposition_counts_where(Comment.document_id == document_id)}
    yield '], "summary": ' + json.dumps(summary) + "}"


def report_page(document_id: int, cursor=None, limit: int = 200, language: str = "en") -> dict:
    """Up to `limit` rows of the report (whole answers: a batch is never cut) after `cursor`;
    the missing provisions follow the last clause."""
    after = decode_cursor(cursor, "report", 2)
    data = _header(document_id, language)
    sections: list[dict] = []
    missing: list[dict] = []
    taken, last_key, more, current = 0, None, False, None
    for place, position, lead_id, resolution, rows, item in report_answers(document_id, after, batch=limit + 1,
                                                                           language=language):
        if taken >= limit:
            more = True
            break
        if position != current:
            if item is None:
                sections.append({"clause": _section_clause(place), "answers": []})
            else:
                missing.append({"item": item.to_dict(), "answers": []})
            current = position
        (missing if item is not None else sections)[-1]["answers"].append({"resolution": resolution, "comments": rows})
        taken += len(rows)
        last_key = [position, lead_id]
    data["clauses"] = sections
    data["missing_provisions"] = missing
    data["next"] = encode_cursor("report", last_key) if more and last_key else None
    data["summary"] = {"comments": db.session.execute(select(func.count()).where(
        Comment.document_id == document_id)).scalar_one(),
        **disposition_counts_where(Comment.document_id == document_id)}
    return data
