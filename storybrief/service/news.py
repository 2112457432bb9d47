"""A stored story's news: its timeline, what is new since its previous brief, and the briefs before.

They travel in the cached brief (`briefs.data`), so no table changes: when a story's brief is
made again because the story gained articles, the previous brief (its sentences, its articles and
when it was made) joins `history` (the newest HISTORY kept), and the new articles are briefed for
a reader of it (`summarize(new, earlier=old, earlier_brief=...)`) into `update`, with `since`:
when the previous brief was made. A brief made again for another reason (another budget) keeps
the update it had.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from storybrief.brief.pipeline import summarize
from storybrief.errors import StoryBriefError
from storybrief.stories.timeline import timeline
from storybrief.types import Article, Brief

HISTORY = 10


def iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    return moment.isoformat().replace("+00:00", "Z")


def events(articles: list[Article], copy_of: dict[int, int | None]) -> list[dict]:
    """The story's timeline, article ids as database ids."""
    copies: dict[str, list[str]] = {}
    for article in articles:
        original = copy_of.get(int(article.id))
        if original is not None:
            copies.setdefault(str(original), []).append(article.id)
    try:
        found = timeline(articles, copies)
    except StoryBriefError:
        return []
    return [{**event.to_dict(), "sources": [int(i) for i in event.sources],
             "articles": [int(i) for i in event.articles]} for event in found]


def story_news(previous: dict | None, made: datetime | None, articles: list[Article], copy_of: dict[int, int | None],
               words: int, method: str, cite: Callable[[Brief], dict]) -> dict:
    """{"articles", "timeline", "update", "history"} for the brief of `articles` (Article.id: the
    database id), given the brief cached before (`previous`, made at `made`, or None). `cite`
    turns a brief into the service's brief dict."""
    ids = [int(a.id) for a in articles]
    news = {"articles": ids, "timeline": events(articles, copy_of), "update": None, "history": []}
    if not previous or "error" in previous or previous.get("articles") is None:
        return news
    news["history"] = list(previous.get("history", []))
    earlier = set(previous["articles"])
    new = [a for a in articles if int(a.id) not in earlier]
    if not new:
        news["update"] = previous.get("update")
        return news
    said = [s["text"] for s in previous.get("sentences", [])]
    news["history"] = (news["history"] + [{"made": iso(made), "sentences": said, "articles": previous["articles"]}])
    news["history"] = news["history"][-HISTORY:]
    old = [a for a in articles if int(a.id) in earlier]
    if old:
        try:
            update = summarize(new, words=words, method=method, earlier=old, earlier_brief=said)
            news["update"] = {"since": iso(made), **cite(update)}
        except StoryBriefError:
            pass  # the new articles have nothing to quote: no update, the brief stands
    return news
