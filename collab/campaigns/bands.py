"""The LSH bands of the MinHash signatures, held in numpy: one sorted array of band hashes
for the whole document, and a small dict for what was added since it was last sorted.
datasketch's MinHashLSH does the same with a dict of sets per band and inserts at ~0.5 ms a
key; the index is rebuilt from every stored signature (55,000 in a large period) whenever a
process starts, so here all rows are banded in one vectorised step and sorted once."""
from __future__ import annotations

from itertools import repeat

import numpy as np
from datasketch import MinHashLSH

# Fold the recent additions into the sorted arrays after this many keys.
FOLD_AFTER = 5000
_MIX = np.uint64(0x100000001B3)  # FNV-1 64-bit prime: three 32-bit values mixed into one hash


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
        self.keys = np.empty(0, dtype=np.int64)
        # band hash -> key (a list of keys when several share it), for keys added since the last fold.
        self.recent: dict[int, int | list[int]] = {}
        self.recent_keys = 0

    def band_hashes(self, signatures: np.ndarray) -> np.ndarray:
        """(n, num_perm) uint32 signatures -> (n, bands) uint64 hashes, each band salted by its number."""
        used = signatures[:, :self.bands * self.rows].astype(np.uint64).reshape(len(signatures), self.bands,
                                                                                 self.rows)
        hashed = np.zeros((len(signatures), self.bands), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for row in range(self.rows):
                hashed = (hashed * _MIX) ^ used[:, :, row]
            return hashed ^ self._salt

    def add_many(self, keys: np.ndarray, signatures: np.ndarray) -> None:
        if not len(keys):
            return
        hashed = self.band_hashes(signatures)
        self.hashes = np.concatenate([self.hashes, hashed.ravel()])
        self.keys = np.concatenate([self.keys, np.repeat(keys.astype(np.int64), self.bands)])
        order = np.argsort(self.hashes, kind="stable")
        self.hashes, self.keys = self.hashes[order], self.keys[order]

    def add(self, key: int, hashed: list[int]) -> None:
        """Add a key by its band hashes (`band_hashes(...)[i].tolist()`)."""
        recent = self.recent
        clashes = {h: recent[h] for h in recent.keys() & set(hashed)}
        recent.update(zip(hashed, repeat(key)))  # at C speed; the few shared hashes are mended below
        for value, before in clashes.items():
            recent[value] = [*before, key] if isinstance(before, list) else [before, key]
        self.recent_keys += 1
        if self.recent_keys >= FOLD_AFTER:
            self._fold()

    def _fold(self) -> None:
        pairs = [(h, k) for h, v in self.recent.items() for k in (v if isinstance(v, list) else (v,))]
        hashes = np.fromiter((h for h, _ in pairs), dtype=np.uint64, count=len(pairs))
        keys = np.fromiter((k for _, k in pairs), dtype=np.int64, count=len(pairs))
        self.hashes = np.concatenate([self.hashes, hashes])
        self.keys = np.concatenate([self.keys, keys])
        order = np.argsort(self.hashes, kind="stable")
        self.hashes, self.keys = self.hashes[order], self.keys[order]
        self.recent, self.recent_keys = {}, 0

    def query(self, hashed: np.ndarray) -> set[int]:
        """Keys sharing at least one band hash with `hashed` (one row of `band_hashes`); removed
        keys too: the caller checks."""
        found: set[int] = set()
        if len(self.hashes):
            left = np.searchsorted(self.hashes, hashed, side="left")
            right = np.searchsorted(self.hashes, hashed, side="right")
            hits = np.nonzero(right > left)[0]
            for i in hits.tolist():
                found.update(self.keys[left[i]:right[i]].tolist())
        recent = self.recent
        if recent:
            for value in hashed.tolist():
                key = recent.get(value)
                if key is None:
                    continue
                if isinstance(key, list):
                    found.update(key)
                else:
                    found.add(key)
        return found
