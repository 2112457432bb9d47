"""The watch cycle: every feed fetched (conditionally, politely), its new or changed entries stored
through the service's `Store` (so they are assigned to stories and their briefs made again, as
POST /articles does), and one log line for everything that went wrong, feed by feed, never a stop."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from storybrief.errors import InputError, StoryBriefError, first_line
from storybrief.io.pile import normalise_date
from storybrief.io.story import decode, parse_html
from storybrief.service.fetch import FetchError
from storybrief.service.outlets import clean_title, outlet_name
from storybrief.service.schemas import MAX_ARTICLE_CHARS, ArticleIn
from storybrief.service.store import Store, article_from
from storybrief.service.watch.client import Client, HostGate
from storybrief.service.watch.entries import (
    FEED_ACCEPT,
    HTML_TYPES,
    PAGE_ACCEPT,
    VAGUE_TYPES,
    Entry,
    digest,
    parse_feed,
)
from storybrief.service.watch.state import FeedState, Seen

GONE = (404, 410)  # a page that will not come back: its entry is not tried again


@dataclass(frozen=True)
class WatchOptions:
    every: float = 900.0  # seconds from the start of one cycle to the start of the next
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds for one request, body included
    feed_bytes: int = 10_000_000  # a larger feed is refused
    page_bytes: int = 5_000_000  # a larger article page is refused (the entry keeps its summary)
    max_new: int = 200  # new or changed entries stored per feed and cycle; the rest in later cycles
    workers: int = 4  # feeds read at once (never two requests at once to one host)
    allow_private: bool = False  # read feeds and pages at private and loopback addresses too
    fetch_pages: bool = True  # fetch the page of an entry that holds only a summary


@dataclass
class CycleReport:
    feeds: int = 0
    unchanged: int = 0  # answered 304
    failed: int = 0
    new: int = 0  # articles stored
    updated: int = 0  # stored articles whose entry changed
    linked: int = 0  # entries that were an article already stored (another feed, a restart)
    skipped: int = 0  # entries with no text anywhere
    left: int = 0  # new entries left for the next cycles (more than max_new in one feed)

    def add(self, other: CycleReport) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self, seconds: float) -> str:
        parts = [f"{self.feeds} feeds", f"{self.new} new articles", f"{self.updated} updated",
                 f"{self.linked} already stored", f"{self.unchanged} not modified", f"{self.failed} failed"]
        if self.skipped:
            parts.append(f"{self.skipped} entries without text")
        if self.left:
            parts.append(f"{self.left} entries left for the next cycles")
        return f"cycle done in {seconds:.1f} s: " + ", ".join(parts)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Retry(Exception):
    """An entry that could not be read this time and is worth another try next cycle."""


class Watcher:
    def __init__(self, store: Store, urls: list[str], options: WatchOptions = WatchOptions(),
                 log: Callable[[str], None] = print, clock: Callable[[], datetime] = utc_now,
                 monotonic: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 reload: Callable[[], list[str]] | None = None) -> None:
        self.store = store
        self.urls = list(dict.fromkeys(urls))
        self.reload = reload  # read the list of feeds again before each cycle (feeds added or removed meanwhile)
        self.options = options
        self.log = log
        self.clock = clock
        self.monotonic = monotonic
        self.sleep = sleep
        self.state = FeedState(store.db)
        self.client = Client(HostGate(options.delay, monotonic, sleep), options.timeout, options.allow_private)
        self._last_cycle: datetime | None = None

    # -- the schedule ----------------------------------------------------------------------

    def run(self, cycles: int | None = None, stop: threading.Event | None = None) -> None:
        """Cycles every `options.every` seconds (by the monotonic clock, so a wall clock that jumps does
        not change the pace), `cycles` of them or until `stop` is set."""
        done = 0
        while stop is None or not stop.is_set():
            started = self.monotonic()
            self.cycle()
            done += 1
            if cycles is not None and done >= cycles:
                return
            wait = self.options.every - (self.monotonic() - started)
            if wait > 0:
                if stop is not None:
                    stop.wait(wait)
                else:
                    self.sleep(wait)

    def cycle(self) -> CycleReport:
        began, now = self.monotonic(), self.clock()
        if self._last_cycle is not None and now < self._last_cycle:
            self.log(f"the clock went back {_span(self._last_cycle - now)} since the last cycle; "
                     "going on (the schedule follows a monotonic clock)")
        self._last_cycle = now
        self._reload()
        report = CycleReport(feeds=len(self.urls))
        workers = max(1, self.options.workers)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="storybrief-watch") as pool:
            for found in pool.map(self._feed, self.urls):
                report.add(found)
        self.log(report.line(self.monotonic() - began))
        return report

    def _reload(self) -> None:
        if self.reload is None:
            return
        try:
            urls = list(dict.fromkeys(self.reload()))
        except StoryBriefError as exc:
            self.log(f"the list of feeds cannot be read again ({first_line(exc)}); "
                     f"going on with the {len(self.urls)} known")
            return
        added, removed = [u for u in urls if u not in self.urls], [u for u in self.urls if u not in urls]
        if added or removed:
            self.log(f"the list of feeds changed: {len(added)} added, {len(removed)} removed")
        self.urls = urls

    # -- one feed --------------------------------------------------------------------------

    def _feed(self, url: str) -> CycleReport:
        report = CycleReport()
        try:
            self._read_feed(url, report)
        except (StoryBriefError, SQLAlchemyError) as exc:
            report.failed += 1
            message = _message(exc, url)
            if "private or loopback" in message and not self.options.allow_private:
                message += " (--allow-private reads feeds on your own network)"
            self.log(f"feed {url}: {message}")
            self._note_failure(url, message)
        except Exception as exc:  # noqa: BLE001 - one feed must never stop the others; said in one line
            report.failed += 1
            self.log(f"feed {url}: unexpected {type(exc).__name__}: {first_line(exc)}")
            self._note_failure(url, f"unexpected {type(exc).__name__}: {first_line(exc)}")
        return report

    def _note_failure(self, url: str, message: str) -> None:
        try:
            feed = self.state.feed(url, self.clock())
            self.state.checked(feed.id, self.clock(), message, ok=False)
        except SQLAlchemyError:
            pass  # the database is the problem; the log line said what went wrong

    def _read_feed(self, url: str, report: CycleReport) -> None:
        feed = self.state.feed(url, self.clock())
        headers = {"Accept": FEED_ACCEPT}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        response = self.client.get(url, headers, self.options.feed_bytes)
        if response.status == 304:
            report.unchanged += 1
            self.state.checked(feed.id, self.clock(), "not modified", ok=True)
            return
        parsed = parse_feed(response.body, response.url, response.content_type)
        title = parsed.title or feed.title
        if parsed.problem:
            self.log(f"feed {url}: {parsed.problem}; read the {len(parsed.entries)} entries it could")
        if parsed.repeated:
            self.log(f"feed {url}: {parsed.repeated} entries repeated in the feed, each read once")
        seen = self.state.seen(feed.id)
        todo = [e for e in parsed.entries if e.key not in seen or seen[e.key].fingerprint != e.fingerprint]
        undated = retry = 0
        for entry in todo[: self.options.max_new]:
            try:
                undated += self._entry(url, feed.id, title, entry, seen.get(entry.key), report)
            except Retry as exc:
                retry += 1
                self.log(f"feed {url}: {exc}; tried again next cycle")
        left = max(0, len(todo) - self.options.max_new)
        report.left += left
        if undated:
            self.log(f"feed {url}: {undated} new entries without a date, stored undated")
        if left:
            self.log(f"feed {url}: {len(todo)} new or changed entries, {self.options.max_new} read now, "
                     f"{left} left for the next cycles")
        # The validators are kept only when every entry of this answer was handled: a feed with a
        # backlog must be read again in full, not answered 304.
        complete = not left and not retry
        self.state.checked(feed.id, self.clock(), f"{len(parsed.entries)} entries, {len(todo)} new or changed",
                           ok=True, title=title,
                           etag=response.headers.get("etag") if complete else None,
                           last_modified=response.headers.get("last-modified") if complete else None)

    # -- one entry -------------------------------------------------------------------------

    def _entry(self, url: str, feed_id: int, feed_title: str, entry: Entry, before: Seen | None,
               report: CycleReport) -> int:
        """Store, update or link one new or changed entry; 1 when it was stored without a date."""
        name = repr(entry.title[:80]) if entry.title else (entry.link or "(untitled)")
        item = self._article_in(url, feed_title, entry, name)
        now = self.clock()
        if item is None:
            report.skipped += 1
            self.log(f"feed {url}: entry {name} has no text in the feed or on its page, skipped")
            self.state.record(feed_id, entry.key, entry.fingerprint, None, "", now)
            return 0
        if before is not None and before.article_id is not None:
            self._update(url, before.article_id, item, name, report)
            self.state.record(feed_id, entry.key, entry.fingerprint, before.article_id, item.source, now)
            return 0
        try:
            [result] = self.store.ingest([item])
        except StoryBriefError as exc:
            report.skipped += 1
            self.log(f"feed {url}: entry {name}: {first_line(exc)}, skipped")
            self.state.record(feed_id, entry.key, entry.fingerprint, None, "", now)
            return 0
        self.state.record(feed_id, entry.key, entry.fingerprint, result.id, item.source, now)
        if result.created:
            report.new += 1
            return 0 if item.published else 1
        report.linked += 1
        stored = self.state.outlet(result.id)
        also = f"; {item.source} is listed as its outlet too" if item.source and item.source != stored else ""
        self.log(f"feed {url}: entry {name} is article {result.id}, already stored{also}")
        return 0

    def _update(self, url: str, article_id: int, item: ArticleIn, name: str, report: CycleReport) -> None:
        try:
            article = article_from(item, f"entry {name}")
        except StoryBriefError as exc:
            self.log(f"feed {url}: entry {name} changed but {first_line(exc)}; article {article_id} kept as it was")
            return
        replaced = self.state.replace(article_id, article)
        if replaced.story_id is not None:
            report.updated += 1
            self.log(f"feed {url}: entry {name} changed; article {article_id} updated in place")
            self.store.writer.submit({replaced.story_id})
        elif replaced.same_as is not None:
            self.log(f"feed {url}: entry {name} changed to the text of article {replaced.same_as}; "
                     f"article {article_id} kept as it was")

    def _article_in(self, url: str, feed_title: str, entry: Entry, name: str) -> ArticleIn | None:
        """The entry as the store takes an article: the feed's text, or its page's when the feed holds
        only a summary. None: no text anywhere. Retry: the page failed and the feed has no text."""
        text, title, published, site = entry.text, entry.title, entry.published, ""
        if not entry.full and entry.link and self.options.fetch_pages:
            try:
                page = self._page(entry.link)
            except (FetchError, InputError) as exc:
                status = getattr(exc, "status", None)
                kept = "kept the feed's summary" if text.strip() else "no summary to keep"
                if not text.strip() and isinstance(exc, FetchError) and status not in GONE:
                    raise Retry(f"entry {name}: {first_line(exc)}") from None
                self.log(f"feed {url}: entry {name}: {first_line(exc)}; {kept}")
                page = None
            if page is not None and len(page.text.split()) > len(text.split()):
                text, site = page.text, page.source
                title = title or clean_title(page.title, site, entry.link)
                published = published or normalise_date(page.published)
        if not text.strip():
            return None
        outlet = outlet_name(entry.source, site, entry.link) or feed_title or outlet_name("", "", url)
        try:
            return ArticleIn(text=text[:MAX_ARTICLE_CHARS], title=title[:500], source=outlet[:200],
                             url=entry.link or None, published=published[:100],
                             id="feed:" + digest(f"{url}\n{entry.key}")[:40])
        except ValidationError as exc:
            self.log(f"feed {url}: entry {name}: {first_line(exc)}, skipped")
            return None

    def _page(self, link: str):
        response = self.client.get(link, {"Accept": PAGE_ACCEPT}, self.options.page_bytes)
        if response.content_type not in HTML_TYPES | VAGUE_TYPES:
            raise InputError(f"{link}: a {response.content_type[:100]} answer, not an article page")
        return parse_html(decode(response.body, link), link)


def _message(exc: BaseException, url: str) -> str:
    """One line, without the feed's address when the message starts with it (the log line names it)."""
    message = first_line(exc)
    return message[len(url) + 2:] if message.startswith(url + ": ") else message


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 60} min {seconds % 60} s"


EVERY = re.compile(r"^(?:(\d+(?:\.\d+)?)([smhd])?)+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> float:
    """Seconds in "15m", "1h30m", "90s", "2h" or "600" (seconds)."""
    value = value.strip().lower().replace(" ", "")
    if not value or not EVERY.match(value):
        raise StoryBriefError(f"--every {value!r}: give a duration such as 15m, 1h, 90s or 1h30m")
    return sum(float(number) * UNITS[unit] for number, unit in _PART.findall(value))


def open_store(settings) -> Store:
    """The service's store over `settings.db_url` (migrated first), as `create_app` makes it: the same
    story assigner, word budget and brief method, so watched articles are grouped and briefed alike."""
    from storybrief.service import migrate
    from storybrief.service.assign import make_assigner
    from storybrief.service.db import Database, DatabaseError

    database = Database(settings.db_url)
    database.check()
    try:
        migrate.upgrade(database)
    except SQLAlchemyError as exc:
        database.dispose()
        raise DatabaseError(f"cannot bring the database schema up to date: {first_line(exc)}") from exc
    return Store(database, assigner=make_assigner(settings.assigner), words=settings.words, method=settings.method)
