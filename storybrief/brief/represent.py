"""Vectors for sentences and the similarity structure the later stages share.

TF-IDF fitted on the story itself (the story is its own corpus: what is frequent across its
articles is what it is about). Similar-sentence pairs are found in row blocks of a sparse
product, so memory stays bounded for stories of tens of thousands of sentences.

Up to LARGE_STORY sentences the graph is exact: every cross-article pair at or above the floor.
Above it (thousands of articles on one event, where one fact can have a paraphrase in every
article and the exact graph grows with the square of the story) each sentence keeps only its
MAX_NEIGHBOURS most similar *later* sentences (the graph stays symmetric, so it also keeps every
earlier sentence that kept it): the strongest evidence survives and memory stays linear. A
sentence with fewer later neighbours than that keeps them all, so a story whose graph is sparse
anyway gets the exact graph at any size. When such a story also has more than SAMPLE_ARTICLES
articles, every sentence is compared with the sentences of a fixed random sample of that many
articles only (linear, not quadratic, in the story), and support is scaled up from the sample
(support.soft_support). Attribution never relies on a partial graph: `neighbours_of` computes the
full row of a sentence when the graph is not complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from storybrief.text import idf
from storybrief.types import Sentence

NEIGHBOUR_FLOOR = 0.25  # similarities below this are kept as zero: unrelated sentences
BLOCK_ROWS = 2048
DENSE_ROWS = 256  # up to this many sentences the similarity graph comes from one dense product
# Up to this many sentences x terms the later stages also get the rows as a dense array: on a
# story of a few dozen sentences, slicing rows and small products through scipy.sparse costs far
# more than the same on a dense copy (docs/design-measured.md).
DENSE_CELLS = 1_000_000
BLOCK_ENTRIES = 8_000_000  # entries of one block's raw product (~100 MB): rows per block adapt to it
PROBE_ROWS = 128  # the first block measures how dense the product is before the others are sized
LARGE_STORY = 10_000  # sentences; Multi-News clusters have a few hundred
MAX_NEIGHBOURS = 100  # later neighbours kept per sentence, above LARGE_STORY
SAMPLE_ARTICLES = 300  # articles every sentence is compared with, above LARGE_STORY
SAMPLE_SEED = 0  # the sample is the same on every run: output is reproducible


@dataclass
class Representation:
    """Sentence vectors (rows L2-normalised) and cross-article similarities above a floor."""

    vectors: sp.csr_matrix
    centroid: np.ndarray  # normalised mean of the vectors
    # neighbours[i, j] = cosine(i, j) for sentences of *different* articles, when ≥ NEIGHBOUR_FLOOR.
    neighbours: sp.csr_matrix
    articles: np.ndarray  # article index of each sentence
    # False when `neighbours` is bounded (top-k) or sampled: a row may then miss pairs above the floor.
    complete: bool = True
    # For a sampled graph, the articles whose sentences were compared with every sentence.
    sampled_articles: np.ndarray | None = None

    @cached_property
    def dense(self) -> np.ndarray | None:
        """The rows as a dense array for a small story (at most DENSE_CELLS cells), else None."""
        rows, terms = self.vectors.shape
        return self.vectors.toarray() if rows * terms <= DENSE_CELLS else None

    def neighbours_of(self, i: int, floor: float = NEIGHBOUR_FLOOR) -> tuple[np.ndarray, np.ndarray]:
        """(sentence indices, cosines) of every sentence of another article at least `floor`
        similar to sentence i, by index; exact even when the stored graph is not complete."""
        if self.complete and floor >= NEIGHBOUR_FLOOR:
            row = slice(self.neighbours.indptr[i], self.neighbours.indptr[i + 1])
            columns, values = self.neighbours.indices[row], self.neighbours.data[row]
            keep = values >= floor
            return columns[keep], values[keep]
        similarities = (self.vectors @ self.vectors[i].T).tocoo()
        keep = (similarities.data >= floor) & (self.articles[similarities.row] != self.articles[i])
        order = np.argsort(similarities.row[keep], kind="stable")
        return similarities.row[keep][order].astype(np.int32), similarities.data[keep][order]

    def subset(self, rows: np.ndarray) -> Representation:
        """The representation of some sentences as a story of their own (graph restricted to them)."""
        rows = np.asarray(rows)
        return Representation(
            self.vectors[rows], self.centroid, self.neighbours[rows][:, rows].tocsr(), self.articles[rows]
        )

    def cosines(self, rows: list[int], columns: list[int]) -> np.ndarray:
        """Cosine of each of `rows` with each of `columns` (same article included), as a dense
        len(rows) × len(columns) array: from the dense copy for a small story, else one sparse product."""
        if self.dense is not None:
            return self.dense[rows] @ self.dense[columns].T
        return (self.vectors[rows] @ self.vectors[columns].T).toarray()

    def similarity(self, i: int, rows: list[int]) -> np.ndarray:
        """Cosine of sentence i with each of `rows` (same article included)."""
        return self.cosines(rows, [i]).ravel() if rows else np.zeros(0)


# sklearn's tokenisation (built once); the matrix is assembled here because TfidfVectorizer's
# per-call validation would be most of the time of a small story.
_ANALYZER = TfidfVectorizer(lowercase=True, stop_words="english", token_pattern=r"(?u)\b\w\w+\b").build_analyzer()


def vectorise(texts: list[str]) -> sp.csr_matrix:
    """TF-IDF rows as TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm="l2") gives them,
    columns in the same (alphabetical) order; the story is its own corpus."""
    return tfidf([_ANALYZER(text) for text in texts])


def tfidf(documents: list[list[str]]) -> sp.csr_matrix:
    """L2-normalised sublinear TF-IDF rows of tokenised documents (smooth IDF over these
    documents), columns in alphabetical order of the terms."""
    # Terms numbered in order of first occurrence (dict and map, not a Python loop per token).
    vocabulary: dict[str, int] = dict.fromkeys(chain.from_iterable(documents))  # type: ignore[arg-type]
    for number, term in enumerate(vocabulary):
        vocabulary[term] = number
    if not vocabulary:  # nothing but stop words
        return sp.csr_matrix((len(documents), 1), dtype=np.float32)
    alphabetical = np.empty(len(vocabulary), dtype=np.int64)
    for column, term in enumerate(sorted(vocabulary)):
        alphabetical[vocabulary[term]] = column
    indptr = np.zeros(len(documents) + 1, dtype=np.int64)
    np.cumsum([len(tokens) for tokens in documents], out=indptr[1:])
    indices = alphabetical[
        np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(documents)), dtype=np.int64, count=indptr[-1])
    ]
    counts = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(documents), len(vocabulary))
    )
    counts.sum_duplicates()
    document_frequency = np.bincount(counts.indices, minlength=len(vocabulary))
    weights = idf(document_frequency, len(documents))
    counts.data = (np.log(counts.data) + 1) * weights[counts.indices]
    rows = np.repeat(np.arange(len(documents)), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, weights=counts.data.astype(np.float64) ** 2, minlength=len(documents)))
    counts.data /= norms[rows].astype(np.float32)
    return counts


def _row_blocks(n: int, product):
    """(first row, rows, product block) over all n rows, each block sized from the previous one's
    density so that no block's product outgrows BLOCK_ENTRIES."""
    start, size = 0, min(PROBE_ROWS, BLOCK_ROWS)
    while start < n:
        stop = min(start + size, n)
        block = product(start, stop).tocsr()
        yield start, np.repeat(np.arange(start, stop), np.diff(block.indptr)), block
        per_row = block.nnz / max(stop - start, 1)
        size = int(min(BLOCK_ROWS, max(16, BLOCK_ENTRIES / max(per_row, 1.0))))
        start = stop


