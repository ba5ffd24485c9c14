"""Every page and list costs the same number of SQL statements with 20 comments as with 200
(counted with SQLAlchemy's before_cursor_execute), and the report's CSV is a stream."""
from __future__ import annotations

import html
import inspect
import re

import pytest
from sqlalchemy import event

from collab.extensions import db
from collab.services.resolutions import record_resolution, record_resolutions
from tests.api.helpers import Api
from tests.conftest import any_database


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self)


def _period(make, size: int):
    """A document with `size` comments from several groups: threads, replies, quotes,
    suggestions, single and shared answers."""
    admin = make.admin()
    document = make.document(admin, title=f"Agreement with {size} comments")
    make.open_period(document, admin)
    clauses = make.clause_ids(document)
    people = [make.user(group=group) for group in ("families", "students", "community", "families")]
    made = []
    for i in range(size):
        author = people[i % len(people)]
        clause = clauses[i % len(clauses)]
        if i % 10 == 9 and made:
            parent = next(c for c in reversed(made) if c.parent_id is None and c.clause_id == clause)
            made.append(make.comment(author, clause, body=f"Reply {i}: agreed.", kind=None, parent_id=parent.id))
        elif i % 7 == 3:
            made.append(make.comment(author, clauses[1], body=f"Point {i}.", quote="school rules"))
        elif i % 5 == 2:
            made.append(make.comment(author, clause, body=f"Wording {i}.", kind="suggestion",
                                     suggested_text=f"New wording number {i}."))
        else:
            made.append(make.comment(author, clause, body=f"Concern number {i} about this clause."))
    roots = [c for c in made if c.parent_id is None]
    record_resolution(admin, roots[0].id, disposition="noted", rationale="Noted.")
    record_resolutions(admin, document.id, [c.id for c in roots[1:4]], disposition="declined", rationale="Answered together.")
    return document, admin, people[0]


PAGES = [
    ("document page", "{reader}", "/documents/{doc}"),
    ("more threads", "{reader}", "/documents/{doc}/clauses/{clause}/threads"),
    ("document page, most co-signed first", "{reader}", "/documents/{doc}?order=cosigned"),
    ("more threads, most co-signed first", "{reader}", "/documents/{doc}/clauses/{clause}/threads?order=cosigned"),
    ("search page", "{reader}", "/documents/{doc}/search?q=concern"),
    ("work queue", "{admin}", "/documents/{doc}/queue"),
    ("my comments", "{reader}", "/me/comments"),
    ("group page", "{reader}", "/groups/families/comments"),
    ("report page", "{reader}", "/documents/{doc}/response"),
    ("comments API", "{reader}", "/api/v1/documents/{doc}/comments?limit=20"),
    ("search API", "{reader}", "/api/v1/documents/{doc}/comments?q=concern&sort=newest"),
    ("group API", "{reader}", "/api/v1/groups/families/comments"),
    ("my comments API", "{reader}", "/api/v1/me/comments"),
    ("work queue, filtered", "{admin}", "/documents/{doc}/queue?group=families&kind=concern&clause_id={clause}"),
    ("work queue search", "{admin}", "/documents/{doc}/queue?q=concern"),
    ("overview", "{reader}", "/documents/{doc}/overview"),
    ("report page in Spanish", "{reader}", "/documents/{doc}/response?lang=es"),
    ("report.csv", "{reader}", "/api/v1/documents/{doc}/report.csv"),
    ("report.json", "{reader}", "/api/v1/documents/{doc}/report.json"),
    ("report.csv in Spanish", "{reader}", "/api/v1/documents/{doc}/report.csv?lang=es"),
    ("events API", "{reader}", "/api/v1/events?document_id={doc}&limit=10"),
]
# Second pages: the cursor comes from the first page (the API's `next`, or the page's "Next" link).
NEXT_PAGES = [
    ("comments API, next page", "{reader}", "/api/v1/documents/{doc}/comments?limit=5"),
    ("search API, next page", "{reader}", "/api/v1/documents/{doc}/comments?q=concern&limit=5"),
    ("group API, next page", "{reader}", "/api/v1/groups/families/comments?limit=5"),
    ("my comments API, next page", "{reader}", "/api/v1/me/comments?limit=2"),
    ("work queue, next page", "{admin}", "/documents/{doc}/queue?limit=5"),
    ("group page, next page", "{reader}", "/groups/families/comments?limit=5"),
    ("my comments, next page", "{reader}", "/me/comments?limit=2"),
    ("more threads, next page", "{reader}", "/documents/{doc}/clauses/{clause}/threads?limit=2"),
]
NEXT_LINK = re.compile(r'href="([^"]*cursor=[^"]*)"')


