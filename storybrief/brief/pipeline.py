"""The one library function every front end calls: articles in, cited brief out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from storybrief.brief import attribute as attribute_stage
from storybrief.brief import order as order_stage
from storybrief.brief import select as select_stage
from storybrief.brief import topic
from storybrief.brief.clean import clean, looks_english
from storybrief.brief.dedupe import merge_copies
from storybrief.brief import readable
from storybrief.brief.represent import Representation, represent
from storybrief.brief.score import Scorer, abilities, get_scorer
from storybrief.brief.segment import is_self_contained, segment, split_sentences
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


def brief_prepared(prepared: Prepared, words: int, scorer: Scorer) -> Brief:
    """off-topic articles set aside → represent → score → select → order → attribute."""
    originals, merged, sentences = prepared.originals, prepared.merged, prepared.sentences
    away = topic.off_topic(merged, sentences)
    if away:
        merged, sentences = on_topic(merged, sentences, away)
    representation = represent(sentences)
    scores = scorer.score(sentences, representation)
    name, per_word, redundancy = abilities(scorer)
    reading_order = compose(sentences, scores, representation, merged, words, per_word,
                            select_stage.REDUNDANCY if redundancy is None else redundancy)
    cited, sources, disagreements = attribute_stage.attribute(reading_order, sentences, merged, originals, representation)
    return Brief(
        sentences=cited,
        sources=sources,
        words=sum(len(s.text.split()) for s in cited),
        method=name,
        budget=words,
        disagreements=disagreements,
        warnings=input_warnings(prepared),
        off_topic=sorted(n for a in away for n in attribute_stage.numbers_of(prepared.merged[a], originals)),
    )


def on_topic(merged: list[Article], sentences: list[Sentence], away: list[int]) -> tuple[list[Article], list[Sentence]]:
    """The articles and sentences left once the articles at positions `away` are set aside
    (sentences renumbered to the articles left)."""
    kept = [a for a in range(len(merged)) if a not in set(away)]
    new = {a: k for k, a in enumerate(kept)}
    return [merged[a] for a in kept], [replace(s, article=new[s.article]) for s in sentences if s.article in new]


def compose(
    sentences: list[Sentence], scores, representation: Representation, merged: list[Article], words: int,
    per_word: bool = False, redundancy: float = select_stage.REDUNDANCY,
) -> list[int]:
    """select → order: the chosen sentences in reading order, each taken with what it leans on."""
    bundles = readable.bundles(sentences)
    chosen = select_stage.select(sentences, scores, representation, words, redundancy=redundancy, per_word=per_word,
                                 bundles=bundles)
    return order_stage.order(chosen, sentences, merged, representation, blocks=readable.blocks(chosen, bundles, sentences))


def input_warnings(prepared: Prepared) -> list[str]:
    warnings = []
    if len(prepared.originals) == 1:
        warnings.append("one article only: every sentence has a single source and nothing could be cross-checked")
    elif len(prepared.merged) == 1:
        warnings.append(f"all {len(prepared.originals)} articles are copies of one story: support counts outlets, not independent reports")
    if not looks_english(" ".join(a.text for a in prepared.merged)):
        warnings.append("the text does not look like English: the brief relies on word statistics only and may be weaker")
    return warnings


def summarize(
    articles: Iterable[str | Path | Article] | str | Path | Article,
    words: int = DEFAULT_WORDS,
    method: str = "default",
    scorer: Scorer | None = None,
) -> Brief:
    """Brief one story.

    `articles` are article texts, paths (files or folders) or `Article` objects; a text may hold
    several articles separated by `|||||`. `scorer` overrides `method` with any object that has
    a `score(sentences, representation)` method.
    """
    if not isinstance(words, int) or isinstance(words, bool) or words < 1:
        raise StoryBriefError(f"words must be a positive whole number, not {words!r}")
    scorer = scorer or get_scorer(method)
    return brief_prepared(prepare(articles), words, scorer)
