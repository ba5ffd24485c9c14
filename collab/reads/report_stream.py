"""The response-to-comments report as a stream: rows clause by clause (comments answered
together next to each other, under the first of them), read from the database in batches
(`yield_per`), so CSV and JSON start at once and the server's memory stays flat however
large the period. The report page takes the same rows a page at a time."""
from __future__ import annotations

import csv
import io
import json
import tempfile
from collections import defaultdict
from contextlib import closing
from types import MappingProxyType
from typing import Iterator, Mapping

from sqlalchemy import and_, func, select

from ..domain.checklist import checklist
from ..extensions import db
from ..models import Comment, Resolution
from ..models.lookups import get_document
from ..timeutil import isoformat, utcnow
from .comments import disposition_counts_where
from .memo import until_next_change
from .paging import decode_cursor, encode_cursor
from .report_rows import People, current_answer, ordered_rows, report_row
from .queue import (IN_ENGLISH, REPORT_COLUMNS, _translate_answer, _translated_labels, clause_labels,
                    next_version_words, ordered_clauses, spreadsheet_safe_row)
from .translations import latest_headings

BATCH = 500
CHUNK = 32 * 1024  # characters a chunk of the streamed CSV or JSON holds (a write per row costs more)
SPOOL_IN_MEMORY = 4 * 1024 * 1024  # the JSON's sections of a smaller report stay in memory, a larger one's on disk


def _chunked(pieces: Iterator[str]) -> Iterator[str]:
    """`pieces` joined into chunks of about CHUNK characters; the first piece goes out at once."""
    parts, size, first = [], 0, True
    for piece in pieces:
        if first:
            yield piece
            first = False
            continue
        parts.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(parts)
            parts, size = [], 0
    if parts:
        yield "".join(parts)


def answer_batches(document_id: int) -> Mapping[str, tuple[int, ...]]:
    """batch id -> the comments whose current answer it is (ids only: small however many),
    kept until the chain's head moves (reads/memo.py); read-only, so shared, not copied."""
    return until_next_change("answer_batches", (document_id,), lambda: _answer_batches(document_id), immutable=True)


def _answer_batches(document_id: int) -> Mapping[str, tuple[int, ...]]:
    latest = (select(func.max(Resolution.id)).where(Resolution.document_id == document_id)
              .group_by(Resolution.comment_id))
    batches: dict[str, list[int]] = defaultdict(list)
    for batch_id, comment_id in db.session.execute(
            select(Resolution.batch_id, Resolution.comment_id)
            .where(Resolution.id.in_(latest), Resolution.batch_id.is_not(None)).order_by(Resolution.comment_id)):
        batches[batch_id].append(comment_id)
    return MappingProxyType({batch_id: tuple(ids) for batch_id, ids in batches.items()})


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
                   language: str = "en", whole: bool = False) -> Iterator[tuple]:
    """(place, place position, first comment id, resolution, rows, checklist item or None) for each
    answer in report order, after the key `after` ([place position, first comment id]). One query
    per place (reads/report_rows.py): each comment is ordered by its answer's first comment there
    (`lead`), so comments answered together come out next to each other without looking them up
    again. In Spanish the rationales are the district's Spanish where it wrote them (marked like
    reads/queue.report). `whole`: every row is read (CSV, JSON), not a page (ordered_query)."""
    places = report_places(document_id, language)
    batches = answer_batches(document_id)
    people = People()
    for position, (place, which, item) in enumerate(places):
        if after is not None and position < after[0]:
            continue
        after_lead = after[1] if after is not None and position == after[0] else None
        group_lead, answer = None, None
        with closing(ordered_rows(document_id, which, after_lead, batch, whole)) as rows:
            for row in rows:
                resolution = current_answer(row, people)
                if row.lead != group_lead:
                    if answer:
                        yield place, position, group_lead, *_in_language(answer, language), item
                    group_lead, answer = row.lead, {"resolution": resolution, "comments": []}
                answer["comments"].append(report_row(place, row, resolution, batches, people))
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
    return _chunked(_csv_lines(document_id, language))


def _csv_lines(document_id: int, language: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(REPORT_COLUMNS)
    next_version = next_version_words(language)  # once: the report has tens of thousands of rows
    for _place, _position, _id, _resolution, rows, _item in report_answers(document_id, language=language, whole=True):
        for row in rows:
            shown = {**row, "group": row["group_name"],
                     "version": next_version if row["version_pending"] else row["version"]}
            if language != "en":
                for column in ("clause_heading", "rationale"):
                    if shown[column] and row.get(f"{column}_language") == "en":
                        shown[column] = IN_ENGLISH[language] + shown[column]
            yield line(spreadsheet_safe_row([shown[c] for c in REPORT_COLUMNS]))


def report_json_stream(document_id: int, language: str = "en") -> Iterator[str]:
    """The report's JSON (the shape of reads/queue.report: header, rows, clauses,
    missing_provisions, summary), written as it is read. The period is read once: each row is
    encoded once, sent in `rows` at once, and its text kept for the sections (`clauses`,
    `missing_provisions`, the same rows grouped by answer) in a temporary file, so memory
    stays flat however large the period."""
    return _chunked(_json_pieces(_header(document_id, language), document_id, language))


def _json_pieces(header: dict, document_id: int, language: str) -> Iterator[str]:
    yield json.dumps(header)[:-1] + ', "rows": ['
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8") as sections:
        current, first_section, first_answer, in_missing = None, True, True, False
        for place, position, _id, resolution, rows, item in report_answers(document_id, language=language, whole=True):
            encoded = [json.dumps(row) for row in rows]
            yield ("," if count else "") + ",".join(encoded)
            count += len(rows)
            if position != current:
                if current is not None:
                    sections.write("]}")
                if item is not None and not in_missing:
                    sections.write('], "missing_provisions": [')
                    in_missing, first_section = True, True
                opening = ('{"item": ' + json.dumps(item.to_dict()) if item is not None
                           else '{"clause": ' + json.dumps(_section_clause(place)))
                sections.write(("" if first_section else ",") + opening + ', "answers": [')
                current, first_section, first_answer = position, False, True
            sections.write(("" if first_answer else ",") + '{"resolution": ' + json.dumps(resolution)
                           + ', "comments": [' + ", ".join(encoded) + "]}")
            first_answer = False
        if current is not None:
            sections.write("]}")
        if not in_missing:
            sections.write('], "missing_provisions": [')
        yield '], "clauses": ['
        sections.seek(0)
        while piece := sections.read(CHUNK):
            yield piece
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
    with closing(report_answers(document_id, after, batch=limit + 1, language=language)) as answers:
        for place, position, lead_id, resolution, rows, item in answers:
            if taken >= limit:
                more = True
                break
            if position != current:
                if item is None:
                    sections.append({"clause": _section_clause(place), "answers": []})
                else:
                    missing.append({"item": item.to_dict(), "answers": []})
                current = position
            (missing if item is not None else sections)[-1]["answers"].append(
                {"resolution": resolution, "comments": rows})
            taken += len(rows)
            last_key = [position, lead_id]
    data["clauses"] = sections
    data["missing_provisions"] = missing
    data["next"] = encode_cursor("report", last_key) if more and last_key else None
    data["summary"] = until_next_change("report.summary", (document_id,), lambda: {
        "comments": db.session.execute(select(func.count()).where(Comment.document_id == document_id)).scalar_one(),
        **disposition_counts_where(Comment.document_id == document_id)})
    return data
