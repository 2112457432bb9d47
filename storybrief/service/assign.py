"""Which story a newly ingested article belongs to.

The service talks to story assignment through one small interface, `StoryAssigner`, so the
grouping can be replaced without touching the API code:

    assignment = assigner.assign(session, article)   # under the database write lock
    ... the service inserts the article (and a new story when assignment.story_id is None) ...
    assigner.remember(article_id, story_id, article)  # same transaction, after the insert
    assigner.forget()                                 # after a rollback: drop in-memory state
    assigner.links()  # optional: (stories it speaks for, related story pairs), see storybrief.service.links

`StoryIndexAssigner` (the default) puts the stories work's incremental grouping,
`storybrief.stories.StoryIndex`, behind this interface; the database stays the record of which
article is in which story, and the index is rebuilt from it (see the class). It also names the
story (`Assignment.label`, the grouping's label), which the store keeps as the story's title.

`SimilarityAssigner` is the simpler alternative, first-story detection in the classic style: an
article joins the story of its nearest recent article when they are near-copies (MinHash of
5-shingles, as `storybrief.brief.dedupe`) or similar enough (TF-IDF cosine ≥ threshold), and starts a
new story otherwise. Its state is a window of recent articles kept in memory and caught up from
the database at every call, so several server processes on one database agree.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sqlalchemy import select
from sqlalchemy.orm import Session

from storybrief.brief.dedupe import COPY_THRESHOLD, copy_lsh, minhash, shingles
from storybrief.errors import StoryBriefError
from storybrief.service.db import ArticleRow
from storybrief.stories import StoryIndex
from storybrief.text import idf
from storybrief.types import Article

# Cosine of TF-IDF vectors above which two articles report the same story. Measured on
# Multi-News validation clusters streamed in random order (see docs/design-service.md).
SIMILARITY_THRESHOLD = 0.2
WINDOW = 5000  # recent articles a new one is compared with: stories are "current", not forever
FEATURES = 2**18


@dataclass
class Assignment:
    story_id: int | None  # the story to join; None starts a new story
    duplicate_of: int | None = None  # the article this one is a near-copy of
    similarity: float = 0.0  # to the nearest article, for diagnostics
    # What the grouping calls the story with this article in it ("": no opinion, the store keeps its title).
    label: str = ""


class StoryAssigner(Protocol):
    def assign(self, session: Session, article: Article) -> Assignment: ...

    def remember(self, article_id: int, story_id: int, article: Article) -> None: ...

    def forget(self) -> None: ...


def stored_since(session: Session, last_id: int, window: int, *columns):
    """The catch-up of both assigners: `columns` of the articles committed after `last_id` (by this
    or another process), in id order; on the first call (`last_id` 0), of the newest `window`."""
    if last_id == 0:
        newest = session.scalars(select(ArticleRow.id).order_by(ArticleRow.id.desc()).limit(window)).all()
        last_id = min(newest) - 1 if newest else 0
    return session.execute(select(*columns).where(ArticleRow.id > last_id).order_by(ArticleRow.id))


class SimilarityAssigner:
    """Nearest recent article by near-copy test, then by TF-IDF cosine (idf over the window)."""

    def __init__(self, threshold: float = SIMILARITY_THRESHOLD, window: int = WINDOW) -> None:
        self.threshold = threshold
        self.window = window
        # Hashing keeps article vectors stable as the vocabulary grows: no refit, ever.
        self.vectoriser = HashingVectorizer(
            n_features=FEATURES, alternate_sign=False, norm=None, stop_words="english",
            token_pattern=r"(?u)\b[^\W\d_][^\W_]+\b", dtype=np.float32,
        )
        self.forget()

    def forget(self) -> None:
        self.last_id = 0
        self.ids: deque[int] = deque()
        self.stories: dict[int, int] = {}
        self.rows: dict[int, sp.csr_matrix] = {}
        self.signatures: dict[int, object] = {}
        self.df = np.zeros(FEATURES, dtype=np.int32)
        self.lsh = copy_lsh()
        # TF-IDF rows of the window, L2-normalised under `_idf`; rebuilt when the window has changed
        # by 5% (idf drifts slowly), articles added since are weighted on the fly.
        self._idf: np.ndarray | None = None
        self._weighted: sp.csr_matrix | None = None
        self._weighted_ids: list[int] = []
        self._added_since: list[int] = []

    # -- the interface -------------------------------------------------------------------

    def assign(self, session: Session, article: Article) -> Assignment:
        self.catch_up(session)
        signature = minhash(shingles(article.text))
        for candidate in sorted(self.lsh.query(signature)):
            if self.signatures[candidate].jaccard(signature) >= COPY_THRESHOLD:
                return Assignment(self.stories[candidate], duplicate_of=candidate, similarity=1.0)
        if not self.ids:
            return Assignment(None)
        row = self._tf(article.text)
        best, similarity = self._nearest(row)
        if best is not None and similarity >= self.threshold:
            return Assignment(self.stories[best], similarity=similarity)
        return Assignment(None, similarity=similarity)

    def remember(self, article_id: int, story_id: int, article: Article) -> None:
        self._add(article_id, story_id, article.text)
        self.last_id = max(self.last_id, article_id)

    # -- internals -----------------------------------------------------------------------

    def catch_up(self, session: Session) -> None:
        """Add articles committed since the last call (by this or another process)."""
        for article_id, story_id, text in stored_since(session, self.last_id, self.window,
                                                       ArticleRow.id, ArticleRow.story_id, ArticleRow.text):
            self._add(article_id, story_id, text)
            self.last_id = article_id

    def _tf(self, text: str) -> sp.csr_matrix:
        row = self.vectoriser.transform([text]).tocsr()
        row.data = 1 + np.log(row.data)  # sublinear tf: a word said ten times is not ten times the topic
        return row

    def _add(self, article_id: int, story_id: int, text: str) -> None:
        if article_id in self.stories:
            return
        row = self._tf(text)
        signature = minhash(shingles(text))
        self.ids.append(article_id)
        self.stories[article_id] = story_id
        self.rows[article_id] = row
        self.signatures[article_id] = signature
        self.df[row.indices] += 1
        self.lsh.insert(article_id, signature)
        while len(self.ids) > self.window:
            old = self.ids.popleft()
            self.df[self.rows.pop(old).indices] -= 1
            self.lsh.remove(old)
            del self.signatures[old], self.stories[old]
        self._added_since.append(article_id)

    def _weigh(self, ids: list[int]) -> sp.csr_matrix:
        """Rows of `ids` weighted by the current idf, L2-normalised."""
        matrix = sp.vstack([self.rows[i] for i in ids]).tocsr().multiply(self._idf).tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        return sp.diags(1 / np.maximum(norms, 1e-12)) @ matrix

    def _nearest(self, row: sp.csr_matrix) -> tuple[int | None, float]:
        n = len(self.ids)
        if self._weighted is None or len(self._added_since) >= max(50, n // 20):
            self._idf = idf(self.df, n)
            self._weighted_ids = list(self.ids)
            self._weighted = self._weigh(self._weighted_ids)
            self._added_since = []
        query = row.multiply(self._idf).tocsr()
        query_norm = math.sqrt(float(query.multiply(query).sum()))
        if not query_norm:
            return None, 0.0
        ids = self._weighted_ids
        scores = np.asarray((self._weighted @ query.T).todense()).ravel() / query_norm
        recent = [i for i in self._added_since if i in self.stories]
        if recent:
            ids = ids + recent
            recent_scores = np.asarray((self._weigh(recent) @ query.T).todense()).ravel() / query_norm
            scores = np.concatenate([scores, recent_scores])
        alive = np.fromiter((i in self.stories for i in ids), dtype=bool, count=len(ids))
        scores = np.where(alive, scores, -1.0)  # evicted from the window since the last rebuild
        best = int(np.argmax(scores))
        return (ids[best], float(scores[best])) if scores[best] >= 0 else (None, 0.0)


# Articles the index is rebuilt from: the newest ones in the database. It is rebuilt again (in
# the background, see `_renew`) once it holds twice as many, which bounds both its memory and
# its per-article cost (each `add` costs time in proportion to the articles held).
INDEX_WINDOW = 5000
# StoryIndex's linkage threshold for the service, without the mutual boost (below): the service
# adds one article at a time, so each decision is one article against fixed stories, and a B-cubed
# sweep on Multi-News *train* clusters streamed that way peaks here (docs/design-service.md). The
# batch default (0.16) goes with the boost.
INDEX_THRESHOLD = 0.15
# No mutual-neighbour boost (StoryIndex's batch default 1.5): streamed one article at a time it did
# not pay (docs/design-service.md), and without it replaying stored articles (`place`) notes no
# closest similarities.
INDEX_MUTUAL_BOOST = 1.0


class StoryIndexAssigner:
    """`StoryIndex` (average-linkage grouping, copy detection) as a `StoryAssigner`.

    The database is the record: the index only ever holds decisions that are committed, or that
    are in the current transaction and are dropped by `forget` if it rolls back. It is built by
    replaying stored articles in id order into the stories they were stored in
    (`StoryIndex.place`, no regrouping), so a restarted server, or a second process, sees the
    same stories; at each `assign` it catches up with rows of id > the last one seen. Index
    story keys are "db<id>" for stories that came from the database and "s<n>" for one the
    index has just opened; the latter is tied to its database id in `remember`.
    `Assignment.similarity` is 1.0 for a copy and 0.0 otherwise: StoryIndex reports no score.
    """

    def __init__(self, threshold: float = INDEX_THRESHOLD, window: int = INDEX_WINDOW) -> None:
        self.threshold = threshold
        self.window = window
        self._rebuild: _Rebuild | None = None
        self.forget()

    def forget(self) -> None:
        self._rebuild = None  # a rebuild under way is left to finish and then ignored
        self.index = StoryIndex(threshold=self.threshold, mutual_boost=INDEX_MUTUAL_BOOST)
        self.last_id = 0
        self.article_of: dict[str, int] = {}  # index article id -> database article id
        self.key_of_article: dict[int, str] = {}
        self.story_of: dict[str, int] = {}  # index story key -> database story id
        self.key_of_story: dict[int, str] = {}
        self.pending: str | None = None  # index id of the article assigned and not yet remembered
        self.serial = 0

    # -- the interface -------------------------------------------------------------------

    def assign(self, session: Session, article: Article) -> Assignment:
        self.catch_up(session)
        self.serial += 1
        key = f"new{self.serial}"
        [story] = self.index.add([replace(article, id=key, copies=list(article.copies))])
        self.pending = key
        if story is None:  # no text at all (the service refuses such articles before this)
            return Assignment(None)
        original = self.index.row_ids[self.index.row_of[key]]
        duplicate_of = self.article_of.get(original) if original != key else None
        return Assignment(self.story_of.get(story), duplicate_of=duplicate_of, similarity=1.0 if duplicate_of else 0.0,
                          label=self.label(story))

    def remember(self, article_id: int, story_id: int, article: Article) -> None:
        key, self.pending = self.pending, None
        story = self.index.row_story[self.index.row_of[key]] if key in self.index.row_of else None
        if story is None:  # not assigned through this object: take the database's word for it
            self.place([(article_id, story_id, article, None)])
            return
        if self.story_of.get(story, story_id) != story_id or self.key_of_story.get(story_id, story) != story:
            self.forget()  # stored elsewhere than the index said: rebuild from the database at the next assign
            return
        self._tie(key, article_id, story, story_id)

    def label(self, story: str) -> str:
        """The grouping's label of an index story (the title of the article nearest its centroid, else its
        key phrase); "" when the label would only be an article's id (nothing to name it by)."""
        found = self.index.label(story).strip()
        return "" if found in self.index.articles else found

    def links(self) -> tuple[set[int], set[tuple[int, int]]]:
        """What the grouping says of related stories, in database ids: (the stories the index holds,
        the related pairs (lower id, higher id) between them). It speaks for no other story: one
        whose articles have all left the index keeps the links stored for it."""
        held = {story_id for key, story_id in self.story_of.items() if key in self.index.stories}
        pairs = set()
        for key, linked in self.index.sagas.related.items():
            a = self.story_of.get(key)
            for other in linked:
                b = self.story_of.get(other)
                if a is not None and b is not None and a != b:
                    pairs.add((min(a, b), max(a, b)))
        return held, pairs

    # -- internals -----------------------------------------------------------------------

    def _tie(self, key: str, article_id: int, story: str, story_id: int) -> None:
        self.article_of[key], self.key_of_article[article_id] = article_id, key
        self.story_of[story], self.key_of_story[story_id] = story_id, story
        self.last_id = max(self.last_id, article_id)

    def catch_up(self, session: Session) -> None:
        """Place articles committed since the last call (by this or another process)."""
        self._renew(session)
        rows = stored_since(session, self.last_id, self.window, ArticleRow.id, ArticleRow.story_id, ArticleRow.text,
                            ArticleRow.title, ArticleRow.source, ArticleRow.published, ArticleRow.duplicate_of)
        self.place([(article_id, story_id, Article(text=text, title=title or "", source=source or "",
                                                   published=published or ""), duplicate_of)
                    for article_id, story_id, text, title, source, published, duplicate_of in rows])

    def place(self, rows: list[tuple[int, int, Article, int | None]]) -> None:
        """Stored articles into the index, in the stories the database has them in."""
        articles, stories, originals = [], [], []
        for article_id, story_id, article, duplicate_of in rows:
            if article_id in self.key_of_article:
                continue
            key, story = f"a{article_id}", self.key_of_story.get(story_id, f"db{story_id}")
            articles.append(replace(article, id=key, copies=[]))
            stories.append(story)
            originals.append(self.key_of_article.get(duplicate_of) if duplicate_of is not None else None)
            self._tie(key, article_id, story, story_id)
        if articles:
            try:
                self.index.place(articles, stories, originals)
            except StoryBriefError:
                self.forget()
                raise


    def _renew(self, session: Session) -> None:
        """Keep the index to about `window` articles without making one request wait for a rebuild.

        Past 2 x window articles a fresh index is built from the newest stored articles in a
        background thread, with its own database connection, while requests go on with the old
        one; the first call after it is ready swaps it in, and the catch-up then places what was
        stored meanwhile (the rebuild reads only committed rows; this transaction's own rows are
        visible to its session). Only past 4 x window (a rebuild that failed or cannot keep up)
        is the index rebuilt in the request, as it always was before.
        """
        rebuild = self._rebuild
        if rebuild is not None and rebuild.done.is_set():
            self._rebuild = None
            if rebuild.result is not None:
                fresh = rebuild.result
                self.index, self.last_id = fresh.index, fresh.last_id
                self.article_of, self.key_of_article = fresh.article_of, fresh.key_of_article
                self.story_of, self.key_of_story = fresh.story_of, fresh.key_of_story
                return
        held = len(self.index.articles)
        if held > 4 * self.window:
            self.forget()
        elif held > 2 * self.window and self._rebuild is None:
            self._rebuild = _Rebuild(session.get_bind(), StoryIndexAssigner(self.threshold, self.window))

    def wait_for_rebuild(self, timeout: float | None = None) -> bool:
        """Block until a background rebuild under way is ready (for tests and benchmarks)."""
        rebuild = self._rebuild
        return rebuild is None or rebuild.done.wait(timeout)


class _Rebuild:
    """A StoryIndexAssigner caught up from the database in a daemon thread; `result` is it, or
    None if the rebuild failed (the request path then rebuilds as before)."""

    def __init__(self, bind, fresh: StoryIndexAssigner) -> None:
        self.done = threading.Event()
        self.result: StoryIndexAssigner | None = None
        threading.Thread(target=self._run, args=(bind, fresh), name="storybrief-index-rebuild", daemon=True).start()

    def _run(self, bind, fresh: StoryIndexAssigner) -> None:
        try:
            with Session(bind) as session:
                fresh.catch_up(session)
            self.result = fresh
        except Exception:  # noqa: BLE001 - reported by falling back to the in-request rebuild
            self.result = None
        finally:
            self.done.set()


ASSIGNERS = {"index": StoryIndexAssigner, "similarity": SimilarityAssigner}


def make_assigner(name: str) -> StoryAssigner:
    """The assigner called `name`: "index" (the default) or "similarity"."""
    try:
        return ASSIGNERS[name]()
    except KeyError:
        raise StoryBriefError(f"unknown story assigner {name!r}: use one of {', '.join(ASSIGNERS)}") from None
