"""Each process's index of the comments others may join (on their own, or a campaign's
representative), per document: their exact digests and LSH bands over their MinHashes.
Built from `comment_signatures` on first use and caught up, while the grouper lock is held,
with the rows written by any process since (each row carries the grouper's generation)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select

from ..extensions import db
from ..models import CommentSignature
from .bands import Bands, band_shape
from .text import NUM_PERM, containment, signature_from_bytes

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


@dataclass
class DocumentIndex:
    document_id: int
    generation: int = -1
    keys: dict[int, Key] = field(default_factory=dict)
    exact: dict[str, int] = field(default_factory=dict)
    bands: Bands = field(default_factory=lambda: Bands(BANDS, ROWS))

    def banded(self, key: Key) -> np.ndarray:
        if key.banded is None:
            key.banded = self.bands.band_hashes(key.signature.reshape(1, -1))[0]
        return key.banded

    def add(self, key: Key, banded: bool = False) -> None:
        self.remove(key.comment_id)
        self.keys[key.comment_id] = key
        self.exact.setdefault(key.exact_hash, key.comment_id)
        if not banded:
            self.bands.add(key.comment_id, self.banded(key).tolist())

    def remove(self, comment_id: int) -> None:
        key = self.keys.pop(comment_id, None)
        if key is None:
            return
        # Its bands stay behind: queries answer only keys still held.
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
        candidates (one comparison for all of them); their shingles (`shingles_of` keys) decide."""
        candidates = [self.keys[c] for c in self.bands.query(self.banded(key))
                      if c in self.keys and c != leave_out]
        if not candidates:
            return []
        similar = (np.vstack([c.signature for c in candidates]) == key.signature).mean(axis=1).tolist()
        likely = [c.comment_id for c, j in zip(candidates, similar)
                  if containment(j, c.size, len(shingle_set)) >= CANDIDATE_CONTAINMENT]
        if not likely:
            return []
        scored = []
        for candidate, theirs in shingles_of(likely).items():
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
            .order_by(CommentSignature.generation, CommentSignature.id)).all()
        fresh = not self.keys
        added = []
        for comment_id, digest, raw, size, is_key in rows:
            if is_key and digest is not None and raw is not None:
                key = Key(comment_id, digest, signature_from_bytes(raw), size)
                self.add(key, banded=fresh)
                added.append(key)
            else:
                self.remove(comment_id)
        if fresh and added:
            # A new index bands every row at once (the rows of a whole period on start).
            live = [k for k in added if self.keys.get(k.comment_id) is k]
            self.bands.add_many(np.array([k.comment_id for k in live], dtype=np.int64),
                                np.vstack([k.signature for k in live]))
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
