"""Cursor paging for every list: `limit` (default 50, at most 200) and an opaque `cursor`
that names the last item of the page before. Pages are keyed on ids, which only grow, so
items never repeat or go missing across pages while new ones arrive (no offsets)."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, or_

from ..errors import Invalid
from flask_babel import lazy_gettext as _l

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass
class Page:
    items: list[Any]
    next: str | None
    limit: int
    extra: dict = field(default_factory=dict)


def page_limit(value, default: int = DEFAULT_LIMIT) -> int:
    if value in (None, ""):
        return default
    try:
        limit = int(str(value).strip())
    except ValueError:
        raise Invalid(_l("limit must be a whole number from 1 to %(max_limit)s.", max_limit=MAX_LIMIT), "invalid_limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(_l("limit must be a whole number from 1 to %(max_limit)s.", max_limit=MAX_LIMIT), "invalid_limit")
    return limit


def encode_cursor(kind: str, key: list) -> str:
    raw = json.dumps([kind, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value, kind: str, size: int = 1) -> list | None:
    """The key a cursor names, or None without one. A cursor from another list, another
    order or a hand-edited one is refused: it would silently skip or repeat items."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        cursor_kind, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise Invalid(_l("cursor is not one this list gave out; start again without it."), "invalid_cursor") from None
    if cursor_kind != kind or not isinstance(key, list) or len(key) != size \
            or not all(isinstance(k, int) and not isinstance(k, bool) and abs(k) < 2**62 for k in key):
        raise Invalid(_l("cursor belongs to another list or order; start again without it."), "invalid_cursor")
    return key


def keyset_page(session, query: Select, id_column, *, kind: str, limit: int, cursor, descending: bool,
                scalars: bool = True) -> Page:
    """One page of `query` ordered by `id_column` (descending or ascending) after `cursor`."""
    key = decode_cursor(cursor, kind)
    if key is not None:
        query = query.where(id_column < key[0] if descending else id_column > key[0])
    query = query.order_by(id_column.desc() if descending else id_column.asc()).limit(limit + 1)
    result = session.execute(query)
    rows = list(result.scalars() if scalars else result)
    more = len(rows) > limit
    rows = rows[:limit]
    last_id = (rows[-1].id if scalars else rows[-1][0]) if rows else None
    return Page(items=rows, next=encode_cursor(kind, [last_id]) if more else None, limit=limit)


def page_args(args) -> tuple[int, str | None]:
    return page_limit(args.get("limit")), args.get("cursor") or None


COSIGNED_CURSOR = "comments.cosigned"


def cosigned_page(session, query: Select, *, limit: int, cursor) -> Page:
    """One page of comments, most co-signed first (ties: newest first). The cursor holds the
    last item's (cosigner_count, id), so no item repeats or goes missing from page to page."""
    from ..models import Comment

    kind = COSIGNED_CURSOR
    key = decode_cursor(cursor, kind, size=2)
    if key is not None:
        count, last_id = key
        query = query.where(or_(Comment.cosigner_count < count,
                                and_(Comment.cosigner_count == count, Comment.id < last_id)))
    rows = list(session.execute(query.order_by(Comment.cosigner_count.desc(), Comment.id.desc())
                                .limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cosigned_cursor(rows[-1]) if more and rows else None
    return Page(items=rows, next=next_cursor, limit=limit)


def cosigned_cursor(last) -> str:
    """The cursor after `last` (a comment) in the most-co-signed order of cosigned_page."""
    return encode_cursor(COSIGNED_CURSOR, [last.cosigner_count, last.id])
