"""The plain records that flow through the pipeline."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from storybrief.render import render_markdown, render_text

# A brief's word budget when none is asked for (the CLI, the API, batch and story briefs).
DEFAULT_WORDS = 150
# The most words the service briefs a story in (the API's `words`, `storybrief serve --words`).
MAX_BRIEF_WORDS = 2000
# The budget evaluations compare systems at (`storybrief evaluate`, citation checks): DUC's 250 words.
EVALUATION_WORDS = 250


@dataclass
class Article:
    """One article as read: its text plus whatever metadata the input carried."""

    text: str
    id: str = ""
    title: str = ""
    source: str = ""
    path: str = ""
    url: str = ""
    published: str = ""
    # Ids of other articles found to be copies of this one (wire stories re-published).
    copies: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Sentence:
    """A sentence of one article, with where it stands in it."""

    text: str
    article: int  # position of its article in the cluster
    index: int  # position of the sentence in its article
    position: float = 0.0  # index / sentences in the article, 0 = lead
    words: int = 0
    paragraph: int = 0  # position of its paragraph in the article (a quotation may run over paragraphs)

    def __post_init__(self) -> None:
        if not self.words:
            self.words = len(self.text.split())


@dataclass
class BriefSentence:
    text: str
    sources: list[int]  # ids of every source that reports it, origin first
    support: int
    origin: dict  # {"article": source id, "index": sentence index}
    # The sentence stops mid-way in its source (the article was cut off there): quoted as it
    # stands, and shown with a trailing "…" so nobody reads it as complete.
    cut: bool = False
    # For each cited source, the sentence of its own that reports this one:
    # {source id: {"article": source id, "index": sentence index in that source, "text": ...}}.
    # A source is cited only with its evidence.
    evidence: dict[int, dict] = field(default_factory=dict)
    # The day its article was published (ISO), set when the brief's sentences come from different days.
    date: str = ""

    @property
    def single_source(self) -> bool:
        return self.support == 1


@dataclass
class Source:
    id: int
    title: str
    path: str
    words: int
    name: str = ""  # outlet or file name, for display
    # The input Article.id this source is, so a caller can tie citations back to its own records
    # (the service: database ids). Not part of to_dict: the brief's JSON is unchanged.
    article_id: str = ""


@dataclass
class Brief:
    sentences: list[BriefSentence]
    sources: list[Source]
    words: int  # words in the brief (never above the budget)
    method: str
    budget: int = 0
    # Pairs of cited statements that agree in topic but differ in a number or a negation.
    disagreements: list[dict] = field(default_factory=list)
    # Things a reader should know about the input: one source only, text that is not English.
    warnings: list[str] = field(default_factory=list)
    # Source ids of the articles set aside as not belonging with the others (no sentence comes from them).
    off_topic: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def to_dict(self) -> dict:
        return {
            "sentences": [
                {"text": s.text, "sources": s.sources, "support": s.support, "origin": s.origin, "cut": s.cut,
                 "evidence": {str(n): e for n, e in s.evidence.items()}, "date": s.date}
                for s in self.sentences
            ],
            "sources": [
                {"id": s.id, "title": s.title, "path": s.path, "words": s.words, "name": s.name} for s in self.sources
            ],
            "words": self.words,
            "method": self.method,
            "budget": self.budget,
            "single_source": [i for i, s in enumerate(self.sentences) if s.single_source],
            "disagreements": self.disagreements,
            "warnings": self.warnings,
            "off_topic": self.off_topic,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Brief:
        """The inverse of `to_dict`, for briefs kept in a store."""
        return cls(
            sentences=[
                BriefSentence(
                    s["text"], list(s["sources"]), s["support"], dict(s["origin"]), bool(s.get("cut", False)),
                    {int(n): dict(e) for n, e in s.get("evidence", {}).items()}, s.get("date", ""),
                )
                for s in data["sentences"]
            ],
            sources=[Source(s["id"], s["title"], s["path"], s["words"], s.get("name", "")) for s in data["sources"]],
            words=data["words"],
            method=data["method"],
            budget=data.get("budget", 0),
            disagreements=list(data.get("disagreements", [])),
            warnings=list(data.get("warnings", [])),
            off_topic=list(data.get("off_topic", [])),
        )

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_text(self, evidence: bool = False) -> str:
        return render_text(self, evidence=evidence)

    def to_markdown(self, evidence: bool = False) -> str:
        return render_markdown(self, evidence=evidence)


__all__ = ["Article", "Sentence", "BriefSentence", "Source", "Brief", "asdict"]
