"""StoryBrief: many articles on one story in, one short brief out, every sentence cited."""

from storybrief.errors import StoryBriefError
from storybrief.types import Article, Brief, BriefSentence, Sentence, Source

__version__ = "0.1.0"
__all__ = ["summarize", "Article", "Brief", "BriefSentence", "Sentence", "Source", "StoryBriefError", "__version__"]


def __getattr__(name: str):
    # The pipeline pulls in scikit-learn and friends; `storybrief --version` should not wait for them.
    if name == "summarize":
        from storybrief.pipeline import summarize

        return summarize
    raise AttributeError(f"module 'storybrief' has no attribute {name!r}")
