"""`storybrief serve` (the HTTP service) and `storybrief watch` (feeds in, on a schedule)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storybrief.cli.app import app, fail, stderr
from storybrief.errors import StoryBriefError
from storybrief.types import DEFAULT_WORDS, MAX_BRIEF_WORDS


def need_service_extra(who: str) -> None:
    """A one-line error when the 'service' extra's modules are not installed (`who` needs them)."""
    from storybrief.service import missing_modules

    missing = missing_modules()
    if missing:
        fail(f"{who} needs the 'service' extra (missing {', '.join(missing)}): pip install 'storybrief[service]'")


@app.command()
def serve(
    host: Optional[str] = typer.Option(
        None,
        "--host",
        show_default=False,
        help="Address to listen on. Default: $STORYBRIEF_HOST or 127.0.0.1 (0.0.0.0: every interface; set "
        "STORYBRIEF_TOKEN then).",
    ),
    port: Optional[int] = typer.Option(
        None, "--port", "-p", min=1, max=65535, show_default=False, help="Default: $STORYBRIEF_PORT or 8000."
    ),
    db: Optional[str] = typer.Option(
        None,
        "--db",
        help="SQLAlchemy URL (sqlite:///FILE, postgresql+psycopg://...). Default: $STORYBRIEF_DB or ./storybrief.db.",
    ),
    words: Optional[int] = typer.Option(
        None,
        "--words",
        "-w",
        min=1,
        max=MAX_BRIEF_WORDS,
        show_default=False,
        help=f"Word budget of each story's brief. Default: $STORYBRIEF_WORDS or {DEFAULT_WORDS}.",
    ),
    max_body: Optional[int] = typer.Option(
        None,
        "--max-body",
        min=1024,
        show_default=False,
        help="Largest request body in bytes (413 above it). Default: $STORYBRIEF_MAX_BODY or 10485760.",
    ),
    allow_fetch: Optional[bool] = typer.Option(
        None,
        "--allow-fetch/--no-allow-fetch",
        show_default=False,
        help="Let POST /articles give only a URL, fetched from public addresses. Default: $STORYBRIEF_ALLOW_FETCH or "
        "off.",
    ),
) -> None:
    """Run the HTTP service: JSON API, web page at /, schema at /openapi.json.

    Settings: flags, else STORYBRIEF_* variables."""
    need_service_extra("the service")
    from storybrief.service.server import serve as run_server
    from storybrief.service.settings import Settings

    try:
        settings = Settings.from_env(
            host=host, port=port, db_url=db, words=words, max_body=max_body, allow_fetch=allow_fetch
        )
        run_server(
            settings,
            warn=lambda message: stderr.print(
                message,
                style="bold red" if message.startswith("WARNING") else None,
                highlight=False,
                markup=False,
                soft_wrap=True,
            ),
        )
    except StoryBriefError as exc:
        fail(str(exc))


@app.command()
def watch(
    feeds: Path = typer.Argument(..., metavar="FEEDS", help="OPML file, or a text file with one feed address a line."),
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL of the service's database. Default: $STORYBRIEF_DB or ./storybrief.db."
    ),
    every: str = typer.Option(
        "15m", "--every", help="Time from the start of one cycle to the next: 15m, 1h, 90s, 1h30m."
    ),
    once: bool = typer.Option(False, "--once", help="Read every feed once and exit (for cron)."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Also read feeds and pages at private and loopback addresses (your network)."
    ),
    delay: float = typer.Option(1.0, "--delay", min=0, help="Seconds between two requests to one host."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds for one request, body included."),
    max_new: int = typer.Option(
        200, "--max-new", min=1, help="New entries stored per feed and cycle; the rest in the next cycles."
    ),
    pages: bool = typer.Option(
        True, "--pages/--no-pages", help="Fetch the page of an entry that holds only a summary."
    ),
) -> None:
    """Read RSS/Atom feeds on a schedule into the service's database: entries become articles, grouped and briefed.

    FEEDS is read again before every cycle, so feeds can be added or removed while it runs."""
    need_service_extra("watch")
    from datetime import datetime

    from storybrief.service.settings import Settings
    from storybrief.service.watch.feedlist import read_feed_list
    from storybrief.service.watch.watcher import Watcher, WatchOptions, open_store, parse_every

    def log(line: str) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        stderr.print(f"{stamp} {line}", highlight=False, markup=False, soft_wrap=True)

    try:
        seconds = parse_every(every)
        if seconds < 10 and not once:
            fail(f"--every {every}: at least 10 s between cycles")
        found = read_feed_list(feeds)
        for note in found.notes:
            log(note)
        store = open_store(Settings.from_env(db_url=db))
    except StoryBriefError as exc:
        fail(str(exc))
    options = WatchOptions(
        every=seconds, delay=delay, timeout=timeout, max_new=max_new, allow_private=allow_private, fetch_pages=pages
    )
    log(
        f"watching {len(found.urls)} feeds"
        + ("" if once else f", every {every}")
        + (", private addresses allowed" if allow_private else "")
    )
    try:
        Watcher(store, found.urls, options, log=log, reload=lambda: read_feed_list(feeds).urls).run(
            cycles=1 if once else None
        )
    except KeyboardInterrupt:
        log("stopped")
    finally:
        store.wait_for_briefs(timeout=120 if once else 5)
        store.close()
        store.db.dispose()

