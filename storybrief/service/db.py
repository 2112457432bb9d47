"""Tables, engine and sessions: SQLite (WAL) by default, PostgreSQL by URL.

Durability rule: an article is acknowledged only after its transaction commits, so every
setting here leans towards "committed means on disk" (SQLite `synchronous=FULL`).
Writes that assign stories are serialised across threads and processes (`write_lock`), because
story assignment reads the current stories and must not race another assignment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from storybrief.errors import StoryBriefError, first_line

DEFAULT_DB = "sqlite:///./storybrief.db"
# Any constant works; it names the one advisory lock that serialises story assignment on PostgreSQL.
PG_WRITE_LOCK = 0x5B0B
SQLITE_BUSY_MS = 30_000


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no time zone, so both back ends store naive UTC alike."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def later(previous: datetime | None, now: datetime) -> datetime:
    """`now`, or just after `previous` if the clock says otherwise: a story's `updated_at` only moves
    forward (an Atom reader takes an older <updated> for no change), even when the clock went back."""
    return now if previous is None or now > previous else previous + timedelta(microseconds=1)


class Base(DeclarativeBase):
    pass


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    # Bumped whenever an article joins; a cached brief is current when its version matches.
    version: Mapped[int] = mapped_column(Integer, default=0)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class StoryLinkRow(Base):
    """Two stories of one long saga, linked as related (never merged: months apart, or a different
    development); kept both ways round, so a story's links are the rows with its `story_id`. The
    grouping decides them (`StoryIndex` sagas) and may change them as articles come."""

    __tablename__ = "story_links"

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    related_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    # Idempotency keys: a repeated POST with the same client id or URL returns the stored article.
    client_id: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    url: Mapped[str | None] = mapped_column(String(2048), unique=True, nullable=True)
    # sha256 of source + text: the same text from the same outlet posted twice without a key.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[int] = mapped_column(Integer, default=0)
    # The earlier article this one is a near-copy of (a re-published wire story), if any.
    duplicate_of: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When its text was last replaced (a feed entry that changed); None: never since created.
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class CachedBrief(Base):
    __tablename__ = "briefs"

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(50))
    # Brief.to_dict() plus article ids per source, or {"error": message} when the story cannot be briefed.
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FeedRow(Base):
    """A feed `storybrief watch` reads, with what its conditional GET needs."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    # Kept only once every entry of the answer they came with was handled (a backlog is read again).
    etag: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(200), nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(500), default="")  # the last check, one line
    failures: Mapped[int] = mapped_column(Integer, default=0)  # failed checks in a row
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FeedEntryRow(Base):
    """An entry seen in a feed: how it read then (to notice a change) and the article it became."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key", name="uq_feed_entries_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    entry_key: Mapped[str] = mapped_column(String(64))  # sha256 of the entry's id (else link, else content)
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of its title, text and link
    # None: no article (no text anywhere), or the article was deleted; the entry stays seen either way.
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), nullable=True, index=True
    )
    outlet: Mapped[str] = mapped_column(String(200), default="")  # the outlet this feed names for it
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class InstanceRow(Base):
    """One row: this database's own id, which makes the Atom ids of its stories unique anywhere."""

    __tablename__ = "instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))


class DatabaseError(StoryBriefError):
    """The database URL is unusable or the database cannot be reached."""


def normalise_url(url: str) -> str:
    """A SQLAlchemy URL; a bare path means a SQLite file, `postgresql://` means psycopg 3."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:///FILE or postgresql+psycopg://...")
    return parsed.render_as_string(hide_password=False)


def make_db_engine(url: str) -> Engine:
    url = normalise_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        database = make_url(url).database
        if not database or database == ":memory:":
            raise DatabaseError("an in-memory SQLite database would lose every article on exit; give a file")
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise DatabaseError(f"{database}: folder {parent} does not exist")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False})
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy emit BEGIN itself so a write can ask for BEGIN IMMEDIATE (see begin below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        # IMMEDIATE takes the write lock up front: two writers queue instead of failing on upgrade.
        mode = "BEGIN IMMEDIATE" if connection.get_execution_options().get("storybrief_write") else "BEGIN"
        connection.exec_driver_sql(mode)


class Database:
    """Engine, session factory and the write lock for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_db_engine(self.url)
        self.backend = self.engine.dialect.name
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._thread_lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def write(self, serialise: bool = True) -> Iterator[Session]:
        """A write transaction; commits on success, rolls back on error.

        `serialise` holds the database-wide write lock (story assignment); without it the
        transaction still starts as a writer on SQLite, so it waits rather than fails.
        """
        with self._thread_lock if serialise else nullcontext(), self.sessions() as session:
            if self.backend == "sqlite":
                session.connection(execution_options={"storybrief_write": True})
            elif serialise:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def check(self) -> None:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means the same thing to the caller
            raise DatabaseError(f"cannot reach the database: {first_line(exc)}") from exc

    def dispose(self) -> None:
        self.engine.dispose()

