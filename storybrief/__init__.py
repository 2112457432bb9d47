"""StoryBrief: many articles on one story in, one short brief out, every sentence cited."""

from storybrief.errors import StoryBriefError
from storybrief.group import Story, StoryIndex, group
from storybrief.pipeline import summarize
from storybrief.types import Article, Brief, BriefSentence, Sentence, Source

__version__ = "0.1.0"
__all__ = ["summarize", "group", "Story", "StoryIndex", "Article", "Brief", "BriefSentence", "Sentence", "Source", "StoryBriefError", "__version__"]
