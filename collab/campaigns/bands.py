"""The LSH bands of the MinHash signatures, held in numpy: one sorted array of band hashes
for the whole document, and a small dict for what was added since it was last sorted.
datasketch's MinHashLSH does the same with a dict of sets per band and inserts at ~0.5 ms a
key; the index is rebuilt from every stored signature (55,000 in a large period) whenever a
process starts, so here all rows are banded in one vectorised step and sorted once.
Entries name a row of the index's signature matrix (not a comment), so a query answers an
array that indexes the matrix directly."""
from __future__ import annotations

from itertools import repeat

import numpy as np
from datasketch import MinHashLSH

# Fold the recent additions into the sorted arrays (between steps) once there are this many rows.
FOLD_AFTER = 2000
_MIX = np.uint64(0x100000001B3)  # FNV-1 64-bit prime: three 32-bit values mixed into one hash
_NO_ROWS = np.empty(0, dtype=np.int64)


def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) as datasketch chooses them for this threshold (false positives and
    negatives weighed equally)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class Bands:
    def __init__(self, bands: int, rows: int):
        self.bands, self.rows = bands, rows
        self._salt = (np.arange(bands, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        self.hashes = np.empty(0, dtype=np.uint64)
        self.entries = np.empty(0, dtype=np.int64)
        # band hash -> row (a list of rows when several share it), for rows added since the last fold.
        self.recent: dict[int, int | list[int]] = {}
        self.recent_hashes: list[np.ndarray] = []
        self.recent_entries: list[int] = []

    def band_hashes(self, signatures: np.ndarray) -> np.ndarray:
        """(n, num_perm) uint32 signatures -> (n, bands) uint64 hashes, each band salted by its number."""
        used = signatures[:, :self.bands * self.rows].astype(np.uint64).reshape(len(signatures), self.bands,
                                                                                 self.rows)
        hashed = np.zeros((len(signatures), self.bands), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for row in range(self.rows):
                hashed = (hashed * _MIX) ^ used[:, :, row]
            return hashed ^ self._salt

    def add_many(self, rows: np.ndarray, hashed: np.ndarray) -> None:
        """Add rows by their band hashes ((n, bands), from `band_hashes`), sorted in at once."""
        if not len(rows):
            return
        self._merge(hashed.ravel(), np.repeat(rows.astype(np.int64), self.bands))

    def add(self, row: int, hashed: np.ndarray) -> None:
        """Add one row by its band hashes (one row of `band_hashes`)."""
        recent = self.recent
        values = hashed.tolist()
        clashes = {h: recent[h] for h in values if h in recent}
        recent.update(zip(values, repeat(row)))  # at C speed; the few shared hashes are mended below
        for value, before in clashes.items():
            recent[value] = [*before, row] if isinstance(before, list) else [before, row]
        self.recent_hashes.append(hashed)
        self.recent_entries.append(row)

    def fold(self, at_least: int = FOLD_AFTER) -> None:
        """Sort the recent rows in, when there are `at_least` of them (never during a step:
        `query_sorted` answers stay valid until then)."""
        if not self.recent_entries or len(self.recent_entries) < at_least:
            return
        hashes = np.concatenate(self.recent_hashes)
        entries = np.repeat(np.array(self.recent_entries, dtype=np.int64), self.bands)
        self.recent, self.recent_hashes, self.recent_entries = {}, [], []
        self._merge(hashes, entries)

    def _merge(self, hashes: np.ndarray, entries: np.ndarray) -> None:
        # Two sorted runs: the stable sort (timsort for 64-bit values) merges them in one pass.
        order = np.argsort(hashes, kind="stable")
        hashes = np.concatenate([self.hashes, hashes[order]])
        entries = np.concatenate([self.entries, entries[order]])
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.entries = hashes[order], entries[order]

    def query_sorted(self, hashed: np.ndarray) -> list[np.ndarray]:
        """For each row of `hashed` ((n, bands)), the entries of the sorted arrays sharing one
        of its band hashes: all searched at once, in order (a batch of new comments)."""
        if not len(self.hashes):
            return [_NO_ROWS] * len(hashed)
        flat = hashed.ravel()
        left = np.searchsorted(self.hashes, flat, side="left")
        counts = np.searchsorted(self.hashes, flat, side="right") - left
        found = self.entries[_slices(left, counts)]
        per_row = counts.reshape(len(hashed), self.bands).sum(axis=1)
        return np.split(found, np.cumsum(per_row)[:-1])

    def query(self, hashed: np.ndarray, sorted_hits: np.ndarray | None = None) -> np.ndarray:
        """The rows sharing at least one band hash with `hashed` (one row of `band_hashes`),
        each once; rows of removed keys too: the caller checks. `sorted_hits`: its
        `query_sorted` answer, when the batch was searched at once."""
        found = self.query_sorted(hashed.reshape(1, -1))[0] if sorted_hits is None else sorted_hits
        recent = self.recent
        if recent:
            extra = []
            for value in hashed.tolist():
                row = recent.get(value)
                if row is None:
                    continue
                if isinstance(row, list):
                    extra.extend(row)
                else:
                    extra.append(row)
            if extra:
                found = np.concatenate([found, np.array(extra, dtype=np.int64)])
        return np.unique(found) if len(found) else found


def _slices(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions of every slice [start, start + count), in order, without a Python loop."""
    total = int(counts.sum())
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(total)
