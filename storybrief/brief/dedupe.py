"""Merge near-duplicate articles: the same wire story re-published by several outlets.

MinHash over word 5-shingles with an LSH index (datasketch) proposes candidate copies without
comparing every pair, and the exact shingle overlap of each candidate pair decides. The kept copy
is the longest; it remembers every other copy's id so attribution can cite every outlet that ran it.
"""

from __future__ import annotations

from dataclasses import replace
from hashlib import sha1

import numpy as np
from datasketch import MinHash, MinHashLSH

from storybrief.text import WORD
from storybrief.types import Article

NUM_PERM = 128
# Exact Jaccard of word 5-shingles: a wire copy with a new headline, a changed word or an added tail
# stays above 0.6, while two outlets' own reports of one event share far fewer 5-word runs.
COPY_THRESHOLD = 0.6
# A text almost wholly contained in another is a truncated or excerpted copy of it.
CONTAINMENT_THRESHOLD = 0.8
MIN_SHINGLES_FOR_CONTAINMENT = 20
# 32 bands of 4 rows: pairs at Jaccard 0.4 are likely candidates, at 0.6 almost certain. Given
# explicitly: datasketch would derive them by numerical integration for every index it builds.
LSH_BANDS = (32, 4)
# Below this many articles comparing every pair exactly is cheaper than hashing.
ALL_PAIRS_BELOW = 64


def word_grams(text: str, size: int = 5) -> set[tuple[str, ...]]:
    """The text's word 5-shingles as tuples: enough to compare two texts exactly."""
    tokens = WORD.findall(text.lower())
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    # zip over shifted views instead of slicing per position: the same set, made about twice as fast.
    return set(zip(*(tokens[k:] for k in range(size))))


def shingles(text: str, size: int = 5) -> set[bytes]:
    """The shingles as bytes, as MinHash hashes them."""
    return {" ".join(gram).encode() for gram in word_grams(text, size)}


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


def minhash(shingle_set: set[bytes]) -> MinHash:
    # The seed's permutations drawn once, not per article (a fifth of dedupe time on big stories);
    # the signature is the same as MinHash(num_perm=NUM_PERM, seed=1) would give.
    signature = MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme=_SCHEME, hashfunc=int)
    signature.update_batch(_sha1_hash32(shingle_set))
    return signature


def _sha1_hash32(items: set[bytes]) -> list[int]:
    """datasketch's default hash (first 4 bytes of SHA-1, little-endian) for many items at once:
    one unpack for all instead of a Python call per shingle, which dominated dedupe on big stories."""
    if not items:
        return []
    digests = b"".join([sha1(item).digest()[:4] for item in items])
    return np.frombuffer(digests, dtype="<u4").tolist()


def are_copies(a: set, b: set, threshold: float = COPY_THRESHOLD) -> bool:
    if not a or not b:
        return False
    common = len(a & b)
    if common / (len(a) + len(b) - common) >= threshold:  # |a ∪ b|, without building the union
        return True
    smaller = min(len(a), len(b))
    return smaller >= MIN_SHINGLES_FOR_CONTAINMENT and common / smaller >= CONTAINMENT_THRESHOLD


def candidate_pairs(sets: list[set[bytes]]):
    """Pairs worth an exact comparison: all of them for a few articles, LSH buckets for many."""
    if len(sets) < ALL_PAIRS_BELOW:
        yield from ((i, j) for i in range(len(sets)) for j in range(i))
        return
    lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    for i, shingle_set in enumerate(sets):
        signature = minhash(shingle_set)
        yield from ((i, j) for j in lsh.query(signature))
        lsh.insert(i, signature)


_COPY_LSH_BANDS: tuple[int, int] | None = None


def copy_lsh() -> MinHashLSH:
    """An empty LSH index for incremental copy look-ups (estimated Jaccard ≥ COPY_THRESHOLD).
    datasketch derives its bands by numerical integration, ~30 ms each time: done once, the same
    bands reused for every index."""
    global _COPY_LSH_BANDS
    if _COPY_LSH_BANDS is None:
        probe = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=NUM_PERM)
        _COPY_LSH_BANDS = (probe.b, probe.r)
    return MinHashLSH(num_perm=NUM_PERM, params=_COPY_LSH_BANDS)


def copy_groups(texts: list[str], threshold: float = COPY_THRESHOLD) -> list[list[int]]:
    """Groups of indices whose texts are near-copies of each other (singletons included), in input order."""
    # Few articles are compared pair by pair, for which tuples do; MinHash needs bytes.
    sets: list = [word_grams(t) for t in texts] if len(texts) < ALL_PAIRS_BELOW else [shingles(t) for t in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in candidate_pairs(sets):
        if find(i) != find(j) and are_copies(sets[i], sets[j], threshold):
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def merge_copies(articles: list[Article], threshold: float = COPY_THRESHOLD) -> list[Article]:
    """One article per group of copies, the longest, with the other copies' ids in `copies`."""
    merged = []
    for group in copy_groups([a.text for a in articles], threshold):
        # (A group of one keeps its article without counting its words.)
        keep = group[0] if len(group) == 1 else max(group, key=lambda i: (articles[i].words, -i))
        others = [articles[i].id for i in group if i != keep]
        copies = articles[keep].copies + [c for i in group if i != keep for c in articles[i].copies]
        merged.append(replace(articles[keep], copies=copies + others))
    return merged
