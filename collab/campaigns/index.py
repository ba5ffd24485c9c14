"""Each process's index of the comments others may join (on their own, or a campaign's
representative), per document: their exact digests and a MinHash LSH over their shingles.
Built from `comment_signatures` on first use and caught up, while the grouper lock is held,
with the rows written by any process since (each row carries the grouper's generation)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from datasketch import LeanMinHash, MinHashLSH
from sqlalchemy import func, select

from ..extensions import db
from ..models import CommentSignature
from .text import NUM_PERM, containment, minhash_from_bytes

# Candidates come from LSH at this Jaccard similarity; a form letter with a personal paragraph
# as long as itself is at about 0.5.
LSH_THRESHOLD = 0.4
# A near copy holds at least this share of the smaller text's shingles.
MIN_CONTAINMENT = 0.75
# Candidates whose MinHashes estimate less than this are not worth reading.
CANDIDATE_CONTAINMENT = 0.5


@dataclass
class Key:
    comment_id: int
    exact_hash: str
    minhash: LeanMinHash
    size: int


@dataclass
class DocumentIndex:
    document_id: int
    generation: int = -1
    keys: dict[int, Key] = field(default_factory=dict)
    exact: dict[str, int] = field(default_factory=dict)
    lsh: MinHashLSH = field(default_factory=lambda: MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM))

    def add(self, key: Key) -> None:
        self.remove(key.comment_id)
        self.keys[key.comment_id] = key
        self.exact.setdefault(key.exact_hash, key.comment_id)
        self.lsh.insert(key.comment_id, key.minhash)

    def remove(self, comment_id: int) -> None:
        key = self.keys.pop(comment_id, None)
        if key is None:
            return
        self.lsh.remove(comment_id)
        if self.exact.get(key.exact_hash) == comment_id:
            del self.exact[key.exact_hash]
            # Another key with the same text (one split out and back, say) takes its place.
            for other in self.keys.values():
                if other.exact_hash == key.exact_hash:
                    self.exact[key.exact_hash] = other.comment_id
                    break

    def match(self, exact_hash: str, minhash: LeanMinHash, shingle_set: set[bytes],
              shingles_of: Callable[[int], set[bytes]]) -> tuple[int, bool] | None:
        """The key this text copies, and whether exactly; None when it copies none."""
        if exact_hash in self.exact:
            return self.exact[exact_hash], True
        found = self.near(minhash, shingle_set, shingles_of)
        return (found[0], False) if found else None

    def near(self, minhash: LeanMinHash, shingle_set: set[bytes], shingles_of: Callable[[int], set[bytes]],
             leave_out: int | None = None) -> list[int]:
        """The keys this text nearly copies, best first. LSH and the MinHashes propose
        candidates; their shingles (`shingles_of` a key) decide."""
        scored = []
        for candidate in self.lsh.query(minhash):
            key = self.keys[candidate]
            if candidate == leave_out or \
                    containment(key.minhash.jaccard(minhash), key.size, len(shingle_set)) < CANDIDATE_CONTAINMENT:
                continue
            theirs = shingles_of(candidate)
            shared = len(theirs & shingle_set) / max(1, min(len(theirs), len(shingle_set)))
            if shared >= MIN_CONTAINMENT:
                scored.append((-shared, candidate))
        return [candidate for _score, candidate in sorted(scored)]

    def catch_up(self, generation: int) -> None:
        """Apply every signature row written after this index's generation, up to `generation`."""
        if self.generation >= generation:
            return
        rows = db.session.execute(
            select(CommentSignature.comment_id, CommentSignature.exact_hash, CommentSignature.minhash,
                   CommentSignature.shingle_count, CommentSignature.is_key)
            .where(CommentSignature.document_id == self.document_id,
                   CommentSignature.generation > self.generation)
            .order_by(CommentSignature.generation, CommentSignature.id))
        for comment_id, digest, raw, size, is_key in rows:
            if is_key and digest is not None and raw is not None:
                self.add(Key(comment_id, digest, minhash_from_bytes(raw), size))
            else:
                self.remove(comment_id)
        self.generation = generation

    def agrees_with_database(self) -> bool:
        """As many keys as the table holds: a cheap check that catches an index built on
        rows that were later rolled back (then it is rebuilt)."""
        stored = db.session.execute(select(func.count()).select_from(CommentSignature).where(
            CommentSignature.document_id == self.document_id, CommentSignature.is_key.is_(True),
            CommentSignature.exact_hash.is_not(None))).scalar()
        return stored == len(self.keys)


_indexes: dict[tuple[str, int], DocumentIndex] = {}
_lock = threading.Lock()


def index_for(document_id: int, generation: int) -> DocumentIndex:
    """This process's index of the document, caught up to `generation` (call it holding the
    grouper lock). Kept per database: tests run several."""
    database = str(db.engine.url)
    with _lock:
        index = _indexes.setdefault((database, document_id), DocumentIndex(document_id))
    if index.generation > generation:
        forget(document_id)
        return index_for(document_id, generation)
    index.catch_up(generation)
    if not index.agrees_with_database():
        forget(document_id)
        index = index_for_fresh(document_id, generation)
    return index


def index_for_fresh(document_id: int, generation: int) -> DocumentIndex:
    index = DocumentIndex(document_id)
    index.catch_up(generation)
    with _lock:
        _indexes[(str(db.engine.url), document_id)] = index
    return index


def forget(document_id: int) -> None:
    """Drop the index after a failed transaction: its changes were not stored, so it rebuilds."""
    database = str(db.engine.url)
    with _lock:
        _indexes.pop((database, document_id), None)
