"""Merging: agglomerative, average linkage over the neighbour graph (each side's size capped at
STORY_NEIGHBOURS), greedily merging the closest pair of groups while their linkage is at least the
threshold. A pair of articles that are each among the other's MUTUAL_K most similar articles
counts MUTUAL_BOOST times its similarity. Time lowers a linkage smoothly: it is multiplied by
decay(gap between the two groups' nearest members), and a known story's members weigh less the
older they are than its latest article, so the story follows its latest articles
(docs/design-stories-time.md, "The method", has the reasons and the measured figures). Stories
already known are fixed groups: new articles may join them, they never merge with each other, so
their ids stay stable across runs."""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from storybrief.stories.neighbours import MUTUAL_K, STORY_NEIGHBOURS
from storybrief.stories.records import StoryRecord

# Linkage (capped average similarity) needed to merge two groups; chosen on Multi-News train
# clusters (docs/design-stories.md has the sweep).
THRESHOLD = 0.16
# A mutual pair weighs MUTUAL_BOOST times its cosine in the linkage: it is the best evidence the
# graph has that two articles report one event, while a one-sided link (a busy article that is
# merely close to many) is not (measured in docs/design-stories.md). Streaming one article at a
# time (the service) it did not help, so an index can be made without it (`mutual_boost=1.0`).
MUTUAL_BOOST = 1.5
# decay(gap) = 1 / (1 + (gap / TAU_DAYS)^2): a hyperbolic decay keeps a story open for the days its
# coverage runs on while look-alike events weeks apart stay apart (chosen over exp and 1/(1+x) and
# other scales on DUC 2006/ECB+ dev piles, docs/design-stories-time.md). No decay when undated.
TAU_DAYS = 7.0
# A known story's member weighs exp(-(story's latest date - its date) / RECENCY_DAYS) in the linkage.
RECENCY_DAYS = 30.0
# Pairs further apart than where the decay falls below HORIZON_DECAY cannot merge anything: the
# neighbour search's `recent` selection looks within that horizon.
HORIZON_DECAY = 0.05
DAY = 86400.0


def decay(gap_seconds: float, tau_days: float = TAU_DAYS) -> float:
    """1 / (1 + (gap / tau)^2); 1 for a gap of 0, an unknown gap (NaN: undated) or tau 0 (no decay)."""
    if tau_days <= 0 or not gap_seconds > 0:
        return 1.0
    x = gap_seconds / (tau_days * DAY)
    return 1.0 / (1.0 + x * x)


def horizon_days(tau_days: float = TAU_DAYS) -> float:
    """The gap beyond which the decay is below HORIZON_DECAY (infinite without decay)."""
    return tau_days * math.sqrt(1.0 / HORIZON_DECAY - 1.0) if tau_days > 0 else math.inf


