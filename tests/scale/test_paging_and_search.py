"""Lists at scale: cursor paging (limit, cursor, next) that neither repeats nor skips items
while comments keep arriving; full-text search in English and Spanish on SQLite (FTS5) and
PostgreSQL (tsvector), which never finds hidden text for those who may not read it nor
redacted text for anyone; filters and sorts."""
from __future__ import annotations

import pytest

from collab.services.moderation import hide_comment, redact_comment
from tests.api.helpers import Api, assert_error
from tests.conftest import any_database


@pytest.fixture
def api(client, make) -> Api:
    return Api(client, make)


@pytest.fixture
def setting(make):
    admin = make.user(role="admin", group="district", name="Dana Admin")
    document = make.document(admin)
    make.open_period(document, admin)
    return document, admin, make.clause_ids(document)


def _ids(answer) -> list[int]:
    return [c["id"] for c in answer["comments"]]


def _every_page(api, user, path, **params) -> tuple[list[int], int]:
    seen, pages, cursor = [], 0, None
    while True:
        query = "&".join(f"{k}={v}" for k, v in {**params, **({"cursor": cursor} if cursor else {})}.items())
        answer = api.get(f"{path}?{query}", user).get_json()
        seen += _ids(answer)
        pages += 1
        cursor = answer["next"]
        if cursor is None:
            return seen, pages


