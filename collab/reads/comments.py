"""Comments as readers see them: lists with filters, threads, one comment's timeline, a person's
or a group's comments, and the actions a reader may take on each."""
from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import or_, select

from ..audience import shown_name
from ..errors import NotFound
from ..extensions import db
from ..models import Comment, Cosignature, Flag, CommentRevision, Event, Group, ModerationAction, Reopening, Resolution, User
from ..models.comments import KINDS, STATUSES, awaits_answer
from ..models.lookups import get_comment
from ..parsing import choice, optional_int
from ..permissions import can_moderate, can_see_hidden_text
from .access import readable_document
from .memo import until_next_change
from ..serializers import REDACTED_TEXT, comment_to_dict, resolution_to_dict
from ..timeutil import isoformat
from flask_babel import lazy_gettext as _l


HIDDEN_TEXT = "[Hidden by a moderator]"


def comments_of_author(user_id: int) -> list[Comment]:
    return list(db.session.execute(
        select(Comment).where(Comment.author_id == user_id).order_by(Comment.created_at.desc(), Comment.id.desc())
    ).scalars())


def comments_of_group(slug: str) -> tuple[Group, list[Comment]]:
    group = db.session.execute(select(Group).where(Group.slug == slug)).scalar_one_or_none()
    if group is None:
        raise NotFound(_l("No such group."))
    comments = list(db.session.execute(
        select(Comment).join(User, Comment.author_id == User.id).where(User.group_id == group.id)
        .order_by(Comment.document_id, Comment.created_at.desc(), Comment.id.desc())).scalars())
    return group, comments


def disposition_counts(comments: list[Comment]) -> dict:
    counts = Counter()
    for comment in comments:
        if comment.status == "hidden":
            counts["hidden"] += 1
        elif comment.status == "resolved":
            counts[comment.resolutions[-1].disposition] += 1
        elif comment.reopened_at is not None:
            counts["reopened"] += 1
        elif not awaits_answer(comment):
            counts["no_answer_needed"] += 1
        else:
            counts["awaiting_answer"] += 1
    return dict(counts)


