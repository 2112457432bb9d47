"""The records of story grouping: `Story` (what callers get), `Event` (one development on a
story's timeline), `StoryRecord` (a story as the index keeps it) and `IndexState` (everything an
index keeps between runs: what `state` writes and reads)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from storybrief.types import Article, Brief


@dataclass
class Event:
    """One development of a story: its date (YYYY-MM-DD of its first article, '' when undated), a
    headline sentence quoted from its articles, the articles that report that sentence (its own
    first) and their outlets, and every article of the event."""

    date: str
    headline: str
    sources: list[str]  # article ids
    articles: list[str]
    outlets: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"date": self.date, "headline": self.headline, "sources": self.sources, "articles": self.articles,
                "outlets": self.outlets}

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        return cls(data["date"], data["headline"], list(data["sources"]), list(data["articles"]),
                   list(data.get("outlets", [])))


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
    timeline: list[Event] | None = None  # made with the brief
    # What is new since the brief of the previous run: {"since", "sentences", "sources", ...}
    # (an update brief's dict); None when the story gained nothing since then, or is new.
    update: dict | None = None
    related: list[str] = field(default_factory=list)  # ids of stories of the same saga (linked, never merged)

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
            "timeline": [event.to_dict() for event in self.timeline] if self.timeline is not None else None,
            "update": self.update,
            "related": self.related,
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
    timeline: list[dict] | None = None  # the story's events (`Event.to_dict`), made with the brief
    brief_articles: list[str] | None = None  # ids of the articles the brief was made from
    # The update brief made with the brief, when the story had gained articles since the brief
    # before it. Not saved: it reports one run's news.
    update: dict | None = None


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
    # Time and saga settings ({"tau_days", "recency_days", "link_threshold", "saga_rebuild"}); empty: defaults.
    time_settings: dict = field(default_factory=dict)
    # The saga graph ({"parent", "size", "related", "adjacent", "built"}, JSON-ready) and every saga
    # pair found (low rows, high rows, cosines); None: not saved (versions 1 and 2, re-derived on load).
    sagas: dict | None = None
    saga_pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def settings(self) -> dict:
        """The settings saved with the state, as `StoryIndex` takes them."""
        return {"threshold": self.threshold, "window_days": self.window_days, "mutual_boost": self.mutual_boost,
                **self.time_settings}
