"""What the endpoints do with the database: ingest articles, list stories, keep briefs current.

Pipeline work is delegated: text extraction to `storybrief.io.story`, story assignment to a
`StoryAssigner`, briefs to `storybrief.summarize`.
"""

from __future__ import annotations

import hashlib
import queue
import re
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import delete, func, literal, or_, select, union_all, update
from sqlalchemy.exc import IntegrityError

from storybrief.brief.clean import headline_of
from storybrief.brief.pipeline import summarize
from storybrief.errors import InputError, StoryBriefError
from storybrief.io.story import parse_html
from storybrief.service import links
from storybrief.service import news as news_stage
from storybrief.service.assign import StoryAssigner, StoryIndexAssigner
from storybrief.service.db import (
    ArticleRow,
    CachedBrief,
    Database,
    FeedEntryRow,
    StoryRow,
    later,
    utcnow,
)
from storybrief.service.outlets import clean_title, outlet_name
from storybrief.service.schemas import ArticleIn, Deleted, IngestedArticle
from storybrief.service.search import MARK_END, MARK_START, search, search_terms
from storybrief.service.search import backend as search_backend
from storybrief.types import DEFAULT_WORDS, Article, Brief

MAX_BRIEF_ARTICLES = 60  # a story's newest articles that its brief is written from
# The cost cap of one brief: each article's first 20,000 characters (cut back to a sentence end), and
# 250,000 characters in all, newest articles first: a huge article must not hold a brief up for
# seconds (docs/design-service.md has the timings).
MAX_BRIEF_ARTICLE_CHARS = 20_000
MAX_BRIEF_CHARS = 250_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")
# Bumped when the shape or content rules of a cached brief change: older cached briefs are recomputed
# (3: every citation carries its evidence, which the story page shows).
BRIEF_FORMAT = 3
ID_RANGE = range(-(2**63), 2**63)  # what an id column holds on both databases; any other id is not stored


@dataclass
class Incoming:
    """An incoming article with its text extracted, ready to store."""

    article: Article
    client_id: str | None
    content_hash: str


def article_from(item: ArticleIn, where: str, fetcher=None) -> Article:
    """Text and metadata of one incoming article; HTML is reduced to its main text."""
    if item.text:
        article = Article(text=item.text)
    elif item.html:
        article = parse_html(item.html, where)
    elif item.url and fetcher is not None:
        page, final_url = fetcher(item.url)
        article = parse_html(page, item.url)
    elif item.url:
        raise InputError(f"{where}: no \"text\" or \"html\", and fetching URLs is disabled on this server")
    else:  # the schema already refuses this
        raise InputError(f"{where}: no article text")
    site = article.source  # the page's own name for its site (og:site_name and the like), if any
    article.title = item.title or clean_title(article.title, site, item.url) or headline_of(article.text)
    article.source = outlet_name(item.source, site, item.url)
    article.published = item.published or article.published
    article.url = item.url or ""
    for field in ("text", "title", "source", "published", "url"):
        # NUL is valid JSON but PostgreSQL cannot store it in text, and it is never content; the
        # search's highlight marks are private-use characters no article needs.
        value = getattr(article, field).replace("\x00", "")
        setattr(article, field, value.replace(MARK_START, "").replace(MARK_END, ""))
    if not article.text.strip():
        raise InputError(f"{where}: no article text")
    return article


def incoming(item: ArticleIn, where: str, fetcher=None) -> Incoming:
    article = article_from(item, where, fetcher)
    return Incoming(article, item.id, content_hash(article.source, article.text))


def content_hash(source: str, text: str) -> str:
    """The idempotency key of an article without a client id or URL: the same text from the same outlet."""
    return hashlib.sha256(f"{source}\0{text}".encode()).hexdigest()


def story_title(article: Article) -> str:
    if article.title:
        return article.title[:500]
    words = article.text.split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


