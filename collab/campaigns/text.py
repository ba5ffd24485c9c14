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
SHINGLE_WORDS = 3
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
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhashes(shingle_sets: Sequence[set[bytes]]) -> list[np.ndarray]:
    """The MinHash signatures (hash values, uint32) of many texts at once (datasketch's bulk
    path is several times faster than one MinHash at a time). CRC-32 hashes each shingle: stable
    across processes and releases, and faster than datasketch's default SHA-1 (a shingle is a
    few words; nobody gains by choosing colliding ones)."""
    if not shingle_sets:
        return []
    return [np.asarray(m.hashvalues, dtype=np.uint32)
            for m in MinHash.bulk([list(s) for s in shingle_sets], num_perm=NUM_PERM, scheme=SCHEME,
                                  hashfunc=zlib.crc32)]


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


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """How much of the smaller shingle set the larger holds, estimated from the Jaccard
    similarity: |A∩B| = J(|A|+|B|)/(1+J)."""
    if not size_a or not size_b:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / ((1 + jaccard) * min(size_a, size_b)))
