"""Group a pile of articles from many outlets into stories, without knowing how many there are.

`StoryIndex` keeps the stories seen so far. For a batch, or each increment of a running index, it
sets re-published copies aside (`copies`: a copy joins its original's story), adds a vector row
for each other article (`corpus`, `vectors`), finds the new rows' neighbours (`neighbours`) and
merges them into known stories or new ones (`agglomerate`: average linkage with a time decay, no
hard window), and links stories of one saga as related (`sagas`). Stories are read with their labels
(`labels`) and briefs (`briefs`); the index saves itself to a folder (`state`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path

import numpy as np
from datasketch import MinHash

from storybrief.errors import StoryBriefError
from storybrief.io.pile import settled
from storybrief.stories.agglomerate import (
    MUTUAL_BOOST,
    RECENCY_DAYS,
    TAU_DAYS,
    THRESHOLD,
    horizon_days,
    linkage_weights,
    merge_new_rows,
    record_merge,
)
from storybrief.stories.briefs import covered, make_briefs, with_news
from storybrief.stories.copies import BatchCopies, signature
from storybrief.stories.corpus import Corpus
from storybrief.stories.labels import describe, label, members, oldest_first
from storybrief.stories.neighbours import MUTUAL_K, WINDOW_DAYS, Found
from storybrief.stories.records import IndexState, Story, StoryRecord
from storybrief.stories.sagas import (
    LINK_THRESHOLD,
    SAGA_REBUILD,
    Sagas,
    derived,
    link,
    saga_state,
    sagas_from_state,
    stacked,
)
from storybrief.stories.state import load_state, save_state
from storybrief.stories.vectors import words
from storybrief.text import text_id, unique_id
from storybrief.types import DEFAULT_WORDS, Article, Brief

TEXT = attrgetter("text")


@dataclass(repr=False)
class StoryIndex:
    """Stories seen so far; `add` assigns new articles to them or opens new ones.

    Story ids never change once given. Save with `save(folder)`, restore with
    `StoryIndex.load(folder)` (see `storybrief.stories.state`).
    """

    threshold: float = THRESHOLD
    window_days: float = WINDOW_DAYS  # optional hard cap on a story pair's gap in days; 0: none (the default)
    mutual_boost: float = MUTUAL_BOOST  # 1.0: no boost (and `place` skips noting closest similarities)
    tau_days: float = TAU_DAYS  # time decay scale of the story linkage; 0: no decay
    recency_days: float = RECENCY_DAYS  # a known story's members weigh exp(-age / this); 0: all weigh 1
    link_threshold: float = LINK_THRESHOLD  # saga linkage needed to link stories as related
    saga_rebuild: float = SAGA_REBUILD  # re-derive the sagas when the rows grow by this factor; 0: never
    articles: dict[str, Article] = field(default_factory=dict, init=False)  # every article, copies included
    row_of: dict[str, int] = field(default_factory=dict, init=False)  # article id -> vector (a copy: its original's)
    row_ids: list[str] = field(default_factory=list, init=False)  # article id of each vector
    row_story: list[str] = field(default_factory=list, init=False)
    copies: dict[int, list[str]] = field(default_factory=dict, init=False)  # vector -> ids of its copies
    stories: dict[str, StoryRecord] = field(default_factory=dict, init=False)
    next_story: int = field(default=1, init=False)
    notes: list[str] = field(default_factory=list, init=False)  # what the last `add` skipped or renamed
    corpus: Corpus = field(default_factory=Corpus, init=False)  # the vector rows
    sagas: Sagas = field(default_factory=Sagas, init=False)  # related links and the saga graph
    saga_pairs: list = field(default_factory=list, init=False)  # every saga pair found: (low, high, cosine) arrays
    saga_built: int = field(default=0, init=False)  # vector rows at the last saga rebuild

    def __repr__(self) -> str:
        return f"StoryIndex({len(self.articles)} articles, {len(self.stories)} stories, threshold={self.threshold})"

    def add(self, articles: Iterable[Article]) -> list[str | None]:
        """Story id for each article (None for one skipped: see `notes`), in input order."""
        self.notes, seen_again, assigned = [], [], []
        fresh: list[tuple[int, Article, Counter]] = []  # (position, article, term counts)
        pending_copies: list[tuple[int, str, int]] = []  # (position, article id, row or -1-fresh index)
        copies = BatchCopies(self.corpus.signatures, self.corpus.copy_index())
        in_batch: dict[str, int] = {}  # id -> position, for articles of this batch
        repeats: list[tuple[int, int]] = []  # (position, position of the same article earlier in the batch)
        for position, article in enumerate(articles):
            assigned.append(None)
            if not isinstance(article, Article):
                raise StoryBriefError(f"expected an Article, not {type(article).__name__}")
            article = replace(article, copies=list(article.copies))  # the caller's object stays as it was
            if not article.text or not article.text.strip():
                self.notes.append(f"article {article.id or '(no id)'} has no text, skipped")
                continue
            base = article.id or text_id(article.text)
            article.id, again = unique_id(base, self.articles, article.text, TEXT)  # a reused id is renamed
            if again:  # seen before (same id, same text): it keeps its story
                seen_again.append(article.id)
                if article.id in in_batch:
                    repeats.append((position, in_batch[article.id]))  # placed below, with its first occurrence
                elif article.id in self.row_of:
                    assigned[position] = self.row_story[self.row_of[article.id]]
                continue
            if article.id != base:
                self.notes.append(f"id {base} is used by a different article, renamed {article.id}")
            text, counts = self._words(article)
            self.articles[article.id] = settled(article)
            in_batch[article.id] = position
            original = copies.original(text, counts)
            if original is not None:
                pending_copies.append((position, article.id, original))
                continue
            fresh.append((position, article, counts))
        if seen_again:
            shown = ", ".join(seen_again[:3]) + (", ..." if len(seen_again) > 3 else "")
            self.notes.append(f"{len(seen_again)} article(s) seen before ({shown}) kept in their stories")
        first_new_row = len(self.row_ids)
        if fresh:
            self._append_rows([(article, counts) for _, article, counts in fresh], copies.fresh)
            self._assign(first_new_row)
        for k, (position, _, _) in enumerate(fresh):
            assigned[position] = self.row_story[first_new_row + k]
        for position, article_id, original in pending_copies:
            row = original if original >= 0 else first_new_row + (-1 - original)
            self.copies.setdefault(row, []).append(article_id)
            self.row_of[article_id] = row
            assigned[position] = self.row_story[row]
        for position, first in repeats:
            assigned[position] = assigned[first]
        return assigned

    def place(
        self, articles: Iterable[Article], story_ids: Iterable[str], copy_of: Iterable[str | None] | None = None
    ) -> None:
        """Put articles whose stories were decided before into the index, without regrouping them.

        For replaying a log of past decisions (the service rebuilds its index from its database):
        article k joins story `story_ids[k]` (created when unknown; pick ids that `add` never
        makes, i.e. not "s" + digits), as a copy of article `copy_of[k]` when that one is already
        placed in the same story, else as a vector of its own. Ids must be new to the index.
        """
        self.notes = []
        self.corpus.copy_index()  # built from the rows held before this call; new rows are inserted into it below
        articles, story_ids = list(articles), list(story_ids)
        copy_of = list(copy_of) if copy_of is not None else [None] * len(articles)
        if not len(articles) == len(story_ids) == len(copy_of):
            raise StoryBriefError("place: one story id (and one copy_of) per article")
        fresh, fresh_signatures, fresh_story = [], [], []  # (article, term counts), copy signature, story id
        placed: dict[str, str] = {}  # article id -> story id, for the new rows of this call
        pending_copies: list[tuple[str, str]] = []  # (article id, original id)
        for article, story_id, original in zip(articles, story_ids, copy_of):
            if not article.id or article.id in self.articles:
                raise StoryBriefError(f"place: article id {article.id!r} is missing or already in the index")
            article = replace(article, copies=list(article.copies))
            self.articles[article.id] = settled(article)
            self.stories.setdefault(story_id, StoryRecord(id=story_id, rows=[]))
            if original is not None and story_id == (
                self.row_story[self.row_of[original]] if original in self.row_of else placed.get(original)
            ):
                pending_copies.append((article.id, original))
                continue
            text, counts = self._words(article)
            placed[article.id] = story_id
            fresh.append((article, counts))
            fresh_signatures.append(signature(text))
            fresh_story.append(story_id)
        first = len(self.row_ids)
        if fresh:
            self._append_rows(fresh, fresh_signatures, fresh_story)
            for k, story_id in enumerate(fresh_story):
                self.stories[story_id].rows.append(first + k)
            # No regrouping, but the placed rows' neighbours are found as by an `add`: their saga
            # pairs link the placed stories into sagas (related stories; a replay re-derives the
            # links the original adds made), and their closest similarities are noted, so that later
            # articles are judged mutual or not against them (skipped when nothing reads them).
            self._link_sagas(first, self.corpus.pairs(first, horizon_days(self.tau_days), self.window_days,
                                                      note=self.mutual_boost != 1.0))
        for article_id, original in pending_copies:
            self.copies.setdefault(self.row_of[original], []).append(article_id)
            self.row_of[article_id] = self.row_of[original]

    def _words(self, article: Article) -> tuple[str, Counter]:
        text, counts = words(article)
        if not counts:
            self.notes.append(f"article {article.id}: no words to group it by, kept as a story of its own")
        return text, counts

    def _append_rows(self, fresh: list[tuple[Article, Counter]], signatures: list[MinHash],
                     stories: list[str] | None = None) -> None:
        first = len(self.row_ids)
        for k, (article, _) in enumerate(fresh):
            self.row_of[article.id] = first + k
            self.row_ids.append(article.id)
        self.row_story.extend(stories or [""] * len(fresh))  # "": not yet assigned
        self.corpus.append([counts for _, counts in fresh], [a.published for a, _ in fresh], signatures)

    def _assign(self, first_new: int) -> None:
        """Merge the new rows into known stories or new ones, then link stories into sagas."""
        found = self.corpus.pairs(first_new, horizon_days(self.tau_days), self.window_days, note=True)
        low, high, similarity = found.low[found.story], found.high[found.story], found.similarity[found.story]
        weights = linkage_weights(self.corpus.top_similar, low, high, similarity, self.mutual_boost)
        merge = merge_new_rows(self.stories, self.row_story, first_new, low, high, weights, self.threshold,
                               self.corpus.times, self.tau_days, self.recency_days)
        self.next_story = record_merge(merge, self.stories, self.row_story, first_new, self.next_story)
        self._link_sagas(first_new, found)

    def _link_sagas(self, first_new: int, found: Found) -> None:
        """This add's saga pairs are kept and linked into the sagas (`sagas.link`); or, when the rows
        have grown by `saga_rebuild` since the last time, the sagas are re-derived from every pair."""
        low, high, similarity = found.low[found.saga], found.high[found.saga], found.similarity[found.saga]
        self.saga_pairs.append((low, high, similarity.astype(np.float32)))
        if self.saga_rebuild and len(self.row_ids) >= self.saga_rebuild * self.saga_built:
            self.rebuild_sagas()
        else:
            link(self.sagas, self.row_story, list(self.stories), first_new, low, high, similarity, self.link_threshold)

    def rebuild_sagas(self) -> None:
        """Sagas and related links re-derived from every stored saga pair (story ids do not change)."""
        self.saga_built = len(self.row_ids)
        sizes = {story: float(len(record.rows)) for story, record in self.stories.items()}
        self.sagas = derived(stacked(self.saga_pairs), self.row_story, sizes, self.link_threshold)

    def related(self, story_id: str) -> list[str]:
        """Ids of the stories linked to this one as parts of one saga (never merged with it)."""
        return sorted(self.sagas.related.get(story_id, ()))

    def story_articles(self, story_id: str) -> list[Article]:
        """Every article of a story, copies included, oldest first (undated ones last, in order seen)."""
        ids = members(self.stories[story_id].rows, self.row_ids, self.copies)
        return oldest_first([self.articles[i] for i in ids])

    def label(self, story_id: str) -> str:
        """The title of the article closest to the story's centroid, else its top key phrase."""
        rows = sorted(self.stories[story_id].rows)
        return label([self.articles[self.row_ids[row]] for row in rows], self.corpus.vectors()[rows], self.corpus.terms)

    def story_copies(self, story_id: str) -> dict[str, list[str]]:
        """Original article id -> ids of its copies, for the story's articles that have copies."""
        rows = sorted(self.stories[story_id].rows)
        return {self.row_ids[row]: list(self.copies[row]) for row in rows if self.copies.get(row)}

    def story(self, story_id: str, brief: bool = False, words: int = DEFAULT_WORDS) -> Story:
        story = describe(story_id, self.label(story_id), self.story_articles(story_id), self.story_copies(story_id))
        story.related = self.related(story_id)
        if brief:
            story.brief = self.brief(story_id, words)
            self.add_news(story)
        return story

    def add_news(self, story: Story) -> Story:
        """The story with the timeline and update brief made with its brief (read `briefs` first)."""
        return with_news(story, self.stories[story.id])

    def all_stories(self, brief: bool = False, words: int = DEFAULT_WORDS, engine=None) -> list[Story]:
        """Every story, biggest first, then by id; briefs made on `engine` (see `briefs`)."""
        ordered = sorted(self.stories.values(), key=lambda r: (-len(members(r.rows, self.row_ids, self.copies)), r.id))
        found = [self.story(r.id, words=words) for r in ordered]
        if brief:
            for story, (_, made) in zip(found, self.briefs([s.id for s in found], words, engine)):
                story.brief = made
                self.add_news(story)
        return found

    def brief(self, story_id: str, words: int = DEFAULT_WORDS) -> Brief | None:
        """The story's brief (`storybrief.summarize`), kept until the story gains articles."""
        return dict(self.briefs([story_id], words))[story_id]

    def briefs(
        self, story_ids: Iterable[str], words: int = DEFAULT_WORDS, engine=None
    ) -> Iterator[tuple[str, Brief | None]]:
        """(story id, brief or None) for each story, in order, as it is read. Briefs kept from before are
        reused; the others are made on `engine` (`storybrief.engines`; default: in this process) and
        kept. A story that cannot be briefed gets None and a note."""
        story_ids = list(story_ids)
        jobs = [(self.stories[story_id], self.story_articles(story_id)) for story_id in story_ids]
        copies = {story_id: self.story_copies(story_id) for story_id in story_ids}
        for story_id, made, error in make_briefs(jobs, words, engine, copies):
            if made is None:
                self.notes.append(f"story {story_id}: no brief ({error})")
            yield story_id, made

    def save(self, folder: str | Path) -> None:
        save_state(_state_of(self), folder)

    @classmethod
    def load(cls, folder: str | Path, threshold: float | None = None, window_days: float | None = None) -> StoryIndex:
        """The index saved in `folder`, or a new empty one when the folder has none. `threshold`
        and `window_days` (a hard cap on a story pair's gap, 0: none), when given, replace the
        saved settings for what is added next."""
        state = load_state(folder)
        given = {name: value for name, value in (("threshold", threshold), ("window_days", window_days))
                 if value is not None}
        index = cls(**{**(state.settings() if state else {}), **given})
        return index if state is None else _restore(index, state)


