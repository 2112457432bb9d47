"""The one library function every front end calls: articles in, cited brief out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from storybrief.brief import attribute as attribute_stage
from storybrief.brief import order as order_stage
from storybrief.brief import query as query_stage
from storybrief.brief import readable, topic
from storybrief.brief import select as select_stage
from storybrief.brief import update as update_stage
from storybrief.brief.clean import clean, looks_english
from storybrief.brief.dedupe import merge_copies
from storybrief.brief.represent import Representation, represent
from storybrief.brief.score import Scorer, abilities, get_scorer
from storybrief.brief.segment import is_self_contained, segment, split_sentences
from storybrief.brief.update import Earlier, discount
from storybrief.errors import InputError, StoryBriefError
from storybrief.io.story import load
from storybrief.types import DEFAULT_WORDS, Article, Brief, Sentence


@dataclass
class Prepared:
    """A story read, cleaned, merged and split: what every sentence ranker chooses from."""

    originals: list[Article]  # the input articles, cleaned (one source each)
    merged: list[Article]  # one per group of copies
    sentences: list[Sentence]


def prepare(articles: Iterable[str | Path | Article] | str | Path | Article) -> Prepared:
    """load → clean → dedupe → segment."""
    originals = clean(load(articles))
    if not originals:
        raise InputError("nothing left to brief once boilerplate was removed")
    merged = merge_copies(originals)
    sentences = segment(merged)
    if not sentences:
        if any(is_self_contained(t) for a in merged for t in split_sentences(a.text)):
            raise InputError("nothing left to brief once boilerplate was removed (every sentence is page furniture)")
        raise InputError("no complete sentences in the input (is it prose?)")
    return Prepared(originals, merged, sentences)


def brief_prepared(
    prepared: Prepared, words: int, scorer: Scorer, earlier: Earlier | None = None, semantic: bool = False,
    query: str | None = None, exact: bool = False,
) -> Brief:
    """off-topic articles set aside → represent → score → (query: value leans toward it) →
    (update: what the reader knows is discounted) → select → order → attribute (`semantic`: the
    support decision also reads all-MiniLM-L6-v2, docs/design-citations.md)."""
    originals, merged, sentences = prepared.originals, prepared.merged, prepared.sentences
    away = topic.off_topic(merged, sentences, query)
    if away:
        merged, sentences = on_topic(merged, sentences, away)
    representation = represent(sentences)
    scores = scorer.score(sentences, representation)
    allowed, concepts = None, []
    unused = bool(query) and not query_stage.content(query)
    if query and not unused:
        scores = query_stage.focus(scores, [s.text for s in sentences], query)
        concepts.append(query_stage.concept_value(query))
    if earlier:
        scores, allowed = discount(scores, sentences, earlier)
        concepts.append(update_stage.concept_value(earlier))
    name, per_word, redundancy = abilities(scorer)
    reading_order, sentences = compose(sentences, scores, representation, merged, words, per_word,
                                       select_stage.REDUNDANCY if redundancy is None else redundancy, allowed=allowed,
                                       concepts=chained(concepts), exact=exact)
    cited, sources, disagreements = attribute_stage.attribute(
        reading_order, sentences, merged, originals, representation, semantic=semantic
    )
    return Brief(
        sentences=cited,
        sources=sources,
        words=sum(len(s.text.split()) for s in cited),
        method=name,
        budget=words,
        disagreements=disagreements,
        warnings=input_warnings(prepared) + (["nothing new since the earlier brief"] if earlier and not cited else [])
        + (["the query has no content words (only stop words or words like 'describe'): it was ignored"]
           if unused else []),
        off_topic=sorted(n for a in away for n in attribute_stage.numbers_of(prepared.merged[a], originals)),
    )


def chained(steps: list):
    """One concept reweighing made of several, applied in turn (None when there are none)."""
    if not steps:
        return None

    def value(weight):
        for step in steps:
            weight = step(weight)
        return weight

    return value


def on_topic(merged: list[Article], sentences: list[Sentence], away: list[int]) -> tuple[list[Article], list[Sentence]]:
    """The articles and sentences left once the articles at positions `away` are set aside
    (sentences renumbered to the articles left)."""
    kept = [a for a in range(len(merged)) if a not in set(away)]
    new = {a: k for k, a in enumerate(kept)}
    return [merged[a] for a in kept], [replace(s, article=new[s.article]) for s in sentences if s.article in new]


def compose(
    sentences: list[Sentence], scores, representation: Representation, merged: list[Article], words: int,
    per_word: bool = False, redundancy: float = select_stage.REDUNDANCY, allowed=None, concepts=None,
    exact: bool = False,
) -> tuple[list[int], list[Sentence]]:
    """select → order: the chosen sentences in reading order, each taken with what it leans on, and
    the sentences with the chosen ones' pronoun speakers named (readable.Context.named).
    `allowed`: a mask of the sentences that may be chosen (update briefs), default all; `concepts`:
    how concept coverage values its concepts (query and update briefs), default by article count;
    `exact`: concept coverage solves its integer program (select.select)."""
    context = readable.Context(sentences)
    chosen = select_stage.select(sentences, scores, representation, words, redundancy=redundancy, per_word=per_word,
                                 bundles=context.bundles, alone=context.alone, allowed=allowed, concepts=concepts,
                                 exact=exact)
    if chosen and not any(opens(sentences[i].text) for i in chosen):
        chosen = with_opener(sentences, scores, representation, words, redundancy, per_word, context, allowed,
                             concepts, exact) or chosen
    named = context.with_names(chosen)
    blocks = readable.blocks(chosen, context.bundles, named)
    return order_stage.order(chosen, named, merged, representation, blocks=blocks), named


def opens(text: str) -> bool:
    """The sentence can open a brief: a statement of news (order.py puts one first)."""
    return readable.states_news(text) and not order_stage.is_quote(text)


def with_opener(sentences: list[Sentence], scores, representation: Representation, words: int, redundancy: float,
                per_word: bool, context: readable.Context, allowed=None, concepts=None,
                exact: bool = False) -> list[int]:
    """A selection that holds a sentence fit to open the brief: the best-scored one that stands
    alone, then the rest of the budget chosen as usual among sentences not repeating it. Empty
    when no sentence can open a brief."""
    opener = next((int(i) for i in np.argsort(-scores, kind="stable")
                   if (allowed is None or allowed[i]) and sentences[i].words <= words and opens(sentences[i].text)
                   and context.bundle(int(i)) == (int(i),)), None)
    if opener is None:
        return []
    left = words - sentences[opener].words
    if left < min(s.words for s in sentences):
        return [opener]
    similar = representation.similarity(opener, list(range(len(sentences)))) > redundancy
    keep = ~similar
    keep[opener] = False
    if allowed is not None:
        keep &= allowed
    rest = select_stage.select(sentences, scores, representation, left, redundancy=redundancy, per_word=per_word,
                               bundles=context.bundles, alone=context.alone, allowed=keep, concepts=concepts,
                               exact=exact)
    return [opener, *(i for i in rest if i != opener)]


def input_warnings(prepared: Prepared) -> list[str]:
    warnings = []
    if len(prepared.originals) == 1:
        warnings.append("one article only: every sentence has a single source and nothing could be cross-checked")
    elif len(prepared.merged) == 1:
        warnings.append(f"all {len(prepared.originals)} articles are copies of one story: "
                        "support counts outlets, not independent reports")
    if not looks_english(" ".join(a.text for a in prepared.merged)):
        warnings.append("the text does not look like English: "
                        "the brief relies on word statistics only and may be weaker")
    return warnings


def summarize(
    articles: Iterable[str | Path | Article] | str | Path | Article,
    words: int = DEFAULT_WORDS,
    method: str = "default",
    scorer: Scorer | None = None,
    earlier: Iterable[str | Path | Article] | None = None,
    earlier_brief: Brief | Iterable[str] | None = None,
    semantic: bool = False,
    query: str | None = None,
    exact: bool = False,
) -> Brief:
    """Brief one story.

    `articles` are article texts, paths (files or folders) or `Article` objects; a text may hold
    several articles separated by `|||||`. `scorer` overrides `method` with any object that has
    a `score(sentences, representation)` method. `semantic` makes citations also read a sentence
    encoder (the `semantic` extra; slower). `query`: what the reader wants to know (a question or
    a topic statement); sentence value leans toward its content words (`storybrief.brief.query`).
    `exact`: a long story's sentences are chosen by an exact integer program instead of greedily
    (better briefs, two to three times the time; `storybrief.brief.cover`).

    An update brief: `earlier` are the articles the reader has read before (in any of those
    forms) and `earlier_brief` the brief they read (a `Brief` or its sentences); the brief of
    `articles` then says only what those did not (`storybrief.brief.update`). It may be empty,
    with a warning, when the new articles say nothing new.
    """
    if not isinstance(words, int) or isinstance(words, bool) or words < 1:
        raise StoryBriefError(f"words must be a positive whole number, not {words!r}")
    scorer = scorer or get_scorer(method)
    known = None
    if earlier is not None or earlier_brief is not None:
        texts, read_in = earlier_sentences(earlier)
        known = Earlier(sentences=texts, brief=brief_sentences(earlier_brief), articles=read_in)
    if query is not None and not isinstance(query, str):
        raise StoryBriefError(f"query must be text, not {type(query).__name__}")
    return brief_prepared(prepare(articles), words, scorer, known, semantic=semantic, query=query or None,
                          exact=exact)


def earlier_sentences(earlier: Iterable[str | Path | Article] | None) -> tuple[list[str], list[int]]:
    """The sentences of articles read before and the article of each; none when they have none
    (all boilerplate, say)."""
    if earlier is None:
        return [], []
    earlier = list(earlier)
    if not earlier:
        return [], []
    try:
        sentences = prepare(earlier).sentences
    except InputError:
        return [], []
    return [s.text for s in sentences], [s.article for s in sentences]


def brief_sentences(brief: Brief | Iterable[str] | None) -> list[str]:
    if brief is None:
        return []
    if isinstance(brief, Brief):
        return [s.text for s in brief.sentences]
    return [str(text) for text in brief]