def _statements(client, sign_in, make, size: int) -> dict[str, int]:
    document, admin, reader = _period(make, size)
    clause = make.clause_ids(document)[0]
    counts = {}
    for name, who, path in PAGES:
        user = admin if who == "{admin}" else reader
        sign_in(client, user)
        url = path.format(doc=document.id, clause=clause)
        headers = Api(client, make).headers(user) if url.startswith("/api/") else {}
        client.get(url, headers=headers)  # warm: the session and caches
        with StatementCounter() as counter:
            response = client.get(url, headers=headers)
            response.get_data()
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = counter.count
    for name, who, path in NEXT_PAGES:
        user = admin if who == "{admin}" else reader
        sign_in(client, user)
        first = path.format(doc=document.id, clause=clause)
        headers = Api(client, make).headers(user) if first.startswith("/api/") else {}
        answer = client.get(first, headers=headers)
        if first.startswith("/api/"):
            url = f"{first}&cursor={answer.get_json()['next']}" if "?" in first else f"{first}?cursor={answer.get_json()['next']}"
        else:
            url = html.unescape(NEXT_LINK.search(answer.get_data(as_text=True)).group(1))
        with StatementCounter() as counter:
            response = client.get(url, headers=headers)
            response.get_data()
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = counter.count
    return counts


@any_database
def test_statements_per_page_do_not_grow_with_the_comments(client, sign_in, make):
    small = _statements(client, sign_in, make, 20)
    large = _statements(client, sign_in, make, 200)
    assert all(small.values()) and small == large


def test_report_csv_is_a_generator_and_streams(client, sign_in, make):
    from collab.reads.report_stream import report_csv_stream

    document, admin, reader = _period(make, 30)
    stream = report_csv_stream(document.id)
    assert inspect.isgenerator(stream)
    assert next(stream).startswith("clause_number,clause_heading,comment_id")
    response = client.get(f"/api/v1/documents/{document.id}/report.csv", headers=Api(client, make).headers(reader),
                          buffered=False)  # read as it streams
    assert response.is_streamed and response.status_code == 200
    lines = response.get_data(as_text=True).strip().split("\r\n")
    assert len(lines) == 31  # the header and every comment
    data = client.get(f"/api/v1/documents/{document.id}/report.json",
                      headers=Api(client, make).headers(reader)).get_json()
    assert data["summary"]["comments"] == 30 and len(data["rows"]) == 30
    shared = [r for r in data["rows"] if len(r["answered_with"]) == 2]
    assert len(shared) == 3


@any_database
@pytest.mark.parametrize("language", ["en", "es"])
def test_streamed_report_matches_the_whole_report(client, sign_in, make, language):
    """The streamed CSV and JSON carry what reads/queue.report builds in memory: Spanish headings and
    rationales, missing provisions after the clauses, the coverage_item column."""
    from collab.reads.queue import report, report_csv

    document, admin, reader = _period(make, 30)
    api = Api(client, make)
    missing = api.post(f"/documents/{document.id}/coverage/S1.3/comments", reader,
                       json={"body": "Nothing says who may search lockers.", "kind": "concern"}).get_json()["comment"]
    record_resolution(admin, missing["id"], disposition="accepted", rationale="Clause 4 now says so.",
                      rationale_es="La cláusula 4 ya lo dice.")
    query = "" if language == "en" else "?lang=es"
    streamed = client.get(f"/api/v1/documents/{document.id}/report.json{query}", headers=api.headers(reader),
                          buffered=False)
    assert streamed.is_streamed
    data, whole = streamed.get_json(), report(document.id, language)
    assert data["language"] == language and data["columns"] == whole["columns"]
    assert data["rows"] == whole["rows"] and data["missing_provisions"] == whole["missing_provisions"]
    assert data["clauses"] == [section for section in whole["clauses"] if section["answers"]]
    assert data["summary"] == whole["summary"]
    [section] = data["missing_provisions"]
    expected = "La cláusula 4 ya lo dice." if language == "es" else "Clause 4 now says so."
    assert section["item"]["id"] == "S1.3" and section["answers"][0]["resolution"]["rationale"] == expected
    csv_text = client.get(f"/api/v1/documents/{document.id}/report.csv{query}",
                          headers=api.headers(reader)).get_data(as_text=True)
    assert csv_text == report_csv(document.id, language)
    assert csv_text.split("\r\n")[0].endswith(",coverage_item,source,cosigners")
    sign_in(client, reader)
    page = client.get(f"/documents/{document.id}/response{query}").get_data(as_text=True)
    assert "Missing provisions" in page and "Equity by group" in page and expected in page
    from collab.reads.report_stream import report_page

    pages, cursor = [], None
    while True:
        pages.append(report_page(document.id, cursor, limit=5, language=language))
        cursor = pages[-1]["next"]
        if cursor is None:
            break
    paged_rows = [row for page_data in pages for section in [*page_data["clauses"], *page_data["missing_provisions"]]
                  for answer in section["answers"] for row in answer["comments"]]
    assert len(pages) > 2 and paged_rows == whole["rows"]
    assert [bool(p["missing_provisions"]) for p in pages] == [False] * (len(pages) - 1) + [True]
