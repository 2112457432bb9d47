"""Read a pile of articles from many places for story grouping: RSS/Atom feeds, articles JSONL,
folders of text/HTML files.

Unlike `storybrief.io.story`, which reads one story and stops at the first bad input, this reader
is tolerant: a malformed JSONL line, an entry without text, an empty feed or a repeated id is
reported as a note (one line each) and the rest is kept, so nothing good is lost. Only a path
that does not exist, or a pile with no article at all, is an error.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import sys
from calendar import timegm
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlparse

from storybrief.errors import InputError, StoryBriefError
from storybrief.io.story import (
    MAX_BYTES,
    TEXT_SUFFIXES,
    articles_from_record,
    articles_from_text,
    decode,
    gunzip,
    json_object,
    read_file,
    stem_suffix,
)
from storybrief.text import text_id, unique_id
from storybrief.types import Article

FEED_SUFFIXES = {".rss", ".atom", ".xml", ".feed"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_FEED_SNIFF = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S | re.I)
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}


@dataclass
class Pile:
    """Articles read from several inputs, with a note for everything skipped or renamed."""

    articles: list[Article] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_pile(inputs: Iterable[str | Path]) -> Pile:
    """Every article of every input, ids made unique, exact repeats kept once (with a note)."""
    pile = Pile()
    for item in inputs:
        path = Path(item)
        if str(item) == "-":
            _read_stream(sys.stdin.buffer.read(MAX_BYTES + 1), "stdin", pile)
        elif path.is_dir():
            _read_folder(path, pile)
        elif path.is_file():
            _read_one(path, pile)
        else:
            raise InputError(f"{path}: no such file or folder")
    pile.articles = unique_ids(pile.articles, pile.notes)
    for article in pile.articles:
        article.published = normalise_date(article.published)
    if not pile.articles:
        raise InputError("no articles with text in the input" + (f" ({pile.notes[-1]})" if pile.notes else ""))
    return pile


def _read_folder(folder: Path, pile: Pile) -> None:
    readable = TEXT_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".") and stem_suffix(p) in readable
    )
    if not files:
        pile.notes.append(f"{folder}: no text, HTML, JSONL or feed files in this folder")
    for file in files:
        _read_one(file, pile)


def _read_one(path: Path, pile: Pile) -> None:
    suffix = stem_suffix(path)
    name = str(path)
    try:
        if suffix in JSONL_SUFFIXES or suffix in FEED_SUFFIXES:
            data = path.read_bytes()
            if path.suffix.lower() == ".gz":
                data = gunzip(data, name)
            _read_stream(data, name, pile, kind="jsonl" if suffix in JSONL_SUFFIXES else "feed")
            return
        if suffix in (".txt", ".text", "") and _sniff_feed(path):
            _read_stream(path.read_bytes(), name, pile, kind="feed")
            return
        pile.articles.extend(read_file(path))
    except OSError as exc:
        pile.notes.append(f"{name}: cannot read ({exc.strerror or exc}), skipped")
    except StoryBriefError as exc:
        pile.notes.append(f"{exc}, skipped")


def _sniff_feed(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    return bool(_FEED_SNIFF.match(head.decode("utf-8", "replace")))


def _read_stream(data: bytes, name: str, pile: Pile, kind: str | None = None) -> None:
    if len(data) > MAX_BYTES:
        pile.notes.append(f"{name}: larger than {MAX_BYTES / 1e6:.0f} MB (set STORYBRIEF_MAX_BYTES), skipped")
        return
    if not data.strip():
        pile.notes.append(f"{name}: empty, no articles")
        return
    if kind is None:
        head = data.lstrip()[:1]
        kind = (
            "jsonl"
            if head in (b"{", b"[")
            else "feed"
            if _FEED_SNIFF.match(data[:4096].decode("utf-8", "replace"))
            else "text"
        )
    if kind == "feed":
        pile.articles.extend(read_feed(data, name, pile.notes))
    elif kind == "jsonl":
        try:
            text = decode(data, name)
        except InputError as exc:
            pile.notes.append(f"{exc}, skipped")
            return
        pile.articles.extend(read_jsonl(io.StringIO(text), name, pile.notes))
    else:
        try:
            articles = articles_from_text(decode(data, name), name)
        except InputError as exc:
            pile.notes.append(f"{exc}, skipped")
            return
        for n, article in enumerate(articles, 1):
            article.id = article.id or f"{name}#{n}"
            article.source = article.source or name
        pile.articles.extend(articles)


def read_jsonl(stream: Iterable[str], name: str, notes: list[str]) -> Iterator[Article]:
    """Articles JSONL, one `{"id", "text"|"html", "title"?, "source"?, "url"?, "published"?}` a line.

    A bad line (malformed JSON, not an object, no text) becomes a note naming its line; the
    following lines are still read.
    """
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json_object(line)
        except StoryBriefError as exc:
            notes.append(f"{where}: {exc}, line skipped")
            continue
        try:
            articles = articles_from_record(record, where)
        except StoryBriefError as exc:
            label = f" (id {record['id']})" if "id" in record else ""
            notes.append(f"{exc}{label}, line skipped")
            continue
        for article in articles:
            article.id = article.id or f"{Path(name).name}:{number}"
            article.published = normalise_date(article.published)
            article.source = article.source or domain(article.url)
            yield article


def read_feed(data: bytes, name: str, notes: list[str]) -> list[Article]:
    """Entries of an RSS or Atom feed (feedparser), their HTML reduced to text."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        notes.append(
            f"{name}: "
            + (f"not a readable feed ({problem})" if problem and not parsed.get("feed") else "empty feed, no entries")
        )
        return []
    feed_title = _text(parsed.get("feed", {}).get("title", ""))
    articles = []
    for n, entry in enumerate(entries, 1):
        contents = [c.get("value", "") for c in entry.get("content") or []]
        body = max(contents + [entry.get("summary", "") or ""], key=len)
        text = html_to_text(body)
        title = _text(entry.get("title", ""))
        entry_id = str(entry.get("id") or entry.get("link") or f"{Path(name).name}#{n}")
        if not text.strip():
            notes.append(f"{name}: entry {n} ({title or entry_id}) has no text, skipped")
            continue
        source = (
            _text((entry.get("source") or {}).get("title", ""))
            or feed_title
            or domain(entry.get("link", ""))
            or Path(name).stem
        )
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = (
            datetime.fromtimestamp(timegm(when), tz=timezone.utc).isoformat().replace("+00:00", "Z") if when else ""
        )
        articles.append(
            Article(
                text=text,
                id=entry_id,
                title=title,
                source=source,
                path=name,
                url=entry.get("link", ""),
                published=published,
            )
        )
    return articles


