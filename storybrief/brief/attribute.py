"""Cite every source that reports each chosen sentence, and note where sources differ.

A source supports a sentence when it carries it (the article it came from, and every wire copy
merged into that article) or carries a near-paraphrase of it (TF-IDF cosine ≥ PARAPHRASE with
one of its sentences, or a longer sentence holding most of its weighted words). Two sources disagree when they report the same fact (similar sentences)
with different figures.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from storybrief.brief.represent import Representation
from storybrief.brief.segment import is_unfinished
from storybrief.brief.support import PARAPHRASE
from storybrief.types import Article, BriefSentence, Sentence, Source

DISAGREEMENT_SIMILARITY = 0.4
# A longer sentence that says the fact and more has a lower cosine with it; it still reports the
# fact when it carries most of the fact's weighted words (a paraphrase inside a longer lead covers
# more than COVERAGE; sentences that only share the names, less: docs/design-measured.md).
COVERAGE = 0.6
COVERAGE_SIMILARITY = 0.35


def coverage(representation: Representation, i: int, j: int) -> float:
    """Share of sentence i's TF-IDF weight (squared, as rows are L2-normalised) on words sentence j uses."""
    if representation.dense is not None:
        mine = representation.dense[i]
        return float(np.square(mine[(mine != 0) & (representation.dense[j] != 0)]).sum())
    mine, theirs = representation.vectors[i], representation.vectors[j]
    present = np.isin(mine.indices, theirs.indices)
    return float(np.square(mine.data[present]).sum())
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_YEAR = re.compile(r"^(19|20)\d\d$")


def figures(text: str) -> set[str]:
    """Numbers stated in a sentence, years left out (a date differs more often than a fact does)."""
    return {n.replace(",", "") for n in _NUMBER.findall(text) if not _YEAR.match(n.replace(",", ""))}


def sources_of(originals: list[Article]) -> tuple[list[Source], dict[str, int]]:
    """One numbered source per original input article; ids start at 1 in input order."""
    sources, number = [], {}
    for n, article in enumerate(originals, 1):
        sources.append(Source(id=n, title=article.title, path=article.path, words=article.words, name=article.source,
                              article_id=article.id))
        number[article.id] = n
    return sources, number


def numbers_of(article: Article, originals: list[Article]) -> list[int]:
    """The source numbers of an article and of the copies merged into it."""
    number = {a.id: n for n, a in enumerate(originals, 1)}
    return [number[i] for i in [article.id, *article.copies] if i in number]


def attribute(
    order: list[int],
    sentences: list[Sentence],
    articles: list[Article],
    originals: list[Article],
    representation: Representation,
) -> tuple[list[BriefSentence], list[Source], list[dict]]:
    sources, number = sources_of(originals)
    outlets = [[number[a.id], *(number[c] for c in a.copies if c in number)] for a in articles]
    cited: list[BriefSentence] = []
    disagreements: list[dict] = []
    per_article = Counter(s.article for s in sentences)  # segment numbers each article's sentences from 0
    for k, i in enumerate(order):
        sentence = sentences[i]
        # Every neighbour, even where the stored graph of a huge story is bounded or sampled.
        columns, similarities = representation.neighbours_of(i)
        supporting = [sentence.article]
        mine = figures(sentence.text)
        for j, similarity in sorted(zip(columns, similarities), key=lambda p: -p[1]):
            other = sentences[j]
            if similarity < COVERAGE_SIMILARITY or other.article in supporting:
                continue
            reports = similarity >= PARAPHRASE or coverage(representation, i, j) >= COVERAGE
            if not reports and similarity < DISAGREEMENT_SIMILARITY:
                continue
            theirs = figures(other.text) if mine else set()
            if mine and theirs and not mine & theirs:
                # Same fact, other figures: the other source does not support this version of it.
                disagreements.append({
                    "sentence": k,
                    "source": outlets[other.article][0],
                    "text": other.text,
                    "figures": [sorted(mine), sorted(theirs)],
                })
            elif reports:
                supporting.append(other.article)
        ids: list[int] = []
        for a in supporting:
            ids.extend(n for n in outlets[a] if n not in ids)
        cited.append(BriefSentence(
            text=sentence.text,
            sources=sorted(ids),
            support=len(ids),
            origin={"article": outlets[sentence.article][0], "index": sentence.index},
            cut=sentence.index == per_article[sentence.article] - 1 and is_unfinished(sentence.text),
        ))
    return cited, sources, disagreements
