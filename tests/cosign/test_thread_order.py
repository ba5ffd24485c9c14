"""The document page's threads in the reader's order: newest first (the default) or most
co-signed first (ties newest first), kept in the query string; "Show more comments" pages on in
that order, without repeating or skipping a thread."""
from __future__ import annotations

import re

import pytest

from collab.services.cosigning import cosign_comment
from tests.conftest import any_database


@pytest.fixture
def clause_with_threads(make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    clause = make.clause_ids(document)[0]
    writer = make.user(group="families")
    ids = [make.comment(writer, clause, body=f"Thread number {i} on this clause.").id for i in range(8)]
    signers = [make.user(group=group) for group in ("students", "community", "educators", "families")]
    # Names: ids[2] gets four, ids[5] three, ids[0] and ids[6] one each (ids[6] newer: first of the tie).
    for thread, names in ((ids[2], 4), (ids[5], 3), (ids[0], 1), (ids[6], 1)):
        for signer in signers[:names]:
            cosign_comment(signer, thread)
    return document, clause, ids, make.user(group="students")


def _thread_ids(html: str, clause: int) -> list[int]:
    """The threads shown under one clause of the document page (or in a fragment of threads)."""
    marker = f'data-threads-for="{clause}"'
    section = html.split(marker, 1)[1].split("</section>", 1)[0] if marker in html else html
    return [int(i) for i in re.findall(r'\bid="thread-(\d+)"', section)]


def _all_in_order(client, document, clause, first_html, order):
    ids = _thread_ids(first_html, clause)
    cursor = re.search(r'data-clause-id="%d" data-next="([^"]+)"' % clause, first_html).group(1)
    while cursor:
        query = f"cursor={cursor}&limit=2" + (f"&order={order}" if order else "")
        answer = client.get(f"/documents/{document.id}/clauses/{clause}/threads?{query}",
                            headers={"Accept": "application/json"}).get_json()
        ids += _thread_ids(answer["html"], clause)
        cursor = answer["next"]
    return ids


@any_database
def test_most_cosigned_first_opens_each_clause_and_pages_on_in_that_order(client, sign_in, clause_with_threads):
    document, clause, ids, reader = clause_with_threads
    sign_in(client, reader)
    page = client.get(f"/documents/{document.id}?order=cosigned")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _thread_ids(html, clause) == [ids[2], ids[5], ids[6]]
    assert re.search(r'<option value="cosigned" selected>Most co-signed first</option>', html)
    assert "order=cosigned" in re.search(r'data-action="more-threads"[^>]*href="([^"]+)"', html).group(1)
    assert _all_in_order(client, document, clause, html, "cosigned") == \
        [ids[2], ids[5], ids[6], ids[0], ids[7], ids[4], ids[3], ids[1]]


@any_database
def test_newest_first_stays_the_default_and_its_pages_too(client, sign_in, clause_with_threads):
    document, clause, ids, reader = clause_with_threads
    sign_in(client, reader)
    html = client.get(f"/documents/{document.id}?order=nonsense").get_data(as_text=True)
    assert _thread_ids(html, clause) == [ids[7], ids[6], ids[5]]
    assert re.search(r'<option value="newest" selected>Newest first</option>', html)
    assert "order=" not in re.search(r'data-action="more-threads"[^>]*href="([^"]+)"', html).group(1)
    assert _all_in_order(client, document, clause, html, None) == list(reversed(ids))


def test_a_cursor_of_the_other_order_is_refused_clearly(client, sign_in, clause_with_threads):
    document, clause, ids, reader = clause_with_threads
    sign_in(client, reader)
    html = client.get(f"/documents/{document.id}").get_data(as_text=True)
    cursor = re.search(r'data-clause-id="%d" data-next="([^"]+)"' % clause, html).group(1)
    answer = client.get(f"/documents/{document.id}/clauses/{clause}/threads?cursor={cursor}&order=cosigned",
                        headers={"Accept": "application/json"})
    assert answer.status_code == 400 and "cursor" in answer.get_data(as_text=True)
    page = client.get(f"/documents/{document.id}/clauses/{clause}/threads?cursor={cursor}&order=cosigned")
    assert page.status_code == 400 and "start again" in page.get_data(as_text=True)


def test_the_order_is_kept_by_the_page_without_javascript(client, sign_in, clause_with_threads):
    document, clause, ids, reader = clause_with_threads
    sign_in(client, reader)
    html = client.get(f"/documents/{document.id}?order=cosigned&text=both").get_data(as_text=True)
    form = html.split('class="thread-order"', 1)[1].split("</form>", 1)[0]
    assert 'name="text" value="both"' in form and '<label for="thread-order">' in form
    assert 'data-thread-order="cosigned"' in html
    more = re.search(r'data-action="more-threads"[^>]*href="([^"]+)"', html).group(1).replace("&amp;", "&")
    plain = client.get(more).get_data(as_text=True)
    assert _thread_ids(plain, clause) == [ids[0], ids[7], ids[4], ids[3], ids[1]]
    back = re.search(r'<a href="([^"]+)">Back to', plain).group(1)
    assert "order=cosigned" in back