def _text(value: str) -> str:
    """A title-like feed field as plain text (feeds escape and tag titles too)."""
    return re.sub(r"\s+", " ", html_to_text(value or "")).strip()


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: scripts and styles dropped, entities decoded, blocks on new lines."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()
    for element in root.xpath("//script|//style|//noscript|//iframe|//template"):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def normalise_date(value: str) -> str:
    """An ISO 8601 UTC timestamp for a date in ISO or RFC 822 form, '' when unreadable."""
    moment = parse_date(value)
    return moment.isoformat().replace("+00:00", "Z") if moment else ""


def settled(article: Article) -> Article:
    """The article as a story index keeps it, changed in place: its date normalised, its id standing
    for a missing source."""
    article.published = normalise_date(article.published)
    article.source = article.source or article.id
    return article


def parse_date(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    moment = None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def domain(url: str) -> str:
    try:
        host = urlparse(url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def unique_ids(articles: list[Article], notes: list[str]) -> list[Article]:
    """Ids made unique: a repeated id with the same text is the same article, kept once; with a
    different text it is renamed `id~2`, `id~3`... An article without id gets one from its text."""
    seen: dict[str, str] = {}
    kept = []
    for article in articles:
        if not article.text.strip():
            notes.append(f"article {article.id or '(no id)'} has no text, skipped")
            continue
        base = article.id or text_id(article.text)
        digest = hashlib.sha1(article.text.encode()).hexdigest()
        article.id, again = unique_id(base, seen, digest)
        if again:
            notes.append(f"article {article.id} appears twice with the same text, kept once")
            continue
        if article.id != base:
            notes.append(f"id {base} is used by different articles, renamed {article.id}")
        seen[article.id] = digest
        article.source = article.source or article.id
        kept.append(article)
    return kept
