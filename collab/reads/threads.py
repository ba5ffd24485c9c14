"""The document page at any size: every clause with its counts (by kind, status and group,
from one GROUP BY over indexed columns) and its newest few threads; the rest of a clause's
threads come page by page, newest first or most co-signed first (the reader's choice). The number
of queries never depends on the number of comments."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Clause, Comment, Group, User
from ..permissions import comment_actions
from ..serializers import comment_to_dict
from .access import readable_document
from .campaigns import campaign_badges, is_plain_copy
from .comments import cosigned_by, visible_to
from .memo import until_next_change
from .paging import cosigned_cursor, cosigned_page, decode_cursor, encode_cursor, page_limit

THREADS_SHOWN = 3  # per clause when the page opens
THREAD_PAGE = 10  # per "Show more comments"
REPLIES_SHOWN = 20  # per thread; the comment's own page has them all
CURSOR_KIND = "threads"
# How a clause's threads are ordered: newest first (the default), or most co-signed first
# (ties newest first, as the comments API's sort=cosigned, whose read and cursor it shares).
THREAD_ORDERS = ("newest", "cosigned")


def thread_order(value) -> str:
    """The order a reader asked for (?order=), newest for anything else."""
    return value if value in THREAD_ORDERS else "newest"


def _order_by(order: str) -> list:
    if order == "cosigned":
        return [Comment.cosigner_count.desc(), Comment.id.desc()]
    return [Comment.id.desc()]


def _next_cursor(order: str, last: Comment) -> str:
    return cosigned_cursor(last) if order == "cosigned" else encode_cursor(CURSOR_KIND, [last.id])


def clause_counts(document_id: int) -> dict[int, dict]:
    """clause id -> {total, open, kind: {..}, status: {..}, group: {..}} across versions,
    computed again only after something changed (reads/memo.py)."""
    return until_next_change("clause_counts", (document_id,), lambda: _clause_counts(document_id))


def _clause_counts(document_id: int) -> dict[int, dict]:
    rows = db.session.execute(
        select(Comment.clause_id, Comment.kind, Comment.status, Group.slug, func.count())
        .join(User, Comment.author_id == User.id).join(Group, User.group_id == Group.id)
        .where(Comment.document_id == document_id)
        .group_by(Comment.clause_id, Comment.kind, Comment.status, Group.slug))
    counts: dict[int, dict] = defaultdict(lambda: {"total": 0, "open": 0, "kind": defaultdict(int),
                                                   "status": defaultdict(int), "group": defaultdict(int)})
    for clause_id, kind, status, slug, count in rows:
        entry = counts[clause_id]
        entry["total"] += count
        entry["open"] += count if status == "open" else 0
        entry["kind"][kind] += count
        entry["status"][status] += count
        entry["group"][slug] += count
    return {clause_id: {**c, "kind": dict(c["kind"]), "status": dict(c["status"]), "group": dict(c["group"])}
            for clause_id, c in counts.items()}


def first_threads(actor: User | None, document_id: int, per_clause: int = THREADS_SHOWN,
                  order: str = "newest") -> dict[int, dict]:
    """clause id -> {threads: [...], next: cursor or None}: each clause's first threads in `order`,
    in two queries whatever the size: one index walk per clause in that order (and one for comments
    on missing provisions), stopped after per_clause + 1 rows, joined by UNION ALL; then their
    replies. (A window over all the document's threads sorted every one of them: ~0.2 s at 55,000.)"""
    readable_document(actor, document_id)
    order = thread_order(order)
    clause_ids = list(db.session.execute(select(Clause.id).where(Clause.document_id == document_id)).scalars())
    places = [Comment.clause_id == clause_id for clause_id in clause_ids] + [Comment.clause_id.is_(None)]
    first = [select(Comment.id).where(Comment.document_id == document_id, place, Comment.parent_id.is_(None),
                                      visible_to(actor), ~is_plain_copy())
             .order_by(*_order_by(order)).limit(per_clause + 1).subquery() for place in places]
    ids = union_all(*[select(sub.c.id) for sub in first]).subquery()
    shown = aliased(Comment)
    rows = db.session.execute(select(shown).join(ids, ids.c.id == shown.id)).scalars().all()
    rank = (lambda c: (-c.cosigner_count, -c.id)) if order == "cosigned" else (lambda c: -c.id)
    rows.sort(key=lambda c: (c.clause_id is None, c.clause_id or 0, rank(c)))
    roots_by_clause: dict[int, list[Comment]] = defaultdict(list)
    for comment in rows:
        roots_by_clause[comment.clause_id].append(comment)
    more = {clause_id: len(roots) > per_clause for clause_id, roots in roots_by_clause.items()}
    roots_by_clause = {clause_id: roots[:per_clause] for clause_id, roots in roots_by_clause.items()}
    threads = _with_replies(actor, [c for roots in roots_by_clause.values() for c in roots])
    return {clause_id: {"threads": [threads[c.id] for c in roots],
                        "next": _next_cursor(order, roots[-1]) if more[clause_id] else None}
            for clause_id, roots in roots_by_clause.items()}


def thread_page(actor: User | None, document_id: int, clause_id: int, cursor, limit=None,
                order: str = "newest") -> dict:
    """The threads of one clause after `cursor`, in `order` (newest or most co-signed first):
    {threads, next}. A cursor of the other order is refused (it would skip or repeat threads)."""
    readable_document(actor, document_id)
    limit = page_limit(limit, THREAD_PAGE)
    query = select(Comment).where(Comment.document_id == document_id, Comment.clause_id == clause_id,
                                  Comment.parent_id.is_(None), visible_to(actor), ~is_plain_copy())
    if thread_order(order) == "cosigned":
        page = cosigned_page(db.session, query, limit=limit, cursor=cursor)
        threads = _with_replies(actor, page.items)
        return {"threads": [threads[c.id] for c in page.items], "next": page.next}
    key = decode_cursor(cursor, CURSOR_KIND)
    if key is not None:
        query = query.where(Comment.id < key[0])
    roots = list(db.session.execute(query.order_by(Comment.id.desc()).limit(limit + 1)).scalars())
    has_more = len(roots) > limit
    roots = roots[:limit]
    threads = _with_replies(actor, roots)
    return {"threads": [threads[c.id] for c in roots],
            "next": encode_cursor(CURSOR_KIND, [roots[-1].id]) if has_more and roots else None}


def single_thread(actor: User | None, document_id: int, thread_id: int) -> dict | None:
    root = db.session.execute(select(Comment).where(
        Comment.id == thread_id, Comment.document_id == document_id, Comment.parent_id.is_(None),
        visible_to(actor))).scalar_one_or_none()
    return _with_replies(actor, [root])[root.id] if root is not None else None


def _with_replies(actor: User | None, roots: list[Comment]) -> dict[int, dict]:
    """Thread dicts (the comment, its first replies oldest first, how many more) in one query."""
    threads = {}
    if not roots:
        return threads
    mine = cosigned_by(actor, [root.id for root in roots])
    for root in roots:
        threads[root.id] = {**comment_to_dict(root), "actions": comment_actions(actor, root),
                            "replies": [], "more_replies": 0, "cosigned": root.id in mine}
    for comment_id, badge in campaign_badges(actor, list(threads)).items():
        threads[comment_id]["campaign"] = badge
    ranked = (select(Comment.id.label("id"),
                     func.row_number().over(partition_by=Comment.parent_id, order_by=Comment.id).label("rank"),
                     func.count().over(partition_by=Comment.parent_id).label("replies"))
              .where(Comment.parent_id.in_(list(threads)), visible_to(actor)).subquery())
    reply = aliased(Comment)
    for comment, count in db.session.execute(
            select(reply, ranked.c.replies).join(ranked, ranked.c.id == reply.id)
            .where(ranked.c.rank <= REPLIES_SHOWN).order_by(reply.id)).all():
        thread = threads[comment.parent_id]
        thread["replies"].append({**comment_to_dict(comment), "actions": comment_actions(actor, comment)})
        thread["more_replies"] = count - REPLIES_SHOWN if count > REPLIES_SHOWN else 0
    return threads
