"""A story's timeline: its events, each the articles of one development (published within a few
days of each other and about the same thing), with a date, a one-sentence headline taken from
its articles and cited like a brief's sentences, and its article ids.

Events. Articles are taken oldest first; each joins the event whose articles it is most similar
to on average (TF-IDF cosine, fitted on the story's own articles, so the words every article of
the story uses weigh least and what tells developments apart weighs most), when that average is
at least EVENT_SIMILARITY and the event has an article within EVENT_DAYS of it; otherwise it
opens an event. A re-published copy joins its original's event. Undated articles come last: each
joins the most similar event whatever its date, or opens an undated one.

Headline. The brief's stages on the event's articles (prepare → represent → score, the story's
scorer), then the update stage against the earlier events' sentences, so that a development's
headline says what is new in it rather than the story's background. The best-scored sentence fit
for a headline (HEADLINE_WORDS long, not a quotation, not cut off) is taken, an article's first
sentence when one qualifies (news says what happened first), and cited by `attribute`: its
sources are the event's articles that report it, its own article first.

EVENT_SIMILARITY: on ECB+ (43 topics, each two look-alike events; undated, so similarity alone
decides), B-cubed F1 of the events against the two events of each topic peaks at 0.12 on topics
1-22 (docs/benchmarks.md, section *Timeline events*).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from storybrief.brief.attribute import attribute
from storybrief.brief.order import is_quote
from storybrief.brief.pipeline import prepare
from storybrief.brief.represent import represent, vectorise
from storybrief.brief.score import Scorer, get_scorer
from storybrief.brief.segment import is_unfinished
from storybrief.brief.update import Earlier, discount
from storybrief.errors import StoryBriefError
from storybrief.io.pile import parse_date
from storybrief.stories.records import Event
from storybrief.stories.vectors import text_for_vectors
from storybrief.types import Article, Brief

EVENT_DAYS = 2.0
EVENT_SIMILARITY = 0.12
HEADLINE_WORDS = (6, 50)  # a news lead runs to 40-50 words
# A headline is compared with at most this many sentences of the events before it, the latest: a
# story of hundreds of events would otherwise compare each with all the others (quadratic).
EARLIER_SENTENCES = 1000


@dataclass
class Draft:
    """An event while articles are added: its members (positions among the originals) and days."""

    members: list[int] = field(default_factory=list)
    days: list[float] = field(default_factory=list)


def day_number(article: Article) -> float | None:
    """The article's moment in days since the epoch (a number to take gaps of), or None undated."""
    moment = parse_date(article.published)
    return moment.timestamp() / 86400 if moment else None


def group_events(originals: list[Article]) -> list[list[int]]:
    """Positions of `originals` in each event, events in the order they were opened (oldest first,
    undated ones last), members in date order."""
    if not originals:
        return []
    vectors = vectorise([text_for_vectors(a) or a.title or a.text for a in originals]).tocsr()
    days = [day_number(a) for a in originals]
    dated = sorted((k for k in range(len(originals)) if days[k] is not None), key=lambda k: (days[k], k))
    undated = [k for k in range(len(originals)) if days[k] is None]
    drafts: list[Draft] = []
    for k in dated + undated:
        day = days[k]
        if day is None:
            candidates = list(range(len(drafts)))
        else:
            candidates = [e for e, d in enumerate(drafts) if d.days and min(abs(day - x) for x in d.days) <= EVENT_DAYS]
        best, best_similarity = None, EVENT_SIMILARITY
        if candidates:
            members = [m for e in candidates for m in drafts[e].members]
            similarity = (vectors[members] @ vectors[k].T).toarray().ravel()
            at = 0
            for e in candidates:
                size = len(drafts[e].members)
                average = float(similarity[at:at + size].mean())
                at += size
                if average >= best_similarity:
                    best, best_similarity = e, average
        if best is None:
            drafts.append(Draft())
            best = len(drafts) - 1
        drafts[best].members.append(k)
        if day is not None:
            drafts[best].days.append(day)
    return [d.members for d in drafts]


