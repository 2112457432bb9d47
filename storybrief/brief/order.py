"""A reading order for the chosen sentences.

The brief opens with its lead: the chosen statement that stands earliest in its article and
states news (`readable.states_news`: not a quotation, a question, background, or a sentence
leaning on another), taken from the newest day when the articles are dated. After it:

- dated articles from two or more days: the rest in date order, oldest first (the brief then
  shows each sentence's day where the day changes, see attribute.py);
- otherwise, the story's threads one after another: articles that share a paraphrased sentence
  (support.PARAPHRASE) report the same events, and an article that shares none with them is
  another thread (an earlier event, a side story), kept together rather than interleaved;
  within a thread, sentences by where they stood in their article (relative position, rounded
  to tenths so two leads tie), then article order.

A chosen bundle (readable.bundles: a sentence with the sentences it leans on) stays together in
article order. A quotation follows the statement that names its speaker ("..., Brandt told
reporters" after "Mayor Ilse Brandt said ..."), else the statement it is most similar to, so
quotes support facts instead of opening the brief, and a surname is never read before the
person is introduced.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np

from storybrief.brief.readable import Bundle, speakers, states_news
from storybrief.brief.represent import Representation
from storybrief.brief.support import PARAPHRASE
from storybrief.io.pile import parse_date
from storybrief.types import Article, Sentence

QUOTE_ATTACH = 0.15  # minimum similarity for a quote to attach to a statement


def is_quote(text: str) -> bool:
    stripped = text.lstrip()
    return (
        stripped.startswith(('"', "'"))
        or text.count('"') >= 2
        and len(text.split('"')[1].split()) > 0.6 * len(text.split())
    )


def day_of(article: Article) -> date | None:
    moment = parse_date(article.published)
    return moment.date() if moment else None


def threads(representation: Representation, n_articles: int) -> list[int]:
    """A thread number per article: articles joined, directly or through others, by a pair of
    sentences at least PARAPHRASE similar."""
    parent = list(range(n_articles))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    graph = representation.neighbours.tocoo()
    strong = graph.data >= PARAPHRASE
    for a, b in set(
        zip(representation.articles[graph.row[strong]].tolist(), representation.articles[graph.col[strong]].tolist())
    ):
        parent[root(a)] = root(b)
    return [root(a) for a in range(n_articles)]


def order(
    chosen: list[int],
    sentences: list[Sentence],
    articles: list[Article],
    representation: Representation,
    blocks: list[Bundle] | None = None,
) -> list[int]:
    """Sentence indices in reading order. `blocks`: the chosen sentences in bundles that stay
    together (default: each chosen sentence alone)."""
    blocks = [tuple(b) for b in blocks] if blocks is not None else [(i,) for i in chosen]
    if not blocks:
        return []
    days = [day_of(a) for a in articles]

    def day(block: Bundle) -> date | None:
        return days[sentences[block[0]].article]

    def key(block: Bundle) -> tuple:
        s = sentences[block[0]]
        when = day(block)
        return (round(s.position, 1), when.isoformat() if when else "~", s.article, s.index)

    statements = sorted((b for b in blocks if not is_quote(sentences[b[0]].text)), key=key)
    quotes = sorted((b for b in blocks if is_quote(sentences[b[0]].text)), key=key)
    if not statements:
        return [i for b in quotes for i in b]
    after = _attach(quotes, statements, sentences, representation)
    known = {day(b) for b in statements} - {None}
    newest = [b for b in statements if day(b) == max(known)] if known else statements
    # The newest day's lead; else any statement of news; else the first statement.
    opener = next((b for b in [*newest, *statements] if states_news(sentences[b[0]].text)), newest[0])
    rest = [b for b in statements if b != opener]
    if len(known) > 1:
        # Oldest first; undated sentences after the dated ones.
        rest.sort(key=lambda b: (day(b) or date.max, *key(b)))
    else:
        thread = threads(representation, len(articles))
        first_seen: dict[int, int] = {thread[sentences[opener[0]].article]: -1}
        for k, b in enumerate(rest):
            first_seen.setdefault(thread[sentences[b[0]].article], k)
        rest.sort(key=lambda b: first_seen[thread[sentences[b[0]].article]])  # stable: key order within a thread
    return [i for b in [opener, *rest] for block in [b, *after[b]] for i in block]


def _attach(
    quotes: list[Bundle], statements: list[Bundle], sentences: list[Sentence], representation: Representation
) -> dict[Bundle, list[Bundle]]:
    """The quotes that follow each statement: after the most similar statement naming the quote's
    speaker, else after the most similar one when similar enough, else after the nearest earlier
    statement of their own article, else at the end."""
    after: dict[Bundle, list[Bundle]] = {b: [] for b in statements}
    heads = [b[0] for b in statements]
    for q in quotes:
        same_article = [b for b in statements if sentences[b[0]].article == sentences[q[0]].article]
        similarity = np.max([representation.similarity(i, heads) for i in q], axis=0)
        names = set().union(*(speakers(sentences[i].text) for i in q))
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b") if names else None
        naming = [k for k, b in enumerate(statements) if pattern and any(pattern.search(sentences[i].text) for i in b)]
        best = max(naming, key=lambda k: similarity[k]) if naming else int(similarity.argmax())
        if naming or similarity[best] >= QUOTE_ATTACH:
            after[statements[best]].append(q)
        elif same_article:
            earlier = [b for b in same_article if sentences[b[0]].index < sentences[q[0]].index]
            after[(earlier or same_article)[-1]].append(q)
        else:
            after[statements[-1]].append(q)
    return after
