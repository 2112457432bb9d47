"""Merging: agglomerative, average linkage over the neighbour graph (each side's size capped at
MAX_NEIGHBOURS), greedily merging the closest pair of groups while their linkage is at least the
threshold. A pair of articles that are each among the other's MUTUAL_K most similar articles
counts MUTUAL_BOOST times its similarity. Stories already known are fixed groups: new articles
may join them, they never merge with each other, so their ids stay stable across runs."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from storybrief.stories.neighbours import MAX_NEIGHBOURS, MUTUAL_K
from storybrief.stories.records import StoryRecord

# Linkage (capped average similarity) needed to merge two groups; chosen on Multi-News train
# clusters (docs/design-stories.md has the sweep).
THRESHOLD = 0.16
# A mutual pair weighs MUTUAL_BOOST times its cosine in the linkage: it is the best evidence the
# graph has that two articles report one event, while a one-sided link (a busy article that is
# merely close to many) is not (measured in docs/design-stories.md). Streaming one article at a
# time (the service) it did not help, so an index can be made without it (`mutual_boost=1.0`).
MUTUAL_BOOST = 1.5


def linkage_weights(
    top_similar: np.ndarray, low: np.ndarray, high: np.ndarray, similarity: np.ndarray, boost: float
) -> np.ndarray:
    """Pair similarities as the linkage counts them: a pair among both rows' MUTUAL_K highest
    similarities (`top_similar`) counts `boost` times (1.0: no boost)."""
    if boost == 1.0:
        return similarity
    bar = top_similar[:, MUTUAL_K - 1]
    mutual = (similarity >= bar[low]) & (similarity >= bar[high])
    return np.where(mutual, similarity * boost, similarity)


def agglomerate(
    size: list[float], fixed: list[bool], edges: dict[tuple[int, int], float], threshold: float
) -> list[int]:
    """Agglomerative merging over a sparse similarity graph; returns each group's final root.

    The linkage of two groups sums the pair similarities between them in the graph (pairs below
    the floor count as 0) over |A| |B|, each size capped at MAX_NEIGHBOURS. Two fixed groups
    (known stories) never merge.
    """
    n = len(size)
    size = list(size)
    parent = list(range(n))
    version = [0] * n
    adjacent: list[dict[int, float]] = [dict() for _ in range(n)]
    for (a, b), s in edges.items():
        adjacent[a][b] = adjacent[a].get(b, 0.0) + s
        adjacent[b][a] = adjacent[b].get(a, 0.0) + s

    def norm(a: int) -> float:
        # Capped: an article links to at most MAX_NEIGHBOURS others, so a big story is
        # judged on (at most) that many of its members, not diluted by all of them.
        return min(size[a], float(MAX_NEIGHBOURS))

    heap = []
    for a in range(n):
        for b, s in adjacent[a].items():
            if a < b and not (fixed[a] and fixed[b]):
                score = s / (norm(a) * norm(b))
                if score >= threshold:
                    heap.append((-score, a, b, 0, 0))
    heapq.heapify(heap)
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if parent[a] != a or parent[b] != b or version[a] != version_a or version[b] != version_b:
            continue  # stale: one side has merged or grown since this pair was scored
        if fixed[b] or (not fixed[a] and (size[b], -b) > (size[a], -a)):
            a, b = b, a  # the known story, else the bigger group, keeps its identity
        adjacent[a].pop(b)
        adjacent[b].pop(a)
        size[a] += size[b]
        for c, s in adjacent[b].items():
            del adjacent[c][b]
            total = adjacent[a].get(c, 0.0) + s
            adjacent[a][c] = total
            adjacent[c][a] = total
        adjacent[b] = {}
        parent[b] = a
        version[a] += 1
        for c, s in adjacent[a].items():
            if fixed[a] and fixed[c]:
                continue
            score = s / (norm(a) * norm(c))
            if score >= threshold:
                heapq.heappush(heap, (-score, min(a, c), max(a, c), version[min(a, c)], version[max(a, c)]))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return [root(i) for i in range(n)]


@dataclass
class Merge:
    """How new rows were merged, as groups: 0 .. len(known) - 1 are the known stories that took part
    (`known`: their ids), the next `opened` are groups of new rows only, numbered in order of first row."""

    known: list[str]
    opened: int
    groups: list[int]  # group of each new row, in row order
    gained: dict[int, float]  # linkage weight of the pairs inside each group that were merged now


def merge_new_rows(
    stories: Mapping[str, StoryRecord], row_story: list[str], first_new: int,
    low: np.ndarray, high: np.ndarray, weights: np.ndarray, threshold: float,
) -> Merge:
    """Merge the rows from `first_new` on (pairs `low` < `high` with linkage `weights`) into the
    known stories (`row_story` of the rows before) or into new groups."""
    # Only the known stories linked to a new row take part: known stories never merge with
    # each other, so the others cannot change (and the merging stays small for a few new rows).
    # A known row is always the lower one of its pair (known rows come before new ones).
    touched = {row_story[j] for j in low[low < first_new].tolist()}
    known = [stories[key] for key in stories if key in touched]  # in the order stories were made
    cluster_of_story = {record.id: k for k, record in enumerate(known)}
    n_new, n_known = len(row_story) - first_new, len(known)
    node = lambda row: cluster_of_story[row_story[row]] if row < first_new else n_known + row - first_new  # noqa: E731
    size = [float(len(r.rows)) for r in known] + [1.0] * n_new
    fixed = [True] * n_known + [False] * n_new
    edges: dict[tuple[int, int], float] = {}
    for i, j, s in zip(low.tolist(), high.tolist(), weights.tolist()):
        a, b = node(i), node(j)
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        edges[key] = edges.get(key, 0.0) + s
    roots = agglomerate(size, fixed, edges, threshold)
    group = {k: k for k in range(n_known)}  # root node -> group
    for root in roots[n_known:]:
        group.setdefault(root, len(group))
    gained: dict[int, float] = {}
    for (a, b), s in edges.items():
        if roots[a] == roots[b]:
            gained[group[roots[a]]] = gained.get(group[roots[a]], 0.0) + s
    return Merge([r.id for r in known], len(group) - n_known, [group[root] for root in roots[n_known:]], gained)
