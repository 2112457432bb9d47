"""A reading order for the chosen sentences.

News puts the main fact first, so sentences are ordered by where they stood in their article
(relative position), then by the article's date when known, then by article order. A quotation
follows the statement it is most similar to, so a quote never opens the brief on its own.
"""

from __future__ import annotations

from storybrief.brief.represent import Representation
from storybrief.types import Article, Sentence

QUOTE_ATTACH = 0.15  # minimum similarity for a quote to attach to a statement


def is_quote(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith(('"', "'")) or text.count('"') >= 2 and len(text.split('"')[1].split()) > 0.6 * len(text.split())


def order(chosen: list[int], sentences: list[Sentence], articles: list[Article], representation: Representation) -> list[int]:
    def key(i: int) -> tuple:
        s = sentences[i]
        return (round(s.position, 1), articles[s.article].published or "~", s.article, s.index)

    statements = sorted((i for i in chosen if not is_quote(sentences[i].text)), key=key)
    quotes = sorted((i for i in chosen if is_quote(sentences[i].text)), key=key)
    if not statements:
        return quotes
    after: dict[int, list[int]] = {i: [] for i in statements}
    for q in quotes:
        same_article = [i for i in statements if sentences[i].article == sentences[q].article]
        similarity = representation.similarity(q, statements)
        best = int(similarity.argmax())
        if similarity[best] >= QUOTE_ATTACH:
            after[statements[best]].append(q)
        elif same_article:
            # Otherwise stay with the article it came from, after its nearest earlier statement.
            earlier = [i for i in same_article if sentences[i].index < sentences[q].index]
            after[(earlier or same_article)[-1]].append(q)
        else:
            after[statements[-1]].append(q)
    return [j for i in statements for j in [i, *after[i]]]
