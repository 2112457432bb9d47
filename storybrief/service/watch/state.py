"""What the watcher keeps in the service database, so that a restart resumes where it stopped: each
feed's conditional-GET validators and last status, and each entry seen (its fingerprint, the
article it became, the outlet this feed names for it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storybrief.service.db import ArticleRow, Database, FeedEntryRow, FeedRow, StoryRow, later, utcnow
from storybrief.service.store import content_hash
from storybrief.types import Article

KEEP = object()  # `checked`: leave this validator as it is


@dataclass(frozen=True)
class Seen:
    fingerprint: str
    article_id: int | None


@dataclass(frozen=True)
class Replaced:
    story_id: int | None  # the story whose brief must be made again; None: nothing was replaced
    same_as: int | None = None  # the new text is already stored as this other article


def naive(moment: datetime) -> datetime:
    """Naive UTC, as the database keeps every time."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


class FeedState:
    def __init__(self, database: Database) -> None:
        self.db = database

    def feed(self, url: str, now: datetime) -> FeedRow:
        """The feed's row, made on first sight."""
        with self.db.read() as session:
            row = session.scalar(select(FeedRow).where(FeedRow.url == url))
        if row is not None:
            return row
        try:
            with self.db.write(serialise=False) as session:
                row = FeedRow(url=url, title="", status="new", failures=0, created_at=naive(now))
                session.add(row)
                session.flush()
                return row
        except IntegrityError:  # another watcher added it first
            with self.db.read() as session:
                return session.scalar(select(FeedRow).where(FeedRow.url == url))

    def seen(self, feed_id: int) -> dict[str, Seen]:
        with self.db.read() as session:
            rows = session.execute(select(FeedEntryRow.entry_key, FeedEntryRow.fingerprint, FeedEntryRow.article_id)
                                   .where(FeedEntryRow.feed_id == feed_id))
            return {key: Seen(fingerprint, article_id) for key, fingerprint, article_id in rows}

    def record(self, feed_id: int, key: str, fingerprint: str, article_id: int | None, outlet: str,
               now: datetime) -> None:
        """The entry as seen now (made or updated)."""
        try:
            with self.db.write(serialise=False) as session:
                row = session.scalar(select(FeedEntryRow).where(FeedEntryRow.feed_id == feed_id,
                                                                FeedEntryRow.entry_key == key))
                if row is None:
                    row = FeedEntryRow(feed_id=feed_id, entry_key=key)
                    session.add(row)
                row.fingerprint, row.outlet, row.seen_at = fingerprint, outlet[:200], naive(now)
                if article_id is not None or row.article_id is None:
                    row.article_id = article_id
        except IntegrityError:
            pass  # another watcher on the same feed recorded it in the meantime

    def checked(self, feed_id: int, now: datetime, status: str, ok: bool, title: str | None = None,
                etag=KEEP, last_modified=KEEP) -> None:
        with self.db.write(serialise=False) as session:
            row = session.get(FeedRow, feed_id)
            if row is None:
                return
            row.checked_at, row.status = naive(now), status[:500]
            row.failures = 0 if ok else row.failures + 1
            if title:
                row.title = title[:500]
            if etag is not KEEP:
                row.etag = etag[:1000] if etag else None
            if last_modified is not KEEP:
                row.last_modified = last_modified[:200] if last_modified else None

    def replace(self, article_id: int, article: Article) -> Replaced:
        """Put a changed entry's text and title in place of the stored article's (its outlet stays): the
        story's version moves on, so its brief is made again. Under the write lock, as ingest."""
        with self.db.write() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                return Replaced(None)
            title = article.title[:500] or row.title
            if row.text == article.text and row.title == title:
                return Replaced(None)
            digest = content_hash(row.source, article.text)
            other = session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == digest,
                                                               ArticleRow.id != article_id))
            if other is not None:
                return Replaced(None, same_as=other)
            now = utcnow()
            row.text, row.title, row.words, row.content_hash = article.text, title, article.words, digest
            row.published = article.published[:100] or row.published
            row.updated_at = later(row.updated_at or row.created_at, now)
            story = session.get(StoryRow, row.story_id)
            story.version += 1
            story.updated_at = later(story.updated_at, now)
            return Replaced(row.story_id)

    def outlet(self, article_id: int) -> str:
        with self.db.read() as session:
            return session.scalar(select(ArticleRow.source).where(ArticleRow.id == article_id)) or ""
