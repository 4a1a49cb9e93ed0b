"""Near-duplicate bodies: syndicated copies and light rewrites of one story.

Each body becomes the set of its word shingles (three words in a row, case
folded), and a MinHash signature of that set: ``PERMUTATIONS`` minima of
shingle hashes under fixed random permutations, whose share of equal positions
estimates the Jaccard similarity of two bodies. A copy with a changed headline
or a few words rewritten keeps most of its shingles; two reporters writing the
same news in their own words share few. Shingles are hashed with CRC-32 and
the permutations' coefficients come from sha256 of fixed seeds (never Python's
salted ``hash``), so the same bodies always give the same signatures.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence

import numpy as np

SHINGLE_WORDS = 3
PERMUTATIONS = 128
# Estimated Jaccard similarity from which two bodies are one story: a light rewrite of a short article
# keeps well over half its shingles, independent reports of one event share well under a fifth.
THRESHOLD = 0.5
_PRIME = (1 << 61) - 1
_WORD = re.compile(r"\w+")


def _coefficients(seed: str) -> np.ndarray:
    """``PERMUTATIONS`` coefficients drawn from [1, p): 32-bit ones wrapped the product around p a few times
    at most, so the permutations were alike and a rewrite's estimate strayed by +-0.15 (as datasketch draws)."""
    digests = (hashlib.sha256(f"{seed}:{i}".encode()).digest()[:8] for i in range(PERMUTATIONS))
    return np.array([int.from_bytes(d, "big") % (_PRIME - 1) + 1 for d in digests], dtype=np.uint64)


_A, _B = _coefficients("a"), _coefficients("b")


def shingles(body: str) -> set[str]:
    """The body's runs of ``SHINGLE_WORDS`` words (the whole body as one shingle when it is shorter)."""
    words = _WORD.findall(body.casefold())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(body: str) -> np.ndarray:
    """The body's MinHash signature: ``PERMUTATIONS`` unsigned integers."""
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles(body)), dtype=np.uint64)
    # a * h + b wraps around 2**64 before the mod p, as in datasketch: the estimate stays unbiased.
    with np.errstate(over="ignore"):
        permuted = (np.outer(_A, hashes) + _B[:, None]) % np.uint64(_PRIME)
    return permuted.min(axis=1)


def stories(signatures: Sequence[np.ndarray]) -> list[int]:
    """For each body, the index of the first body of its story: bodies whose similarity reaches ``THRESHOLD``,
    directly or through others, are one story."""
    parent = list(range(len(signatures)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(signatures) > 1:
        stacked = np.stack(signatures)
        for i in range(len(signatures) - 1):
            close = np.flatnonzero((stacked[i + 1:] == stacked[i]).mean(axis=1) >= THRESHOLD) + i + 1
            for j in close:
                a, b = root(i), root(int(j))
                parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(len(signatures))]
