"""A feed-and-page server on 127.0.0.1 for the watch tests: each path answers as told (status,
type, body, ETag, Last-Modified, a delay, a slow drip, a redirect), and every request is recorded."""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from html import escape

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


class Clock:
    """A wall clock and a monotonic clock that move only when told (or when slept on)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now, self.ticks, self.slept = start, 0.0, []

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.ticks

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.ticks += seconds
        self.now += timedelta(seconds=seconds)


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None  # answered with 304 when the request's If-None-Match names it
    last_modified: str | None = None  # answered with 304 when If-Modified-Since repeats it
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between 1 kB pieces of the body
    location: str | None = None  # a redirect (status 302 unless given)
    length: bool = True  # send Content-Length


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    start: float
    end: float = 0.0


@dataclass
class FeedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    active: int = 0
    most_active: int = 0  # the most requests in flight at once

    def __post_init__(self) -> None:
        self._guard = threading.Lock()
        self.stopping = threading.Event()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, **route) -> str:
        self.routes[path] = Route(**route)
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with owner._guard:
                    owner.requests.append(seen)
                    owner.active += 1
                    owner.most_active = max(owner.most_active, owner.active)
                try:
                    self._answer(owner.routes.get(self.path))
                finally:
                    with owner._guard:
                        owner.active -= 1
                    seen.end = time.monotonic()

            def _answer(self, route: Route | None):
                if route is None:
                    route = Route(b"<html><body>Not here</body></html>", 404, "text/html")
                if route.delay and owner.stopping.wait(route.delay):
                    return
                if route.location:
                    self.send_response(route.status if route.status != 200 else 302)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                        route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                if route.length:
                    self.send_header("Content-Length", str(len(route.body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                if not route.drip:
                    self.wfile.write(route.body)
                    return
                for start in range(0, len(route.body), 1024):
                    self.wfile.write(route.body[start:start + 1024])
                    self.wfile.flush()
                    if owner.stopping.wait(route.drip):
                        return

            def log_message(self, *args):
                pass

        return Handler


def http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


def rss(title: str, items: list[dict], raw_title: bool = False) -> bytes:
    """An RSS 2.0 feed; each item: title, link, guid, description, content, pubDate, source (all optional).
    Values are escaped unless `raw_title` (a test of what a feed may carry)."""
    parts = []
    for item in items:
        fields = []
        for name in ("title", "link", "guid", "description", "pubDate"):
            if name in item:
                value = item[name] if raw_title and name == "title" else escape(item[name], quote=False)
                fields.append(f"<{name}>{value}</{name}>")
        if "content" in item:
            fields.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        if "source" in item:
            fields.append(f'<source url="http://127.0.0.1/">{escape(item["source"])}</source>')
        parts.append("<item>" + "".join(fields) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>test</description>"
        + "".join(parts) + "</channel></rss>"
    ).encode("utf-8")


def page(title: str, text: str, site: str = "", date: str = "") -> bytes:
    """An article page as trafilatura reads one: title, site name, date and paragraphs."""
    meta = f'<meta property="og:site_name" content="{escape(site)}">' if site else ""
    meta += f'<meta property="article:published_time" content="{escape(date)}">' if date else ""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<html><head><title>{escape(title)}</title>{meta}</head><body><nav>Home / News</nav>"
            f"<article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>").encode("utf-8")
