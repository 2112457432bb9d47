"""A fetched feed read into entries (feedparser), each with a stable key, a fingerprint that changes
when the entry does, plain text and an ISO date; and what a fetched answer is (a feed, or an HTML
page standing in for one)."""

from __future__ import annotations

import hashlib
import re
from calendar import timegm
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from storybrief.errors import StoryBriefError, first_line
from storybrief.io.pile import html_to_text
from storybrief.service.atom import xml_text

# An entry whose feed content has this many words holds the article; a shorter one (or a summary
# without content) is only a pointer to it, and its page is fetched.
FULL_CONTENT_WORDS = 50
FULL_SUMMARY_WORDS = 150

FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/x-rss+xml", "application/x-atom+xml",
}
# Servers often send feeds with these; the body decides.
VAGUE_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, "
               "text/xml;q=0.8, */*;q=0.1")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9"

_FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S | re.I)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html\b|<head\b|<body\b)", re.I)
_FEED_LINK = re.compile(
    r"<link\b(?=[^>]*\brel=[\"']?alternate)(?=[^>]*\btype=[\"']?application/(?:rss|atom)\+xml)[^>]*\bhref=[\"']?([^\"'\s>]+)",
    re.I,
)


class FeedError(StoryBriefError):
    """A fetched answer is not a readable feed."""


@dataclass
class Entry:
    key: str  # sha256 of the entry's id, else its link, else its title and text
    fingerprint: str  # sha256 of its title, text and link: another value means the entry changed
    title: str
    text: str  # plain text of its content, else of its summary
    link: str  # absolute http(s) address, or ""
    published: str  # ISO 8601 UTC, or "" when the entry has no readable date
    source: str  # the outlet the entry names (RSS/Atom <source>), or ""
    full: bool  # the text is the article (else only a summary: its page is worth fetching)


@dataclass
class ParsedFeed:
    title: str
    entries: list[Entry] = field(default_factory=list)  # in feed order, each key once
    repeated: int = 0  # entries whose key came again in the same feed (kept once)
    problem: str = ""  # what was wrong with the XML, when feedparser read past it


def check_type(content_type: str, body: bytes) -> None:
    """Refuse an answer that is not a feed: an HTML page (naming the feed it links, if any) or another type."""
    if _FEED_START.match(body[:4096]):
        return  # a feed, whatever the server calls it
    if content_type in HTML_TYPES or (content_type in VAGUE_TYPES and _HTML_START.match(body[:4096])):
        link = _FEED_LINK.search(body[:200_000].decode("utf-8", "replace"))
        hint = f"; the page names a feed at {link.group(1)[:300]}" if link else ""
        raise FeedError(f"an HTML page, not a feed{hint}")
    if content_type not in FEED_TYPES | VAGUE_TYPES:
        raise FeedError(f"not a feed (Content-Type {content_type[:100]})")


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    import feedparser

    check_type(content_type, body)
    parsed = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml"},
                              sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries and problem is not None and not parsed.get("version"):
        raise FeedError(f"not a readable feed ({first_line(problem)})")
    found = ParsedFeed(title=plain(parsed.get("feed", {}).get("title", "")))
    if problem is not None and entries:
        found.problem = f"the feed is not well-formed ({first_line(problem)})"
    keys: set[str] = set()
    for raw in entries:
        entry = read_entry(raw, url)
        if entry.key in keys:
            found.repeated += 1
            continue
        keys.add(entry.key)
        found.entries.append(entry)
    return found


def read_entry(raw, feed_url: str) -> Entry:
    title = plain(raw.get("title", ""))
    contents = [c.get("value", "") or "" for c in raw.get("content") or []]
    content = xml_text(html_to_text(max(contents, key=len))) if contents else ""
    summary = xml_text(html_to_text(raw.get("summary", "") or ""))
    if len(content.split()) >= FULL_CONTENT_WORDS or len(content) >= len(summary):
        text, full = content or summary, len(content.split()) >= FULL_CONTENT_WORDS
    else:
        text, full = summary, len(summary.split()) >= FULL_SUMMARY_WORDS
    link = absolute(raw.get("link", "") or "", feed_url)
    identity = str(raw.get("id") or "").strip() or link or f"{title}\n{text}"
    return Entry(
        key=digest(identity),
        fingerprint=digest(f"{title}\n{text}\n{link}"),
        title=title,
        text=text,
        link=link,
        published=entry_date(raw),
        source=plain((raw.get("source") or {}).get("title", "")),
        full=full,
    )


def entry_date(raw) -> str:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        when = dict.get(raw, name)  # the plain lookup: feedparser's own maps one name to another, with a warning
        if when:
            try:
                moment = datetime.fromtimestamp(timegm(when), tz=timezone.utc)
            except (OverflowError, ValueError, OSError):
                continue  # a year the platform cannot hold
            return moment.isoformat().replace("+00:00", "Z")
    return ""


def absolute(link: str, base: str) -> str:
    """An http(s) address for an entry's link (relative links resolved against the feed), else ""."""
    link = link.strip()
    if not link:
        return ""
    try:
        link = urljoin(base, link)
        parts = urlsplit(link)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or len(link) > 2048:
        return ""
    return link.split("#", 1)[0]


def plain(value: str) -> str:
    """A title-like field as one line of plain text (feeds escape and tag titles too)."""
    return xml_text(re.sub(r"\s+", " ", html_to_text(value or "")).strip())


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
