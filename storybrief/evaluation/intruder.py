"""`storybrief evaluate --intruder`: how much of a brief comes from an article that does not
belong to its story.

Each cluster gets one article drawn from another cluster of the same file (a mis-grouped
article, as real feeds produce), at a random place among its own; the draws are seeded, so
every system sees the same intruders and a rerun the same clusters. The figure is the share
of brief sentences taken from the intruder, over all briefs, and over the clusters where the
pipeline keeps at least two of the cluster's own articles (with one, the intruder and the
article are two unrelated articles and nothing tells which one is the story: see
docs/design-readable.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from storybrief.errors import InputError
from storybrief.types import Article

INTRUDER_PREFIX = "intruder:"


def add_intruders(clusters: list[list[Article]], seed: int = 0) -> list[list[Article]]:
    """Each list of articles with one article of another list inserted (its id prefixed with
    INTRUDER_PREFIX)."""
    if len(clusters) < 2:
        raise InputError("--intruder needs at least two clusters (the intruders come from the other clusters)")
    rng = np.random.default_rng(seed)
    out = []
    for k, articles in enumerate(clusters):
        donor = clusters[int(k + 1 + rng.integers(len(clusters) - 1)) % len(clusters)]
        guest = donor[int(rng.integers(len(donor)))]
        place = int(rng.integers(len(articles) + 1))
        out.append([*articles[:place], replace(guest, id=INTRUDER_PREFIX + guest.id, copies=[]), *articles[place:]])
    return out


def intruder_of(merged: list[Article]) -> int | None:
    """Position of the merged article that holds the intruder (itself or as a copy), if any."""
    for a, article in enumerate(merged):
        if any(i.startswith(INTRUDER_PREFIX) for i in [article.id, *article.copies]):
            return a
    return None


@dataclass
class IntruderCount:
    """Brief sentences taken from the intruder, over all briefs and over the briefs of clusters
    that keep two or more of their own articles."""

    sentences: int = 0
    taken: int = 0
    briefs: int = 0
    briefs_taking: int = 0
    sentences_two: int = 0
    taken_two: int = 0
    clusters_two: int = 0

    def add(self, article_of_each: list[int], intruder: int | None, own_articles: int) -> None:
        taken = sum(1 for a in article_of_each if intruder is not None and a == intruder)
        self.sentences += len(article_of_each)
        self.taken += taken
        self.briefs += 1
        self.briefs_taking += taken > 0
        if own_articles >= 2:
            self.sentences_two += len(article_of_each)
            self.taken_two += taken
            self.clusters_two += 1

    def to_dict(self) -> dict:
        return {
            "share": self.taken / max(self.sentences, 1),
            "briefs_taking": self.briefs_taking / max(self.briefs, 1),
            "share_two_or_more": self.taken_two / max(self.sentences_two, 1),
            "clusters_two_or_more": self.clusters_two,
        }
