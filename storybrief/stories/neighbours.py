"""Neighbour search: sparse products of the new articles' vectors with all vectors, in row blocks,
keeping pairs above SAGA_FLOOR (`search`: no hard time window; time acts through the merging's
decay), and each row's MUTUAL_K highest similarities found so far (`note_similar`), the bar for a
mutual pair. docs/design-stories-time.md gives the reasons for the settings."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

FLOOR = 0.1  # neighbour pairs below this similarity are not kept: unrelated articles
STORY_NEIGHBOURS = 40  # neighbours kept per new article, in each of `search`'s two selections
# Optional hard cap on the gap between two dated articles of a story pair; 0: none (the default:
# a running story lasts weeks, and the merging's decay lowers the chance of a late join smoothly).
WINDOW_DAYS = 0.0
# Pairs below this cosine are not kept at all; between it and FLOOR they only link stories into
# sagas (related stories), never merge them.
SAGA_FLOOR = 0.05
SEARCH_BLOCK_ROWS = 1024
FEW_NEW = 64  # up to this many new rows, neighbours are found without transposing all vectors
# Similarities kept per row: a pair among each side's MUTUAL_K most similar articles is mutual.
MUTUAL_K = 3

def note_similar(top_similar: np.ndarray, low: np.ndarray, high: np.ndarray, similarity: np.ndarray) -> None:
    """Fold pair similarities into each row's MUTUAL_K highest, in place (`top_similar`: one row
    per vector row, highest first, 0 where fewer were found)."""
    if not len(low):
        return
    rows = np.concatenate([low, high])
    values = np.concatenate([similarity, similarity]).astype(np.float32)
    touched = np.unique(rows)
    rows = np.concatenate([rows, np.repeat(touched, MUTUAL_K)])
    values = np.concatenate([values, top_similar[touched].ravel()])
    order = np.lexsort((-values, rows))
    rows, values = rows[order], values[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    keep = rank < MUTUAL_K  # every touched row has at least MUTUAL_K entries: its old ones
    top_similar[rows[keep], rank[keep]] = values[keep]


class Found(NamedTuple):
    """Each pair of `search` once: rows low < high, cosine, and which level it serves."""

    low: np.ndarray
    high: np.ndarray
    similarity: np.ndarray
    saga: np.ndarray  # bool: a saga pair (among a new row's STORY_NEIGHBOURS most similar, any time)
    story: np.ndarray  # bool: a story pair (that, or among those within the horizon; cosine ≥ FLOOR)


def search(
    vectors: sp.csr_matrix, times: np.ndarray, first_new: int, horizon_days: float, window_days: float = 0.0
) -> Found:
    """Pairs (new row i, any row j ≠ i) with cosine ≥ SAGA_FLOOR, no time window, and two selections
    per new row: `any_time`, its STORY_NEIGHBOURS most similar rows; `recent`, its STORY_NEIGHBOURS most
    similar among the rows within `horizon_days` of it (undated pairs count as within), so a mass
    of older look-alike coverage cannot push a new article's story mates out of its list. A pair
    of two new rows comes from both sides and serves a level if either side selected it. Story
    pairs: `any_time` or `recent`, cosine ≥ FLOOR (and, with `window_days` > 0, dated pairs no
    further apart than that); saga pairs: `any_time`."""
    transposed = None if vectors.shape[0] - first_new <= FEW_NEW else vectors.T.tocsr()
    horizon = horizon_days * 86400.0
    parts = []
    for start in range(first_new, vectors.shape[0], SEARCH_BLOCK_ROWS):
        rows = vectors[start:start + SEARCH_BLOCK_ROWS]
        block = (rows @ transposed).tocsr() if transposed is not None else (vectors @ rows.T).T.tocsr()
        block.data[block.data < min(FLOOR, SAGA_FLOOR)] = 0
        block.eliminate_zeros()
        block = block.tocoo()
        i = block.row.astype(np.int64) + start
        j = block.col.astype(np.int64)
        s = block.data
        keep = j != i
        i, j, s = i[keep], j[keep], s[keep]
        order = np.lexsort((-s, i))
        i, j, s = i[order], j[order], s[order]
        any_time = np.arange(len(i)) - np.searchsorted(i, i, side="left") < STORY_NEIGHBOURS
        within = ~(np.abs(times[i] - times[j]) > horizon)  # NaN (undated) compares False: within
        recent = np.zeros(len(i), dtype=bool)
        w = np.flatnonzero(within)
        recent[w] = np.arange(len(w)) - np.searchsorted(i[w], i[w], side="left") < STORY_NEIGHBOURS
        keep = any_time | recent
        parts.append((i[keep], j[keep], s[keep], any_time[keep], recent[keep]))
    if not parts:
        empty = np.zeros(0, np.int64)
        return Found(empty, empty, np.zeros(0, np.float32), np.zeros(0, bool), np.zeros(0, bool))
    i, j, s, any_time, recent = (np.concatenate(p) for p in zip(*parts))
    low, high = np.minimum(i, j), np.maximum(i, j)
    unique, first, inverse = np.unique(low * (int(high.max(initial=0)) + 1) + high, return_index=True,
                                       return_inverse=True)
    saga = np.zeros(len(unique), dtype=bool)
    story = np.zeros(len(unique), dtype=bool)
    np.logical_or.at(saga, inverse, any_time)
    np.logical_or.at(story, inverse, any_time | recent)
    low, high, s = low[first], high[first], s[first]
    story &= s >= FLOOR
    if window_days > 0:
        story &= ~(np.abs(times[low] - times[high]) > window_days * 86400.0)
    return Found(low, high, s, saga, story)
