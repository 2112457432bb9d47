"""A pile of articles in any form grouped once: `group(articles)` runs the grouping on an empty
`StoryIndex` and returns every story, biggest first."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from storybrief.errors import StoryBriefError
from storybrief.io.pile import read_jsonl, read_pile, unique_ids
from storybrief.io.story import is_existing_path
from storybrief.stories.agglomerate import THRESHOLD
from storybrief.stories.index import StoryIndex
from storybrief.stories.neighbours import WINDOW_DAYS
from storybrief.stories.records import Story
from storybrief.types import DEFAULT_WORDS, Article


def as_articles(items: Iterable[Article | dict | str | Path]) -> tuple[list[Article], list[str]]:
    """Articles from Article objects, article dicts, paths (files, folders, feeds, JSONL) or texts."""
    articles: list[Article] = []
    notes: list[str] = []
    paths = []
    for item in items:
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, dict):
            articles.extend(read_jsonl([json.dumps(item)], "article", notes))
        elif isinstance(item, Path) or is_existing_path(item):
            paths.append(item)
        elif isinstance(item, str):
            articles.append(Article(text=item))
        else:
            raise StoryBriefError(f"cannot read an article from {type(item).__name__}")
    if paths:
        pile = read_pile(paths)
        articles.extend(pile.articles)
        notes.extend(pile.notes)
    return unique_ids(articles, notes), notes


def group(
    articles: Iterable[Article | dict | str | Path],
    threshold: float = THRESHOLD,
    window_days: float = WINDOW_DAYS,
    brief: bool = True,
    words: int = DEFAULT_WORDS,
) -> list[Story]:
    """Stories in a pile of articles, biggest first, each with its brief unless `brief=False`.

    Time lowers the chance that two dated articles join one story smoothly (docs/design-stories-time.md);
    `window_days` > 0 also caps the gap of a story pair (the default 0: no cap). Stories of one saga
    are listed in each other's `related`.

    Articles are `Article` objects, dicts like a JSONL line, paths, or texts.
    """
    found, _ = as_articles(articles)
    if not found:
        raise StoryBriefError("no articles with text to group")
    index = StoryIndex(threshold=threshold, window_days=window_days)
    index.add(found)
    return index.all_stories(brief=brief, words=words)
