"""Story briefs: made with `storybrief.summarize` on an engine (`storybrief.engines`: a process pool
spreads them over the cores), kept in the story's record until its articles change."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from storybrief.brief.pipeline import summarize
from storybrief.engines import SerialEngine
from storybrief.errors import StoryBriefError
from storybrief.stories.records import StoryRecord
from storybrief.types import Article, Brief

BRIEF_CHUNK = 8  # stories per task sent to a worker: few enough to balance, enough to amortise


def brief_key(words: int, articles: list[Article]) -> str:
    """What a brief is made from: the word budget and the story's article ids, in order."""
    return f"{words}:" + hashlib.sha1("\n".join(a.id for a in articles).encode()).hexdigest()


def article_fields(article: Article) -> dict:
    return {"text": article.text, "id": article.id, "title": article.title, "source": article.source,
            "path": article.path, "url": article.url, "published": article.published}


def brief_stories(chunk: list[tuple[str, int, list[dict]]]) -> list[tuple[str, dict | None, str]]:
    """(story id, brief as a dict or None, why not) for each (story id, words, article fields):
    runs in a worker process, so it reports every failure instead of raising."""
    out = []
    for story_id, words, fields in chunk:
        try:
            out.append((story_id, summarize([Article(**f) for f in fields], words=words).to_dict(), ""))
        except StoryBriefError as exc:
            out.append((story_id, None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug in one story must not lose the others
            out.append((story_id, None, f"internal error: {type(exc).__name__}: {exc}"))
    return out


def make_briefs(
    stories: list[tuple[StoryRecord, list[Article]]], words: int, engine=None
) -> Iterator[tuple[str, Brief | None, str]]:
    """(story id, brief or None, why not) for each (record, its articles), in order. A brief kept
    in the record from the same articles and budget is reused; the others are made on `engine`
    (default: in this process) and kept in their records."""
    jobs: list[tuple[StoryRecord, str, list[dict]]] = []
    for record, articles in stories:
        key = brief_key(words, articles)
        if record.brief is not None and record.brief_key == key:
            jobs.append((record, key, []))
        else:
            jobs.append((record, key, [article_fields(a) for a in articles]))
    to_make = [(record.id, words, fields) for record, _, fields in jobs if fields]
    chunks = [to_make[k:k + BRIEF_CHUNK] for k in range(0, len(to_make), BRIEF_CHUNK)]
    made = (outcome for chunk in (engine or SerialEngine()).map(
        brief_stories, chunks, split=lambda chunk: [[job] for job in chunk],
        lost=lambda chunk, exc: [(job[0], None, f"its worker died ({exc})") for job in chunk],
    ) for outcome in chunk)
    for record, key, fields in jobs:
        if not fields:
            yield record.id, Brief.from_dict(record.brief), ""
            continue
        made_id, brief, error = next(made)
        assert made_id == record.id  # engines keep the order of chunks
        if brief is None:
            yield record.id, None, error
            continue
        record.brief, record.brief_key = brief, key
        yield record.id, Brief.from_dict(brief), ""
