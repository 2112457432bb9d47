"""StoryBrief: many articles on one story in, one short brief out, every sentence cited."""

from typing import TYPE_CHECKING

from storybrief.errors import StoryBriefError
from storybrief.types import Article, Brief, BriefSentence, Sentence, Source

if TYPE_CHECKING:  # what IDEs and type checkers see; at run time these load on first use (below)
    from storybrief.brief.pipeline import summarize
    from storybrief.stories import Story, StoryIndex, group

__version__ = "0.1.0"
__all__ = [
    "summarize",
    "group",
    "Story",
    "StoryIndex",
    "Article",
    "Brief",
    "BriefSentence",
    "Sentence",
    "Source",
    "StoryBriefError",
    "__version__",
]

# The pipeline pulls in scikit-learn and friends; `storybrief --version` should not wait for them.
_LAZY = {
    "summarize": "storybrief.brief.pipeline",
    "group": "storybrief.stories",
    "Story": "storybrief.stories",
    "StoryIndex": "storybrief.stories",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'storybrief' has no attribute {name!r}")