def cross_article_neighbours(
    vectors: sp.csr_matrix, articles: np.ndarray, floor: float = NEIGHBOUR_FLOOR, max_neighbours: int | None = None
) -> sp.csr_matrix:
    """Cosine of every pair of sentences from different articles, where it is at least `floor`.

    The matrix is symmetric, so only pairs j > i are multiplied out and the rest mirrored: half
    the work, the same numbers (each dot product sums the same terms in the same order either
    way). `max_neighbours` (default: MAX_NEIGHBOURS when the story has more than LARGE_STORY
    sentences, else no limit) keeps only that many best j > i for each i.
    """
    n = vectors.shape[0]
    if max_neighbours is None and n > LARGE_STORY:
        max_neighbours = MAX_NEIGHBOURS
    if n <= DENSE_ROWS and max_neighbours is None:
        # A story of a few articles: one dense product costs a fraction of the sparse machinery
        # (the same cosines, up to float rounding).
        dense = vectors.toarray()
        similarity = np.triu(dense @ dense.T, 1)
        similarity += similarity.T  # each pair's cosine taken once, mirrored: exactly symmetric
        keep = (similarity >= floor) & (articles[:, None] != articles[None, :])
        row, col = np.nonzero(keep)  # row-major: already in CSR order
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
        return sp.csr_matrix((similarity[row, col], col, indptr), shape=(n, n))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for start, row, block in _row_blocks(n, lambda start, stop: vectors[start:stop] @ vectors[start:].T):
        col = block.indices.astype(np.int64) + start
        keep = (block.data >= floor) & (articles[row] != articles[col]) & (col > row)
        row, col, value = row[keep], col[keep], block.data[keep]
        if max_neighbours is not None:
            row, col, value = _best_per_row(row, col, value, max_neighbours)
        rows.append(row)
        cols.append(col)
        values.append(value)
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    value = np.concatenate(values) if values else np.zeros(0, dtype=vectors.dtype)
    row, col, value = np.concatenate([row, col]), np.concatenate([col, row]), np.concatenate([value, value])
    return sp.csr_matrix((value, (row, col)), shape=(n, n))


