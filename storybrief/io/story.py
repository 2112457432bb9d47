"""Read articles from files, folders, stdin, strings, HTML and the Multi-News `|||||` convention.

Everything that can go wrong with the input is raised here as an `InputError` naming the
file, so a front end can print one line and stop.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from storybrief.errors import InputError
from storybrief.text import unique_id
from storybrief.types import Article

MULTINEWS_SEPARATOR = "|||||"
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# A story is a few hundred KB of text at most; a bigger file is a dump, not an article.
MAX_BYTES = int(os.environ.get("STORYBRIEF_MAX_BYTES", 20_000_000))
_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.I)


def decode(data: bytes, name: str = "input") -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then a detected legacy encoding.

    Refuses data that is binary rather than guess a text out of it.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {encoding} despite its byte-order mark") from exc
    if _looks_binary(data):
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    if guess and guess not in _LATIN_LOOKALIKES:
        return str(best)  # a script of its own: Cyrillic, Greek, CJK...
    # Between the Latin single-byte code pages a detector is guessing on short text; cp1252 is
    # what legacy Western news text almost always is, so it wins whenever it decodes cleanly.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return str(best) if best is not None else data.decode("latin-1")


_LATIN_LOOKALIKES = frozenset(
    "cp1250 cp1252 cp1254 cp1257 cp1258 cp850 cp858 latin_1 mac_roman mac_latin2 iso8859_2 iso8859_3 "
    "iso8859_4 iso8859_9 iso8859_10 iso8859_13 iso8859_14 iso8859_15 iso8859_16 ascii".split()
)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(sample) > 0.05


def looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF.match(text[:2000])) or text.count("</p>") >= 2


def parse_html(html: str, name: str = "input") -> Article:
    """Main text, title and date of an HTML page, through trafilatura."""
    import trafilatura

    document = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    text = ""
    title = date = site = url = ""
    if document is not None:
        get = document.get if isinstance(document, dict) else lambda k: getattr(document, k, None)
        text = get("text") or ""
        title = get("title") or ""
        date = get("date") or ""
        site = get("sitename") or ""
        url = get("url") or ""
    if not text.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    return Article(text=text, title=title, published=date, source=site, url=url)


MARKDOWN_SUFFIXES = {".md", ".markdown"}
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_MARKERS = re.compile(r"^\s{0,3}(>\s?|[-*+]\s+|\d+\.\s+)", re.M)
_MD_RULE = re.compile(r"^\s{0,3}([-*_]\s*){3,}$", re.M)


def parse_markdown(text: str) -> Article:
    """Markdown to plain prose: the first heading is the title; links keep their words, images go."""
    heading = _MD_HEADING.search(text)
    title = heading.group(1).strip() if heading and heading.start() < 500 else ""
    if title:
        text = text[: heading.start()] + text[heading.end() :]
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_RULE.sub("", text)
    text = _MD_MARKERS.sub("", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return Article(text=text, title=title)


def split_multinews(text: str) -> list[str]:
    return [part.strip() for part in text.split(MULTINEWS_SEPARATOR) if part.strip()]


def articles_from_text(text: str, name: str = "input", html: bool | None = None) -> list[Article]:
    """One text, which may hold several `|||||`-separated articles or be an HTML page."""
    if html is None:
        html = looks_like_html(text)
    if html:
        return [parse_html(text, name)]
    return [Article(text=part) for part in split_multinews(text)]


def read_file(path: Path) -> list[Article]:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if size > MAX_BYTES:
        raise InputError(
            f"{name}: {size / 1e6:.1f} MB is too large for one story "
            f"(limit {MAX_BYTES / 1e6:.0f} MB; set STORYBRIEF_MAX_BYTES to raise it)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if path.suffix == ".gz":
        data = gunzip(data, name)
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if stem_suffix(path) in (".jsonl", ".ndjson"):
        return list(read_jsonl_articles(io.StringIO(decode(data, name)), name))
    text = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    suffix = stem_suffix(path)
    if suffix in MARKDOWN_SUFFIXES:
        articles = [parse_markdown(part) for part in split_multinews(text)]
    else:
        articles = articles_from_text(text, name, html=True if suffix in HTML_SUFFIXES else None)
    for n, article in enumerate(articles):
        article.path = name
        article.source = article.source or path.stem
        suffix = f"#{n + 1}" if len(articles) > 1 else ""
        article.id = f"{path.stem}{suffix}"
    return articles


def gunzip(data: bytes, name: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: not a valid gzip file") from exc


def stem_suffix(path: Path) -> str:
    """`.jsonl` for both `a.jsonl` and `a.jsonl.gz`."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def json_object(line: str) -> dict:
    """One JSONL line as a JSON object, or an `InputError` saying why not."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise InputError("expected a JSON object")
    return record


def read_jsonl_articles(stream: Iterable[str], name: str) -> Iterator[Article]:
    """Articles JSONL: `{"text"|"html", "id"?, "title"?, "source"?, "url"?, "published"?}` a line.

    A line of a Multi-News cluster (`{"documents": [...]}` or `{"document": "a ||||| b"}`) gives
    all its articles.
    """
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json_object(line)
        except InputError as exc:
            raise InputError(f"{name}:{number}: {exc}") from exc
        for article in articles_from_record(record, f"{name}:{number}"):
            yield article


def articles_from_record(record: dict, name: str) -> list[Article]:
    if "documents" in record or "document" in record:
        texts = documents_of(record, name)
        base = str(record.get("id", name))
        return [Article(text=t, id=f"{base}#{i + 1}", source=f"{base}#{i + 1}") for i, t in enumerate(texts)]
    text, html = record.get("text"), record.get("html")
    if isinstance(html, str) and html.strip() and not (isinstance(text, str) and text.strip()):
        article = parse_html(html, name)
    elif isinstance(text, str) and text.strip():
        article = Article(text=text)
    else:
        raise InputError(f'{name}: no article text (expected a non-empty "text" or "html")')
    for key in ("id", "title", "source", "url", "published"):
        value = record.get(key)
        if value is not None and not getattr(article, key):
            setattr(article, key, str(value))
    return [article]


def documents_of(record: dict, name: str) -> list[str]:
    """The article texts of a batch/Multi-News record."""
    documents = record.get("documents")
    if documents is None:
        document = record.get("document")
        if not isinstance(document, str):
            raise InputError(f'{name}: "document" must be a string')
        documents = split_multinews(document)
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise InputError(f'{name}: "documents" must be a list of strings')
    documents = [d for d in documents if d.strip()]
    if not documents:
        raise InputError(f"{name}: no article text")
    return documents


def read_path(path: str | Path) -> list[Article]:
    """A file, or every text/HTML file in a folder (sorted, recursive)."""
    if str(path) == "-":
        return read_stdin()
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in TEXT_SUFFIXES
        )
        if not files:
            raise InputError(f"{path}: no .txt, .md or .html articles in this folder")
        articles = []
        for file in files:
            articles.extend(read_file(file))
        return articles
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    return read_file(path)


def read_stdin() -> list[Article]:
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"stdin: more than {MAX_BYTES / 1e6:.0f} MB is too large for one story")
    if not data.strip():
        raise InputError("stdin: no text")
    articles = articles_from_text(decode(data, "stdin"), "stdin")
    for n, article in enumerate(articles):
        article.path = "-"
        article.id = article.source = f"stdin#{n + 1}"
    return articles


def load(items: Iterable[str | Path | Article] | str | Path | Article) -> list[Article]:
    """Articles from any mix of paths, raw texts and `Article` objects, with unique ids.

    A string is a path when it looks like one (a separator or a suffix) and exists, else
    article text; pass `pathlib.Path` objects to be explicit.
    """
    if isinstance(items, (str, Path, Article)):
        items = [items]
    articles: list[Article] = []
    for item in items:
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, Path) or item == "-" or is_existing_path(item):
            articles.extend(read_path(item))
        elif isinstance(item, str):
            articles.extend(articles_from_text(item))
        else:
            raise InputError(f"cannot read an article from {type(item).__name__}")
    articles = [a for a in articles if a.text.strip()]
    if not articles:
        raise InputError("no article text in the input")
    _assign_ids(articles)
    return articles


def is_existing_path(item: object) -> bool:
    """A string names a file only when it looks like one: a separator or a suffix, and it exists.

    Article text such as "." or "Watch" must never be taken for the current folder or a file
    that happens to share its name.
    """
    if not isinstance(item, str) or "\n" in item or len(item) > 4096:
        return False
    path = Path(item)
    if os.sep not in item and "/" not in item and not path.suffix:
        return False
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _assign_ids(articles: list[Article]) -> None:
    """Every article an id of its own: a repeated one renamed `id~2`, `id~3`... (one story keeps
    every article: copies are merged later, by `dedupe`)."""
    taken: set[str] = set()
    for n, article in enumerate(articles, 1):
        article.id, _ = unique_id(article.id or str(n), taken)
        taken.add(article.id)
        article.source = article.source or article.id
