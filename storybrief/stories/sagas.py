"""Sagas: stories of one long saga linked as `related` (never merged). Average linkage over the
saga pairs (cosine ≥ SAGA_FLOOR, no time decay) between groups of stories, best first; each merge
of two sagas adds one related link, between the stories holding the closest article pair across
them, so a saga's links form a spanning tree and a saga is their connected component. The saga
graph is kept across adds and re-derived from every stored pair when the corpus has grown by
SAGA_REBUILD (the order one batch agglomeration would use). docs/design-stories-time.md has the
reasons and figures."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from storybrief.stories.neighbours import STORY_NEIGHBOURS

LINK_THRESHOLD = 0.06  # saga linkage (average cosine, no decay) needed to link two sagas
SAGA_REBUILD = 1.5  # re-derive the sagas when the corpus has grown by this factor (0: never)


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

    def merge(self, candidates: Iterable[tuple[str, str]], threshold: float = LINK_THRESHOLD) -> None:
        """Merge best-first while linkage = edge sum / (capped size × capped size) ≥
        threshold (no time decay). Each merge adds one related link, between the two stories
        holding the best article pair across the two sagas. Lazy: a merge can raise the linkage
        only towards the absorbed saga's neighbours (the others' fall or stay), so only those are
        re-scored at once; a popped pair whose score has fallen since is pushed back with its
        current score."""
        adjacent, size, cap = self.adjacent, self.size, float(STORY_NEIGHBOURS)

        def linkage(a: str, c: str) -> float:
            return adjacent[a][c][0] / (min(size[a], cap) * min(size[c], cap))

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


def story_edges(row_story: list[str], names: list[str], low: np.ndarray, high: np.ndarray,
                similarity: np.ndarray) -> dict[tuple[str, str], tuple[float, float, str, str]]:
    """Pairs summed per pair of stories (`names`: every story id; `row_story`: each row's):
    (story, story) -> (sum of cosines, best cosine, its two stories)."""
    index = {story: k for k, story in enumerate(names)}
    row_node = np.fromiter((index[s] for s in row_story), dtype=np.int64, count=len(row_story))
    a, b = row_node[low], row_node[high]
    keep = a != b
    a, b, similarity = a[keep], b[keep], similarity[keep].astype(np.float64)
    x, y = np.minimum(a, b), np.maximum(a, b)
    unique, inverse = np.unique(x * len(names) + y, return_inverse=True)
    sums = np.bincount(inverse, weights=similarity, minlength=len(unique))
    best = np.full(len(unique), -1.0)
    np.maximum.at(best, inverse, similarity)
    found = {}
    for key, total, top in zip(unique.tolist(), sums.tolist(), best.tolist()):
        p, q = names[key // len(names)], names[key % len(names)]
        found[(p, q)] = (total, top, p, q)
    return found


def rebuilt(sizes: dict[str, float], edges: dict[tuple[str, str], tuple[float, float, str, str]],
            threshold: float = LINK_THRESHOLD) -> Sagas:
    """Sagas derived from scratch: every story a saga of its own, merged best-first over `edges`."""
    sagas = Sagas(size=dict(sizes))
    for (x, y), (total, best, _, _) in edges.items():
        sagas.adjacent.setdefault(x, {})[y] = [total, best, x, y]
        sagas.adjacent.setdefault(y, {})[x] = [total, best, y, x]
    sagas.merge(edges.keys(), threshold)
    return sagas


def stacked(pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Every stored saga pair as one (low rows, high rows, cosines) triple; None when none was stored."""
    return tuple(np.concatenate([p[k] for p in pairs]) for k in range(3)) if pairs else None


def link(sagas: Sagas, row_story: list[str], names: list[str], first_new: int, low: np.ndarray, high: np.ndarray,
         similarity: np.ndarray, threshold: float = LINK_THRESHOLD) -> None:
    """One add's saga pairs into `sagas`, in place: the rows from `first_new` on grow their stories'
    sagas (a new story is a saga of its own), the pairs are summed into the saga graph and the sagas
    they touch merged best-first (`names`: every story id; `row_story`: each row's)."""
    for row in range(first_new, len(row_story)):
        sagas.grow(row_story[row], 1)
    candidates = set()
    for (x, y), edge in story_edges(row_story, names, low, high, similarity).items():
        pair = sagas.connect(x, y, *edge)
        if pair:
            candidates.add(pair)
    sagas.merge(candidates, threshold)


def derived(pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None, row_story: list[str], sizes: dict[str, float],
            threshold: float = LINK_THRESHOLD) -> Sagas:
    """Sagas re-derived from every stored pair (`stacked`); `sizes`: every story id, in the order
    opened, -> its vector rows."""
    edges = story_edges(row_story, list(sizes), *pairs) if pairs and len(pairs[0]) else {}
    return rebuilt(sizes, edges, threshold)


def saga_state(sagas: Sagas, built: int) -> dict:
    """The saga graph as the state folder keeps it, JSON-ready (`built`: vector rows at the last rebuild)."""
    return {
        "built": built, "parent": sagas.parent, "size": sagas.size,
        "related": {story: sorted(linked) for story, linked in sagas.related.items()},
        "adjacent": [[a, b, *edge] for a, edges in sagas.adjacent.items() for b, edge in edges.items()],
    }


def sagas_from_state(saved: dict) -> tuple[Sagas, int]:
    """The saga graph and its `built` from what `saga_state` gave."""
    sagas = Sagas(parent=dict(saved["parent"]), size={k: float(v) for k, v in saved["size"].items()},
                  related={k: set(v) for k, v in saved["related"].items()})
    for a, b, *edge in saved["adjacent"]:
        sagas.adjacent.setdefault(a, {})[b] = list(edge)
    return sagas, int(saved["built"])