@any_database
@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_pages_neither_repeat_nor_skip_while_comments_arrive(api, make, setting, sort):
    document, admin, clauses = setting
    writer = make.user(name="Wren Writer")
    first = [make.comment(writer, clauses[i % 3], body=f"Comment number {i} on the draft.").id for i in range(23)]
    path = f"/documents/{document.id}/comments"
    seen, cursor, arrived = [], None, []
    while True:
        query = f"limit=5&sort={sort}" + (f"&cursor={cursor}" if cursor else "")
        answer = api.get(f"{path}?{query}", admin).get_json()
        assert len(answer["comments"]) <= 5
        seen += _ids(answer)
        # New comments arrive between every two pages.
        arrived.append(make.comment(writer, clauses[0], body=f"Arrived after page {len(arrived)}.").id)
        cursor = answer["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "an item repeated across pages"
    if sort == "newest":
        # Everything that existed when paging began, in order; newer ones start the next reading.
        assert seen == sorted(first, reverse=True)
    else:
        # Oldest first reaches the new ones too, each exactly once, in order.
        assert seen == sorted(first + arrived[:-1])


def test_without_limit_the_first_fifty_come_with_next(api, make, setting):
    document, admin, clauses = setting
    writer = make.user()
    made = [make.comment(writer, clauses[i % 3], body=f"Point {i} about the program.").id for i in range(53)]
    answer = api.get(f"/documents/{document.id}/comments", admin).get_json()
    assert _ids(answer) == made[:50] and answer["next"]
    rest = api.get(f"/documents/{document.id}/comments?cursor={answer['next']}", admin).get_json()
    assert _ids(rest) == made[50:] and rest["next"] is None
    seen, pages = _every_page(api, admin, f"/documents/{document.id}/comments", limit=200)
    assert (seen, pages) == (made, 1)


@pytest.mark.parametrize("query, code", [
    ("limit=0", "invalid_limit"), ("limit=201", "invalid_limit"), ("limit=ten", "invalid_limit"),
    ("cursor=not-a-cursor", "invalid_cursor"), ("sort=loudest", "invalid"), ("from=yesterday", "invalid_from"),
    ("has_quote=maybe", "invalid_has_quote"), ("q=" + "x" * 201, "q_too_long"),
])
def test_bad_paging_and_filters_are_clear_400s(api, setting, query, code):
    document, admin, _ = setting
    error = assert_error(api.get(f"/documents/{document.id}/comments?{query}", admin), 400)
    assert error["code"] == code or code == "invalid"


def test_a_cursor_of_another_order_is_refused(api, make, setting):
    document, admin, clauses = setting
    for i in range(3):
        make.comment(admin, clauses[0], body=f"Staff note {i}.")
    cursor = api.get(f"/documents/{document.id}/comments?limit=1&sort=newest", admin).get_json()["next"]
    assert_error(api.get(f"/documents/{document.id}/comments?sort=oldest&cursor={cursor}", admin), 400,
                 "invalid_cursor")


def test_cosigned_order_puts_the_most_cosigned_first_then_the_newest(api, make, setting):
    from collab.services.cosigning import cosign_comment

    document, admin, clauses = setting
    ids = [make.comment(admin, clauses[0], body=f"Note {i}.").id for i in range(3)]
    cosign_comment(make.user(), ids[0])
    answer = api.get(f"/documents/{document.id}/comments?sort=cosigned", admin).get_json()
    assert _ids(answer) == [ids[0], ids[2], ids[1]] and answer["sort"] == "cosigned" and answer["notice"] is None


def test_filters_by_quote_suggestion_kind_and_dates(api, make, setting):
    document, admin, clauses = setting
    writer = make.user()
    quoting = make.comment(writer, clauses[1], body="This part.", quote="school rules")
    wording = make.comment(writer, clauses[1], body="Better words.", kind="suggestion",
                           suggested_text="Officers never discipline students.")
    plain = make.comment(writer, clauses[2], body="A question.", kind="question")
    path = f"/documents/{document.id}/comments"
    assert _ids(api.get(f"{path}?has_quote=yes", admin).get_json()) == [quoting.id]
    assert _ids(api.get(f"{path}?has_suggestion=yes", admin).get_json()) == [wording.id]
    assert _ids(api.get(f"{path}?has_quote=no&has_suggestion=no", admin).get_json()) == [plain.id]
    assert _ids(api.get(f"{path}?kind=question", admin).get_json()) == [plain.id]
    today = quoting.created_at.date().isoformat()
    assert len(_ids(api.get(f"{path}?from={today}&to={today}", admin).get_json())) == 3
    assert _ids(api.get(f"{path}?to=2000-01-01", admin).get_json()) == []
    assert _ids(api.get(f"{path}?group=families&clause_id={clauses[2]}", admin).get_json()) == [plain.id]


@any_database
def test_search_finds_english_and_spanish_words_by_their_stems(api, make, setting):
    document, admin, clauses = setting
    writer = make.user()
    english = make.comment(writer, clauses[0], body="Officers arrested two students last year.")
    spanish = make.comment(writer, clauses[0], body="Los policías en las escuelas asustan a los niños.")
    suggestion = make.comment(writer, clauses[1], body="Reword it.", kind="suggestion",
                              suggested_text="Counselors handle discipline.")
    path = f"/documents/{document.id}/comments"

    def found(words):
        return _ids(api.get(f"{path}?q={words}", admin).get_json())

    assert found("arrest") == [english.id]          # English stem: arrested -> arrest
    assert found("escuela") == [spanish.id]         # Spanish stem: escuelas -> escuel
    assert found("counselors") == [suggestion.id]   # suggested wording is searched too
    assert found("nothing-like-this") == []
    assert found('"quoted" -or- (odd) syntax:*') == []  # what people type is never an error


@any_database
def test_search_never_finds_withheld_text(api, make, setting):
    document, admin, clauses = setting
    facilitator = make.user(role="facilitator", group="district")
    author, other = make.user(name="Ana Author"), make.user(name="Olu Other")
    hidden = make.comment(author, clauses[0], body="Jordan Smith in grade seven was searched.")
    redacted = make.comment(author, clauses[0], body="Casey Jones lives on Elm Street.")
    hide_comment(facilitator, hidden.id, reason="A student's name.")
    redact_comment(admin, redacted.id, reason="Personal data.")
    path = f"/documents/{document.id}/comments"

    def found(user, words):
        return _ids(api.get(f"{path}?q={words}", user).get_json())

    assert found(other, "Jordan") == []             # hidden: not for other participants
    assert found(author, "Jordan") == [hidden.id]   # its author may
    assert found(admin, "Jordan") == [hidden.id]    # and moderators
    for user in (author, admin, other):             # redacted: nobody, not even by the marker
        assert found(user, "Casey") == [] and found(user, "Elm") == []
        assert found(user, "redacted") == []


def test_the_fts_index_holds_no_redacted_words(make, setting, app):
    """On SQLite the index itself (not just the query) forgets a redacted text."""
    from sqlalchemy import text

    from collab.extensions import db

    document, admin, clauses = setting
    comment = make.comment(make.user(), clauses[0], body="Quinn Rivera broke a window.")
    match = text("SELECT count(*) FROM comments_fts WHERE comments_fts MATCH :q")
    assert db.session.execute(match, {"q": "Quinn"}).scalar_one() == 1
    redact_comment(admin, comment.id, reason="Personal data.")
    assert db.session.execute(match, {"q": "Quinn"}).scalar_one() == 0
    assert db.session.execute(match, {"q": "window"}).scalar_one() == 0
