"""Cross-source support: how many other articles report a sentence, and how strongly.

Both the features and the attribution of sources read it, so it sits below them in the pipeline.
"""

from __future__ import annotations

import numpy as np

from storybrief.brief.represent import Representation

PARAPHRASE = 0.5  # cosine at which another article's sentence counts as reporting the same fact


def support_counts(representation: Representation, threshold: float = PARAPHRASE) -> np.ndarray:
    """For each sentence, how many *other* articles hold a sentence at least `threshold` similar."""
    row, article, _ = best_per_article(representation, threshold)
    counts = np.bincount(row, minlength=representation.neighbours.shape[0]).astype(np.int64)
    if representation.sampled_articles is not None:  # counted in a sample of the articles: scale up
        counts = np.rint(counts * sample_scale(representation)).astype(np.int64)
    return counts


DENSE_SUPPORT_CELLS = 4_000_000  # sentences x articles up to which the dense table is used (16 MB)


def soft_support(representation: Representation) -> np.ndarray:
    """Sum over other articles of the best similarity there: graded cross-source evidence."""
    neighbours = representation.neighbours.tocoo()
    if neighbours.nnz == 0:
        return np.zeros(neighbours.shape[0])
    n_articles = int(representation.articles.max()) + 1
    if neighbours.shape[0] * n_articles <= DENSE_SUPPORT_CELLS:
        best = np.zeros((neighbours.shape[0], n_articles), dtype=np.float32)
        np.maximum.at(best, (neighbours.row, representation.articles[neighbours.col]), neighbours.data)
        support = best.sum(axis=1)
    else:
        # A big story: the dense sentences x articles table would take gigabytes (70k x 5,000
        # floats), so take each (sentence, article) best from the sorted sparse pairs instead.
        # Same values, summed in another order (float rounding aside).
        row, _, best = best_per_article(representation)
        support = np.bincount(row, weights=best, minlength=neighbours.shape[0]).astype(np.float32)
    if representation.sampled_articles is not None:  # summed over a sample of the articles: scale up
        support = (support * sample_scale(representation)).astype(np.float32)
    return support


def sample_scale(representation: Representation) -> np.ndarray:
    """Per sentence, other articles in the story / other articles in the sample it was compared with."""
    sample = representation.sampled_articles
    n_articles = int(representation.articles.max()) + 1
    others_in_sample = len(sample) - np.isin(representation.articles, sample)
    return (n_articles - 1) / np.maximum(others_in_sample, 1)


def best_per_article(representation: Representation, threshold: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sentence, other article, best similarity there) for every pair with a neighbour >= threshold,
    from the sparse graph alone: memory follows the neighbour count, not sentences x articles."""
    neighbours = representation.neighbours.tocoo()
    keep = neighbours.data >= threshold
    row = neighbours.row[keep].astype(np.int64)
    article = representation.articles[neighbours.col[keep]].astype(np.int64)
    value = neighbours.data[keep]
    if row.size == 0:
        return row, article, value
    key = row * (int(representation.articles.max()) + 1) + article
    order = np.argsort(key, kind="stable")
    key, value = key[order], value[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    best = np.maximum.reduceat(value, starts)
    return row[order][starts], article[order][starts], best
