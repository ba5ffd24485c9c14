"""Whole-document figures (the report's summary, equity) remembered until anything changes.

Every change of state appends an event to the hash chain, so the chain's head (seq and hash)
names the state of the database: a figure computed after reading head H is exact for as long
as the head is still H. The head is one row read by primary key; the figures are GROUP BYs
over every comment of the document (~0.1-0.2 s each at 55,000 comments). Nothing needs
invalidating: the next change moves the head and the next read computes afresh.

The head is read before computing, so a change committed meanwhile can only make the kept
value newer than its key, never older. Values are kept per process (at most MAX_KEPT) and
handed out as copies, so a caller that changes what it got changes nothing here.
"""
from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Callable, TypeVar

from sqlalchemy import select

from ..extensions import db
from ..models import ChainHead

MAX_KEPT = 64
T = TypeVar("T")
_kept: OrderedDict[tuple, tuple[tuple, object]] = OrderedDict()


def _head() -> tuple:
    row = db.session.execute(select(ChainHead.seq, ChainHead.hash).where(ChainHead.id == 1)).first()
    # The database itself is part of the key: tests run several, each with its own chain.
    return (str(db.engine.url), *(row or (0, None)))


def until_next_change(name: str, key: tuple, compute: Callable[[], T], immutable: bool = False) -> T:
    """compute(), or what it gave while the chain's head was where it is now. `immutable`: the
    value cannot be changed (tuples, read-only mappings), so it is handed out as it is: copying
    a large one costs more than computing a small figure."""
    head = _head()
    entry = _kept.get((name, key))
    if entry is not None and entry[0] == head:
        _kept.move_to_end((name, key))
        return entry[1] if immutable else copy.deepcopy(entry[1])
    value = compute()
    _kept[(name, key)] = (head, value if immutable else copy.deepcopy(value))
    while len(_kept) > MAX_KEPT:
        _kept.popitem(last=False)
    return value
