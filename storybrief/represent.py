"""Vectors for sentences and the similarity structure the later stages share.

TF-IDF fitted on the story itself (the story is its own corpus: what is frequent across its
articles is what it is about). Similar-sentence pairs are found in row blocks of a sparse
product, so memory stays bounded for stories of tens of thousands of sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from storybrief.types import Sentence

NEIGHBOUR_FLOOR = 0.25  # similarities below this are kept as zero: unrelated sentences
BLOCK_ROWS = 2048


@dataclass
class Representation:
    """Sentence vectors (rows L2-normalised) and cross-article similarities above a floor."""

    vectors: sp.csr_matrix
    centroid: np.ndarray  # normalised mean of the vectors
    # neighbours[i, j] = cosine(i, j) for sentences of *different* articles, when ≥ NEIGHBOUR_FLOOR.
    neighbours: sp.csr_matrix
    articles: np.ndarray  # article index of each sentence

    def similarity(self, i: int, rows: list[int]) -> np.ndarray:
        """Cosine of sentence i with each of `rows` (same article included)."""
        if not rows:
            return np.zeros(0)
        return np.asarray((self.vectors[rows] @ self.vectors[i].T).todense()).ravel()


def vectorise(texts: list[str]) -> sp.csr_matrix:
    vectoriser = TfidfVectorizer(
        lowercase=True, stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32
    )
    try:
        return vectoriser.fit_transform(texts).tocsr()
    except ValueError:  # nothing but stop words
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)


def cross_article_neighbours(vectors: sp.csr_matrix, articles: np.ndarray, floor: float = NEIGHBOUR_FLOOR) -> sp.csr_matrix:
    n = vectors.shape[0]
    blocks = []
    transposed = vectors.T.tocsc()
    for start in range(0, n, BLOCK_ROWS):
        block = (vectors[start:start + BLOCK_ROWS] @ transposed).tocoo()
        rows = block.row + start
        keep = (block.data >= floor) & (articles[rows] != articles[block.col])
        blocks.append(sp.csr_matrix((block.data[keep], (rows[keep], block.col[keep])), shape=(n, n)))
    return sum(blocks[1:], blocks[0]).tocsr() if blocks else sp.csr_matrix((n, n))


def represent(sentences: list[Sentence]) -> Representation:
    vectors = vectorise([s.text for s in sentences])
    articles = np.array([s.article for s in sentences], dtype=np.int64)
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    centroid = centroid / norm if norm else centroid
    return Representation(vectors, centroid, cross_article_neighbours(vectors, articles), articles)
