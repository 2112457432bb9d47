"""The FastAPI application: JSON API, web page, security rules. Thin: the work is in `store`."""

from __future__ import annotations

import hmac
import os
from contextlib import asynccontextmanager
from typing import Annotated
from urllib.parse import urlsplit

import jinja2
from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from storybrief import __version__
from storybrief.brief.pipeline import summarize
from storybrief.brief.score import get_scorer
from storybrief.errors import StoryBriefError
from storybrief.io.story import articles_from_text, decode
from storybrief.service import migrate
from storybrief.service.assign import StoryAssigner, make_assigner
from storybrief.service.db import DEFAULT_DB, Database, DatabaseError, Story
from storybrief.service.fetch import fetch
from storybrief.service.limits import DEFAULT_MAX_BODY, BodyLimit
from storybrief.service.schemas import (
    MAX_ARTICLE_CHARS,
    ArticleDetail,
    ArticleIn,
    ArticleOut,
    ArticlesIn,
    BriefOut,
    ErrorOut,
    Health,
    IngestResult,
    StoryDetail,
    StoryPage,
    StorySummary,
    SummarizeRequest,
    utc,
)
from storybrief.service.store import Store, article_from, brief_data

PACKAGE = "storybrief.service"
# The page needs no script at all; forbidding it makes any markup that slipped through inert.
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
ERRORS = {401: {"model": ErrorOut}, 413: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def create_app(
    db_url: str = DEFAULT_DB,
    token: str | None = None,
    words: int = 150,
    method: str = "default",
    max_body: int = DEFAULT_MAX_BODY,
    allow_fetch: bool = False,
    assigner: StoryAssigner | str | None = None,
) -> FastAPI:
    """The service over the database at `db_url` (migrated to the current schema first).

    `token`: when set, every POST needs `Authorization: Bearer <token>` (the form: a token field).
    `allow_fetch`: POST /articles may give only a `url`, fetched from public addresses only.
    `assigner`: a `StoryAssigner`, or a name: "index" (default, `StoryIndex`) or "similarity".
    """
    token = token or None
    if isinstance(assigner, str):
        assigner = make_assigner(assigner)
    get_scorer(method)  # an unknown method fails now, not at the first brief
    database = Database(db_url)
    database.check()
    try:
        migrate.upgrade(database)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot bring the database schema up to date: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}") from exc
    store = Store(database, assigner=assigner, words=words, method=method, fetcher=fetch if allow_fetch else None)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        database.dispose()

    app = FastAPI(
        title="StoryBrief", version=__version__, lifespan=lifespan,
        description="Ingest news articles, group them into stories, read each story's cited brief.",
    )
    app.state.store = store
    app.state.database = database
    app.add_middleware(BodyLimit, max_bytes=max_body)
    templates = jinja2.Environment(loader=jinja2.PackageLoader(PACKAGE, "templates"), autoescape=True)
    app.mount("/static", StaticFiles(packages=[(PACKAGE, "static")]), name="static")

    def check_token(request: Request) -> None:
        if token is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise HTTPException(401, "this server needs 'Authorization: Bearer <token>' for writes (the STORYBRIEF_TOKEN it was started with)",
                                headers={"WWW-Authenticate": "Bearer"})

    # -- errors: always JSON with one readable line -----------------------------------------

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [_clean_error(e) for e in exc.errors()]
        summary = "; ".join(f"{d['where']}: {d['message']}" if d["where"] else d["message"] for d in details[:5])
        if len(details) > 5:
            summary += f"; and {len(details) - 5} more"
        return JSONResponse({"error": summary, "detail": details}, status_code=422)

    @app.exception_handler(StoryBriefError)
    async def bad_input(_request: Request, exc: StoryBriefError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(IntegrityError)
    async def conflict(_request: Request, exc: IntegrityError) -> JSONResponse:
        return JSONResponse({"error": "conflicts with a stored article (same id, url or text) written meanwhile; send it again"},
                            status_code=409)

    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, exc: OperationalError) -> JSONResponse:
        return JSONResponse({"error": "the database is unavailable; try again"}, status_code=503)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts,
        # which the form's same-origin check must refuse.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.headers.get("content-type", "").startswith("text/html") and not request.url.path.startswith(("/docs", "/redoc")):
            response.headers["Content-Security-Policy"] = PAGE_CSP
            response.headers["X-Frame-Options"] = "DENY"
        return response

    # -- JSON API ----------------------------------------------------------------------------

    @app.post("/articles", response_model=IngestResult, responses=ERRORS, dependencies=[Depends(check_token)], tags=["api"])
    def post_articles(articles: Annotated[ArticlesIn, Body()]) -> IngestResult:
        """Store one article or a list; each is deduplicated and assigned to a story.

        Idempotent: an article with a client `id`, `url` or (source, text) already stored is not
        stored again; its ids come back with `created: false`. Answered only after the commit.
        """
        items = articles if isinstance(articles, list) else [articles]
        return IngestResult(articles=store.ingest(items))

    @app.get("/articles/{article_id}", response_model=ArticleDetail, responses={404: {"model": ErrorOut}}, tags=["api"])
    def get_article(article_id: int) -> ArticleDetail:
        row = store.article(article_id)
        if row is None:
            raise HTTPException(404, f"no article {article_id}")
        return ArticleDetail(**_article_fields(row), text=row.text)

    @app.get("/stories", response_model=StoryPage, tags=["api"])
    def get_stories(
        q: Annotated[str, Query(max_length=200, description="Only stories whose title or articles contain this text.")] = "",
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=100)] = 20,
        briefs: Annotated[bool, Query(description="Include each story's brief (computed when out of date).")] = True,
    ) -> StoryPage:
        """Stories, most recently updated first."""
        stories, total, sources = store.stories(q, page, per_page)
        return StoryPage(stories=[_summary(store, s, sources.get(s.id, []), briefs) for s in stories],
                         page=page, per_page=per_page, total=total)

    @app.get("/stories/{story_id}", response_model=StoryDetail, responses={404: {"model": ErrorOut}}, tags=["api"])
    def get_story(story_id: int) -> StoryDetail:
        """A story's brief, its articles and the outlets that reported it."""
        found = store.story(story_id)
        if found is None:
            raise HTTPException(404, f"no story {story_id}")
        story, articles, sources = found
        summary = _summary(store, story, sources, True)
        return StoryDetail(**summary.model_dump(), articles=[ArticleOut(**_article_fields(a)) for a in articles])

    @app.post("/summarize", response_model=BriefOut, responses=ERRORS, dependencies=[Depends(check_token)], tags=["api"])
    def post_summarize(request: SummarizeRequest) -> BriefOut:
        """Brief the given articles (nothing is stored)."""
        articles = []
        for n, item in enumerate(request.articles, 1):
            article = article_from(item, f"article {n}", store.fetcher)
            article.id, article.path = str(n), ""
            articles.append(article)
        brief = summarize(articles, words=request.words, method=request.method)
        data = brief_data(brief, {})
        for source, item in zip(data["sources"], request.articles):
            source["url"] = item.url
        return BriefOut(**data)

    @app.get("/health", response_model=Health, responses={503: {"model": ErrorOut}}, tags=["api"])
    def health() -> Health:
        database.check()
        articles, stories = store.counts()
        return Health(status="ok", database=database.backend, articles=articles, stories=stories, version=__version__)

    # -- web page ----------------------------------------------------------------------------

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        html = templates.get_template(name).render(token_required=token is not None, version=__version__, **context)
        return HTMLResponse(html, status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(q: Annotated[str, Query(max_length=200)] = "", page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
              message: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
        stories, total, sources = store.stories(q, page_number, 20)
        views = [_story_view(store, s, sources.get(s.id, [])) for s in stories]
        return page("index.html", stories=views, q=q, page=page_number, total=total,
                    pages=max(1, -(-total // 20)), message=message)

    @app.get("/web/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: int) -> HTMLResponse:
        found = store.story(story_id)
        if found is None:
            return page("error.html", status=404, error=f"No story {story_id}.")
        story, articles, sources = found
        return page("story.html", story=_story_view(store, story, sources), articles=articles)

    @app.get("/web/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: int) -> HTMLResponse:
        row = store.article(article_id)
        if row is None:
            return page("error.html", status=404, error=f"No article {article_id}.")
        paragraphs = [p.strip() for p in row.text.split("\n") if p.strip()]
        return page("article.html", article=row, paragraphs=paragraphs, link=_safe_link(row.url))

    @app.post("/web/articles", response_class=HTMLResponse, include_in_schema=False)
    async def post_form(request: Request):
        """The page's form: pasted text and/or uploaded files. Same rules as POST /articles."""
        if not _same_origin(request):
            return page("error.html", status=403, error="The form was posted from another site; refused.")
        try:
            form = await request.form(max_files=20, max_fields=20, max_part_size=MAX_ARTICLE_CHARS * 4)
        except HTTPException as exc:  # malformed multipart: the parser's own message says what
            return page("error.html", status=400, error=f"Unreadable form: {exc.detail}")
        try:
            given = str(form.get("token") or "")
            if token is not None and not hmac.compare_digest(given.encode(), token.encode()):
                return page("error.html", status=401, error="Wrong or missing token: this server needs its STORYBRIEF_TOKEN to add articles.")
            try:
                items = await _form_articles(form)
                results = await run_in_threadpool(store.ingest, items) if items else []
            except (StoryBriefError, ValueError) as exc:
                return page("error.html", status=422, error=_one_line(exc))
        finally:
            await form.close()
        if not results:
            return page("error.html", status=422, error="Nothing to add: paste an article's text or choose a file.")
        return RedirectResponse(f"/web/stories/{results[0].story_id}", status_code=303)

    return app


def create_app_from_env() -> FastAPI:
    """For `uvicorn --factory storybrief.service.app:create_app_from_env`: settings from STORYBRIEF_* variables."""
    return create_app(
        os.environ.get("STORYBRIEF_DB", DEFAULT_DB),
        token=os.environ.get("STORYBRIEF_TOKEN") or None,
        allow_fetch=os.environ.get("STORYBRIEF_ALLOW_FETCH", "") in ("1", "true", "yes"),
        assigner=os.environ.get("STORYBRIEF_ASSIGNER") or None,
    )


# -- helpers ---------------------------------------------------------------------------------


def _clean_error(error: dict) -> dict:
    """A validation error without the echoed input (which may be megabytes of article)."""
    loc = list(error.get("loc", ()))
    if len(loc) > 1 and loc[0] == "body" and loc[1] in ("single", "list"):
        del loc[1]  # the tag of the one-or-many union says nothing the client needs
    where = ".".join(str(part) for part in loc)
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    if error.get("type") == "json_invalid":
        message = f"malformed JSON ({error.get('ctx', {}).get('error', 'cannot parse')})"
    return {"where": where, "message": message, "type": error.get("type", "")}


def _one_line(exc: Exception) -> str:
    if hasattr(exc, "errors"):  # pydantic ValidationError
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" if e["loc"] else e["msg"].removeprefix("Value error, ") for e in exc.errors()[:5])
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _article_fields(row) -> dict:
    return dict(id=row.id, story_id=row.story_id, title=row.title, source=row.source, url=row.url,
                published=row.published, words=row.words, duplicate_of=row.duplicate_of, created_at=utc(row.created_at))


def _summary(store: Store, story: Story, sources: list[str], with_brief: bool) -> StorySummary:
    brief, error = None, None
    if with_brief:
        data = store.brief(story)
        if "error" in data:
            error = data["error"]
        else:
            brief = BriefOut(**data)
    return StorySummary(id=story.id, title=story.title, article_count=story.article_count, sources=sources,
                        created_at=utc(story.created_at), updated_at=utc(story.updated_at), brief=brief, brief_error=error)


def _story_view(store: Store, story: Story, sources: list[str]) -> dict:
    """What the templates show of a story: sentences with their citations resolved to article links."""
    data = store.brief(story)
    numbered = {s["id"]: s for s in data.get("sources", [])}
    sentences = []
    for sentence in data.get("sentences", []):
        cites = []
        for number in sentence["sources"]:
            source = numbered.get(number, {})
            cites.append({"number": number, "article_id": source.get("article_id"),
                          "label": source.get("name") or source.get("title") or f"source {number}"})
        sentences.append({"text": sentence["text"], "cites": cites, "single": sentence.get("single_source", False),
                          "cut": sentence.get("cut", False)})
    return {"id": story.id, "title": story.title, "articles": story.article_count, "sources": sources,
            "updated": utc(story.updated_at).strftime("%Y-%m-%d %H:%M UTC"), "sentences": sentences,
            "error": data.get("error"), "numbered": [numbered[k] for k in sorted(numbered)]}


def _safe_link(url: str | None) -> str | None:
    """Only http(s) addresses become links (a `javascript:` URL must never be clickable)."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def _same_origin(request: Request) -> bool:
    """Browsers send Origin on cross-site posts; a form from another site must not add articles."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True  # not a browser (curl, scripts): the token rule still applies
    if origin == "null":
        return False  # sandboxed or file:// pages
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _form_articles(form) -> list[ArticleIn]:
    items: list[ArticleIn] = []
    text = str(form.get("text") or "").strip()
    meta = {key: str(form.get(key) or "").strip() for key in ("title", "source", "url")}
    if text:
        items.append(ArticleIn(text=text, title=meta["title"], source=meta["source"], url=meta["url"] or None))
        meta = {"title": "", "source": ""}  # the fields describe the pasted text, not the files
    for upload in form.getlist("files"):
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        data = await upload.read(MAX_ARTICLE_CHARS + 1)
        if len(data) > MAX_ARTICLE_CHARS:
            raise StoryBriefError(f"{upload.filename}: larger than {MAX_ARTICLE_CHARS // 1_000_000} MB")
        name = upload.filename[:200]
        is_html = name.lower().endswith((".html", ".htm")) or None
        for article in articles_from_text(decode(data, name), name, html=is_html):
            items.append(ArticleIn(text=article.text, title=(article.title or meta["title"])[:500],
                                   source=(meta["source"] or article.source or name.rsplit(".", 1)[0])[:200],
                                   published=article.published[:100]))
    return items
