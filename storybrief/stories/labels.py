"""What a story is called and shown as: its label (the title, or headline line, of the article
closest to its centroid, else its most telling two-word phrase) and the `Story` made from its articles."""

from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from storybrief.brief.clean import headline_of
from storybrief.stories.records import Story
from storybrief.stories.vectors import STOP_WORDS, WORD_PATTERN, column, text_for_vectors
from storybrief.types import Article

_PHRASES = CountVectorizer(
    stop_words=STOP_WORDS, ngram_range=(2, 2), token_pattern=WORD_PATTERN, lowercase=True
).build_analyzer()


def label(articles: list[Article], vectors: sp.csr_matrix, terms: dict[int, str]) -> str:
    """The title of the article closest to the story's centroid, else its top key phrase.
    `articles`: the articles of the story's vector rows, in row order; `vectors`: those rows."""
    centroid = np.asarray(vectors.sum(axis=0)).ravel()
    # An article given without a title is titled by its first line when that reads as a headline,
    # as the brief's source list titles it.
    titles = [article.title.strip() or headline_of(article.text) for article in articles]
    titled = [k for k, title in enumerate(titles) if title]
    if titled:
        closeness = vectors[titled] @ centroid
        return titles[titled[int(np.argmax(closeness))]]
    return key_phrase(articles, centroid, terms)


def key_phrase(articles: list[Article], centroid: np.ndarray, terms: dict[int, str]) -> str:
    """The story's most telling two-word phrase (repeated, made of its heaviest words), else its
    top word (`terms`: hashed column -> term), else its first article's id."""
    phrases: Counter = Counter()
    for article in articles:
        phrases.update(set(_PHRASES(text_for_vectors(article))))
    # A phrase scores by how often the story uses it and how heavy its words are in the story.
    scored = [
        (count * sum(centroid[column(word)] for word in phrase.split()), phrase)
        for phrase, count in phrases.items() if count >= 2 or len(articles) == 1
    ]
    if scored and max(scored)[0] > 0:
        return max(scored)[1]
    top = [c for c in np.argsort(-centroid)[:5] if centroid[c] > 0 and c in terms]
    return terms[top[0]] if top else articles[0].id


def members(rows: list[int], row_ids: list[str], copies: dict[int, list[str]]) -> list[str]:
    """The article ids of a story's vector rows (`row_ids`: each row's), each followed by the ids of its
    copies, in row order."""
    return [article_id for row in sorted(rows) for article_id in (row_ids[row], *copies.get(row, []))]


def oldest_first(articles: list[Article]) -> list[Article]:
    """Dated articles oldest first, then the undated ones in the order given."""
    dated = sorted((a for a in articles if a.published), key=lambda a: a.published)
    return dated + [a for a in articles if not a.published]


def describe(story_id: str, label: str, articles: list[Article], copies: dict[str, list[str]]) -> Story:
    """The story of these articles (every one, copies included, oldest first): outlets in the
    order of their first article, first and last dates."""
    sources: list[str] = []
    for article in articles:
        if article.source not in sources:
            sources.append(article.source)
    dates = [a.published for a in articles if a.published]
    return Story(
        id=story_id,
        label=label,
        articles=[a.id for a in articles],
        sources=sources,
        start=min(dates) if dates else "",
        end=max(dates) if dates else "",
        copies=copies,
    )
