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


def news_plan(previous: dict | None, made: datetime | None, articles: list[Article]) -> dict:
    """The cheap part of the news of the brief of `articles` (Article.id: the database id), given the
    brief cached before (`previous`, made at `made`, or None): {"articles", "history", "update",
    "pending"}. `pending` says what `complete` must still make: always the timeline, and the update
    brief ({"since", "new", "old", "said"}: article ids and the previous brief's sentences) where
    one is due. A list of stories shows neither, so the brief is cached with this and completed
    when a story's page or the background writer asks (issue 15's cap holds for both parts)."""
    ids = [int(a.id) for a in articles]
    news = {"articles": ids, "history": [], "update": None, "pending": {}}
    if not previous or "error" in previous or previous.get("articles") is None:
        return news
    news["history"] = list(previous.get("history", []))
    earlier = set(previous["articles"])
    new = [i for i in ids if i not in earlier]
    if not new:  # made again for another reason (another budget): the update stands, made or still due
        if "update" in previous.get("pending", {}):
            news["pending"]["update"] = previous["pending"]["update"]
        else:
            news["update"] = previous.get("update")
        return news
    said = [s["text"] for s in previous.get("sentences", [])]
    news["history"] = (news["history"] + [{"made": iso(made), "sentences": said, "articles": previous["articles"]}])
    news["history"] = news["history"][-HISTORY:]
    old = [i for i in ids if i in earlier]
    if old:
        news["pending"]["update"] = {"since": iso(made), "new": new, "old": old, "said": said}
    return news


def needs(data: dict) -> list[int]:
    """The ids of the articles `complete` reads for a cached brief with pending news."""
    due = data["pending"].get("update") or {}
    return sorted({*data["articles"], *due.get("new", []), *due.get("old", [])})


def complete(data: dict, articles: dict[int, Article], copy_of: dict[int, int | None], words: int, method: str,
             cite: Callable[[Brief], dict]) -> dict:
    """`data` (a brief with its `news_plan`) with the timeline and the update brief made: the
    timeline of its articles, the update of its `new` articles for a reader of its `old` ones.
    `articles`: at least those `needs` names, by id; `cite` turns a brief into the service's
    brief dict."""
    done = {k: v for k, v in data.items() if k != "pending"}
    done["timeline"] = events([articles[i] for i in data["articles"] if i in articles], copy_of)
    due = data["pending"].get("update")
    if due is not None:
        new = [articles[i] for i in due["new"] if i in articles]
        old = [articles[i] for i in due["old"] if i in articles]
        done["update"] = None
        if new and old:
            try:
                update = summarize(new, words=words, method=method, earlier=old, earlier_brief=due["said"])
                done["update"] = {"since": due["since"], **cite(update)}
            except StoryBriefError:
                pass  # the new articles have nothing to quote: no update, the brief stands
    return done
