"""Atom feeds of the stories (RFC 4287): the newest stories, and one story with its articles.

Ids are stable: `urn:uuid:` of a UUID-5 made from this database's own UUID (`instance`, made by
migration 0003) and the story's (or article's) id and creation time, so a story deleted and its id
reused later is another entry, and two databases never share an id. A story that changes keeps its
entry id and gets a new <updated>: readers update the entry in place instead of posting it again.
<updated> is the later of the story's own time (which only moves forward, see `db.later`) and the
time its current brief was made, so the entry moves on when its brief catches up with its articles.
Text is escaped by ElementTree and stripped of the characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import hashlib
import html
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select

from storybrief import __version__
from storybrief.io.pile import parse_date
from storybrief.service.db import ArticleRow, CachedBrief, FeedEntryRow, InstanceRow, StoryRow

ATOM = "http://www.w3.org/2005/Atom"
STORIES_IN_FEED = 50
ARTICLES_IN_FEED = 50
SUMMARY_CHARS = 600
# Characters XML 1.0 cannot carry (C0 controls but tab, newline, return; lone surrogates; U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EPOCH = datetime(1970, 1, 1)


def xml_text(value: str | None) -> str:
    """The text without the characters XML 1.0 cannot carry (feeds out, and feeds read in)."""
    return _NOT_XML.sub("", value or "")


def stamp(moment: datetime) -> str:
    """RFC 3339 in UTC (the database keeps naive UTC)."""
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def instance(session) -> uuid.UUID:
    row = session.get(InstanceRow, 1)
    return uuid.UUID(row.uuid) if row is not None else uuid.UUID(int=0)


def urn(space: uuid.UUID, kind: str, number: int, created: datetime) -> str:
    return f"urn:uuid:{uuid.uuid5(space, f'{kind}/{number}/{stamp(created)}')}"


@dataclass
class Links:
    """Where the feeds point: the server's own address as the request saw it."""

    base: str  # "http://host:port" without a trailing slash

    def page(self, story_id: int) -> str:
        return f"{self.base}/web/stories/{story_id}"

    def article(self, article_id: int) -> str:
        return f"{self.base}/web/articles/{article_id}"

    def feed(self, story_id: int) -> str:
        return f"{self.base}/stories/{story_id}/feed.atom"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k.rstrip("_"): xml_text(v) for k, v in attributes.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def _feed(feed_id: str, title: str, self_url: str, page_url: str, updated: datetime) -> ET.Element:
    root = ET.Element("feed", {"xmlns": ATOM})
    _element(root, "id", feed_id)
    _element(root, "title", title)
    _element(root, "updated", stamp(updated))
    _element(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _element(root, "link", rel="alternate", type="text/html", href=page_url)
    author = _element(root, "author")
    _element(author, "name", "StoryBrief")
    _element(root, "generator", "StoryBrief", version=__version__)
    return root


def _brief_html(brief: dict) -> str:
    """The brief as escaped HTML: its sentences with their source numbers, then the cited sources."""
    parts = []
    for sentence in brief.get("sentences", []):
        cited = "".join(f" [{n}]" for n in sentence.get("sources", []))
        parts.append(f"<p>{html.escape(sentence.get('text', ''))}{cited}</p>")
    cited_ids = {n for s in brief.get("sentences", []) for n in s.get("sources", [])}
    sources = []
    for source in brief.get("sources", []):
        if source.get("id") not in cited_ids:
            continue
        name = html.escape(source.get("name") or source.get("title") or f"source {source.get('id')}")
        url = source.get("url") or ""
        label = f'<a href="{html.escape(url)}">{name}</a>' if url.startswith(("http://", "https://")) else name
        sources.append(f"<li>[{source.get('id')}] {label}</li>")
    if sources:
        parts.append("<ul>" + "".join(sources) + "</ul>")
    return "".join(parts)


def _story_entry(root: ET.Element, space: uuid.UUID, story: StoryRow, outlets: list[str], brief: CachedBrief | None,
                 links: Links) -> datetime:
    current = brief is not None and brief.version >= story.version and "error" not in (brief.data or {})
    updated = max(story.updated_at, brief.created_at) if current else story.updated_at
    entry = _element(root, "entry")
    _element(entry, "id", urn(space, "story", story.id, story.created_at))
    _element(entry, "title", story.title or f"Story {story.id}")
    _element(entry, "updated", stamp(updated))
    _element(entry, "published", stamp(story.created_at))
    _element(entry, "link", rel="alternate", type="text/html", href=links.page(story.id))
    _element(entry, "link", rel="related", type="application/atom+xml", href=links.feed(story.id))
    for outlet in outlets:
        contributor = _element(entry, "contributor")
        _element(contributor, "name", outlet)
    count = f"{story.article_count} article{'s' if story.article_count != 1 else ''}"
    said = f"{count} from {', '.join(outlets)}." if outlets else f"{count}."
    if brief is not None and "error" not in (brief.data or {}):
        sentences = [s.get("text", "") for s in brief.data.get("sentences", [])[:2]]
        _element(entry, "summary", " ".join(sentences + [said]), type="text")
        _element(entry, "content", _brief_html(brief.data), type="html")
    else:
        _element(entry, "summary", said, type="text")
    return updated


def _briefs(session, story_ids: list[int]) -> dict[int, CachedBrief]:
    if not story_ids:
        return {}
    return {b.story_id: b for b in session.scalars(select(CachedBrief).where(CachedBrief.story_id.in_(story_ids)))}


def stories_feed(session, stories: list[StoryRow], outlets: dict[int, list[str]], links: Links, self_url: str) -> bytes:
    """The newest stories (as given, newest first), one entry each."""
    space = instance(session)
    briefs = _briefs(session, [s.id for s in stories])
    root = _feed(f"urn:uuid:{uuid.uuid5(space, 'stories')}", "StoryBrief: newest stories", self_url,
                 f"{links.base}/", EPOCH)
    newest = EPOCH
    for story in stories:
        newest = max(newest, _story_entry(root, space, story, outlets.get(story.id, []), briefs.get(story.id), links))
    root.find("updated").text = stamp(newest if stories else _created(session))
    return serialise(root)


def story_feed(session, story: StoryRow, outlets: list[str], links: Links, self_url: str) -> bytes:
    """One story: its own entry (the brief, updated in place) and its newest articles, one entry each."""
    space = instance(session)
    root = _feed(urn(space, "story-feed", story.id, story.created_at), f"StoryBrief: {story.title or story.id}",
                 self_url, links.page(story.id), EPOCH)
    newest = _story_entry(root, space, story, outlets, _briefs(session, [story.id]).get(story.id), links)
    rows = session.execute(
        select(ArticleRow.id, ArticleRow.title, ArticleRow.source, ArticleRow.url, ArticleRow.published,
               ArticleRow.created_at, ArticleRow.updated_at,
               func.substr(ArticleRow.text, 1, SUMMARY_CHARS + 1).label("start"))
        .where(ArticleRow.story_id == story.id).order_by(ArticleRow.id.desc()).limit(ARTICLES_IN_FEED)
    ).all()
    also = _feed_outlets(session, [r.id for r in rows])
    for row in rows:
        updated = max(row.created_at, row.updated_at or row.created_at)
        newest = max(newest, updated)
        entry = _element(root, "entry")
        _element(entry, "id", urn(space, "article", row.id, row.created_at))
        _element(entry, "title", row.title or " ".join(row.start.split()[:12]) or f"Article {row.id}")
        _element(entry, "updated", stamp(updated))
        published = parse_date(row.published)
        if published is not None:
            _element(entry, "published", stamp(published))
        url = row.url if (row.url or "").startswith(("http://", "https://")) else links.article(row.id)
        _element(entry, "link", rel="alternate", href=url)
        for name in dict.fromkeys([row.source, *also.get(row.id, [])]):
            if name:
                author = _element(entry, "author")
                _element(author, "name", name)
        start = row.start if len(row.start) <= SUMMARY_CHARS else row.start[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
        _element(entry, "summary", start, type="text")
    root.find("updated").text = stamp(newest)
    return serialise(root)


def _feed_outlets(session, article_ids: list[int]) -> dict[int, list[str]]:
    """Outlets of the feeds that carried each article too."""
    found: dict[int, list[str]] = {}
    if article_ids:
        rows = session.execute(select(FeedEntryRow.article_id, FeedEntryRow.outlet)
                               .where(FeedEntryRow.article_id.in_(article_ids)).order_by(FeedEntryRow.id))
        for article_id, outlet in rows:
            found.setdefault(article_id, []).append(outlet)
    return found


def _created(session) -> datetime:
    first = session.scalar(select(func.min(StoryRow.created_at)))
    return first or EPOCH


def serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
