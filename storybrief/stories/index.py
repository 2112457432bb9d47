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
from pathlib import Path

import numpy as np
from datasketch import MinHash

from storybrief.brief.dedupe import copy_lsh
from storybrief.errors import StoryBriefError
from storybrief.io.pile import normalise_date
from storybrief.stories.agglomerate import (
    MUTUAL_BOOST,
    RECENCY_DAYS,
    TAU_DAYS,
    THRESHOLD,
    horizon_days,
    linkage_weights,
    merge_new_rows,
)
from storybrief.stories.briefs import covered, make_briefs
from storybrief.stories.copies import find_copy, signature
from storybrief.stories.corpus import Corpus
from storybrief.stories.labels import describe, label, oldest_first
from storybrief.stories.neighbours import MUTUAL_K, WINDOW_DAYS, note_similar
from storybrief.stories.records import Event, IndexState, Story, StoryRecord
from storybrief.stories.sagas import LINK_THRESHOLD, SAGA_REBUILD, Sagas, rebuilt, story_edges
from storybrief.stories.state import load_state, save_state
from storybrief.stories.vectors import words
from storybrief.text import text_id
from storybrief.types import Article, Brief


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
        lsh, fresh_lsh, fresh_signatures = self.corpus.copy_index(), copy_lsh(), []
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
            article.id = article.id or text_id(article.text)
            if article.id in in_batch and self.articles[article.id].text == article.text:
                repeats.append((position, in_batch[article.id]))  # placed below, with its first occurrence
                seen_again.append(article.id)
                continue
            known = self._known(article, seen_again)
            if known is not None:
                assigned[position] = known
                continue
            text, counts = self._words(article)
            self._keep(article)
            in_batch[article.id] = position
            found = signature(text)
            # An article with no words to group by (a placeholder) is a story of its own, never a
            # copy: empty signatures would all look identical.
            original = find_copy(found, self.corpus.signatures, lsh, fresh_lsh, fresh_signatures) if counts else None
            if original is not None:
                pending_copies.append((position, article.id, original))
                continue
            if counts:
                fresh_lsh.insert(len(fresh), found)
            fresh_signatures.append(found)
            fresh.append((position, article, counts))
        if seen_again:
            shown = ", ".join(seen_again[:3]) + (", ..." if len(seen_again) > 3 else "")
            self.notes.append(f"{len(seen_again)} article(s) seen before ({shown}) kept in their stories")
        first_new_row = len(self.row_ids)
        if fresh:
            self._append_rows([(article, counts) for _, article, counts in fresh], fresh_signatures)
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
        row_in_batch: dict[str, int] = {}  # article id -> index in fresh
        pending_copies: list[tuple[str, str]] = []  # (article id, original id)
        for article, story_id, original in zip(articles, story_ids, copy_of):
            if not article.id or article.id in self.articles:
                raise StoryBriefError(f"place: article id {article.id!r} is missing or already in the index")
            article = replace(article, copies=list(article.copies))
            self._keep(article)
            self.stories.setdefault(story_id, StoryRecord(id=story_id, rows=[]))
            if original is not None:
                original_story = (self.row_story[self.row_of[original]] if original in self.row_of
                                  else fresh_story[row_in_batch[original]] if original in row_in_batch else None)
                if original_story == story_id:
                    pending_copies.append((article.id, original))
                    continue
            text, counts = self._words(article)
            row_in_batch[article.id] = len(fresh)
            fresh.append((article, counts))
            fresh_signatures.append(signature(text))
            fresh_story.append(story_id)
        first = len(self.row_ids)
        if fresh:
            self._append_rows(fresh, fresh_signatures)
            for k, story_id in enumerate(fresh_story):
                self.row_story[first + k] = story_id
                self.stories[story_id].rows.append(first + k)
            # No regrouping, but the placed rows' neighbours are found as by an `add`: their saga
            # pairs link the placed stories into sagas (related stories; a replay re-derives the
            # links the original adds made), and their closest similarities are noted, so that later
            # articles are judged mutual or not against them (skipped when nothing reads them).
            found = self.corpus.pairs(first, horizon_days(self.tau_days), self.window_days)
            if self.mutual_boost != 1.0:
                note_similar(self.corpus.top_similar, found.low[found.story], found.high[found.story],
                             found.similarity[found.story])
            self._link_sagas(first, found.low[found.saga], found.high[found.saga], found.similarity[found.saga])
        for article_id, original in pending_copies:
            self.copies.setdefault(self.row_of[original], []).append(article_id)
            self.row_of[article_id] = self.row_of[original]

    def _keep(self, article: Article) -> None:
        article.published = normalise_date(article.published)
        article.source = article.source or article.id
        self.articles[article.id] = article

    def _words(self, article: Article) -> tuple[str, Counter]:
        text, counts = words(article)
        if not counts:
            self.notes.append(f"article {article.id}: no words to group it by, kept as a story of its own")
        return text, counts

    def _known(self, article: Article, seen_again: list[str]) -> str | None:
        """The story of an article seen before (same id, same text); renames a reused id."""
        if article.id not in self.articles:
            return None
        if self.articles[article.id].text == article.text:
            seen_again.append(article.id)
            return self.row_story[self.row_of[article.id]] if article.id in self.row_of else None
        base, n = article.id, 2
        while f"{base}~{n}" in self.articles:
            n += 1
        article.id = f"{base}~{n}"
        self.notes.append(f"id {base} is used by a different article, renamed {article.id}")
        return None

    def _append_rows(self, fresh: list[tuple[Article, Counter]], signatures: list[MinHash]) -> None:
        first = len(self.row_ids)
        for k, (article, _) in enumerate(fresh):
            self.row_of[article.id] = first + k
            self.row_ids.append(article.id)
            self.row_story.append("")
        self.corpus.append([counts for _, counts in fresh], [a.published for a, _ in fresh], signatures)

    def _assign(self, first_new: int) -> None:
        """Merge the new rows into known stories or new ones, then link stories into sagas."""
        found = self.corpus.pairs(first_new, horizon_days(self.tau_days), self.window_days)
        low, high, similarity = found.low[found.story], found.high[found.story], found.similarity[found.story]
        note_similar(self.corpus.top_similar, low, high, similarity)
        weights = linkage_weights(self.corpus.top_similar, low, high, similarity, self.mutual_boost)
        merge = merge_new_rows(self.stories, self.row_story, first_new, low, high, weights, self.threshold,
                               self.corpus.times, self.tau_days, self.recency_days)
        ids = merge.known + [f"s{number:05d}" for number in range(self.next_story, self.next_story + merge.opened)]
        self.next_story += merge.opened
        self.stories.update((story_id, StoryRecord(id=story_id, rows=[])) for story_id in ids[len(merge.known):])
        for k, group in enumerate(merge.groups):
            self.stories[ids[group]].rows.append(first_new + k)
            self.row_story[first_new + k] = ids[group]
        for group, s in merge.gained.items():
            self.stories[ids[group]].internal += s
        self._link_sagas(first_new, found.low[found.saga], found.high[found.saga], found.similarity[found.saga])

    def _link_sagas(self, first_new: int, low: np.ndarray, high: np.ndarray, similarity: np.ndarray) -> None:
        """The new rows grow their stories' sagas (a new story is a saga of its own), this add's
        saga pairs are summed into the saga graph and the sagas they touch merged best-first; or,
        when the rows have grown by `saga_rebuild` since the last time, the sagas are re-derived
        from every pair stored so far."""
        self.saga_pairs.append((low, high, similarity.astype(np.float32)))
        if self.saga_rebuild and len(self.row_ids) >= self.saga_rebuild * self.saga_built:
            self.rebuild_sagas()
            return
        for row in range(first_new, len(self.row_ids)):
            self.sagas.grow(self.row_story[row], 1)
        candidates = set()
        for (x, y), edge in story_edges(self.row_story, list(self.stories), low, high, similarity).items():
            pair = self.sagas.connect(x, y, *edge)
            if pair:
                candidates.add(pair)
        self.sagas.merge(candidates, self.link_threshold)

    def rebuild_sagas(self) -> None:
        """Sagas and related links re-derived from every stored saga pair (story ids do not change)."""
        self.saga_built = len(self.row_ids)
        pairs = [np.concatenate([p[k] for p in self.saga_pairs]) for k in range(3)] if self.saga_pairs else None
        edges = story_edges(self.row_story, list(self.stories), *pairs) if pairs and len(pairs[0]) else {}
        sizes = {story: float(len(record.rows)) for story, record in self.stories.items()}
        self.sagas = rebuilt(sizes, edges, self.link_threshold)

    def related(self, story_id: str) -> list[str]:
        """Ids of the stories linked to this one as parts of one saga (never merged with it)."""
        return sorted(self.sagas.related.get(story_id, ()))

    def story_articles(self, story_id: str) -> list[Article]:
        """Every article of a story, copies included, oldest first (undated ones last, in order seen)."""
        ids = []
        for row in sorted(self.stories[story_id].rows):
            ids.append(self.row_ids[row])
            ids.extend(self.copies.get(row, []))
        return oldest_first([self.articles[i] for i in ids])

    def label(self, story_id: str) -> str:
        """The title of the article closest to the story's centroid, else its top key phrase."""
        rows = sorted(self.stories[story_id].rows)
        return label([self.articles[self.row_ids[row]] for row in rows], self.corpus.vectors()[rows], self.corpus.terms)

    def story_copies(self, story_id: str) -> dict[str, list[str]]:
        """Original article id -> ids of its copies, for the story's articles that have copies."""
        rows = sorted(self.stories[story_id].rows)
        return {self.row_ids[row]: list(self.copies[row]) for row in rows if self.copies.get(row)}

    def story(self, story_id: str, brief: bool = False, words: int = 150) -> Story:
        story = describe(story_id, self.label(story_id), self.story_articles(story_id), self.story_copies(story_id))
        story.related = self.related(story_id)
        if brief:
            story.brief = self.brief(story_id, words)
            self.add_news(story)
        return story

    def add_news(self, story: Story) -> Story:
        """The story with the timeline and update brief made with its brief (read `briefs` first)."""
        record = self.stories[story.id]
        story.timeline = None if record.timeline is None else [Event.from_dict(e) for e in record.timeline]
        story.update = record.update
        return story

    def all_stories(self, brief: bool = False, words: int = 150, engine=None) -> list[Story]:
        """Every story, biggest first, then by id; briefs made on `engine` (see `briefs`)."""
        size = {r.id: len(r.rows) + sum(len(self.copies.get(row, [])) for row in r.rows) for r in self.stories.values()}
        ordered = sorted(self.stories.values(), key=lambda r: (-size[r.id], r.id))
        found = [self.story(r.id, words=words) for r in ordered]
        if brief:
            for story, (_, made) in zip(found, self.briefs([s.id for s in found], words, engine)):
                story.brief = made
                self.add_news(story)
        return found

    def brief(self, story_id: str, words: int = 150) -> Brief | None:
        """The story's brief (`storybrief.summarize`), kept until the story gains articles."""
        return dict(self.briefs([story_id], words))[story_id]

    def briefs(self, story_ids: Iterable[str], words: int = 150, engine=None) -> Iterator[tuple[str, Brief | None]]:
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
        if state is None:
            return cls(threshold=THRESHOLD if threshold is None else threshold,
                       window_days=WINDOW_DAYS if window_days is None else window_days)
        index = cls(threshold=state.threshold if threshold is None else threshold, mutual_boost=state.mutual_boost,
                    window_days=state.window_days if window_days is None else window_days, **state.time_settings)
        return _restore(index, state)