def brief_data(brief: Brief, rows: dict[int, ArticleRow]) -> dict:
    """Brief.to_dict() with each source tied to its stored article in `rows`, by database id
    (`stored_articles` makes Article.id the row's id; the brief's `Source.article_id` carries it)."""
    data = brief.to_dict()
    for source, out in zip(brief.sources, data["sources"], strict=True):
        row = rows.get(int(source.article_id)) if source.article_id.isdigit() else None
        # The pipeline names a nameless source by its id ("5"): a number says nothing to a reader.
        name = "" if source.name == source.article_id else source.name
        out.update(article_id=row.id if row else None, name=name, url=row.url if row else None)
    for sentence in data["sentences"]:
        sentence["single_source"] = sentence["support"] == 1
        sentence.pop("origin", None)
    data.pop("single_source", None)
    data["format"] = BRIEF_FORMAT
    return data


class BriefInput(NamedTuple):
    """What a brief reads of a stored article: its text capped (see `capped`)."""

    id: int
    title: str
    source: str
    url: str | None
    published: str
    text: str


class Listing(NamedTuple):
    stories: list[StoryRow]
    total: int
    sources: dict[int, list[str]]  # story id -> its outlets
    snippets: dict[int, str]  # story id -> where its best article matches the query (search only)


class BriefWriter:
    """A background thread that makes the briefs of stories that just changed, one at a time, so the
    next read finds them cached instead of making them itself; their timelines and update briefs
    after every brief queued (`make(story_id, news)`): under load a story's news is made once for
    the brief that stands, not for each brief a burst of articles supersedes."""

    BRIEF, STOP, NEWS = 0, 1, 2  # queue priorities: at close, news still due is left to the reads

    def __init__(self, make: Callable[[int, bool], None]) -> None:
        self.make = make
        self._queue: queue.PriorityQueue[tuple[int, int, int | None]] = queue.PriorityQueue()
        self._queued: set[tuple[int, int]] = set()  # (priority, story id)
        self._count = 0  # tie-break: first in, first out within a priority
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()
        self._closed = False
        self._unfinished = 0  # briefs and news queued and not yet made

    def submit(self, story_ids: set[int], priority: int = BRIEF) -> None:
        with self._guard:
            if self._closed:
                return
            for story_id in sorted(story_ids):
                if (priority, story_id) in self._queued:
                    continue
                self._queued.add((priority, story_id))
                self._unfinished += 1
                self._count += 1
                self._queue.put((priority, self._count, story_id))
            if story_ids and (self._thread is None or not self._thread.is_alive()):
                self._thread = threading.Thread(target=self._work, name="storybrief-briefs", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            priority, _, story_id = self._queue.get()
            if story_id is None:
                return
            with self._guard:
                self._queued.discard((priority, story_id))
            try:
                self.make(story_id, priority == self.NEWS)
                if priority == self.BRIEF:
                    self.submit({story_id}, self.NEWS)
            except Exception:  # noqa: BLE001 - the next read of the story makes the brief and reports what failed
                pass
            finally:
                with self._guard:
                    self._unfinished -= 1

    def wait(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._unfinished:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self, timeout: float = 30) -> None:
        with self._guard:
            self._closed = True
            thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put((self.STOP, 0, None))
            thread.join(timeout)


class Store:
    def __init__(self, database: Database, assigner: StoryAssigner | None = None, words: int = DEFAULT_WORDS,
                 method: str = "default", fetcher=None) -> None:
        self.db = database
        self.assigner = assigner or StoryIndexAssigner()
        self.words = words
        self.method = method
        self.fetcher = fetcher
        self._brief_locks: dict[int, threading.Lock] = {}
        self._brief_locks_guard = threading.Lock()
        self._search_backend: str | None = None  # found at the first search (after the migrations ran)
        self.writer = BriefWriter(self._brief_of)
        self.record_links = links.Recorder()  # related stories, stored at each ingest

    # -- writes --------------------------------------------------------------------------

    def ingest(self, items: list[ArticleIn]) -> list[IngestedArticle]:
        """Store articles and assign each to a story; all or none, committed before returning."""
        prepared = [incoming(item, f"article {n}" if len(items) > 1 else "article", self.fetcher)
                    for n, item in enumerate(items)]
        results = []
        try:
            with self.db.write() as session:
                for item in prepared:
                    results.append(self._ingest_one(session, item))
                self.record_links(session, self.assigner)
        except BaseException:
            self.assigner.forget()  # it may remember articles that were rolled back
            self.record_links.reset()
            raise
        self._brief_later({r.story_id for r in results if r.created})
        return results

    # -- briefs made when articles arrive ----------------------------------------------------

    def _brief_later(self, story_ids: set[int]) -> None:
        self.writer.submit(story_ids)

    def _brief_of(self, story_id: int, news: bool) -> None:
        with self.db.read() as session:
            story = session.get(StoryRow, story_id)
        if story is not None:
            self.brief(story, news=news)

    def wait_for_briefs(self, timeout: float | None = None) -> bool:
        """Block until the background writer has made every brief it was given (for tests and scripts)."""
        return self.writer.wait(timeout)

    def close(self, timeout: float = 30) -> None:
        """Stop the background brief writer (at shutdown, before the database is closed)."""
        self.writer.close(timeout)

    def _ingest_one(self, session, item: Incoming) -> IngestedArticle:
        article = item.article
        existing = None
        if item.client_id is not None:
            existing = session.scalar(select(ArticleRow).where(ArticleRow.client_id == item.client_id))
        if existing is None and article.url:
            existing = session.scalar(select(ArticleRow).where(ArticleRow.url == article.url))
        if existing is None:
            existing = session.scalar(select(ArticleRow).where(ArticleRow.content_hash == item.content_hash))
        if existing is not None:
            return IngestedArticle(id=existing.id, story_id=existing.story_id, created=False,
                                   duplicate_of=existing.duplicate_of)
        assignment = self.assigner.assign(session, article)
        now = utcnow()
        story = session.get(StoryRow, assignment.story_id) if assignment.story_id is not None else None
        if story is None:
            story = StoryRow(title=story_title(article), version=0, article_count=0, created_at=now, updated_at=now)
            session.add(story)
        if assignment.label:  # the grouping's name for the story as it now is (issue 15), else its first title
            story.title = assignment.label[:500]
        story.version += 1
        story.article_count += 1
        story.updated_at = later(story.updated_at, now)
        row = ArticleRow(
            client_id=item.client_id, url=article.url or None, content_hash=item.content_hash,
            title=article.title[:500], source=article.source[:200], published=article.published[:100],
            text=article.text, words=article.words, duplicate_of=assignment.duplicate_of, created_at=now,
        )
        session.flush()  # the story's id
        row.story_id = story.id
        session.add(row)
        session.flush()  # the article's id
        self.assigner.remember(row.id, story.id, article)
        return IngestedArticle(id=row.id, story_id=story.id, created=True, duplicate_of=assignment.duplicate_of)

    def delete_article(self, article_id: int) -> Deleted | None:
        """Remove one article; its story goes too when it was the story's last. None: no such article."""
        if article_id not in ID_RANGE:
            return None
        with self._deleting() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                return None
            story = session.get(StoryRow, row.story_id, with_for_update=True)
            remaining = story.article_count - 1 if story is not None else 0
            return self._remove(session, row.story_id, [article_id], story_too=remaining <= 0)

    def delete_story(self, story_id: int) -> Deleted | None:
        """Remove a story and every article in it. None: no such story."""
        if story_id not in ID_RANGE:
            return None
        with self._deleting() as session:
            if session.get(StoryRow, story_id, with_for_update=True) is None:
                return None
            ids = list(session.scalars(
                select(ArticleRow.id).where(ArticleRow.story_id == story_id).order_by(ArticleRow.id)))
            return self._remove(session, story_id, ids, story_too=True)

    @contextmanager
    def _deleting(self):
        """A write under the assignment lock; the assigner forgets everything after it (its index holds
        the removed articles) and rebuilds from the database at the next ingest. Another server process
        on the same database keeps them until its own rebuild: an article it assigns to a removed story
        starts a new one (see `_ingest_one`). Callers lock the story row first (FOR UPDATE on
        PostgreSQL): the brief writer's insert of a cached brief then waits for the delete and fails its
        foreign key (it gives up), instead of slipping in between and failing the delete."""
        try:
            with self.db.write() as session:
                yield session
        finally:
            self.assigner.forget()
            self.record_links.reset()

    @staticmethod
    def _remove(session, story_id: int, article_ids: list[int], story_too: bool) -> Deleted:
        if article_ids:
            session.execute(update(ArticleRow).where(ArticleRow.duplicate_of.in_(article_ids)).values(duplicate_of=None))
            session.execute(delete(ArticleRow).where(ArticleRow.id.in_(article_ids)))
        if story_too:
            session.execute(delete(CachedBrief).where(CachedBrief.story_id == story_id))
            links.forget(session, story_id)
            session.execute(delete(StoryRow).where(StoryRow.id == story_id))
        else:
            story = session.get(StoryRow, story_id)
            story.article_count -= len(article_ids)
            story.version += 1  # the cached brief cites a removed article: recompute it
            story.updated_at = later(story.updated_at, utcnow())
        return Deleted(article_ids=article_ids, story_id=story_id, story_deleted=story_too)

    # -- reads ---------------------------------------------------------------------------

    def stories(self, query: str = "", page: int = 1, per_page: int = 20, sort: str = "newest") -> Listing:
        """A page of stories with their outlets: matches of `query` best first (see `search`), else
        most recently updated first (`sort="newest"`) or most articles first (`sort="biggest"`)."""
        terms = search_terms(query)
        with self.db.read() as session:
            if terms and self.search_backend() != "like":
                hits = search(session, self.search_backend(), query, terms, page, per_page)
                found = {s.id: s for s in session.scalars(select(StoryRow).where(StoryRow.id.in_(hits.story_ids)))}
                stories = [found[i] for i in hits.story_ids if i in found]
                return Listing(stories, hits.total, self._sources(session, hits.story_ids), hits.snippets)
            selection = select(StoryRow)
            if query.strip():
                pattern = "%" + _escape_like(query.strip().lower()) + "%"
                matching = select(ArticleRow.story_id).where(or_(
                    func.lower(ArticleRow.title).like(pattern, escape="\\"),
                    func.lower(ArticleRow.text).like(pattern, escape="\\"),
                    func.lower(ArticleRow.source).like(pattern, escape="\\"),
                ))
                selection = selection.where(
                    or_(func.lower(StoryRow.title).like(pattern, escape="\\"), StoryRow.id.in_(matching)))
            total = session.scalar(select(func.count()).select_from(selection.subquery()))
            order = (StoryRow.article_count.desc(),) if sort == "biggest" else ()
            stories = session.scalars(
                selection.order_by(*order, StoryRow.updated_at.desc(), StoryRow.id.desc())
                .offset((page - 1) * per_page).limit(per_page)
            ).all()
            return Listing(list(stories), int(total or 0), self._sources(session, [s.id for s in stories]), {})

    def search_backend(self) -> str:
        """"fts5", "tsvector" or "like", found once (the migrations have run by then)."""
        if self._search_backend is None:
            with self.db.read() as session:
                self._search_backend = search_backend(session)
        return self._search_backend

    def story(self, story_id: int) -> tuple[StoryRow, list[ArticleRow], list[str]] | None:
        if story_id not in ID_RANGE:
            return None
        with self.db.read() as session:
            story = session.get(StoryRow, story_id)
            if story is None:
                return None
            articles = session.scalars(
                select(ArticleRow).where(ArticleRow.story_id == story_id).order_by(ArticleRow.id)).all()
            return story, list(articles), self._sources(session, [story_id]).get(story_id, [])

    def related(self, story_id: int) -> list[StoryRow]:
        """The stories linked to this one as parts of one saga, oldest first."""
        with self.db.read() as session:
            return links.related(session, story_id)

    def article(self, article_id: int) -> ArticleRow | None:
        if article_id not in ID_RANGE:
            return None
        with self.db.read() as session:
            return session.get(ArticleRow, article_id)

    def outlets(self, story_ids: list[int]) -> dict[int, list[str]]:
        """Each story's outlets (see `_sources`)."""
        with self.db.read() as session:
            return self._sources(session, story_ids)

    @staticmethod
    def _sources(session, story_ids: list[int]) -> dict[int, list[str]]:
        """Each story's outlets in the order of their first article: the articles' own, and those of the
        feeds that carried an article too (one article in two feeds lists both outlets)."""
        if not story_ids:
            return {}
        named = union_all(
            select(ArticleRow.story_id, ArticleRow.source, ArticleRow.id, literal(0))
            .where(ArticleRow.story_id.in_(story_ids)),
            select(ArticleRow.story_id, FeedEntryRow.outlet, ArticleRow.id, literal(1))
            .join(FeedEntryRow, FeedEntryRow.article_id == ArticleRow.id).where(ArticleRow.story_id.in_(story_ids)),
        ).subquery()
        story, source, first, feeds_only = named.c
        rows = session.execute(
            select(story, source).group_by(story, source).order_by(story, func.min(first), func.min(feeds_only))
        ).all()
        outlets: dict[int, list[str]] = {}
        for story_id, source in rows:
            if source:
                outlets.setdefault(story_id, []).append(source)
        return outlets

    def counts(self) -> tuple[int, int]:
        with self.db.read() as session:
            return (int(session.scalar(select(func.count()).select_from(ArticleRow)) or 0),
                    int(session.scalar(select(func.count()).select_from(StoryRow)) or 0))

    # -- briefs --------------------------------------------------------------------------

    def brief(self, story: StoryRow, news: bool = True) -> dict:
        """The story's brief as a dict, or {"error": message}; cached until the story changes. `news`
        False (lists): its timeline and update brief may still be due (`pending`, service.news)."""
        cached = self._cached(story.id, story.version)
        if cached is not None and (not news or "pending" not in cached):
            return cached
        with self._lock_for(story.id):  # one thread writes a story's brief; the others wait for it
            cached = self._cached(story.id, story.version)
            if cached is None:
                return self._compute(story.id, news)
            if news and "pending" in cached:
                return complete_cached(self.db, story.id, cached, self.words, self.method)
            return cached

    def _lock_for(self, story_id: int) -> threading.Lock:
        with self._brief_locks_guard:
            if len(self._brief_locks) > 10_000:
                self._brief_locks = {k: v for k, v in self._brief_locks.items() if v.locked()}
            return self._brief_locks.setdefault(story_id, threading.Lock())

    def _cached(self, story_id: int, version: int) -> dict | None:
        with self.db.read() as session:
            cached = session.get(CachedBrief, story_id)
            if (cached is not None and cached.version >= version and cached.words == self.words
                    and cached.method == self.method and cached.data.get("format") == BRIEF_FORMAT):
                return cached.data
        return None

    def _compute(self, story_id: int, news: bool = True) -> dict:
        with self.db.read() as session:
            # Version first: articles read after it can only be newer, so the cache never claims too much.
            version = session.scalar(select(StoryRow.version).where(StoryRow.id == story_id))
            newest = session.execute(brief_rows().where(ArticleRow.story_id == story_id)
                                     .order_by(ArticleRow.id.desc()).limit(MAX_BRIEF_ARTICLES)).all()
            before = session.get(CachedBrief, story_id)  # the previous brief: what is new is said against it
            previous, made = (before.data, before.created_at) if before is not None else (None, None)
            copy_of = copies_of(session, ArticleRow.story_id == story_id)
        rows = within_cap(newest)
        articles = stored_articles(rows)
        try:
            data = brief_data(summarize(articles, words=self.words, method=self.method), {r.id: r for r in rows})
            # What is cheap of the timeline, update brief and the briefs before (storybrief.service.news).
            data.update(news_stage.news_plan(previous, made, articles))
        except StoryBriefError as exc:
            data = {"error": str(exc), "format": BRIEF_FORMAT}
        if news and "pending" in data:
            data = with_news(data, copy_of, {r.id: r for r in rows}, self.words, self.method)
        try:
            with self.db.write(serialise=False) as session:
                cached = session.get(CachedBrief, story_id)
                if cached is None:
                    session.add(CachedBrief(story_id=story_id, version=version, words=self.words, method=self.method,
                                            data=data, created_at=utcnow()))
                elif cached.version <= version:
                    cached.version, cached.words, cached.method = version, self.words, self.method
                    cached.data, cached.created_at = data, utcnow()
        except IntegrityError:
            pass  # another server process cached it first; its brief is as good as this one
        return data


def complete_cached(db: Database, story_id: int, data: dict, words: int, method: str) -> dict:
    """A cached brief with its timeline and update brief made (they were due, `pending`), cached too."""
    ids = news_stage.needs(data)
    with db.read() as session:
        found = session.execute(brief_rows().where(ArticleRow.id.in_(ids))).all()
        copy_of = copies_of(session, ArticleRow.id.in_(ids))
    done = with_news(data, copy_of, {row.id: brief_input(row) for row in found}, words, method)
    with db.write(serialise=False) as session:
        cached = session.get(CachedBrief, story_id)
        # Only over the same brief: a newer one (the story changed meanwhile) is left alone.
        if cached is not None and cached.data.get("pending") == data["pending"] and (
                cached.data.get("articles") == data["articles"]):
            cached.data = done
    return done


def with_news(data: dict, copy_of: dict[int, int | None], rows: dict[int, BriefInput], words: int, method: str) -> dict:
    articles = {int(a.id): a for a in stored_articles(list(rows.values()))}
    return news_stage.complete(data, articles, copy_of, words, method, lambda brief: brief_data(brief, rows))


def brief_rows():
    """An article's fields for a brief, its text taken in SQL only up to the cap."""
    return select(ArticleRow.id, ArticleRow.title, ArticleRow.source, ArticleRow.url, ArticleRow.published,
                  func.substr(ArticleRow.text, 1, MAX_BRIEF_ARTICLE_CHARS + 1).label("text"))


def within_cap(newest) -> list[BriefInput]:
    """The brief's input from a story's newest rows (`brief_rows`, newest first): each text capped,
    and rows taken while their texts total at most MAX_BRIEF_CHARS (the first always); oldest first."""
    rows, total = [], 0
    for row in newest:
        found = brief_input(row)
        if rows and total + len(found.text) > MAX_BRIEF_CHARS:
            break
        total += len(found.text)
        rows.append(found)
    return rows[::-1]


def copies_of(session, where) -> dict[int, int]:
    """Article id -> the id of the article it copies, for the articles `where` selects that are copies."""
    return dict(session.execute(select(ArticleRow.id, ArticleRow.duplicate_of).where(
        where, ArticleRow.duplicate_of.is_not(None))).all())


def brief_input(row) -> BriefInput:
    return BriefInput(row.id, row.title, row.source, row.url, row.published, capped(row.text, MAX_BRIEF_ARTICLE_CHARS))


def capped(text: str, limit: int) -> str:
    """`text` if it is at most `limit` characters, else its start up to the last sentence end before the limit."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit)]
    return text[: ends[-1]].rstrip() if ends else text[:limit]


def stored_articles(rows: list[ArticleRow]) -> list[Article]:
    """Stored articles as the pipeline takes them; Article.id is the row's id, which comes back in
    each brief source's `article_id`."""
    return [Article(text=r.text, id=str(r.id), title=r.title, source=r.source, url=r.url or "", published=r.published)
            for r in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
