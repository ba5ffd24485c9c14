"""Finding comments: full-text search (PostgreSQL tsvector in English and Spanish, SQLite
FTS5), filters by clause, group, kind, status, dates, quote and suggested wording, and the
orders a list may take. Redacted text is in no index; hidden text is found only by those
who may read it (moderators, administrators, the author)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import and_, func, literal_column, or_, select, text

from ..errors import Invalid
from ..extensions import db
from ..models import Comment, Group, User
from ..models.comments import KINDS, STATUSES
from ..parsing import choice, optional_int, safe_text
from ..permissions import can_moderate
from flask_babel import lazy_gettext as _l

SORTS = ("newest", "oldest", "cosigned")
QUERY_MAX = 200
# PostgreSQL: the words of body, quote and suggested wording in each configuration, stored
# by the database in generated columns with GIN indexes (migration 0018_read_indexes).
PG_VECTORS = {"english": "comments.search_en", "spanish": "comments.search_es"}


@dataclass
class CommentFilters:
    clause_id: int | None = None
    group: str | None = None
    kind: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    has_quote: bool | None = None
    has_suggestion: bool | None = None
    q: str | None = None
    sort: str = "newest"

    @classmethod
    def from_args(cls, args, default_sort: str = "newest") -> "CommentFilters":
        get = args.get
        q = (get("q") or "").strip()
        if len(q) > QUERY_MAX:
            raise Invalid(_l("The search is %(count)s characters long; the limit is %(query_max)s.", count=format(len(q), ','), query_max=QUERY_MAX), "q_too_long")
        return cls(
            clause_id=optional_int(get("clause_id") or None, "clause_id"),
            group=(get("group") or "").strip() or None,
            kind=choice(get("kind"), "kind", KINDS) if get("kind") else None,
            status=choice(get("status"), "status", STATUSES) if get("status") else None,
            since=_day(get("from"), "from"), until=_day(get("to"), "to", end=True),
            has_quote=_flag(get("has_quote"), "has_quote"),
            has_suggestion=_flag(get("has_suggestion"), "has_suggestion"),
            q=safe_text(q, "q") if q else None,
            sort=choice(get("sort"), "sort", SORTS) if get("sort") else default_sort)

    def as_args(self) -> dict:
        values = {"clause_id": self.clause_id, "group": self.group, "kind": self.kind, "status": self.status,
                  "from": self.since.date().isoformat() if self.since else None,
                  "to": (self.until - timedelta(days=1)).date().isoformat() if self.until else None,
                  "has_quote": _flag_arg(self.has_quote), "has_suggestion": _flag_arg(self.has_suggestion),
                  "q": self.q, "sort": self.sort if self.sort != "newest" else None}
        return {k: v for k, v in values.items() if v is not None}


def _flag_arg(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _flag(value, field: str) -> bool | None:
    if value in (None, ""):
        return None
    text_value = str(value).strip().lower()
    if text_value in ("1", "true", "yes", "on"):
        return True
    if text_value in ("0", "false", "no", "off"):
        return False
    raise Invalid(_l("%(field)s must be yes or no.", field=field), f"invalid_{field}")


def _day(value, field: str, end: bool = False) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        day = datetime.fromisoformat(str(value).strip()[:10]).date()
    except ValueError:
        raise Invalid(_l("%(field)s must be a date like 2026-11-29.", field=field), f"invalid_{field}") from None
    start = datetime.combine(day, time.min)
    return start + timedelta(days=1) if end else start


def apply_filters(query, filters: CommentFilters, actor: User):
    """`query` (over comments) narrowed by every filter that is set."""
    if filters.clause_id is not None:
        query = query.where(Comment.clause_id == filters.clause_id)
    if filters.kind:
        query = query.where(Comment.kind == filters.kind)
    if filters.status:
        query = query.where(Comment.status == filters.status)
    if filters.group:
        group_id = select(Group.id).where(Group.slug == filters.group).scalar_subquery()
        query = query.where(Comment.author_id.in_(select(User.id).where(User.group_id == group_id)))
    if filters.since:
        query = query.where(Comment.created_at >= filters.since)
    if filters.until:
        query = query.where(Comment.created_at < filters.until)
    if filters.has_quote is not None:
        query = query.where(Comment.quote.is_not(None) if filters.has_quote else Comment.quote.is_(None))
    if filters.has_suggestion is not None:
        query = query.where(Comment.suggested_text.is_not(None) if filters.has_suggestion
                            else Comment.suggested_text.is_(None))
    if filters.q:
        query = query.where(text_matches(filters.q), searchable_by(actor))
    return query


def searchable_by(actor: User):
    """Redacted text is found by nobody; hidden text only by moderators and its author."""
    condition = Comment.redacted_at.is_(None)
    if actor is not None and can_moderate(actor):
        return condition
    if actor is None:  # a reader without an account: never hidden text
        return and_(condition, Comment.status != "hidden")
    return and_(condition, or_(Comment.status != "hidden", Comment.author_id == actor.id))


def text_matches(words: str):
    if db.engine.dialect.name == "postgresql":
        return or_(*(literal_column(vector).op("@@")(
            func.websearch_to_tsquery(literal_column(f"'{config}'::regconfig"), words))
            for config, vector in PG_VECTORS.items()))
    return Comment.id.in_(select(literal_column("rowid")).select_from(text("comments_fts"))
                          .where(text("comments_fts MATCH :fts_query").bindparams(fts_query=fts5_query(words))))


def fts5_query(words: str) -> str:
    """A person's words as an FTS5 query: each word a quoted term (so `-`, `:` or `"` in what
    they typed is text, not syntax), all of them required, the last one also as a prefix."""
    terms = [w.replace('"', '""') for w in words.split() if any(ch.isalnum() for ch in w)]
    if not terms:
        return '""'
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)
