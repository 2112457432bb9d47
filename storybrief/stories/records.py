"""The records of story grouping: `Story` (what callers get), `StoryRecord` (a story as the index
keeps it) and `IndexState` (everything an index keeps between runs: what `state` writes and reads)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from storybrief.types import Article, Brief


@dataclass
class Story:
    """One story: the articles that report it, who published them, when, and its brief."""

    id: str
    label: str
    articles: list[str]  # every article id, copies included, oldest first when dated
    sources: list[str]  # every outlet, in the order of their first article
    start: str = ""  # ISO 8601 UTC of the first dated article, '' when none is dated
    end: str = ""
    brief: Brief | None = None
    # Re-published copies (wire stories): original article id -> ids of its copies.
    copies: dict[str, list[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.articles)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "articles": self.articles,
            "sources": self.sources,
            "start": self.start,
            "end": self.end,
            "copies": self.copies,
            "brief": self.brief.to_dict() if self.brief else None,
        }


@dataclass
class StoryRecord:
    id: str
    rows: list[int]  # article vectors (originals, not copies) in this story
    # Sum of the linkage weights of the linked pairs inside it. Only the centroid linkage (removed)
    # read it; it is still kept up and saved so that state folders stay as they were.
    internal: float = 0.0
    brief: dict | None = None
    brief_key: str = ""  # what the brief was made from; a change means it is stale


@dataclass
class IndexState:
    """A story index as saved: settings, articles, stories, and per vector row its id, story,
    raw term counts, time, copy signature and closest similarities."""

    threshold: float
    window_days: float
    mutual_boost: float
    articles: list[Article]  # every article, copies included, in the order first seen
    row_ids: list[str]  # article id of each vector row
    row_story: list[str]  # story id of each vector row
    copies: dict[int, list[str]]  # vector row -> ids of its copies
    stories: list[StoryRecord]  # in the order they were opened
    next_story: int
    idf_docs: int  # corpus size of the IDF the vectors were last weighed with
    terms: dict[int, str]  # hashed column -> a term that maps to it
    tf: sp.csr_matrix  # raw log-tf rows
    df: np.ndarray  # document frequency of each hashed column
    times: np.ndarray  # publication time of each row (seconds since the epoch, NaN: undated)
    signatures: np.ndarray  # MinHash hash values of each row
    top_similar: np.ndarray | None  # each row's MUTUAL_K highest similarities; None: not saved (version 1)
