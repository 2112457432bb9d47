"""The FEEDS argument of `storybrief watch`: an OPML file (every outline with an `xmlUrl`) or a text
file with one feed address a line (blank lines and `#` comments skipped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from storybrief.errors import InputError, first_line
from storybrief.io.story import decode

MAX_LIST_BYTES = 5_000_000


@dataclass
class FeedList:
    urls: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines skipped, one line each


def read_feed_list(path: str | Path) -> FeedList:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_LIST_BYTES:
        raise InputError(f"{path}: larger than {MAX_LIST_BYTES // 1_000_000} MB; not a list of feeds")
    text = decode(data, str(path))
    found = FeedList()
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        candidates = [(f"outline {n}", url) for n, url in enumerate(_opml_urls(data, path), 1)]
    else:
        candidates = [(f"line {n}", line.strip()) for n, line in enumerate(text.splitlines(), 1)
                      if line.strip() and not line.strip().startswith("#")]
    for where, url in candidates:
        if is_feed_address(url):
            if url not in found.urls:
                found.urls.append(url)
        else:
            found.notes.append(f"{path}, {where}: {url[:200]!r} is not an http(s) address, skipped")
    if not found.urls:
        raise InputError(f"{path}: no feed addresses (give OPML, or one http(s) address a line)")
    return found


def is_feed_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return (parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and " " not in url
                and len(url) <= 2048)
    except ValueError:
        return False


def _opml_urls(data: bytes, path: Path) -> list[str]:
    from lxml import etree

    # No entities, no network, no huge trees: a feed list is data from anywhere.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not readable OPML ({first_line(exc)})") from None
    urls = []
    for outline in root.iter("outline", "{*}outline"):
        attributes = {str(k).lower(): v for k, v in outline.attrib.items()}
        if attributes.get("xmlurl", "").strip():
            urls.append(attributes["xmlurl"].strip())
    return urls
