"""What the endpoints do with the database: ingest articles, list stories, keep briefs current.

Pipeline work is delegated: text extraction to `storybrief.io.story`, story assignment to a
`StoryAssigner`, briefs to `storybrief.summarize`.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from storybrief.brief.pipeline import summarize
from storybrief.errors import InputError, StoryBriefError
from storybrief.io.story import parse_html
from storybrief.service.assign import StoryAssigner, StoryIndexAssigner
from storybrief.service.db import ArticleRow, CachedBrief, Database, StoryRow, utcnow
from storybrief.service.news import story_news
from storybrief.service.schemas import ArticleIn, IngestedArticle
from storybrief.types import DEFAULT_WORDS, Article, Brief

MAX_BRIEF_ARTICLES = 60  # a story's newest articles that its brief is written from


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
    article.title = item.title or article.title
    article.source = item.source or article.source
    article.published = item.published or article.published
    article.url = item.url or ""
    for field in ("text", "title", "source", "published", "url"):
        # NUL is valid JSON but PostgreSQL cannot store it in text, and it is never content.
        setattr(article, field, getattr(article, field).replace("\x00", ""))
    if not article.text.strip():
        raise InputError(f"{where}: no article text")
    return article


def incoming(item: ArticleIn, where: str, fetcher=None) -> Incoming:
    article = article_from(item, where, fetcher)
    digest = hashlib.sha256(f"{article.source}\0{article.text}".encode()).hexdigest()
    return Incoming(article, item.id, digest)


def story_title(article: Article) -> str:
    if article.title:
        return article.title[:500]
    words = article.text.split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


def brief_data(brief: Brief, rows: dict[int, ArticleRow]) -> dict:
    """Brief.to_dict() with each source tied to its stored article in `rows`, by database id
    (`stored_articles` makes Article.id the row's id; the brief's `Source.article_id` carries it)."""
    data = brief.to_dict()
    for source, out in zip(brief.sources, data["sources"]):
        row = rows.get(int(source.article_id)) if source.article_id.isdigit() else None
        out.update(article_id=row.id if row else None, name=source.name or "", url=row.url if row else None)
    for sentence in data["sentences"]:
        sentence["single_source"] = sentence["support"] == 1
        sentence.pop("origin", None)
    data.pop("single_source", None)
    return data


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

    # -- writes --------------------------------------------------------------------------

    def ingest(self, items: list[ArticleIn]) -> list[IngestedArticle]:
        """Store articles and assign each to a story; all or none, committed before returning."""
        prepared = [incoming(item, f"article {n}" if len(items) > 1 else "article", self.fetcher) for n, item in enumerate(items)]
        results = []
        try:
            with self.db.write() as session:
                for item in prepared:
                    results.append(self._ingest_one(session, item))
        except BaseException:
            self.assigner.forget()  # it may remember articles that were rolled back
            raise
        return results

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
            return IngestedArticle(id=existing.id, story_id=existing.story_id, created=False, duplicate_of=existing.duplicate_of)
        assignment = self.assigner.assign(session, article)
        now = utcnow()
        story = session.get(StoryRow, assignment.story_id) if assignment.story_id is not None else None
        if story is None:
            story = StoryRow(title=story_title(article), version=0, article_count=0, created_at=now, updated_at=now)
            session.add(story)
        story.version += 1
        story.article_count += 1
        story.updated_at = now
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

    # -- reads ---------------------------------------------------------------------------

    def stories(self, query: str = "", page: int = 1, per_page: int = 20) -> tuple[list[StoryRow], int, dict[int, list[str]]]:
        """A page of stories, most recently updated first, with their outlets."""
        with self.db.read() as session:
            selection = select(StoryRow)
            if query.strip():
                pattern = "%" + _escape_like(query.strip().lower()) + "%"
                matching = select(ArticleRow.story_id).where(or_(
                    func.lower(ArticleRow.title).like(pattern, escape="\\"),
                    func.lower(ArticleRow.text).like(pattern, escape="\\"),
                    func.lower(ArticleRow.source).like(pattern, escape="\\"),
                ))
                selection = selection.where(or_(func.lower(StoryRow.title).like(pattern, escape="\\"), StoryRow.id.in_(matching)))
            total = session.scalar(select(func.count()).select_from(selection.subquery()))
            stories = session.scalars(
                selection.order_by(StoryRow.updated_at.desc(), StoryRow.id.desc()).offset((page - 1) * per_page).limit(per_page)
            ).all()
            return list(stories), int(total or 0), self._sources(session, [s.id for s in stories])

    def story(self, story_id: int) -> tuple[StoryRow, list[ArticleRow], list[str]] | None:
        with self.db.read() as session:
            story = session.get(StoryRow, story_id)
            if story is None:
                return None
            articles = session.scalars(select(ArticleRow).where(ArticleRow.story_id == story_id).order_by(ArticleRow.id)).all()
            return story, list(articles), self._sources(session, [story_id]).get(story_id, [])

    def article(self, article_id: int) -> ArticleRow | None:
        with self.db.read() as session:
            return session.get(ArticleRow, article_id)

    @staticmethod
    def _sources(session, story_ids: list[int]) -> dict[int, list[str]]:
        if not story_ids:
            return {}
        rows = session.execute(
            select(ArticleRow.story_id, ArticleRow.source).where(ArticleRow.story_id.in_(story_ids))
            .group_by(ArticleRow.story_id, ArticleRow.source).order_by(ArticleRow.story_id, func.min(ArticleRow.id))
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

    def brief(self, story: StoryRow) -> dict:
        """The story's brief as a dict, or {"error": message}; cached until the story changes."""
        cached = self._cached(story.id, story.version)
        if cached is not None:
            return cached
        with self._lock_for(story.id):  # one thread writes a story's brief; the others wait for it
            cached = self._cached(story.id, story.version)
            if cached is not None:
                return cached
            return self._compute(story.id)

    def _lock_for(self, story_id: int) -> threading.Lock:
        with self._brief_locks_guard:
            if len(self._brief_locks) > 10_000:
                self._brief_locks = {k: v for k, v in self._brief_locks.items() if v.locked()}
            return self._brief_locks.setdefault(story_id, threading.Lock())

    def _cached(self, story_id: int, version: int) -> dict | None:
        with self.db.read() as session:
            cached = session.get(CachedBrief, story_id)
            if cached is not None and cached.version >= version and cached.words == self.words and cached.method == self.method:
                return cached.data
        return None

    def _compute(self, story_id: int) -> dict:
        with self.db.read() as session:
            # Version first: articles read after it can only be newer, so the cache never claims too much.
            version = session.scalar(select(StoryRow.version).where(StoryRow.id == story_id))
            rows = session.scalars(
                select(ArticleRow).where(ArticleRow.story_id == story_id).order_by(ArticleRow.id.desc()).limit(MAX_BRIEF_ARTICLES)
            ).all()
            before = session.get(CachedBrief, story_id)  # the previous brief: what is new is said against it
            previous, made = (before.data, before.created_at) if before is not None else (None, None)
        rows = list(reversed(rows))
        articles = stored_articles(rows)
        try:
            data = brief_data(summarize(articles, words=self.words, method=self.method), {r.id: r for r in rows})
            # Timeline, update brief and the briefs before, kept with the brief (storybrief.service.news).
            data.update(story_news(previous, made, articles, {r.id: r.duplicate_of for r in rows}, self.words,
                                   self.method, lambda brief: brief_data(brief, {r.id: r for r in rows})))
        except StoryBriefError as exc:
            data = {"error": str(exc)}
        try:
            with self.db.write(serialise=False) as session:
                cached = session.get(CachedBrief, story_id)
                if cached is None:
                    session.add(CachedBrief(story_id=story_id, version=version, words=self.words, method=self.method, data=data, created_at=utcnow()))
                elif cached.version <= version:
                    cached.version, cached.words, cached.method, cached.data, cached.created_at = version, self.words, self.method, data, utcnow()
        except IntegrityError:
            pass  # another server process cached it first; its brief is as good as this one
        return data


def stored_articles(rows: list[ArticleRow]) -> list[Article]:
    """Stored articles as the pipeline takes them; Article.id is the row's id, which comes back in
    each brief source's `article_id`."""
    return [Article(text=r.text, id=str(r.id), title=r.title, source=r.source, url=r.url or "", published=r.published)
            for r in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
