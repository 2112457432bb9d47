"""Prototype for issue 13 (running stories): grouping that follows a story over time.

Not part of the package: `TimeStoryIndex` subclasses `storybrief.stories.StoryIndex` (copies,
vectors, IDF and the mutual-neighbour boost are reused) and replaces the neighbour search and the
merging step. docs/design-stories-time.md describes the method and the figures;
`python -m bench.measure.grouping` scores it beside the other methods.

One neighbour search per `add` (article vectors of the `top_terms` heaviest terms; pairs at
cosine ≥ `saga_floor`, at most MAX_NEIGHBOURS per new article, **no time window**) feeds two
levels of average-linkage merging:

1. Stories (the pairs at cosine ≥ FLOOR, mutual pairs boosted, as StoryIndex). Linkage(A, B) =
   capped average linkage × decay(gap), gap = the time between the two groups' nearest members
   (0 when their spans overlap; no decay when either is undated). A known story's members
   count with a weight that falls with their age inside the story (`recency_days`), so its side
   of the linkage follows its latest articles. Known stories are fixed groups (never merge with
   each other; ids stable).
2. Sagas (all the pairs, plain cosines, no time decay). A saga starts as one story; the saga
   graph (edge sums between sagas) is kept across adds; sagas touched by this add's pairs are
   merged best-first while their average linkage ≥ `link_threshold`. A merge adds a *related
   link* between the two stories holding the closest article pair across them: the links of a
   saga form a tree and a saga is their connected component. Stories are never merged by it.
   Every time the corpus has grown by `saga_rebuild`, the sagas (and links) are re-derived
   best-first from all stored pairs, as one batch agglomeration would; story ids never change.

    python -m bench.experiments.grouping_time --grid top_terms=100,200 link_threshold=0.06,0.08
    python -m bench.experiments.grouping_time --split test --sets duc2006 ecbplus duc2007
    python -m bench.experiments.grouping_time --speed     # 10,000 Multi-News articles
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import math
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread settings)
import scipy.sparse as sp  # noqa: E402

from storybrief.io.pile import parse_date  # noqa: E402
from storybrief.stories import StoryIndex  # noqa: E402
from storybrief.stories import neighbours as search_settings  # noqa: E402  (FLOOR, MAX_NEIGHBOURS, ...: read at call time)
from storybrief.stories.agglomerate import linkage_weights  # noqa: E402
from storybrief.stories.corpus import Corpus  # noqa: E402
from storybrief.stories.neighbours import MUTUAL_K, note_similar  # noqa: E402
from storybrief.stories.records import StoryRecord  # noqa: E402
from storybrief.stories.vectors import IDF_REFRESH, N_FEATURES, STOP_WORDS, tf_rows, weigh  # noqa: E402
from storybrief.text import idf  # noqa: E402
from storybrief.types import Article  # noqa: E402

DAY = 86400.0
HORIZON_DECAY = 0.05  # pairs further apart than where the decay falls below this are no story neighbours
_NUMBER = re.compile(r"\b\d[\d,]*\d\b")
_NAME = re.compile(
    r"(?<=[a-z,;:] )[A-Z][a-z]{2,}\b"
)  # a capitalised word after a lower-case word: not a sentence start
# Chosen settings (docs/design-stories-time.md has the grid they were picked from).
SETTINGS = dict(
    threshold=0.16,  # story linkage needed to merge (StoryIndex's)
    top_terms=0,  # terms kept per article vector, 0: all (StoryIndex: its 40 heaviest)
    tau_days=7.0,  # decay scale
    # "hyperbolic": 1 / (1 + (gap/tau)^2); "exp": exp(-gap/tau); "linear": 1 / (1 + gap/tau); "none"
    decay="hyperbolic",
    recency_days=30.0,  # a known story's member weighs exp(-(story's latest - its date) / this); 0: all weigh 1
    link_threshold=0.06,  # saga linkage (average cosine, no decay) needed to merge two sagas
    saga_floor=0.05,  # pairs below this cosine are not kept (stories use only those ≥ FLOOR = 0.1)
    saga_prior=0.0,  # pseudo-pairs added to the saga linkage's denominator (small sagas need more)
    saga_rebuild=1.5,  # re-derive the sagas when the corpus has grown by this factor (0: never)
    cap=40.0,  # group sizes capped in both linkages (StoryIndex's MAX_NEIGHBOURS)
)


def decay_factor(gap_seconds: float, tau_days: float, kind: str) -> float:
    if kind == "none" or tau_days <= 0 or not gap_seconds > 0:  # NaN (undated) and 0: no decay
        return 1.0
    x = gap_seconds / (tau_days * DAY)
    if kind == "exp":
        return math.exp(-x)
    if kind == "hyperbolic":
        return 1.0 / (1.0 + x * x)
    if kind == "linear":  # 1 / (1 + gap/tau): a long tail
        return 1.0 / (1.0 + x)
    raise ValueError(f"unknown decay {kind!r}")


def agglomerate_time(
    size: list[float],
    start: list[float],
    end: list[float],
    fixed: list[bool],
    edges: dict[tuple[int, int], float],
    threshold: float,
    cap: float,
    tau_days: float = 0.0,
    decay: str = "none",
    prior: float = 0.0,
) -> list[int]:
    """`storybrief.stories.agglomerate.agglomerate` (average linkage, sizes capped) with time: the linkage
    of two groups is multiplied by decay(gap between their spans). A merged group spans both;
    its gap to the others can only shrink, and every neighbour of a merged group is re-scored."""
    n = len(size)
    size, start, end, fixed = list(size), list(start), list(end), list(fixed)
    parent, version = list(range(n)), [0] * n
    adjacent: list[dict[int, float]] = [dict() for _ in range(n)]
    for (a, b), s in edges.items():
        adjacent[a][b] = adjacent[a].get(b, 0.0) + s
        adjacent[b][a] = adjacent[b].get(a, 0.0) + s

    def score(a: int, c: int) -> float:
        s = adjacent[a][c] / (min(size[a], cap) * min(size[c], cap) + prior)
        if decay != "none":
            gap = max(start[c] - end[a], start[a] - end[c], 0.0)  # NaN stays NaN: no decay
            s *= decay_factor(gap, tau_days, decay)
        return s

    heap = []
    for a in range(n):
        for c in adjacent[a]:
            if a < c and not (fixed[a] and fixed[c]):
                s = score(a, c)
                if s >= threshold:
                    heap.append((-s, a, c, 0, 0))
    heapq.heapify(heap)
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if parent[a] != a or parent[b] != b or version[a] != version_a or version[b] != version_b:
            continue
        if fixed[b] or (not fixed[a] and (size[b], -b) > (size[a], -a)):
            a, b = b, a
        adjacent[a].pop(b)
        adjacent[b].pop(a)
        size[a] += size[b]
        start[a] = np.fmin(start[a], start[b])
        end[a] = np.fmax(end[a], end[b])
        for c, s in adjacent[b].items():
            del adjacent[c][b]
            total = adjacent[a].get(c, 0.0) + s
            adjacent[a][c] = total
            adjacent[c][a] = total
        adjacent[b] = {}
        parent[b] = a
        version[a] += 1
        for c in adjacent[a]:
            if fixed[a] and fixed[c]:
                continue
            s = score(a, c)
            if s >= threshold:
                heapq.heappush(heap, (-s, min(a, c), max(a, c), version[min(a, c)], version[max(a, c)]))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return [root(i) for i in range(n)]


@dataclass(repr=False, eq=False)
class TermsCorpus(Corpus):
    """A story index's vector rows (`storybrief.stories.corpus.Corpus`) with `top_terms` terms
    kept per row (0: all) instead of TOP_TERMS."""

    top_terms: int = 0

    def append(self, counts: list[Counter], published: list[str], signatures: list) -> None:
        """Corpus.append without its weighing (`vectors` weighs, with this corpus's cut)."""
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
        self.vectors()

    def vectors(self) -> sp.csr_matrix:
        """Every row weighed: TF-IDF of the `top_terms` heaviest terms (0: all), L2-normalised;
        the IDF renewed (every row re-weighed) when the corpus has grown by IDF_REFRESH, as Corpus does."""
        keep = self.top_terms or N_FEATURES
        n = self.tf.shape[0]
        cached = self._vectors
        if self._idf is None or n > IDF_REFRESH * self.idf_docs or cached is None or cached.shape[0] > n:
            self._idf, self.idf_docs = idf(self.df, n), n
            cached = weigh(self.tf, self._idf, keep)
        elif cached.shape[0] < n:
            cached = sp.vstack([cached, weigh(self.tf[cached.shape[0] :], self._idf, keep)], format="csr")
        self._vectors = cached
        return cached


@dataclass(repr=False)
class TimeStoryIndex(StoryIndex):
    """StoryIndex with time-decayed story merging and related links between stories of a saga."""

    window_days: float = 0.0  # no hard window: time acts through the decay
    threshold: float = SETTINGS["threshold"]
    top_terms: int = SETTINGS["top_terms"]
    tau_days: float = SETTINGS["tau_days"]
    decay: str = SETTINGS["decay"]
    recency_days: float = SETTINGS["recency_days"]
    link_threshold: float = SETTINGS["link_threshold"]
    saga_floor: float = SETTINGS["saga_floor"]
    saga_prior: float = SETTINGS["saga_prior"]
    saga_rebuild: float = SETTINGS["saga_rebuild"]
    cap: float = SETTINGS["cap"]
    numbers: bool = False  # numbers (2+ digits) as terms too
    names: bool = False  # capitalised words inside a sentence (names) counted again as terms of their own
    sagas: Sagas = field(default_factory=lambda: Sagas())  # related links and the saga graph
    _saga_pairs: list = field(default_factory=list)  # every pair found: (low rows, high rows, cosines)
    _saga_built: int = 0  # rows at the last rebuild

    def __post_init__(self) -> None:
        self.corpus = TermsCorpus(top_terms=self.top_terms)

    def _words(self, article: Article):
        text, counts = super()._words(article)
        if counts and self.numbers:
            counts.update("n" + n.replace(",", "") for n in _NUMBER.findall(text))
        if counts and self.names:
            counts.update("name" + w.lower() for w in _NAME.findall(text) if w.lower() not in STOP_WORDS)
        return text, counts

    # ----- merging ---------------------------------------------------------------------------

    def _span(self, rows: list[int]) -> tuple[float, float]:
        times = self.corpus.times[rows]
        if np.isnan(times).all():
            return math.nan, math.nan
        return float(np.nanmin(times)), float(np.nanmax(times))

    def _member_weights(self, rows: list[int]) -> np.ndarray:
        """Weight of each member of a known story in the linkage: 1, or falling with how long
        before the story's latest article it came (undated members weigh 1)."""
        if self.recency_days <= 0:
            return np.ones(len(rows))
        times = self.corpus.times[rows]
        if np.isnan(times).all():
            return np.ones(len(rows))
        age = (np.nanmax(times) - times) / (self.recency_days * DAY)
        return np.where(np.isnan(age), 1.0, np.exp(-np.nan_to_num(age)))

    def horizon_days(self) -> float:
        """The gap beyond which the decay is below HORIZON_DECAY: no story link matters there."""
        tau = self.tau_days
        if self.decay == "none" or tau <= 0:
            return math.inf
        if self.decay == "exp":
            return tau * math.log(1.0 / HORIZON_DECAY)
        if self.decay == "hyperbolic":
            return tau * math.sqrt(1.0 / HORIZON_DECAY - 1.0)
        return tau * (1.0 / HORIZON_DECAY - 1.0)

    def search(self, first_new: int):
        """Pairs (new row i, any row j, cosine ≥ saga_floor), as StoryIndex.neighbours finds them
        but with no window, and two selections per new row: `any_time` = its MAX_NEIGHBOURS most
        similar rows (the saga pairs; those ≥ FLOOR are exactly StoryIndex's pairs without a
        window), `recent` = its MAX_NEIGHBOURS most similar among the rows within the decay's
        horizon (undated pairs count as within): so a burst of old look-alike coverage cannot
        crowd a new article's recent story mates out of its neighbour list."""
        vectors = self.corpus.vectors()
        transposed = None if vectors.shape[0] - first_new <= search_settings.FEW_NEW else vectors.T.tocsr()
        horizon = self.horizon_days() * DAY
        k = search_settings.MAX_NEIGHBOURS
        found = []
        for start in range(first_new, vectors.shape[0], search_settings.BLOCK_ROWS):
            rows = vectors[start : start + search_settings.BLOCK_ROWS]
            block = (rows @ transposed).tocsr() if transposed is not None else (vectors @ rows.T).T.tocsr()
            block.data[block.data < min(search_settings.FLOOR, self.saga_floor)] = 0
            block.eliminate_zeros()
            block = block.tocoo()
            i = block.row.astype(np.int64) + start
            j = block.col.astype(np.int64)
            s = block.data
            keep = j != i
            i, j, s = i[keep], j[keep], s[keep]
            order = np.lexsort((-s, i))
            i, j, s = i[order], j[order], s[order]
            any_time = np.arange(len(i)) - np.searchsorted(i, i, side="left") < k
            within = ~(np.abs(self.corpus.times[i] - self.corpus.times[j]) > horizon)  # NaN: undated, within
            recent = np.zeros(len(i), dtype=bool)
            w = np.flatnonzero(within)
            recent[w] = np.arange(len(w)) - np.searchsorted(i[w], i[w], side="left") < k
            keep = any_time | recent
            found.append((i[keep], j[keep], s[keep], any_time[keep], recent[keep]))
        if not found:
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, np.float32), np.zeros(0, bool), np.zeros(0, bool)
        return tuple(np.concatenate(parts) for parts in zip(*found))

    def _pairs(self, first_new: int):
        """Each pair once: (low, high, cosine, saga pair?, story pair?). A pair of two new rows
        comes from both sides; it is kept for a level when either side selected it."""
        i, j, s, any_time, recent = self.search(first_new)
        low, high = np.minimum(i, j), np.maximum(i, j)
        key = low * (int(high.max(initial=0)) + 1) + high
        unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        saga = np.zeros(len(unique), dtype=bool)
        story = np.zeros(len(unique), dtype=bool)
        np.logical_or.at(saga, inverse, any_time)
        np.logical_or.at(story, inverse, any_time | recent)
        return low[first], high[first], s[first], saga, story & (s[first] >= search_settings.FLOOR)

    def _assign(self, first_new: int) -> None:
        low_all, high_all, similarity_all, saga_pair, story_pair = self._pairs(first_new)
        low, high, similarity = low_all[story_pair], high_all[story_pair], similarity_all[story_pair]
        note_similar(self.corpus.top_similar, low, high, similarity)
        weights = linkage_weights(self.corpus.top_similar, low, high, similarity, self.mutual_boost)
        n_rows = len(self.row_ids)
        touched = {self.row_story[j] for j in low[low < first_new].tolist()}
        known = [self.stories[key] for key in self.stories if key in touched]
        cluster_of_story = {record.id: k for k, record in enumerate(known)}
        n_known = len(known)
        member_weight: dict[int, float] = {}
        size, start, end = [], [], []
        for record in known:
            w = self._member_weights(record.rows)
            member_weight.update(zip(record.rows, w.tolist()))
            size.append(float(w.sum()))
            s, e = self._span(record.rows)
            start.append(s)
            end.append(e)
        for row in range(first_new, n_rows):
            size.append(1.0)
            start.append(float(self.corpus.times[row]))
            end.append(float(self.corpus.times[row]))
        fixed = [True] * n_known + [False] * (n_rows - first_new)

        def node(row: int) -> int:
            return cluster_of_story[self.row_story[row]] if row < first_new else n_known + row - first_new

        edges: dict[tuple[int, int], float] = {}
        for i, j, w in zip(low.tolist(), high.tolist(), weights.tolist()):
            a, b = node(i), node(j)
            if a == b:
                continue
            if i < first_new:  # a known member: counts with its recency weight
                w *= member_weight[i]
            key = (a, b) if a < b else (b, a)
            edges[key] = edges.get(key, 0.0) + w
        roots = agglomerate_time(size, start, end, fixed, edges, self.threshold, self.cap, self.tau_days, self.decay)
        new_ids: dict[int, str] = {}
        grown: set[str] = set()
        for k in range(n_rows - first_new):
            row = first_new + k
            root = roots[n_known + k]
            if root < n_known:
                record = known[root]
                grown.add(record.id)
            elif root in new_ids:
                record = self.stories[new_ids[root]]
            else:
                record = StoryRecord(id=f"s{self.next_story:05d}", rows=[])
                self.next_story += 1
                self.stories[record.id] = record
                new_ids[root] = record.id
            record.rows.append(row)
            self.row_story[row] = record.id
        self._link_sagas(first_new, low_all[saga_pair], high_all[saga_pair], similarity_all[saga_pair])

    def _link_sagas(self, first_new: int, low: np.ndarray, high: np.ndarray, similarity: np.ndarray) -> None:
        """Sagas: average linkage over every pair of the search (plain cosines, no time decay),
        kept across adds in `self.sagas`. This add's new rows grow their stories' sagas (a new
        story is a saga of its own), its pairs are summed into the saga-to-saga edges, and the
        sagas those edges touch are merged best-first while their linkage ≥ `link_threshold`.
        When the corpus has grown by `saga_rebuild` since the last time, the sagas are instead
        re-derived from every pair stored so far (batch best-first order)."""
        self._saga_pairs.append((low, high, similarity.astype(np.float32)))
        if self.saga_rebuild and len(self.row_ids) >= self.saga_rebuild * self._saga_built:
            self._rebuild_sagas()
            return
        sagas = self.sagas
        for row in range(first_new, len(self.row_ids)):
            sagas.grow(self.row_story[row], 1)
        touched = self._story_edges(low, high, similarity)
        candidates = set()
        for (x, y), (total, best, bx, by) in touched.items():
            pair = sagas.connect(x, y, total, best, bx, by)
            if pair:
                candidates.add(pair)
        sagas.merge(candidates, self.link_threshold, self.cap, self.saga_prior)

    def _story_edges(self, low: np.ndarray, high: np.ndarray, similarity: np.ndarray) -> dict:
        """Pairs summed per pair of stories: (story, story) -> (sum, best cosine, its two stories)."""
        names = list(self.stories)
        index = {story: k for k, story in enumerate(names)}
        row_node = np.fromiter((index[s] for s in self.row_story), dtype=np.int64, count=len(self.row_story))
        a, b = row_node[low], row_node[high]
        keep = a != b
        a, b, similarity = a[keep], b[keep], similarity[keep].astype(np.float64)
        x, y = np.minimum(a, b), np.maximum(a, b)
        unique, inverse = np.unique(x * len(names) + y, return_inverse=True)
        sums = np.bincount(inverse, weights=similarity)
        best = np.full(len(unique), -1.0)
        np.maximum.at(best, inverse, similarity)
        found = {}
        for key, total, top in zip(unique.tolist(), sums.tolist(), best.tolist()):
            p, q = names[key // len(names)], names[key % len(names)]
            found[(p, q)] = (total, top, p, q)
        return found

    def _rebuild_sagas(self) -> None:
        """Sagas (and related links) re-derived from scratch: every stored pair, stories as the
        starting groups, merged best-first as one batch agglomeration. Story ids do not change."""
        self._saga_built = len(self.row_ids)
        low = np.concatenate([p[0] for p in self._saga_pairs])
        high = np.concatenate([p[1] for p in self._saga_pairs])
        similarity = np.concatenate([p[2] for p in self._saga_pairs])
        sagas = Sagas(size={story: float(len(record.rows)) for story, record in self.stories.items()})
        adjacent = sagas.adjacent
        edges = self._story_edges(low, high, similarity)
        for (x, y), (total, best, _, _) in edges.items():  # every story is a saga of its own here
            adjacent.setdefault(x, {})[y] = [total, best, x, y]
            adjacent.setdefault(y, {})[x] = [total, best, y, x]
        sagas.merge(edges.keys(), self.link_threshold, self.cap, self.saga_prior)
        self.sagas = sagas

    def saga(self, story_id: str) -> str:
        return self.sagas.root(story_id)

    @property
    def related(self) -> dict[str, set[str]]:
        return self.sagas.related


@dataclass
class Sagas:
    """Stories joined by related links: union-find over story ids (a root stands for its saga),
    saga sizes in article vectors, and saga-to-saga edges [sum of pair cosines, best pair
    cosine, the story on this side of that pair, the story on the other side]."""

    parent: dict[str, str] = field(default_factory=dict)
    size: dict[str, float] = field(default_factory=dict)
    adjacent: dict[str, dict[str, list]] = field(default_factory=dict)
    related: dict[str, set[str]] = field(default_factory=dict)

    def root(self, story: str) -> str:
        parent = self.parent
        top = story
        while parent.get(top, top) != top:
            top = parent[top]
        while story != top:  # path compression
            parent[story], story = top, parent[story]
        return top

    def grow(self, story: str, rows: int) -> None:
        root = self.root(story)
        self.size[root] = self.size.get(root, 0.0) + rows

    def connect(self, x: str, y: str, total: float, best: float, bx: str, by: str) -> tuple[str, str] | None:
        """Add the pairs between stories x and y to their sagas' edge; the saga pair, or None
        when they are one saga already."""
        u, v = self.root(x), self.root(y)
        if u == v:
            return None
        for m, o, p, q in ((u, v, bx, by), (v, u, by, bx)):
            entry = self.adjacent.setdefault(m, {}).get(o)
            if entry is None:
                self.adjacent[m][o] = [total, best, p, q]
            else:
                entry[0] += total
                if best > entry[1]:
                    entry[1:] = [best, p, q]
        return (u, v) if u < v else (v, u)

    def merge(self, candidates: Iterable[tuple[str, str]], threshold: float, cap: float, prior: float) -> None:
        """Merge best-first while linkage = edge sum / (capped size × capped size + prior) ≥
        threshold. Lazy: a merge can raise the linkage only towards the absorbed saga's
        neighbours (the others' fall or stay), so only those are re-scored at once; a popped
        pair whose score has fallen since is pushed back with its current score."""
        adjacent, size = self.adjacent, self.size

        def linkage(a: str, c: str) -> float:
            return adjacent[a][c][0] / (min(size[a], cap) * min(size[c], cap) + prior)

        heap = []
        for a, c in candidates:
            score = linkage(a, c)
            if score >= threshold:
                heap.append((-score, a, c))
        heapq.heapify(heap)
        while heap:
            negative, a, b = heapq.heappop(heap)
            if self.parent.get(a, a) != a or self.parent.get(b, b) != b or b not in adjacent.get(a, {}):
                continue
            score = linkage(a, b)
            if score < -negative - 1e-12:
                if score >= threshold:
                    heapq.heappush(heap, (-score, a, b))
                continue
            if len(adjacent.get(b, ())) > len(adjacent.get(a, ())):
                a, b = b, a  # fold the smaller adjacency into the larger
            _, _, story_a, story_b = adjacent[a].pop(b)
            adjacent[b].pop(a)
            self.related.setdefault(story_a, set()).add(story_b)
            self.related.setdefault(story_b, set()).add(story_a)
            self.parent[b] = a
            size[a] += size.pop(b)
            for c, entry in adjacent.pop(b, {}).items():
                theirs = adjacent[c].pop(b)
                mine = adjacent[a].get(c)
                if mine is None:
                    adjacent[a][c] = entry
                    adjacent[c][a] = theirs
                else:
                    mine[0] += entry[0]
                    adjacent[c][a][0] += entry[0]
                    if entry[1] > mine[1]:
                        mine[1:] = entry[1:]
                        adjacent[c][a][1:] = theirs[1:]
                score = linkage(a, c)
                if score >= threshold:
                    heapq.heappush(heap, (-score, a, c) if a < c else (-score, c, a))


def by_day(articles: list[Article]) -> list[list[Article]]:
    """Articles in date order, one batch per calendar day (UTC); undated ones in one batch first."""
    undated = [a for a in articles if not parse_date(a.published)]
    dated = sorted((a for a in articles if parse_date(a.published)), key=lambda a: (parse_date(a.published), a.id))
    batches = [undated] if undated else []
    for _, day in itertools.groupby(dated, key=lambda a: parse_date(a.published).date()):
        batches.append(list(day))
    return batches


def run(articles: Iterable[Article], stream: bool = True, checkpoints: int = 0, **settings):
    """({article id: story id}, {article id: saga id}) for articles added in date order, one
    day at a time (`stream`), or all in one `add`. With `checkpoints` = k, also the same pair
    as it stood after each k-th of the articles (what a reader saw mid-stream), as a third item."""
    articles = list(articles)
    if settings.get("method") == "storyindex":  # today's grouping fed the same way, for comparison
        index = StoryIndex(**{k: v for k, v in settings.items() if k in ("threshold", "window_days")})
        index.saga = lambda story: story
    else:
        index = TimeStoryIndex(**{**SETTINGS, **{k: v for k, v in settings.items() if k != "method"}})
    stories: dict[str, str] = {}
    snapshots, next_mark = [], 1
    for batch in by_day(articles) if stream else [articles]:
        for article, story in zip(batch, index.add(batch)):
            stories[article.id] = story or f"skipped:{article.id}"
        while checkpoints and next_mark < checkpoints and len(stories) >= next_mark * len(articles) / checkpoints:
            snapshots.append(_snapshot(index, stories))
            next_mark += 1
    found = _snapshot(index, stories)
    return (*found, snapshots) if checkpoints else found


def _snapshot(index, stories: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    # Stories named by their first row, so a later merge-free growth keeps the name.
    return dict(stories), {a: (index.saga(s) if not s.startswith("skipped:") else s) for a, s in stories.items()}


# ----- the grid, the check and the speed run ---------------------------------------------------


def _piles(split: str | None):
    from bench.build.grouping import load

    found = {}
    for name in ("duc2006", "ecbplus"):
        records = load(name)
        found[name] = [r for r in records if split is None or r["split"] == split]
    return found


def evaluate(records: list[dict], checkpoints: int = 0, **settings) -> dict:
    from bench.measure.grouping import as_articles, score

    truth = {r["id"]: r["gold"] for r in records}
    start = time.perf_counter()
    found = run(as_articles(records), checkpoints=checkpoints, **settings)
    seconds = time.perf_counter() - start
    out = {"stories": score(found[0], truth), "sagas": score(found[1], truth), "seconds": seconds}
    if checkpoints:
        marks = [score(sagas, {a: truth[a] for a in sagas}) for _, sagas in found[2]]
        out["mid_stream"] = float(np.mean([m["f1"] for m in marks])) if marks else float("nan")
    return out


def _value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_grid(items: list[str]) -> list[dict]:
    """["tau_days=3,7", "decay=exp"] -> every combination as settings dicts."""
    axes = []
    for item in items:
        key, _, values = item.partition("=")
        axes.append([(key, _value(v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)] if axes else [{}]


def speed(size: int = 10000, days: int = 100, seed: int = 13, **settings) -> list[str]:
    """Seconds to group `size` Multi-News val articles (random clusters, as bench/measure/stories.py's
    scaling run picks them): StoryIndex in one add, the prototype in one add (undated), and the
    prototype streamed one day at a time after giving each cluster a random day in `days` days
    (its articles within two days of it): synthetic dates, for timing the streaming path."""
    import random

    from bench.measure.grouping import score
    from bench.measure.stories import articles_of, pick, read_clusters

    clusters = read_clusters("val")
    pool, _ = pick(clusters, len(clusters), "random", seed)
    chosen, total = [], 0
    for cid, documents in pool:
        if total >= size:
            break
        chosen.append((cid, documents))
        total += len(documents)
    articles, truth = articles_of(chosen, seed)
    rng = random.Random(seed)
    day_of = {cid: rng.randrange(days) for cid, _ in chosen}
    base = 1_700_000_000
    dated = [
        Article(
            text=a.text,
            id=a.id,
            source=a.source,
            published=time.strftime(
                "%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + DAY * (day_of[truth[a.id]] + rng.uniform(0, 2)))
            ),
        )
        for a in articles
    ]
    lines = []
    for label, call in (
        ("StoryIndex, one add", lambda: {a.id: s for a, s in zip(articles, StoryIndex().add(articles))}),
        ("prototype, one add, undated", lambda: run(articles, **settings)[0]),
        (f"prototype, streamed over {days} days (synthetic dates)", lambda: run(dated, **settings)[0]),
    ):
        start = time.perf_counter()
        predicted = call()
        seconds = time.perf_counter() - start
        r = score({k: v or f"skipped:{k}" for k, v in predicted.items()}, truth)
        lines.append(
            f"{label}: {len(articles):,} articles in {seconds:.1f} s ({len(articles) / seconds:,.0f}/s),"
            f" stories B3 F1 {r['f1']:.3f}"
        )
        print(lines[-1], flush=True)
    # One article at a time into a running index (as a service adds them), and one saga rebuild.
    index = TimeStoryIndex(**{**SETTINGS, **settings})
    head, tail = articles[:-200], articles[-200:]
    index.add(head)
    latencies = []
    for article in tail:
        start = time.perf_counter()
        index.add([article])
        latencies.append(time.perf_counter() - start)
    start = time.perf_counter()
    index._rebuild_sagas()
    rebuild = time.perf_counter() - start
    lines.append(
        f"prototype, {len(head):,} articles in one add, then 200 one at a time:"
        f" median {1000 * float(np.median(latencies)):.0f} ms,"
        f" 95th percentile {1000 * float(np.percentile(latencies, 95)):.0f} ms,"
        f" slowest {1000 * max(latencies):.0f} ms per article;"
        f" one saga rebuild over {len(articles):,} articles: {rebuild:.1f} s"
    )
    print(lines[-1], flush=True)
    return lines


def dated_ecb(records: list[dict], gap_days: float, spread_days: float, seed: int = 13) -> list[dict]:
    """ECB+ with synthetic dates: each topic gets a random day in a year; its `ecb` event is
    reported from that day, its look-alike `ecbplus` event from `gap_days` later, each article
    at a uniform moment within `spread_days` of its event's day. (ECB+ has no dates; this only
    shows at what gap the decay keeps look-alike events apart, and what a spread-out event costs.)"""
    import random

    rng = random.Random(seed)
    base = 1_600_000_000
    topic_day = {}
    out = []
    for r in records:
        topic, kind = r["gold"].split("_")
        day = topic_day.setdefault(topic, rng.uniform(0, 365)) + (gap_days if kind == "ecbplus" else 0.0)
        moment = base + DAY * (day + rng.uniform(0, spread_days))
        out.append({**r, "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    parser.add_argument("--sets", nargs="*", default=["duc2006", "ecbplus"])
    parser.add_argument(
        "--grid", nargs="*", default=[], metavar="KEY=V1,V2", help="settings to vary (every combination)"
    )
    parser.add_argument("--batch", action="store_true", help="all articles in one add instead of one day at a time")
    parser.add_argument(
        "--checkpoints",
        type=int,
        default=0,
        metavar="K",
        help="also the mean saga F1 over the articles seen so far after each K-th of the stream",
    )
    parser.add_argument(
        "--dated-ecb",
        type=float,
        nargs="*",
        default=[],
        metavar="GAP",
        help="ECB+ with synthetic dates, look-alike events GAP days apart (see dated_ecb)",
    )
    parser.add_argument(
        "--spread", type=float, default=3.0, help="days over which one event's articles come (--dated-ecb)"
    )
    parser.add_argument("--speed", type=int, default=0, metavar="N", help="time N Multi-News val articles instead")
    args = parser.parse_args()
    if args.speed:
        for settings in parse_grid(args.grid):
            print(settings)
            speed(args.speed, **settings)
        return
    from bench.build.grouping import BuildError, load

    try:
        piles = {name: [r for r in load(name) if args.split == "all" or r["split"] == args.split] for name in args.sets}
    except BuildError as exc:
        sys.exit(f"error: {exc}")
    if args.dated_ecb:
        ecb = [r for r in load("ecbplus") if args.split == "all" or r["split"] == args.split]
        piles = {f"ECB+ {gap:g} days apart": dated_ecb(ecb, gap, args.spread) for gap in args.dated_ecb}
    for settings in parse_grid(args.grid):
        cells = []
        for name, records in piles.items():
            r = evaluate(records, stream=not args.batch, checkpoints=args.checkpoints, **settings)
            st, sa = r["stories"], r["sagas"]
            cells.append(
                f"{name}: stories P/R/F1 {st['precision']:.3f}/{st['recall']:.3f}/{st['f1']:.3f} ({st['groups']})"
                f" sagas {sa['precision']:.3f}/{sa['recall']:.3f}/{sa['f1']:.3f} ({sa['groups']})"
                + (f" mid-stream sagas F1 {r['mid_stream']:.3f}" if "mid_stream" in r else "")
                + f" {r['seconds']:.1f}s"
            )
        print(settings, " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