def comment_timeline(viewer: User | None, comment_id: int) -> dict:
    """What happened to one comment, drawn from the event log, in seq order, with the texts
    `viewer` may see (flag reasons for moderators; hide reasons for moderators and the author)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_l("No such comment."))
    events = list(db.session.execute(
        select(Event).where(Event.subject == f"comment:{comment.id}").order_by(Event.seq)).scalars())
    actor_ids = {e.actor_id for e in events if e.actor_id}
    actors = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(actor_ids))).scalars()} \
        if actor_ids else {}
    resolutions = {r.id: r for r in comment.resolutions}
    flags = {f.id: f for f in db.session.execute(select(Flag).where(Flag.comment_id == comment.id)).scalars()}
    reopenings = {r.id: r for r in db.session.execute(
        select(Reopening).where(Reopening.comment_id == comment.id)).scalars()}
    actions = list(db.session.execute(
        select(ModerationAction).where(ModerationAction.comment_id == comment.id).order_by(ModerationAction.id)
    ).scalars())
    privileged = can_see_hidden_text(viewer, comment)
    moderator = can_moderate(viewer)
    hidden = comment.status == "hidden"
    action_reasons = defaultdict(list)
    for action in actions:
        action_reasons[action.action].append(action.reason)
    import json

    entries = []
    for event in events:
        data = json.loads(event.data)
        actor = actors.get(event.actor_id)
        entry = {"seq": event.seq, "at": isoformat(event.at), "action": event.action, "hash": event.hash,
                 "actor": {"id": actor.id, "name": shown_name(actor), "group": actor.group.slug,
                           "group_name": actor.group.name} if actor else None}
        if event.action == "resolution.recorded" and data.get("resolution_id") in resolutions:
            resolution = resolutions[data["resolution_id"]]
            entry["disposition"] = resolution.disposition
            entry["text"] = REDACTED_TEXT if resolution.redacted_at else resolution.rationale
            entry["version"] = resolution.version
            entry["version_pending"] = resolution.is_version_pending
        elif event.action == "comment.reopened" and data.get("reopening_id") in reopenings:
            reason = reopenings[data["reopening_id"]].reason
            entry["text"] = None if hidden and not privileged else reason
        elif event.action == "comment.flagged" and moderator and data.get("flag_id") in flags:
            entry["text"] = flags[data["flag_id"]].reason
        elif event.action in ("comment.hidden", "comment.unhidden", "comment.flags_dismissed",
                              "comment.redacted", "resolution.redacted"):
            kind = {"comment.hidden": "hidden", "comment.unhidden": "unhidden",
                    "comment.flags_dismissed": "flags_dismissed"}.get(event.action, "redacted")
            reasons = action_reasons[kind]
            reason = reasons.pop(0) if reasons else None
            if privileged or event.action in ("comment.redacted", "resolution.redacted"):
                entry["text"] = reason
        entries.append(entry)
    revisions = []
    if not comment.redacted_at and (not hidden or privileged):
        revisions = [{"body": r.body, "written_at": isoformat(r.written_at), "replaced_at": isoformat(r.replaced_at)}
                     for r in db.session.execute(select(CommentRevision).where(
                         CommentRevision.comment_id == comment.id).order_by(CommentRevision.id)).scalars()]
    hidden_text = None
    if hidden and privileged and not comment.redacted_at:
        hidden_text = {"body": comment.body, "quote": comment.quote, "suggested_text": comment.suggested_text}
    return {"comment": comment_to_dict(comment), "timeline": entries, "revisions": revisions,
            "hidden_text": hidden_text,
            "resolutions": [_resolution_history_item(comment, r) for r in comment.resolutions]}


def _resolution_history_item(comment: Comment, resolution) -> dict:

    return resolution_to_dict(resolution)


def threads_by_clause(comments: list[Comment]) -> dict[int, list[dict]]:
    """clause id -> threads in order; a thread is a comment dict with its `replies`."""
    threads: dict[int, list[dict]] = defaultdict(list)
    roots: dict[int, dict] = {}
    for comment in sorted(comments, key=lambda c: c.id):
        item = comment_to_dict(comment)
        if comment.parent_id is None:
            item["replies"] = []
            roots[comment.id] = item
            threads[comment.clause_id].append(item)
        elif comment.parent_id in roots:
            roots[comment.parent_id]["replies"].append(item)
    return threads


def viewer_of(user) -> dict:
    """Who the reader is, for the document page's scripts (their own comments, echoes; none
    without an account)."""
    if user is None:
        return {"id": None, "role": None}
    return {"id": user.id, "role": user.role}


def cosigned_by(viewer: User | None, comment_ids) -> set[int]:
    """Which of these comments `viewer` has added their name to (one query; none without an account)."""
    comment_ids = list(comment_ids)
    if viewer is None or not comment_ids:
        return set()
    return set(db.session.execute(select(Cosignature.comment_id).where(
        Cosignature.user_id == viewer.id, Cosignature.comment_id.in_(comment_ids))).scalars())


def visible_to(actor: User | None):
    """The SQL condition for comments `actor` may see: all but other people's comments in
    a silent round that is not revealed yet."""
    from ..models import SilentRound

    unrevealed = select(SilentRound.id).where(SilentRound.revealed_at.is_(None))
    if actor is None:
        return or_(Comment.silent_round_id.is_(None), Comment.silent_round_id.not_in(unrevealed))
    return or_(Comment.silent_round_id.is_(None), Comment.author_id == actor.id,
               Comment.silent_round_id.not_in(unrevealed))


def comments_page(actor: User | None, document_id: int, args) -> "Page":
    """One page of a document's comments, filtered, searched and sorted as `args` say
    (limit, cursor, sort, q, clause_id, group, kind, status, from, to, has_quote, has_suggestion)."""
    from .paging import cosigned_page, keyset_page, page_args
    from .search import CommentFilters, apply_filters

    readable_document(actor, document_id)
    # The API listed oldest first before 1.1: without `sort` it still does.
    filters = CommentFilters.from_args(args, default_sort="oldest")
    limit, cursor = page_args(args)
    query = apply_filters(select(Comment).where(Comment.document_id == document_id, visible_to(actor)),
                          filters, actor)
    if filters.sort == "cosigned":
        page = cosigned_page(db.session, query, limit=limit, cursor=cursor)
    else:
        page = keyset_page(db.session, query, Comment.id, kind=f"comments.{filters.sort}", limit=limit,
                           cursor=cursor, descending=filters.sort == "newest")
    # `notice` stays in the answer (null) for clients written when `cosigned` fell back to newest.
    page.extra = {"sort": filters.sort, "notice": None}
    return page


def list_comments(actor: User | None, document_id: int, filters: dict | None = None) -> list[Comment]:
    """A document's comments in the order they were made, filtered by
    clause_id, group (slug), kind, status and q (words in the text)."""
    readable_document(actor, document_id)
    filters = filters or {}
    query = select(Comment).where(Comment.document_id == document_id).order_by(Comment.id)
    query = query.where(visible_to(actor))
    if filters.get("clause_id") not in (None, ""):
        query = query.where(Comment.clause_id == optional_int(filters["clause_id"], "clause_id"))
    if filters.get("kind"):
        query = query.where(Comment.kind == choice(filters["kind"], "kind", KINDS))
    if filters.get("status"):
        query = query.where(Comment.status == choice(filters["status"], "status", STATUSES))
    if filters.get("group"):
        query = query.join(User, Comment.author_id == User.id).join(Group).where(Group.slug == filters["group"])
    if filters.get("q"):
        from .search import searchable_by, text_matches

        query = query.where(text_matches(str(filters["q"])[:200]), searchable_by(actor))
    return list(db.session.execute(query).scalars())


def resolution_history(comment_id: int) -> list[Resolution]:
    comment = get_comment(comment_id)
    return list(comment.resolutions)


def disposition_counts_where(condition) -> dict:
    """disposition_counts over every comment matching `condition`, from one GROUP BY (the
    current answer is each comment's latest resolution)."""
    from sqlalchemy import case, func

    from .conditions import awaiting_answer_condition

    latest = (select(Resolution.comment_id, func.max(Resolution.id).label("resolution_id"))
              .group_by(Resolution.comment_id).subquery())
    current = Resolution.__table__.alias("current_resolution")
    bucket = case(
        (Comment.status == "hidden", "hidden"),
        (Comment.status == "resolved", current.c.disposition),
        (Comment.reopened_at.is_not(None), "reopened"),
        (awaiting_answer_condition(), "awaiting_answer"),
        else_="no_answer_needed")
    rows = db.session.execute(
        select(bucket, func.count()).select_from(Comment)
        .outerjoin(latest, latest.c.comment_id == Comment.id)
        .outerjoin(current, current.c.id == latest.c.resolution_id)
        .where(condition).group_by(bucket))
    return {key: count for key, count in rows if key is not None}


def author_comments_page(user_id: int, args) -> "Page":
    """A person's comments, newest first, a page at a time, with counts over all of them."""
    from .paging import keyset_page, page_args

    limit, cursor = page_args(args)
    condition = Comment.author_id == user_id
    page = keyset_page(db.session, select(Comment).where(condition), Comment.id, kind="author",
                       limit=limit, cursor=cursor, descending=True)
    page.extra = {"counts": until_next_change("author.counts", (user_id,), lambda: disposition_counts_where(condition))}
    return page


def comments_of_group_page(slug: str, args) -> tuple[Group, "Page"]:
    """A group's comments, newest first, a page at a time, with counts over all of them."""
    from .paging import keyset_page, page_args

    group = db.session.execute(select(Group).where(Group.slug == slug)).scalar_one_or_none()
    if group is None:
        raise NotFound(_l("No such group."))
    limit, cursor = page_args(args)
    condition = Comment.author_id.in_(select(User.id).where(User.group_id == group.id))
    page = keyset_page(db.session, select(Comment).where(condition), Comment.id, kind=f"group.{group.id}",
                       limit=limit, cursor=cursor, descending=True)
    page.extra = {"counts": until_next_change("group.counts", (group.id,), lambda: disposition_counts_where(condition))}
    return group, page
