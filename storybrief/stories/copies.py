"""Re-published copies (wire stories): MinHash over word 5-shingles (`storybrief.brief.dedupe`) with an
LSH index finds articles that are the same text published again. A copy joins its original's story
and only the original is vectorised, so one wire story cannot pose as a cluster of its own."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH

from storybrief.brief.dedupe import COPY_THRESHOLD, NUM_PERM, copy_lsh, minhash, shingles

_PROBE = minhash(shingles("signature scheme probe"))
SIGNATURE_SCHEME, _SIGNATURE_DTYPE = _PROBE.scheme, _PROBE.hashvalues.dtype


def signature(text: str) -> MinHash:
    return minhash(shingles(text))


def restore_signature(values: np.ndarray) -> MinHash:
    """A MinHash from saved hash values, in the scheme `storybrief.brief.dedupe.minhash` uses."""
    return MinHash(
        num_perm=NUM_PERM, seed=1, hashvalues=values.astype(_SIGNATURE_DTYPE), permutations=_PROBE.permutations,
        scheme=SIGNATURE_SCHEME,
    )


def copy_index(signatures: np.ndarray) -> MinHashLSH:
    """An LSH index of saved signatures (hash values, one row each), keyed by row."""
    lsh = copy_lsh()
    for row, values in enumerate(signatures):
        lsh.insert(row, restore_signature(values))
    return lsh


def find_copy(
    found: MinHash, signatures: np.ndarray, lsh: MinHashLSH, fresh_lsh: MinHashLSH, fresh_signatures: list[MinHash]
) -> int | None:
    """The vector this text is a copy of: a row (≥ 0) of `signatures` (indexed by `lsh`), or
    -1 - index among this batch's new ones (`fresh_signatures`, indexed by `fresh_lsh`); None if none."""
    best, best_similarity = None, COPY_THRESHOLD
    for row in lsh.query(found):
        similarity = restore_signature(signatures[row]).jaccard(found)
        if similarity >= best_similarity:
            best, best_similarity = row, similarity
    for k in fresh_lsh.query(found):
        similarity = fresh_signatures[k].jaccard(found)
        if similarity >= best_similarity:
            best, best_similarity = -1 - k, similarity
    return best


@dataclass
class BatchCopies:
    """Copy detection over one batch: each new text against the rows held (`signatures`, indexed by
    `lsh`) and the batch's earlier originals (`fresh`: their signatures, in order)."""

    signatures: np.ndarray
    lsh: MinHashLSH
    fresh: list[MinHash] = field(default_factory=list)
    fresh_lsh: MinHashLSH = field(default_factory=copy_lsh)

    def original(self, text: str, counts: Counter) -> int | None:
        """What `find_copy` finds the text a copy of; None when it is an original, which is then
        kept among `fresh`. An article with no words to group by (a placeholder) is never a copy
        and never copied: empty signatures would all look identical."""
        found = signature(text)
        original = find_copy(found, self.signatures, self.lsh, self.fresh_lsh, self.fresh) if counts else None
        if original is None:
            if counts:
                self.fresh_lsh.insert(len(self.fresh), found)
            self.fresh.append(found)
        return original