def _state_of(index: StoryIndex) -> IndexState:
    """What is saved of an index."""
    corpus = index.corpus
    return IndexState(
        threshold=index.threshold, window_days=index.window_days, mutual_boost=index.mutual_boost,
        articles=list(index.articles.values()), row_ids=index.row_ids, row_story=index.row_story, copies=index.copies,
        stories=list(index.stories.values()), next_story=index.next_story, idf_docs=corpus.idf_docs, terms=corpus.terms,
        tf=corpus.tf, df=corpus.df, times=corpus.times, signatures=corpus.signatures, top_similar=corpus.top_similar,
        time_settings={"tau_days": index.tau_days, "recency_days": index.recency_days,
                       "link_threshold": index.link_threshold, "saga_rebuild": index.saga_rebuild},
        sagas=saga_state(index.sagas, index.saga_built), saga_pairs=stacked(index.saga_pairs),
    )


def _restore(index: StoryIndex, state: IndexState) -> StoryIndex:
    """`index`, new and made with its settings, holding a saved state."""
    index.articles = {a.id: a for a in state.articles}
    index.row_ids, index.row_story, index.copies = state.row_ids, state.row_story, state.copies
    index.row_of = {article_id: row for row, article_id in enumerate(index.row_ids)}
    index.row_of.update((article_id, row) for row, ids in index.copies.items() for article_id in ids)
    index.stories = {record.id: record for record in state.stories}
    index.next_story = state.next_story
    for record in index.stories.values():
        if record.brief is not None and record.brief_articles is None:  # saved before briefs listed their articles
            record.brief_articles = covered(record, index.story_articles(record.id))
    # Version 1 saved no closest similarities: recomputed from the vectors, as `add` would have noted them.
    recompute = state.top_similar is None
    top_similar = np.zeros((len(index.row_ids), MUTUAL_K), dtype=np.float32) if recompute else state.top_similar
    index.corpus = Corpus(state.tf, state.df, state.terms, state.idf_docs, state.times, state.signatures, top_similar)
    if state.sagas is not None:
        index.sagas, index.saga_built = sagas_from_state(state.sagas)
        if state.saga_pairs is not None and len(state.saga_pairs[0]):
            index.saga_pairs = [state.saga_pairs]
    if (recompute or state.sagas is None) and index.row_ids:
        # Versions 1 and 2 kept no saga pairs: found again from the vectors, and the sagas derived from them.
        found = index.corpus.pairs(0, horizon_days(index.tau_days), index.window_days, note=recompute)
        if state.sagas is None:
            index.saga_pairs = [(found.low[found.saga], found.high[found.saga],
                                 found.similarity[found.saga].astype(np.float32))]
            index.rebuild_sagas()
    return index
