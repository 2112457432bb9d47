"""The vector rows of a story index, one per article kept as an original (a copy has none): raw
log-tf counts, document frequencies, publication times, copy signatures and each row's closest
similarities, with the IDF-weighed vectors and the copy LSH index kept up to date as rows come."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash, MinHashLSH

from storybrief.brief.dedupe import NUM_PERM
from storybrief.io.pile import parse_date
from storybrief.stories.copies import copy_index
from storybrief.stories.neighbours import MUTUAL_K, Found, note_similar, search
from storybrief.stories.vectors import N_FEATURES, TOP_TERMS, refresh, tf_rows


@dataclass(repr=False, eq=False)
class Corpus:
    # Raw log-tf rows and document frequencies; the weighed rows are as of `idf_docs` documents.
    tf: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, N_FEATURES), dtype=np.float32))
    df: np.ndarray = field(default_factory=lambda: np.zeros(N_FEATURES, dtype=np.int32))
    terms: dict[int, str] = field(default_factory=dict)  # hashed column -> a term that maps to it
    idf_docs: int = 0
    times: np.ndarray = field(default_factory=lambda: np.zeros(0))  # seconds since the epoch, NaN: undated
    signatures: np.ndarray = field(default_factory=lambda: np.zeros((0, NUM_PERM), dtype=np.uint64))
    # Per row, the MUTUAL_K highest similarities to other rows found so far (≥ FLOOR), highest
    # first, 0 where fewer were found: the bar a pair must reach to be mutual.
    top_similar: np.ndarray = field(default_factory=lambda: np.zeros((0, MUTUAL_K), dtype=np.float32))
    top_terms: int = TOP_TERMS  # terms kept per vector, 0: all
    _vectors: sp.csr_matrix | None = field(default=None, init=False)
    _idf: np.ndarray | None = field(default=None, init=False)
    _lsh: MinHashLSH | None = field(default=None, init=False)

    def __len__(self) -> int:
        return self.tf.shape[0]

    def copy_index(self) -> MinHashLSH:
        """The LSH index of every row's copy signature (rows appended later are inserted into it)."""
        if self._lsh is None:
            self._lsh = copy_index(self.signatures)
        return self._lsh

    def append(self, counts: list[Counter], published: list[str], signatures: list[MinHash]) -> None:
        """New rows, one per (term counts, publication date, copy signature)."""
        lsh = self.copy_index()
        first = len(self)
        rows = tf_rows(counts, self.terms)
        np.add.at(self.df, rows.indices, 1)
        self.tf = sp.vstack([self.tf, rows], format="csr") if self.tf.shape[0] else rows
        times = [parse_date(p) for p in published]
        self.times = np.concatenate([self.times, [t.timestamp() if t else np.nan for t in times]])
        self.signatures = np.vstack([self.signatures, np.array([s.hashvalues for s in signatures], dtype=np.uint64)])
        self.top_similar = np.vstack([self.top_similar, np.zeros((len(counts), MUTUAL_K), dtype=np.float32)])
        for k, found in enumerate(signatures):
            lsh.insert(first + k, found)
        self._vectors, self._idf, self.idf_docs = refresh(
            self.tf, self.df, self._vectors, self._idf, self.idf_docs, first, self.top_terms
        )

    def vectors(self) -> sp.csr_matrix:
        """Every row weighed: TF-IDF (the `top_terms` heaviest, 0: all), L2-normalised."""
        if self._vectors is None or self._vectors.shape[0] != self.tf.shape[0]:
            self._vectors, self._idf, self.idf_docs = refresh(
                self.tf, self.df, None, self._idf, self.idf_docs, 0, self.top_terms
            )
        return self._vectors

    def pairs(self, first_new: int, horizon_days: float, window_days: float = 0.0, note: bool = False) -> Found:
        """Each neighbour pair of the rows from `first_new` on once, with which level it serves
        (`neighbours.search`); with `note`, the story pairs' similarities are folded into `top_similar`."""
        found = search(self.vectors(), self.times, first_new, horizon_days, window_days)
        if note:
            story = found.story
            note_similar(self.top_similar, found.low[story], found.high[story], found.similarity[story])
        return found