def fit_for_headline(text: str, words: int) -> bool:
    low, high = HEADLINE_WORDS
    return low <= words <= high and not is_quote(text) and not is_unfinished(text)


def headline(articles: list[Article], earlier: list[str], scorer: Scorer) -> tuple[str, list[str], list[str]]:
    """(headline, ids of the articles that report it, its own first, the event's sentences)."""
    prepared = prepare(articles)
    sentences = prepared.sentences
    representation = represent(sentences)
    scores = scorer.score(sentences, representation)
    allowed = np.ones(len(sentences), dtype=bool)
    if earlier:
        scores, allowed = discount(scores, sentences, Earlier(sentences=earlier))
    fit = np.array([fit_for_headline(s.text, s.words) for s in sentences])
    lead = np.array([s.index == 0 for s in sentences])
    for pool in (allowed & fit & lead, allowed & fit, fit & lead, fit, allowed, np.ones(len(sentences), dtype=bool)):
        if pool.any():
            break
    best = int(np.flatnonzero(pool)[np.argmax(scores[pool])])
    (cited,), sources, _ = attribute([best], sentences, prepared.merged, prepared.originals, representation)
    origin = cited.origin["article"]
    ids = [sources[n - 1].article_id for n in [origin, *(n for n in cited.sources if n != origin)]]
    return cited.text, ids, [s.text for s in sentences]


def timeline(articles: list[Article], copies: dict[str, list[str]] | None = None, scorer: Scorer | None = None,
             brief: Brief | None = None) -> list[Event]:
    """The events of a story, oldest first (undated ones last). `articles`: every article of the
    story, copies included; `copies`: original id -> ids of its copies (others are originals).
    `brief`: the story's brief made in this process from the same articles, if there is one: a
    story of one event takes its headline from it (the same stages, already run)."""
    copies = copies or {}
    copy_of = {c: original for original, ids in copies.items() for c in ids}
    by_id = {a.id: a for a in articles}
    originals = [a for a in articles if a.id not in copy_of or copy_of[a.id] not in by_id]
    scorer = scorer or get_scorer("default")
    events: list[Event] = []
    said: list[str] = []
    groups = group_events(originals)
    for members in groups:
        chosen = [originals[k] for k in members]
        ids = [a.id for a in chosen]
        ids += [c for a in chosen for c in copies.get(a.id, []) if c in by_id]
        dated = sorted(a.published for a in (by_id[i] for i in ids) if a.published)
        from_brief = from_the_brief(brief) if len(groups) == 1 and brief is not None else None
        try:
            text, sources, sentences = from_brief or headline(chosen, said[-EARLIER_SENTENCES:], scorer)
        except StoryBriefError:
            # Nothing to quote (no complete sentence): the first title stands in, cited to its article.
            first = next((a for a in chosen if a.title.strip()), chosen[0])
            text, sources, sentences = first.title.strip() or first.id, [first.id], []
        said += sentences
        outlets = list(dict.fromkeys(by_id[i].source or i for i in sources))
        events.append(Event(date=dated[0][:10] if dated else "", headline=text, sources=sources,
                            articles=oldest_first_ids(ids, by_id), outlets=outlets))
    return events


def from_the_brief(brief: Brief) -> tuple[str, list[str], list[str]] | None:
    """The headline of a story of one event from its brief: its first sentence fit for a headline
    (the brief reads in article order, leads first), cited as the brief cites it; None when no
    sentence is fit or the sources do not name their articles (a brief read back from a dict)."""
    for sentence in brief.sentences:
        if fit_for_headline(sentence.text, len(sentence.text.split())):
            origin = sentence.origin["article"]
            numbers = [origin, *(n for n in sentence.sources if n != origin)]
            ids = [brief.sources[n - 1].article_id for n in numbers]
            return (sentence.text, ids, []) if all(ids) else None
    return None


def oldest_first_ids(ids: list[str], by_id: dict[str, Article]) -> list[str]:
    dated = sorted((i for i in ids if by_id[i].published), key=lambda i: by_id[i].published)
    return dated + [i for i in ids if not by_id[i].published]
