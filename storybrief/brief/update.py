"""What the reader already knows: an update brief says only what the earlier brief did not.

The reader has read an earlier brief of the story (and, through it, its articles); the new
articles are briefed for that reader. Each new sentence is compared with the earlier sentences
(TF-IDF fitted on old and new together, so the words the whole story uses weigh little and a
sentence is close to an old one only when it says the same thing):

- a sentence that repeats a sentence of the earlier brief (the selector's own test: cosine above
  `REDUNDANCY`, or most of its word trigrams) is left out: the reader has read it;
- a sentence that is nearly an earlier article's sentence (cosine ≥ `REPEATED`: wire copy and
  background paragraphs re-run by later articles) is left out: it is old news;
- every other sentence loses `PENALTY` × (its closest cosine to an earlier sentence) × (the
  spread of the scores): the more of it was said before, the less it is worth, so what is new
  comes first;
- when a long story's brief is chosen by concept coverage (`cover`), where the scores only pick
  the pool and break ties, the concepts (word pairs) the earlier articles used are worth less
  (`concept_value`, `OLD_CONCEPT`): novelty is counted against every earlier article, not only
  against its closest sentence.

On the DUC 2007 update task `PENALTY`, `REPEATED` and `OLD_CONCEPT` were chosen from small grids
on that same data (docs/benchmarks.md, section *DUC 2007 update task*, and docs/design-query.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from storybrief.brief.cover import pairs
from storybrief.brief.represent import vectorise
from storybrief.brief.select import REDUNDANCY, TRIGRAM_OVERLAP, trigrams
from storybrief.types import Sentence

REPEATED = 0.7
PENALTY = 1.0
OLD_CONCEPT = 0.5


@dataclass
class Earlier:
    """What the reader has read: the earlier articles' sentences and the earlier brief's."""

    sentences: list[str] = field(default_factory=list)
    brief: list[str] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)  # the article of each earlier sentence (none: one article)

    def __bool__(self) -> bool:
        return bool(self.sentences or self.brief)


def closest(texts: list[str], earlier: list[str]) -> np.ndarray:
    """For each text, its highest cosine with any earlier text (0 when there are none)."""
    if not texts or not earlier:
        return np.zeros(len(texts))
    vectors = vectorise(texts + earlier)
    return (vectors[: len(texts)] @ vectors[len(texts):].T).max(axis=1).toarray().ravel()


def repeats_brief(sentences: list[Sentence], brief: list[str]) -> np.ndarray:
    """Whether each sentence says again a sentence of the earlier brief."""
    if not brief:
        return np.zeros(len(sentences), dtype=bool)
    said = set().union(*(trigrams(text) for text in brief))
    near = closest([s.text for s in sentences], brief) > REDUNDANCY
    overlap = np.array([
        bool(grams) and len(grams & said) / len(grams) > TRIGRAM_OVERLAP
        for grams in (trigrams(s.text) for s in sentences)
    ])
    return near | overlap


def discount(scores: np.ndarray, sentences: list[Sentence], earlier: Earlier) -> tuple[np.ndarray, np.ndarray]:
    """(scores lowered by what was said before, which sentences may be chosen at all)."""
    old = closest([s.text for s in sentences], earlier.sentences + earlier.brief)
    allowed = ~repeats_brief(sentences, earlier.brief) & (old < REPEATED)
    spread = float(np.std(scores)) if len(scores) > 1 else 0.0
    return scores - PENALTY * spread * old, allowed


def concept_value(earlier: Earlier):
    """Concept coverage's reweighing for a reader who knows `earlier`: a concept (word pair) used
    by `count` of the new articles and `old` of the earlier ones (the earlier brief counts as one)
    is worth count × count / (count + OLD_CONCEPT × old): in full when only the new articles use
    it, less the more the reader has met it."""
    articles = earlier.articles if len(earlier.articles) == len(earlier.sentences) else [0] * len(earlier.sentences)
    used: dict[str, set[int]] = {}
    for text, article in zip(earlier.sentences, articles):
        for pair in pairs(text):
            used.setdefault(pair, set()).add(article)
    for text in earlier.brief:
        for pair in pairs(text):
            used.setdefault(pair, set()).add(-1)

    def value(weight: dict[str, int]) -> dict[str, float]:
        return {concept: count * count / (count + OLD_CONCEPT * len(used.get(concept, ())))
                for concept, count in weight.items()}

    return value
