"""Request and response bodies of the HTTP API (they are also its OpenAPI schema at /docs)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Union
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from storybrief.brief.query import MAX_QUERY_CHARS
from storybrief.types import DEFAULT_WORDS, MAX_BRIEF_WORDS

# One article is at most this many characters of text or HTML; a story page, not a data dump.
MAX_ARTICLE_CHARS = 1_000_000
MAX_ARTICLES_PER_REQUEST = 500


class ArticleIn(BaseModel):
    """An article to ingest or brief: `text` or `html` (main text extracted), plus metadata."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str | None = Field(None, max_length=MAX_ARTICLE_CHARS, description="Plain article text.")
    html: str | None = Field(
        None, max_length=MAX_ARTICLE_CHARS, description="An article page; its main text is extracted."
    )
    title: str = Field("", max_length=500)
    source: str = Field("", max_length=200, description="Outlet name, shown in citations.")
    url: str | None = Field(None, max_length=2048, description="http(s) address of the original; an idempotency key.")
    published: str = Field("", max_length=100, description="Publication date as given (ISO 8601 preferred).")
    id: str | None = Field(None, max_length=200, min_length=1, description="Client id: an idempotency key.")

    @field_validator("url")
    @classmethod
    def http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise ValueError("url must be an http:// or https:// address")
        return value

    @model_validator(mode="after")
    def has_content(self) -> "ArticleIn":
        if not (self.text or self.html or self.url):
            raise ValueError('an article needs "text" or "html" (or a "url" when fetching is enabled)')
        return self


def _one_or_many(value: Any) -> str:
    return "list" if isinstance(value, list) else "single"


# A single article object or a list of them; the discriminator keeps errors to the shape sent.
ArticlesIn = Annotated[
    Union[
        Annotated[ArticleIn, Tag("single")],
        Annotated[list[ArticleIn], Tag("list"), Field(min_length=1, max_length=MAX_ARTICLES_PER_REQUEST)],
    ],
    Discriminator(_one_or_many),
]


class IngestedArticle(BaseModel):
    id: int
    story_id: int
    created: bool = Field(description="False when the article was already stored (same client id, URL or text).")
    duplicate_of: int | None = Field(None, description="The stored article this one is a near-copy of.")


class IngestResult(BaseModel):
    articles: list[IngestedArticle]


class SummarizeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES_PER_REQUEST)
    words: int = Field(DEFAULT_WORDS, ge=1, le=MAX_BRIEF_WORDS)
    method: str = Field("default", max_length=50)
    query: str | None = Field(
        None,
        max_length=MAX_QUERY_CHARS,
        description="What the reader wants to know: the brief leans toward its content words.",
    )
    exact: bool = Field(
        False, description="Choose a long story's sentences by an exact integer program (better, 2-3x slower)."
    )


class EvidenceOut(BaseModel):
    article: int = Field(description="The source number (see `sources`) whose article holds the evidence.")
    index: int = Field(description="The evidence sentence's position in that article, from 0.")
    text: str = Field(description="The sentence of the cited article that reports the fact.")


class BriefSentenceOut(BaseModel):
    text: str
    sources: list[int] = Field(description="Source numbers (see `sources`) reporting this sentence.")
    support: int
    single_source: bool
    cut: bool = Field(False, description="The sentence stops mid-way in its source (the article was cut off there).")
    date: str = Field(
        "", description="Day its article was published (ISO), when the brief tells events of several days."
    )
    evidence: dict[int, EvidenceOut] = Field(
        {}, description="For each cited source number, the sentence of its article that reports the fact."
    )


class SourceOut(BaseModel):
    id: int = Field(description="Source number within this brief.")
    article_id: int | None = Field(None, description="Stored article, for briefs of stored stories.")
    title: str
    name: str
    url: str | None = None
    words: int


class BriefOut(BaseModel):
    sentences: list[BriefSentenceOut]
    sources: list[SourceOut]
    words: int
    budget: int
    method: str
    disagreements: list[dict] = []
    off_topic: list[int] = Field(
        [], description="Source numbers of articles set aside as not belonging with the others."
    )


def utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


class ArticleOut(BaseModel):
    id: int
    story_id: int
    title: str
    source: str
    url: str | None
    published: str
    words: int
    duplicate_of: int | None
    created_at: datetime


class ArticleDetail(ArticleOut):
    text: str


class StorySummary(BaseModel):
    id: int
    title: str
    article_count: int
    sources: list[str] = Field(description="Outlets that reported the story.")
    created_at: datetime
    updated_at: datetime
    brief: BriefOut | None = None
    brief_error: str | None = Field(None, description="Why the story has no brief (e.g. no complete sentences).")
    snippet: str | None = Field(
        None, description="Search only: where the story's best article matches, each match between ** and **."
    )


class EventOut(BaseModel):
    date: str = Field(description="Day of the event's first article (YYYY-MM-DD), '' when undated.")
    headline: str = Field(description="A sentence quoted from the event's articles.")
    sources: list[int] = Field(description="Articles that report the headline, its own first.")
    articles: list[int] = Field(description="Every article of the event.")
    outlets: list[str] = []


class UpdateOut(BriefOut):
    since: str = Field(description="When the previous brief was made (ISO 8601 UTC): the update says what it did not.")


class EarlierBriefOut(BaseModel):
    made: str
    sentences: list[str]
    articles: list[int]


class RelatedStoryOut(BaseModel):
    id: int
    title: str
    article_count: int
    updated_at: datetime


class StoryDetail(StorySummary):
    articles: list[ArticleOut]
    related: list[int] = Field(
        [], description="Stories of the same long saga (months apart, or another development), linked, never merged."
    )
    related_stories: list[RelatedStoryOut] = Field([], description="The `related` stories with their titles.")
    timeline: list[EventOut] = Field([], description="The story's events, oldest first.")
    update: UpdateOut | None = Field(None, description="What is new since the previous brief; null when nothing is.")
    history: list[EarlierBriefOut] = Field([], description="The story's earlier briefs, oldest first.")


class StoryPage(BaseModel):
    stories: list[StorySummary]
    page: int
    per_page: int
    total: int


class Deleted(BaseModel):
    article_ids: list[int] = Field(description="The articles removed.")
    story_id: int
    story_deleted: bool = Field(description="True when the story went too (it had no other article).")


class Health(BaseModel):
    status: str
    database: str
    articles: int
    stories: int
    version: str


class ErrorOut(BaseModel):
    error: str = Field(description="What was wrong, in one readable line.")
    detail: list[dict] | None = None
