"""Each process's index of the comments others may join (on their own, or a campaign's
representative), per document: their exact digests and LSH bands over their MinHashes.
Built from `comment_signatures` on first use and caught up, while the grouper lock is held,
with the rows written by any process since (each row carries the grouper's generation)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select

from ..extensions import db
from ..models import CommentSignature
from .bands import Bands, band_shape
from .text import NUM_PERM, signature_from_bytes

# Candidates come from LSH at about this Jaccard similarity: a form letter with a personal
# paragraph twice as long as itself is at 0.33. With 128 permutations datasketch picks 42 bands
# of 3 rows: a pair at 0.33 is a candidate with probability 0.78, at 0.47 0.99, at 0.1 0.04.
LSH_THRESHOLD = 0.25
BANDS, ROWS = band_shape(LSH_THRESHOLD, NUM_PERM)
# A near copy holds at least this share of the smaller text's shingles.
MIN_CONTAINMENT = 0.75
# Candidates whose MinHashes estimate less than this are not worth reading.
CANDIDATE_CONTAINMENT = 0.6


@dataclass
class Key:
    comment_id: int
    exact_hash: str
    signature: np.ndarray  # the MinHash's hash values (uint32)
    size: int
    banded: np.ndarray | None = None  # its LSH band hashes, once computed
    sorted_hits: np.ndarray | None = None  # its batch's search of the sorted bands (`Bands.query_sorted`)


class DocumentIndex:
    """The keys of one document: by comment id, by exact digest, and as rows of one signature
    matrix (with their sizes) that the LSH bands name, so the candidates of a text are
    compared with it in a few numpy operations."""

    def __init__(self, document_id: int):
        self.document_id = document_id
        self.generation = -1
        self.keys: dict[int, Key] = {}
        self.exact: dict[str, int] = {}
        self.bands = Bands(BANDS, ROWS)
        self.row_of: dict[int, int] = {}
        self.signatures = np.empty((0, NUM_PERM), dtype=np.uint32)
        self.sizes = np.empty(0, dtype=np.float64)
        self.comment_ids = np.empty(0, dtype=np.int64)
        self.alive = np.empty(0, dtype=bool)
        self.used = 0
        # The shingles of keys that were likely candidates (form letters, mostly), kept between
        # steps so their texts are not read and split again for every copy.
        self.shingle_cache: dict[int, set[bytes]] = {}

    def banded(self, key: Key) -> np.ndarray:
        if key.banded is None:
            key.banded = self.bands.band_hashes(key.signature.reshape(1, -1))[0]
        return key.banded

    def _rows(self, count: int) -> int:
        """Room for `count` more rows; the first of them."""
        needed = self.used + count
        if needed > len(self.alive):
            capacity = max(needed, 2 * len(self.alive), 1024)
            grow = capacity - len(self.alive)
            self.signatures = np.concatenate([self.signatures, np.empty((grow, NUM_PERM), dtype=np.uint32)])
            self.sizes = np.concatenate([self.sizes, np.zeros(grow)])
            self.comment_ids = np.concatenate([self.comment_ids, np.full(grow, -1, dtype=np.int64)])
            self.alive = np.concatenate([self.alive, np.zeros(grow, dtype=bool)])
        first, self.used = self.used, needed
        return first

    def add(self, key: Key) -> None:
        self.remove(key.comment_id)
        row = self._rows(1)
        self.signatures[row], self.sizes[row], self.comment_ids[row] = key.signature, key.size, key.comment_id
        self.alive[row] = True
        self.row_of[key.comment_id] = row
        self.keys[key.comment_id] = key
        self.exact.setdefault(key.exact_hash, key.comment_id)
        self.bands.add(row, self.banded(key))
        key.sorted_hits = None  # valid for its own step only

    def add_many(self, keys: list[Key]) -> None:
        """Add many keys not held yet (a rebuild): banded in one step and sorted once."""
        if not keys:
            return
        first = self._rows(len(keys))
        rows = np.arange(first, first + len(keys))
        matrix = np.vstack([k.signature for k in keys])
        self.signatures[rows] = matrix
        self.sizes[rows] = [k.size for k in keys]
        self.comment_ids[rows] = [k.comment_id for k in keys]
        self.alive[rows] = True
        for row, key in zip(rows.tolist(), keys):
            self.row_of[key.comment_id] = row
            self.keys[key.comment_id] = key
            self.exact.setdefault(key.exact_hash, key.comment_id)
        self.bands.add_many(rows, self.bands.band_hashes(matrix))

    def remove(self, comment_id: int) -> None:
        key = self.keys.pop(comment_id, None)
        if key is None:
            return
        self.shingle_cache.pop(comment_id, None)
        # Its bands stay behind: queries answer only rows still alive.
        self.alive[self.row_of.pop(comment_id)] = False
        if self.exact.get(key.exact_hash) == comment_id:
            del self.exact[key.exact_hash]
            # Another key with the same text (one split out and back, say) takes its place.
            for other in self.keys.values():
                if other.exact_hash == key.exact_hash:
                    self.exact[key.exact_hash] = other.comment_id
                    break

    def match(self, key: Key, shingle_set: set[bytes], shingles_of: Callable[[list[int]], dict[int, set[bytes]]]
              ) -> tuple[int, bool] | None:
        """The key this text copies, and whether exactly; None when it copies none."""
        if key.exact_hash in self.exact:
            return self.exact[key.exact_hash], True
        found = self.near(key, shingle_set, shingles_of)
        return (found[0], False) if found else None

    def near(self, key: Key, shingle_set: set[bytes], shingles_of: Callable[[list[int]], dict[int, set[bytes]]],
             leave_out: int | None = None) -> list[int]:
        """The keys this text nearly copies, best first. LSH and the MinHashes propose
        candidates (compared all at once); their shingles (`shingles_of` keys) decide."""
        rows = self.bands.query(self.banded(key), key.sorted_hits)
        if not len(rows):
            return []
        rows = rows[self.alive[rows]]
        if leave_out is not None and leave_out in self.row_of:
            rows = rows[rows != self.row_of[leave_out]]
        if not len(rows):
            return []
        similar = (self.signatures[rows] == key.signature).mean(axis=1)
        likely = rows[containments(similar, self.sizes[rows], len(shingle_set)) >= CANDIDATE_CONTAINMENT]
        if not len(likely):
            return []
        scored = []
        for candidate, theirs in shingles_of(self.comment_ids[likely].tolist()).items():
            shared = len(theirs & shingle_set) / max(1, min(len(theirs), len(shingle_set)))
            if shared >= MIN_CONTAINMENT:
                scored.append((-shared, candidate))
        return [candidate for _score, candidate in sorted(scored)]

    def catch_up(self, generation: int) -> int:
        """Apply every signature row written after this index's generation, up to `generation`;
        how many rows."""
        if self.generation >= generation:
            return 0
        rows = db.session.execute(
            select(CommentSignature.comment_id, CommentSignature.exact_hash, CommentSignature.minhash,
                   CommentSignature.shingle_count, CommentSignature.is_key)
            .where(CommentSignature.document_id == self.document_id,
                   CommentSignature.generation > self.generation)
            .order_by(CommentSignature.generation, CommentSignature.id)).all()
        if not self.keys:
            # A new index takes the last word on each comment and adds the keys in one step
            # (the rows of a whole period on start).
            last = {comment_id: (digest, raw, size, is_key) for comment_id, digest, raw, size, is_key in rows}
            self.add_many([Key(comment_id, digest, signature_from_bytes(raw), size)
                           for comment_id, (digest, raw, size, is_key) in last.items()
                           if is_key and digest is not None and raw is not None])
        else:
            for comment_id, digest, raw, size, is_key in rows:
                if is_key and digest is not None and raw is not None:
                    self.add(Key(comment_id, digest, signature_from_bytes(raw), size))
                else:
                    self.remove(comment_id)
        self.generation = generation
        return len(rows)

    def agrees_with_database(self) -> bool:
        """As many keys as the table holds: a cheap check that catches an index built on
        rows that were later rolled back (then it is rebuilt)."""
        # A key always has its digests (redaction takes both away): the (document_id, is_key) index answers.
        stored = db.session.execute(select(func.count()).select_from(CommentSignature).where(
            CommentSignature.document_id == self.document_id, CommentSignature.is_key.is_(True))).scalar()
        return stored == len(self.keys)


def containments(jaccard: np.ndarray, sizes: np.ndarray, size: int) -> np.ndarray:
    """How much of the smaller shingle set the larger holds, for many candidates at once,
    estimated from the Jaccard similarity: |A∩B| = J(|A|+|B|)/(1+J)."""
    smaller = np.minimum(sizes, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        found = jaccard * (sizes + size) / ((1 + jaccard) * smaller)
    return np.where(smaller > 0, np.minimum(found, 1.0), 0.0)


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
    # Counted only when rows written elsewhere (another process, a split, moderation) were
    # applied: this process's own steps keep the index as they store, or forget it on failure.
    if index.catch_up(generation) and not index.agrees_with_database():
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