def _best_per_row(
    row: np.ndarray, col: np.ndarray, value: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The k largest values of each row (rows arrive grouped, as a CSR block gives them)."""
    if row.size == 0:
        return row, col, value
    counts = np.bincount(row - row[0])
    if counts.max() <= k:
        return row, col, value
    # One float key sorts by row, then by falling value within the row (values are in [0, 1]).
    order = np.argsort((row - row[0]) + (1.0 - value.astype(np.float64)) * 0.5)
    row, col, value = row[order], col[order], value[order]
    first = np.repeat(np.cumsum(counts) - counts, counts)
    keep = np.arange(row.size) - first < k
    return row[keep], col[keep], value[keep]


def sampled_neighbours(
    vectors: sp.csr_matrix,
    articles: np.ndarray,
    sample: np.ndarray,
    floor: float = NEIGHBOUR_FLOOR,
    max_neighbours: int = MAX_NEIGHBOURS,
) -> sp.csr_matrix:
    """Like cross_article_neighbours, but each sentence is compared only with the sentences of the
    `sample` articles, keeping its `max_neighbours` best: cost linear in the story's size."""
    n = vectors.shape[0]
    columns = np.flatnonzero(np.isin(articles, sample))
    targets = vectors[columns].T.tocsr()
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for _, row, block in _row_blocks(n, lambda start, stop: vectors[start:stop] @ targets):
        col = columns[block.indices]
        keep = (block.data >= floor) & (articles[row] != articles[col])
        row, col, value = _best_per_row(row[keep], col[keep], block.data[keep], max_neighbours)
        rows.append(row)
        cols.append(col)
        values.append(value)
    return sp.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))


def represent(sentences: list[Sentence]) -> Representation:
    vectors = vectorise([s.text for s in sentences])
    articles = np.array([s.article for s in sentences], dtype=np.int64)
    centroid = np.bincount(vectors.indices, weights=vectors.data, minlength=vectors.shape[1]) / max(len(sentences), 1)
    norm = np.linalg.norm(centroid)
    centroid = centroid / norm if norm else centroid
    n_articles = int(articles.max()) + 1 if len(articles) else 0
    if len(sentences) > LARGE_STORY and n_articles > SAMPLE_ARTICLES:
        sample = np.sort(np.random.default_rng(SAMPLE_SEED).choice(n_articles, SAMPLE_ARTICLES, replace=False))
        neighbours = sampled_neighbours(vectors, articles, sample)
        return Representation(vectors, centroid, neighbours, articles, complete=False, sampled_articles=sample)
    neighbours = cross_article_neighbours(vectors, articles)
    return Representation(vectors, centroid, neighbours, articles, complete=len(sentences) <= LARGE_STORY)