def recency_weights(times: np.ndarray, recency_days: float = RECENCY_DAYS) -> np.ndarray:
    """Each member's weight in its known story's linkage: exp(-(latest - its date) / recency_days);
    1 for undated members, for an undated story and with recency_days 0."""
    if recency_days <= 0 or np.isnan(times).all():
        return np.ones(len(times))
    age = (np.nanmax(times) - times) / (recency_days * DAY)
    return np.where(np.isnan(age), 1.0, np.exp(-np.nan_to_num(age)))


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
    size: list[float], fixed: list[bool], edges: dict[tuple[int, int], float], threshold: float,
    start: list[float] | None = None, end: list[float] | None = None, tau_days: float = TAU_DAYS,
) -> list[int]:
    """Agglomerative merging over a sparse similarity graph; returns each group's final root.

    The linkage of two groups sums the pair similarities between them in the graph (pairs below
    the floor count as 0) over |A| |B|, each size capped at STORY_NEIGHBOURS, times decay(gap)
    when the groups' time spans are given (`start`, `end`: seconds, NaN when undated): gap = the
    time between their nearest members, 0 when the spans overlap. A merged group spans both, so
    every neighbour of it is re-scored. Two fixed groups (known stories) never merge.
    """
    n = len(size)
    size = list(size)
    timed = start is not None and end is not None and tau_days > 0
    start = list(start) if timed else [math.nan] * n
    end = list(end) if timed else [math.nan] * n
    parent = list(range(n))
    version = [0] * n
    adjacent: list[dict[int, float]] = [dict() for _ in range(n)]
    for (a, b), s in edges.items():
        adjacent[a][b] = adjacent[a].get(b, 0.0) + s
        adjacent[b][a] = adjacent[b].get(a, 0.0) + s

    def norm(a: int) -> float:
        # Capped: an article links to at most STORY_NEIGHBOURS others, so a big story is
        # judged on (at most) that many of its members, not diluted by all of them.
        return min(size[a], float(STORY_NEIGHBOURS))

    def linkage(a: int, c: int, s: float) -> float:
        score = s / (norm(a) * norm(c))
        if timed:
            score *= decay(max(start[c] - end[a], start[a] - end[c], 0.0), tau_days)  # NaN: no decay
        return score

    heap = []
    for a in range(n):
        for b, s in adjacent[a].items():
            if a < b and not (fixed[a] and fixed[b]):
                score = linkage(a, b, s)
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
        start[a] = float(np.fmin(start[a], start[b]))
        end[a] = float(np.fmax(end[a], end[b]))
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
            score = linkage(a, c, s)
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
    times: np.ndarray | None = None, tau_days: float = TAU_DAYS, recency_days: float = RECENCY_DAYS,
) -> Merge:
    """Merge the rows from `first_new` on (pairs `low` < `high` with linkage `weights`) into the
    known stories (`row_story` of the rows before) or into new groups. With `times` (each row's,
    NaN: undated), linkages decay with the gap between groups and a known story's members weigh
    `recency_weights`."""
    # Only the known stories linked to a new row take part: known stories never merge with
    # each other, so the others cannot change (and the merging stays small for a few new rows).
    # A known row is always the lower one of its pair (known rows come before new ones).
    touched = {row_story[j] for j in low[low < first_new].tolist()}
    known = [stories[key] for key in stories if key in touched]  # in the order stories were made
    cluster_of_story = {record.id: k for k, record in enumerate(known)}
    n_new, n_known = len(row_story) - first_new, len(known)
    node = lambda row: cluster_of_story[row_story[row]] if row < first_new else n_known + row - first_new  # noqa: E731
    fixed = [True] * n_known + [False] * n_new
    if times is None:
        size = [float(len(r.rows)) for r in known] + [1.0] * n_new
        start = end = None
        member_weight: dict[int, float] = {}
    else:
        size, start, end, member_weight = [], [], [], {}
        for record in known:
            found = times[record.rows]
            w = recency_weights(found, recency_days)
            member_weight.update(zip(record.rows, w.tolist()))
            size.append(float(w.sum()))
            undated = np.isnan(found).all()
            start.append(math.nan if undated else float(np.nanmin(found)))
            end.append(math.nan if undated else float(np.nanmax(found)))
        new_times = times[first_new:].tolist()
        size += [1.0] * n_new
        start += new_times
        end += new_times
    edges: dict[tuple[int, int], float] = {}
    for i, j, s in zip(low.tolist(), high.tolist(), weights.tolist()):
        a, b = node(i), node(j)
        if a == b:
            continue
        if i < first_new and member_weight:  # a known member: counts with its recency weight
            s *= member_weight[i]
        key = (min(a, b), max(a, b))
        edges[key] = edges.get(key, 0.0) + s
    roots = agglomerate(size, fixed, edges, threshold, start, end, tau_days)
    group = {k: k for k in range(n_known)}  # root node -> group
    for root in roots[n_known:]:
        group.setdefault(root, len(group))
    gained: dict[int, float] = {}
    for (a, b), s in edges.items():
        if roots[a] == roots[b]:
            gained[group[roots[a]]] = gained.get(group[roots[a]], 0.0) + s
    return Merge([r.id for r in known], len(group) - n_known, [group[root] for root in roots[n_known:]], gained)


def record_merge(merge: Merge, stories: dict[str, StoryRecord], row_story: list[str], first_new: int,
                 next_story: int) -> int:
    """A merge written into an index's records, in place: each new row joins its known story or a
    story opened for it (ids "s" + the next numbers, in the merge's order). The next story number."""
    ids = merge.known + [f"s{number:05d}" for number in range(next_story, next_story + merge.opened)]
    stories.update((story_id, StoryRecord(id=story_id, rows=[])) for story_id in ids[len(merge.known):])
    for k, group in enumerate(merge.groups):
        stories[ids[group]].rows.append(first_new + k)
        row_story[first_new + k] = ids[group]
    for group, s in merge.gained.items():
        stories[ids[group]].internal += s
    return next_story + merge.opened
