"""Story grouping: articles from many outlets grouped into stories, kept across runs."""

from storybrief.stories.index import Story, StoryIndex, as_articles, group

__all__ = ["Story", "StoryIndex", "as_articles", "group"]
