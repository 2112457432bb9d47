"""Story briefs: made with `storybrief.summarize` on an engine (`storybrief.engines`: a process pool
spreads them over the cores), kept in the story's record until its articles change.

With each brief come the story's timeline (`timeline`) and, when the story had a brief before
and has gained articles since, its update brief: the new articles briefed for a reader of the
earlier brief (`summarize(new, earlier=old, earlier_brief=...)`), with `since`, the date of the
newest article the earlier brief covered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from storybrief.brief.pipeline import summarize
from storybrief.engines import SerialEngine
from storybrief.errors import StoryBriefError, internal_error
from storybrief.stories.records import Event, Story, StoryRecord
from storybrief.stories.timeline import timeline
from storybrief.types import Article, Brief

BRIEF_CHUNK = 8  # stories per task sent to a worker: few enough to balance, enough to amortise


def brief_key(words: int, articles: list[Article]) -> str:
    """What a brief is made from: the word budget and the story's article ids, in order."""
    return f"{words}:" + hashlib.sha1("\n".join(a.id for a in articles).encode()).hexdigest()


def covered(record: StoryRecord, articles: list[Article]) -> list[str] | None:
    """The ids of `articles` when the record's brief was made from exactly them, else None (for
    records saved before briefs listed their articles: the key holds a digest of the ids)."""
    if record.brief is None or record.brief_key.partition(":")[2] != brief_key(0, articles).partition(":")[2]:
        return None
    return [a.id for a in articles]


def with_news(story: Story, record: StoryRecord) -> Story:
    """The story with the timeline and update brief made with its record's brief (`make_briefs`)."""
    story.timeline = None if record.timeline is None else [Event.from_dict(e) for e in record.timeline]
    story.update = record.update
    return story


def article_fields(article: Article) -> dict:
    return {"text": article.text, "id": article.id, "title": article.title, "source": article.source,
            "path": article.path, "url": article.url, "published": article.published}


def brief_stories(chunk: list[tuple]) -> list[tuple[str, dict | None, str]]:
    """(story id, what was made or None, why not) for each (story id, words, article fields[,
    context]): runs in a worker process, so it reports every failure instead of raising. What
    was made: {"brief", "timeline", "update"} (`made`); the context: {"copies": original id ->
    copy ids, "earlier": ids the earlier brief covered, "earlier_brief": its sentences}."""
    out = []
    for story_id, words, fields, *context in chunk:
        try:
            out.append((story_id, made(words, [Article(**f) for f in fields], context[0] if context else {}), ""))
        except StoryBriefError as exc:
            out.append((story_id, None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug in one story must not lose the others
            out.append((story_id, None, internal_error(exc)))
    return out


def made(words: int, articles: list[Article], context: dict) -> dict:
    """A story's brief, timeline and update brief (None when there is nothing earlier or new)."""
    brief = summarize(articles, words=words)
    try:
        events = [event.to_dict() for event in timeline(articles, context.get("copies"), brief=brief)]
    except StoryBriefError:
        events = []  # the brief stands without it
    earlier_ids = set(context.get("earlier") or [])
    earlier = [a for a in articles if a.id in earlier_ids]
    new = [a for a in articles if a.id not in earlier_ids]
    update = None
    if earlier and new:
        try:
            news = summarize(new, words=words, earlier=earlier, earlier_brief=context.get("earlier_brief") or [])
            update = {"since": max((a.published for a in earlier), default=""), **news.to_dict()}
        except StoryBriefError:
            update = None  # new articles with nothing to quote: no update, the brief stands
    return {"brief": brief.to_dict(), "timeline": events, "update": update}


def make_briefs(
    stories: list[tuple[StoryRecord, list[Article]]], words: int, engine=None,
    copies: dict[str, dict[str, list[str]]] | None = None,
) -> Iterator[tuple[str, Brief | None, str]]:
    """(story id, brief or None, why not) for each (record, its articles), in order. A brief kept
    in the record from the same articles and budget is reused; the others are made on `engine`
    (default: in this process) and kept in their records, with the timeline and the update brief
    (`copies`: story id -> original id -> ids of its copies, for the timeline)."""
    jobs: list[tuple[StoryRecord, str, list[dict], dict]] = []
    for record, articles in stories:
        key = brief_key(words, articles)
        # A brief kept from before timelines existed is made again, with its timeline.
        if record.brief is not None and record.brief_key == key and record.timeline is not None:
            jobs.append((record, key, [], {}))
            continue
        context = {"copies": (copies or {}).get(record.id, {})}
        if record.brief is not None and record.brief_articles:
            context["earlier"] = record.brief_articles
            context["earlier_brief"] = [s["text"] for s in record.brief["sentences"]]
        jobs.append((record, key, [article_fields(a) for a in articles], context))
    to_make = [(record.id, words, fields, context) for record, _, fields, context in jobs if fields]
    chunks = [to_make[k:k + BRIEF_CHUNK] for k in range(0, len(to_make), BRIEF_CHUNK)]
    outcomes = (outcome for chunk in (engine or SerialEngine()).map(
        brief_stories, chunks, split=lambda chunk: [[job] for job in chunk],
        lost=lambda chunk, exc: [(job[0], None, f"its worker died ({exc})") for job in chunk],
    ) for outcome in chunk)
    for record, key, fields, _ in jobs:
        if not fields:
            yield record.id, Brief.from_dict(record.brief), ""
            continue
        made_id, outcome, error = next(outcomes)
        assert made_id == record.id  # engines keep the order of chunks
        if outcome is None:
            yield record.id, None, error
            continue
        record.brief, record.brief_key, record.timeline = outcome["brief"], key, outcome["timeline"]
        record.brief_articles = [f["id"] for f in fields]
        # Only news: an update is kept when the story gained articles, dropped when it was
        # re-briefed for another reason (another budget).
        record.update = outcome["update"]
        yield record.id, Brief.from_dict(outcome["brief"]), ""
