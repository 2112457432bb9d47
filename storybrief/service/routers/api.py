"""The JSON API. Thin: the work is in `storybrief.service.store`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query

from storybrief import __version__
from storybrief.brief.pipeline import summarize
from storybrief.service.db import ArticleRow, StoryRow
from storybrief.service.deps import DatabaseDep, StoreDep, require_token
from storybrief.service.schemas import (
    ArticleDetail,
    ArticleOut,
    ArticlesIn,
    BriefOut,
    Deleted,
    ErrorOut,
    Health,
    IngestResult,
    RelatedStoryOut,
    StoryDetail,
    StoryPage,
    StorySummary,
    SummarizeRequest,
    utc,
)
from storybrief.service.search import MARK_END, MARK_START
from storybrief.service.store import Store, article_from, brief_data

Sort = Literal["newest", "biggest"]
ERRORS = {401: {"model": ErrorOut}, 413: {"model": ErrorOut}, 422: {"model": ErrorOut}}

router = APIRouter()


@router.post(
    "/articles", response_model=IngestResult, responses=ERRORS, dependencies=[Depends(require_token)], tags=["api"]
)
def post_articles(articles: Annotated[ArticlesIn, Body()], store: StoreDep) -> IngestResult:
    """Store one article or a list; each is deduplicated and assigned to a story.

    Idempotent: an article with a client `id`, `url` or (source, text) already stored is not
    stored again; its ids come back with `created: false`. Answered only after the commit.
    """
    items = articles if isinstance(articles, list) else [articles]
    return IngestResult(articles=store.ingest(items))


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses={404: {"model": ErrorOut}}, tags=["api"])
def get_article(article_id: int, store: StoreDep) -> ArticleDetail:
    row = store.article(article_id)
    if row is None:
        raise HTTPException(404, f"no article {article_id}")
    return ArticleDetail(**article_fields(row), text=row.text)


@router.delete(
    "/articles/{article_id}",
    response_model=Deleted,
    responses={**ERRORS, 404: {"model": ErrorOut}},
    dependencies=[Depends(require_token)],
    tags=["api"],
)
def delete_article(article_id: int, store: StoreDep) -> Deleted:
    """Remove an article (its story too, when it was the last one); needs the token like every write."""
    deleted = store.delete_article(article_id)
    if deleted is None:
        raise HTTPException(404, f"no article {article_id}")
    return deleted


@router.get("/stories", response_model=StoryPage, tags=["api"])
def get_stories(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            max_length=200,
            description='Full-text search: stories whose articles hold every word and "quoted phrase", '
            "best match first.",
        ),
    ] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    briefs: Annotated[bool, Query(description="Include each story's brief (computed when out of date).")] = True,
    sort: Annotated[
        Sort, Query(description="Without q: newest (last updated) or biggest (most articles) first.")
    ] = "newest",
) -> StoryPage:
    """Stories, most recently updated first (or biggest first); with `q`, the best matches first."""
    stories, total, sources, snippets = store.stories(q, page, per_page, sort)
    return StoryPage(
        stories=[story_summary(store, s, sources.get(s.id, []), briefs, snippets.get(s.id)) for s in stories],
        page=page,
        per_page=per_page,
        total=total,
    )


@router.get("/stories/{story_id}", response_model=StoryDetail, responses={404: {"model": ErrorOut}}, tags=["api"])
def get_story(story_id: int, store: StoreDep) -> StoryDetail:
    """A story's brief, its articles, the outlets that reported it and its related stories."""
    found = store.story(story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id}")
    story, articles, sources = found
    summary = story_summary(store, story, sources, True)
    news = store.brief(story)  # cached with the brief: timeline, update, earlier briefs
    related = [RelatedStoryOut(id=r.id, title=r.title, article_count=r.article_count, updated_at=utc(r.updated_at))
               for r in store.related(story_id)]
    return StoryDetail(**summary.model_dump(), articles=[ArticleOut(**article_fields(a)) for a in articles],
                       timeline=news.get("timeline") or [], update=news.get("update"),
                       history=news.get("history") or [], related=[r.id for r in related], related_stories=related)


@router.delete(
    "/stories/{story_id}",
    response_model=Deleted,
    responses={**ERRORS, 404: {"model": ErrorOut}},
    dependencies=[Depends(require_token)],
    tags=["api"],
)
def delete_story(story_id: int, store: StoreDep) -> Deleted:
    """Remove a story and all its articles; needs the token like every write."""
    deleted = store.delete_story(story_id)
    if deleted is None:
        raise HTTPException(404, f"no story {story_id}")
    return deleted


@router.post(
    "/summarize", response_model=BriefOut, responses=ERRORS, dependencies=[Depends(require_token)], tags=["api"]
)
def post_summarize(request: SummarizeRequest, store: StoreDep) -> BriefOut:
    """Brief the given articles (nothing is stored)."""
    articles = []
    for n, item in enumerate(request.articles, 1):
        article = article_from(item, f"article {n}", store.fetcher)
        article.id, article.path = str(n), ""
        articles.append(article)
    brief = summarize(articles, words=request.words, method=request.method, query=request.query,
                      exact=request.exact)
    data = brief_data(brief, {})
    # By the article each source is, not by position: an article with no text left after cleaning has no source.
    urls = {str(n): item.url for n, item in enumerate(request.articles, 1)}
    for source, out in zip(brief.sources, data["sources"], strict=True):
        out["url"] = urls.get(source.article_id)
    return BriefOut(**data)


@router.get("/health", response_model=Health, responses={503: {"model": ErrorOut}}, tags=["api"])
def health(store: StoreDep, database: DatabaseDep) -> Health:
    database.check()
    articles, stories = store.counts()
    return Health(status="ok", database=database.backend, articles=articles, stories=stories, version=__version__)


def article_fields(row: ArticleRow) -> dict:
    return dict(
        id=row.id,
        story_id=row.story_id,
        title=row.title,
        source=row.source,
        url=row.url,
        published=row.published,
        words=row.words,
        duplicate_of=row.duplicate_of,
        created_at=utc(row.created_at),
    )


def story_summary(
    store: Store, story: StoryRow, sources: list[str], with_brief: bool, snippet: str | None = None
) -> StorySummary:
    brief, error = None, None
    if with_brief:
        data = store.brief(story, news=False)  # a summary shows no timeline nor update
        if "error" in data:
            error = data["error"]
        else:
            brief = BriefOut(**data)
    return StorySummary(
        id=story.id,
        title=story.title,
        article_count=story.article_count,
        sources=sources,
        created_at=utc(story.created_at),
        updated_at=utc(story.updated_at),
        brief=brief,
        brief_error=error,
        snippet=snippet.replace(MARK_START, "**").replace(MARK_END, "**") if snippet is not None else None,
    )
