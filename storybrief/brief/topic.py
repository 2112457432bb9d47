"""Find the articles that do not belong with the others (a mis-grouped article, a page that is
all site furniture), so that they contribute no sentence and the brief lists them.

Two articles are about the same news when their content words overlap: the cosine of their
word vectors, each word weighted by how rare it is in general English (the shipped word
frequencies; a word not in the table, usually a name, weighs most) is at least SAME_STORY.
Articles joined, directly or through others, form groups; when one group holds at least two
articles and more of the story's sentences than any other, the articles outside it are off topic.
When no two articles are that close, the same rule runs with the weaker link LOOSE_STORY. With
one or two articles, or when no two articles share even that much (which one would be the
story?), nothing is set aside. With a query the reader has said what the story is: an article
as close to the query as SAME_STORY stays, however little it shares with the other articles (a
story that ranges over several subjects, "a talk show: its guests, its lawsuits, its awards", is
not a majority and its intruders). docs/design-readable.md gives the figures.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storybrief.shipped import MODELS
from storybrief.text import LOWER_WORD
from storybrief.types import Article, Sentence

# Cosine of two articles' rarity-weighted word counts at and above which they report the same news.
SAME_STORY = 0.08
# When no two articles are that close (loosely written stories, clusters padded with pages of
# other news), a weaker link decides: an intruder shares almost no rare words with anything.
LOOSE_STORY = 0.03
FREQUENCY_PATH = MODELS / "words.npz"
MIN_LETTERS = 3  # shorter tokens (initials, "mr") say nothing about the topic
# An article's topic is read from its opening this many characters (~300 words: news says what it
# is about first); reading whole full-length articles cost more than the rest of this stage.
TOPIC_CHARS = 1200


@lru_cache(maxsize=2)
def rarity(path: str | Path = FREQUENCY_PATH) -> tuple[dict[str, float], float]:
    """Word -> -log(its frequency in general English) (0 for a word that says nothing of a topic:
    a stop word, a short word, a number), and the weight of a word not listed."""
    with np.load(path, allow_pickle=False) as data:
        frequency = data["frequency"].astype(np.float64)
        weights = -np.log(np.maximum(frequency, 1e-12))
        table = {w: (0.0 if not _says_topic(w) else float(x)) for w, x in zip(data["words"].tolist(), weights)}
        return table, float(weights.max() + np.log(2))


def _says_topic(word: str) -> bool:
    return len(word) >= MIN_LETTERS and word not in ENGLISH_STOP_WORDS and not word[0].isdigit()


def word_weights(text: str) -> dict[str, float]:
    """An article's content words, each weighted (1 + log count) × rarity."""
    known, unknown = rarity()
    counts = Counter(LOWER_WORD.findall(text.lower()))  # counted in C; the loop then sees each word once
    out = {}
    for w, n in counts.items():
        weight = known.get(w)
        if weight is None:
            weight = unknown if _says_topic(w) else 0.0
        if weight:
            out[w] = (1.0 + math.log(n)) * weight
    return out


def similarities(articles: list[Article]) -> np.ndarray:
    """Cosine of every pair of articles' weighted words (1 on the diagonal)."""
    rows = [word_weights(a.text[:TOPIC_CHARS]) for a in articles]
    vocabulary: dict[str, int] = {}
    for row in rows:
        for w in row:
            vocabulary.setdefault(w, len(vocabulary))
    matrix = np.zeros((len(rows), max(len(vocabulary), 1)))
    for r, row in enumerate(rows):
        for w, value in row.items():
            matrix[r, vocabulary[w]] = value
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms > 0, norms, 1.0)
    return matrix @ matrix.T


def off_topic(articles: list[Article], sentences: list[Sentence], query: str | None = None) -> list[int]:
    """Positions of the articles that do not belong with the others (see the module notes).
    Only articles with a sentence to brief count (a page that was all furniture has none);
    `query`: what the reader asked about, which keeps the articles close to it."""
    away = _outside_main_group(articles, sentences)
    if not away or not query or not query.strip():
        return away
    closeness = similarities([Article(text=query)] + [articles[a] for a in away])[0, 1:]
    return [a for a, close in zip(away, closeness) if close < SAME_STORY]


def _outside_main_group(articles: list[Article], sentences: list[Sentence]) -> list[int]:
    counts = Counter(s.article for s in sentences)
    live = [a for a in range(len(articles)) if counts[a]]
    if len(live) < 3:
        return []
    similarity = similarities([articles[a] for a in live])
    for threshold in (SAME_STORY, LOOSE_STORY):
        groups = _groups(similarity >= threshold)
        main = max(groups, key=lambda g: (len(g) > 1, sum(counts[live[k]] for k in g), -g[0]))
        if len(main) > 1:
            return [live[k] for k in range(len(live)) if k not in main]
    return []


def _groups(linked: np.ndarray) -> list[list[int]]:
    """Connected groups of a symmetric link matrix, each in order."""
    group = list(range(len(linked)))

    def root(k: int) -> int:
        while group[k] != k:
            group[k] = group[group[k]]
            k = group[k]
        return k

    for k, j in zip(*np.nonzero(np.triu(linked, 1))):
        group[root(int(k))] = root(int(j))
    members: dict[int, list[int]] = {}
    for k in range(len(linked)):
        members.setdefault(root(k), []).append(k)
    return list(members.values())
