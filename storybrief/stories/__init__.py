"""Story grouping: articles from many outlets grouped into stories, kept across runs.

Modules, each importing only those above it: `records` (Story, the index's records and saved
state), `vectors` (words, hashed TF-IDF rows, IDF upkeep), `copies` (re-published copies),
`neighbours` (neighbour search, closest similarities), `agglomerate` (merging, with a time
decay), `sagas` (related links between stories of one saga), `corpus` (an
index's vector rows), `labels` (story labels), `timeline` (a story's events, each with a cited
headline), `briefs` (story briefs, timelines and update briefs, and their cache), `state`
(the state folder), `index` (`StoryIndex`, the orchestrator), `pile` (`group`, `as_articles`) and
`render` (stories as text, Markdown, JSON lines).
"""

from storybrief.stories.index import StoryIndex
from storybrief.stories.pile import as_articles, group
from storybrief.stories.records import Story

__all__ = ["Story", "StoryIndex", "as_articles", "group"]
