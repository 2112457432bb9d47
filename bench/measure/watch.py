"""`storybrief watch` on one large feed: how long a feed of N real articles takes to read in full,
what an unchanged feed costs (answered 304, or re-sent whole without validators), and whether a
restart adds anything (it must not).

A local server on 127.0.0.1 serves one RSS feed of N Multi-News validation articles (full text in
content:encoded, distinct links and guids, dates spread over ten days) with an ETag. Cycles:
1. everything new (`max_new` = N): stored through the service's Store into a fresh SQLite file;
2. the same feed answered 304;
3. the feed re-sent whole without validators: every entry is known, nothing is stored;
4. a new watcher and Store on the same database (a restart), the feed again without validators.

    python -m bench.measure.watch                   # 10,000 entries, SQLite in a temp dir
    python -m bench.measure.watch --entries 2000 --db postgresql+psycopg://...   # tables dropped first
"""

from __future__ import annotations

import argparse
import gzip
import html
import http.server
import json
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select

from bench.data import multinews
from bench.report import machine_line, write_section
from storybrief.service.db import ArticleRow, StoryRow, normalise_url
from storybrief.service.settings import Settings
from storybrief.service.watch.watcher import Watcher, WatchOptions, open_store

DATA = multinews("val")


def feed_of(count: int) -> bytes:
    """An RSS feed of `count` Multi-News validation articles."""
    items, start = [], datetime(2026, 11, 1, tzinfo=timezone.utc)
    with gzip.open(DATA, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            for k, text in enumerate(record["documents"]):
                if len(text.split()) < 40:
                    continue
                n = len(items)
                title = " ".join(text.split()[:10])
                when = format_datetime(start + timedelta(minutes=n * 14400 / count))
                items.append(f"<item><title>{html.escape(title)}</title><link>https://outlet{k}.example/{n}</link>"
                             f"<guid>{record['id']}-{k}</guid><pubDate>{when}</pubDate>"
                             f"<content:encoded>{html.escape(text[:20000])}</content:encoded></item>")
                if len(items) >= count:
                    break
            if len(items) >= count:
                break
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>'
            + "".join(items) + "</channel></rss>").encode("utf-8")


def serve(body: bytes, etag: dict) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if etag["value"] and self.headers.get("If-None-Match") == etag["value"]:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            if etag["value"]:
                self.send_header("ETag", etag["value"])
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/feed.xml"


def counts(db_url: str) -> tuple[int, int]:
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as connection:
            return (connection.scalar(select(func.count()).select_from(ArticleRow.__table__)),
                    connection.scalar(select(func.count()).select_from(StoryRow.__table__)))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--db", default="", help="SQLAlchemy URL (default: a SQLite file in a temp dir)")
    parser.add_argument("--write", action="store_true", help="write the section of docs/benchmarks.md")
    args = parser.parse_args()
    body = feed_of(args.entries)
    etag = {"value": '"one"'}
    server, url = serve(body, etag)
    folder = tempfile.mkdtemp(prefix="storybrief-watch-")
    db_url = args.db or f"sqlite:///{Path(folder) / 'watch.db'}"
    if args.db:
        engine = create_engine(normalise_url(args.db))
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    machine = machine_line()
    lines: list[str] = []
    # No page fetching: the feed holds the articles (a short one would send the watcher to its made-up link).
    options = WatchOptions(delay=0, max_new=args.entries, allow_private=True, timeout=120, feed_bytes=200_000_000,
                           fetch_pages=False)
    rows = []

    def cycle(store, label: str) -> None:
        began = time.monotonic()
        report = Watcher(store, [url], options, log=lines.append).cycle()
        seconds = time.monotonic() - began
        rows.append((label, seconds, report))
        print(f"{label}: {seconds:.1f} s, {report.line(seconds)}", flush=True)

    store = open_store(Settings(db_url=db_url))
    cycle(store, f"1. {args.entries:,} new entries")
    began = time.monotonic()
    store.wait_for_briefs()
    briefs = time.monotonic() - began
    cycle(store, "2. unchanged, answered 304")
    etag["value"] = None
    cycle(store, "3. unchanged, sent whole without validators")
    store.close()
    store.db.dispose()
    restarted = open_store(Settings(db_url=db_url))
    cycle(restarted, "4. after a restart, sent whole")
    restarted.close()
    restarted.db.dispose()
    server.shutdown()
    articles, stories = counts(db_url)
    first = rows[0]
    later_new = sum(r.new for _, _, r in rows[1:])
    twice = ("none stored twice" if articles == first[2].new and not later_new
             else f"{articles - first[2].new + later_new} more than cycle 1 stored")
    table = ["| cycle | seconds | stored | already known | not modified | failed |", "|---|---|---|---|---|---|"]
    table += [f"| {label} | {seconds:.1f} | {r.new} | {r.linked} | {r.unchanged} | {r.failed} |"
              for label, seconds, r in rows]
    backend = "PostgreSQL" if args.db else "SQLite (WAL, synchronous=FULL)"
    when = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}"
    body_text = f"""## Feeds in: one large feed (`bench/measure/watch.py`)

`storybrief watch` reading one RSS feed of {args.entries:,} Multi-News validation articles (full text in the feed,
{len(body) / 1e6:.1f} MB) from a server on 127.0.0.1 into {backend}, through the service's Store (index assigner);
`--max-new {args.entries}` so that cycle 1 reads it all, `--no-pages`. {machine}, {when} UTC.

{chr(10).join(table)}

- Cycle 1: {first[2].new / first[1]:.0f} entries/s stored and grouped; the briefs of the {stories:,} stories were
  made by the background writer meanwhile and {briefs:.0f} s after the cycle.
- In the database afterwards: {articles:,} articles (entries: {args.entries:,}; {twice}), {stories:,} stories.
- Log lines other than the cycle summaries: {len([x for x in lines if not x.startswith('cycle done')])} (an entry that
  repeats the text of a stored one, from the same outlet, is that article: Multi-News repeats a few web-archive
  notices).
"""
    print(body_text)
    for line in lines[:20]:
        print("log:", line[:200])
    if args.write:
        write_section("watch" + ("-postgresql" if args.db else ""), body_text)


if __name__ == "__main__":
    main()
