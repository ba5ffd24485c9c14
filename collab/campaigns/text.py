"""What the grouping compares: the normalised text (case, white space and punctuation do not
count), its digest for exact copies, word shingles and their MinHash for near copies, and the
personal text a copy adds beyond the shared one."""
from __future__ import annotations

import hashlib
import zlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SCHEME = "affine32"
SHINGLE_WORDS = 3  # `shingles` joins three words
# Shorter comments ("I agree.") are left alone: many people write them without copying anyone.
MIN_WORDS = 8
# A personal addition of fewer words (a changed greeting, a name) does not make a copy unique.
UNIQUE_MIN_WORDS = 4

_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def exact_hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def shingles(normalised: str) -> set[bytes]:
    words = normalised.split()
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {f"{a} {b} {c}".encode() for a, b, c in zip(words, words[1:], words[2:])}


# datasketch's affine32 permutations (seed 1): signatures stay those datasketch computes, so
# the ones already stored keep matching new ones.
_PERMUTE_A, _PERMUTE_B = (np.ascontiguousarray(p, dtype=np.uint32)
                          for p in MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
# Shingle hashes permuted at once per chunk (a chunk of 8,192 is 4 MB of uint32).
_CHUNK = 8192


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, as datasketch pre-mixes each input hash (uint32 wraparound)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def minhashes(shingle_sets: Sequence[set[bytes]]) -> list[np.ndarray]:
    """The MinHash signatures (hash values, uint32) of many texts at once, equal to
    datasketch's `MinHash.bulk(..., scheme="affine32", hashfunc=zlib.crc32)` but computed for
    every shingle of the batch in a few numpy steps (datasketch builds arrays per text). CRC-32
    hashes each shingle: stable across processes and releases, and fast (a shingle is a few
    words; nobody gains by choosing colliding ones)."""
    if not shingle_sets:
        return []
    sizes = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64, count=len(shingle_sets))
    total = int(sizes.sum())
    hashed = _fmix32(np.fromiter((zlib.crc32(shingle) for s in shingle_sets for shingle in s),
                                 dtype=np.uint32, count=total))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    minima = np.empty((len(shingle_sets), NUM_PERM), dtype=np.uint32)
    filled = sizes > 0
    minima[~filled] = _EMPTY
    # Whole texts per chunk: the minimum of every permuted shingle hash, per text.
    ends = starts + sizes
    first = 0
    while first < len(shingle_sets):
        last = max(first + 1, int(np.searchsorted(ends, starts[first] + _CHUNK, side="right")))
        begin, end = int(starts[first]), int(ends[last - 1])
        rows = np.nonzero(filled[first:last])[0] + first
        if len(rows):
            with np.errstate(over="ignore"):
                permuted = hashed[begin:end, None] * _PERMUTE_A + _PERMUTE_B
            minima[rows] = np.minimum.reduceat(permuted, starts[rows] - begin, axis=0)
        first = last
    return list(minima)


def signature_bytes(signature: np.ndarray) -> bytes:
    return np.asarray(signature, dtype=np.uint32).tobytes()


def signature_from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.uint32)


def word_count(normalised: str) -> int:
    return len(normalised.split())


def _sentences(text: str) -> list[list[str]]:
    return [[s for s in _SENTENCE_END.split(paragraph.strip()) if s.strip()]
            for paragraph in _PARAGRAPHS.split(text or "") if paragraph.strip()]


def personal_text(body: str, representative_body: str) -> str | None:
    """The sentences of `body` that the representative does not have (by normalised text),
    kept in their paragraphs; None when it adds nothing."""
    shared = {normalise(s) for paragraph in _sentences(representative_body) for s in paragraph}
    kept = []
    for paragraph in _sentences(body):
        own = [s.strip() for s in paragraph if normalise(s) and normalise(s) not in shared]
        if own:
            kept.append(" ".join(own))
    return "\n\n".join(kept) or None


def is_unique(personal: str | None) -> bool:
    return personal is not None and word_count(normalise(personal)) >= UNIQUE_MIN_WORDS