def _state_of(index: StoryIndex) -> IndexState:
    """What is saved of an index."""
    corpus, sagas = index.corpus, index.sagas
    pairs = ([np.concatenate([p[k] for p in index.saga_pairs]) for k in range(3)] if index.saga_pairs else None)
    return IndexState(
        threshold=index.threshold, window_days=index.window_days, mutual_boost=index.mutual_boost,
        articles=list(index.articles.values()), row_ids=index.row_ids, row_story=index.row_story, copies=index.copies,
        stories=list(index.stories.values()), next_story=index.next_story, idf_docs=corpus.idf_docs, terms=corpus.terms,
        tf=corpus.tf, df=corpus.df, times=corpus.times, signatures=corpus.signatures, top_similar=corpus.top_similar,
        time_settings={"tau_days": index.tau_days, "recency_days": index.recency_days,
                       "link_threshold": index.link_threshold, "saga_rebuild": index.saga_rebuild},
        sagas={
            "built": index.saga_built, "parent": sagas.parent, "size": sagas.size,
            "related": {story: sorted(linked) for story, linked in sagas.related.items()},
            "adjacent": [[a, b, *edge] for a, edges in sagas.adjacent.items() for b, edge in edges.items()],
        },
        saga_pairs=None if pairs is None else tuple(pairs),
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
        saved = state.sagas
        index.saga_built = int(saved["built"])
        index.sagas = Sagas(parent=dict(saved["parent"]), size={k: float(v) for k, v in saved["size"].items()},
                            related={k: set(v) for k, v in saved["related"].items()})
        for a, b, *edge in saved["adjacent"]:
            index.sagas.adjacent.setdefault(a, {})[b] = list(edge)
        if state.saga_pairs is not None and len(state.saga_pairs[0]):
            index.saga_pairs = [state.saga_pairs]
    if (recompute or state.sagas is None) and index.row_ids:
        # Versions 1 and 2 kept no saga pairs: found again from the vectors, and the sagas derived from them.
        found = index.corpus.pairs(0, horizon_days(index.tau_days), index.window_days)
        if recompute:
            note_similar(top_similar, found.low[found.story], found.high[found.story], found.similarity[found.story])
        if state.sagas is None:
            index.saga_pairs = [(found.low[found.saga], found.high[found.saga],
                                 found.similarity[found.saga].astype(np.float32))]
            index.rebuild_sagas()
    return index
