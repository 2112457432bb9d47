"""Merge near-duplicate articles: the same wire story re-published by several outlets.

MinHash over word 5-shingles with an LSH index (datasketch) finds candidate copies without
comparing every pair; the kept copy is the longest, and it remembers every other copy's id so
attribution can cite all the outlets that ran it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from hashlib import sha1

import numpy as np
from datasketch import MinHash, MinHashLSH

from storybrief.types import Article

NUM_PERM = 64
COPY_THRESHOLD = 0.7  # estimated Jaccard of 5-shingles; wire copies with a new headline or tail stay above it
_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int = 5) -> set[bytes]:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    # zip over shifted views instead of slicing per position: the same set, made about twice as fast.
    return {" ".join(gram).encode() for gram in set(zip(*(tokens[k:] for k in range(size))))}


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


def minhash(text: str) -> MinHash:
    # The seed's permutations drawn once, not per article (a fifth of dedupe time on big stories);
    # the signature is the same as MinHash(num_perm=NUM_PERM, seed=1) would give.
    signature = MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme=_SCHEME, hashfunc=int)
    signature.update_batch(_sha1_hash32(shingles(text)))
    return signature


def _sha1_hash32(items: set[bytes]) -> list[int]:
    """datasketch's default hash (first 4 bytes of SHA-1, little-endian) for many items at once:
    one unpack for all instead of a Python call per shingle, which dominated dedupe on big stories."""
    if not items:
        return []
    digests = b"".join([sha1(item).digest()[:4] for item in items])
    return np.frombuffer(digests, dtype="<u4").tolist()


def copy_groups(texts: list[str], threshold: float = COPY_THRESHOLD) -> list[list[int]]:
    """Groups of indices whose texts are near-copies of each other (singletons included), in input order."""
    signatures = [minhash(t) for t in texts]
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, signature in enumerate(signatures):
        for j in lsh.query(signature):
            # LSH gives candidates; confirm with the estimated Jaccard before merging.
            if signatures[j].jaccard(signature) >= threshold:
                parent[find(i)] = find(j)
        lsh.insert(i, signature)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def merge_copies(articles: list[Article], threshold: float = COPY_THRESHOLD) -> list[Article]:
    """One article per group of copies, the longest, with the other copies' ids in `copies`."""
    merged = []
    for group in copy_groups([a.text for a in articles], threshold):
        keep = max(group, key=lambda i: (articles[i].words, -i))
        others = [articles[i].id for i in group if i != keep]
        copies = articles[keep].copies + [c for i in group if i != keep for c in articles[i].copies]
        merged.append(replace(articles[keep], copies=copies + others))
    return merged
