"""The web pages: server-rendered, no script; the add form follows the same rules as POST /articles."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from storybrief.brief.clean import clean_article
from storybrief.errors import StoryBriefError
from storybrief.io.story import articles_from_text, decode
from storybrief.service.db import StoryRow
from storybrief.service.deps import StoreDep
from storybrief.service.errors import one_line
from storybrief.service.pages import article_label, page
from storybrief.service.schemas import MAX_ARTICLE_CHARS, ArticleIn, utc
from storybrief.service.security import safe_link, same_origin, token_matches
from storybrief.service.store import Store
from storybrief.types import Article

PER_PAGE = 20
ARTICLES_PER_PAGE = 50  # a story page lists its articles this many at a time
# What `?message=` may show: a key, never text from the address (a link could plant any words).
MESSAGES = {"deleted": "Deleted."}

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    message: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[Literal["newest", "biggest"], Query()] = "newest",
) -> HTMLResponse:
    stories, total, sources, snippets = store.stories(q, page_number, PER_PAGE, sort)
    views = [story_view(store, s, sources.get(s.id, []), snippets.get(s.id), news=False) for s in stories]
    return page(
        request,
        "index.html",
        stories=views,
        q=q,
        page=page_number,
        total=total,
        pages=max(1, -(-total // PER_PAGE)),
        message=MESSAGES.get(message, ""),
        sort=sort,
    )


@router.get("/web/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: int,
    store: StoreDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    order: Annotated[str, Query(pattern="^(newest|oldest)$")] = "newest",
) -> HTMLResponse:
    found = store.story(story_id)
    if found is None:
        return page(request, "error.html", status=404, error=f"No story {story_id}.")
    story, articles, sources = found
    labels = {a.id: article_label(a) for a in articles}
    pages = max(1, -(-len(articles) // ARTICLES_PER_PAGE))
    shown = articles[(page_number - 1) * ARTICLES_PER_PAGE : page_number * ARTICLES_PER_PAGE]
    view = story_view(store, story, sources)
    timeline = view["timeline"] if order == "oldest" else view["timeline"][::-1]  # the toggle: newest first by default
    return page(
        request,
        "story.html",
        story=view,
        articles=shown,
        labels=labels,
        page=page_number,
        pages=pages,
        timeline=timeline,
        order=order,
        related=[{"id": r.id, "title": r.title, "articles": r.article_count, "updated": f"{utc(r.updated_at):%d %b %Y}"}
                 for r in store.related(story_id)],
    )


@router.get("/web/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, store: StoreDep, raw: bool = False) -> HTMLResponse:
    """The article as the brief reads it (menus, "Show Comments" and the like removed); as received with ?raw=1."""
    row = store.article(article_id)
    if row is None:
        return page(request, "error.html", status=404, error=f"No article {article_id}.")
    text = row.text if raw else clean_article(Article(text=row.text)).text or row.text
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    return page(request, "article.html", article=row, paragraphs=paragraphs, link=safe_link(row.url), raw=raw)


@router.post("/web/articles", response_class=HTMLResponse)
async def post_form(request: Request, store: StoreDep):
    """The page's form: pasted text and/or uploaded files. Same rules as POST /articles."""
    if not same_origin(request):
        return page(request, "error.html", status=403, error="The form was posted from another site; refused.")
    try:
        form = await request.form(max_files=20, max_fields=20, max_part_size=MAX_ARTICLE_CHARS * 4)
    except HTTPException as exc:  # malformed multipart: the parser's own message says what
        return page(request, "error.html", status=400, error=f"Unreadable form: {exc.detail}")
    token = request.app.state.settings.token
    try:
        given = str(form.get("token") or "")
        if token is not None and not token_matches(given, token):
            return page(
                request,
                "error.html",
                status=401,
                error="Wrong or missing token: this server needs its STORYBRIEF_TOKEN to add articles.",
            )
        try:
            items = await form_articles(form)
            results = await run_in_threadpool(store.ingest, items) if items else []
        except (StoryBriefError, ValueError) as exc:
            return page(request, "error.html", status=422, error=one_line(exc))
    finally:
        await form.close()
    if not results:
        return page(
            request, "error.html", status=422, error="Nothing to add: paste an article's text or choose a file."
        )
    return RedirectResponse(f"/web/stories/{results[0].story_id}", status_code=303)


@router.post("/web/stories/{story_id}/delete", response_class=HTMLResponse)
async def delete_story_form(request: Request, story_id: int, store: StoreDep):
    """The story page's delete button: the same origin and token rules as the add form."""
    if not same_origin(request):
        return page(request, "error.html", status=403, error="The form was posted from another site; refused.")
    form = await request.form(max_files=0, max_fields=5)
    try:
        token = request.app.state.settings.token
        if token is not None and not token_matches(str(form.get("token") or ""), token):
            return page(
                request,
                "error.html",
                status=401,
                error="Wrong or missing token: this server needs its STORYBRIEF_TOKEN to delete.",
            )
    finally:
        await form.close()
    if await run_in_threadpool(store.delete_story, story_id) is None:
        return page(request, "error.html", status=404, error=f"No story {story_id}.")
    return RedirectResponse("/?message=deleted", status_code=303)


def story_view(store: Store, story: StoryRow, sources: list[str], snippet: str | None = None,
               news: bool = True) -> dict:
    """What the templates show of a story: sentences with their citations resolved to article links
    (with `news` False, for lists, the timeline and the update brief may be missing: not shown there)."""
    data = store.brief(story, news=news)
    numbered = {s["id"]: s for s in data.get("sources", [])}
    sentences = []
    for sentence in data.get("sentences", []):
        cites = [citation(numbered, number, sentence) for number in sentence["sources"]]
        sentences.append(
            {
                "text": sentence["text"],
                "cites": cites,
                "single": sentence.get("single_source", False),
                "cut": sentence.get("cut", False),
                "date": sentence.get("date", ""),
            }
        )
    day = ""
    for sentence in sentences:  # a day is shown where it changes (briefs telling events of several days)
        sentence["date"], day = (sentence["date"] if sentence["date"] != day else ""), sentence["date"] or day
    cited = sorted({n for s in data.get("sentences", []) for n in s["sources"]} & set(numbered))
    disagreements = []
    for d in data.get("disagreements", []):
        source = numbered.get(d.get("source"), {})
        disagreements.append(
            {
                "number": d.get("source"),
                "article_id": source.get("article_id"),
                "label": source.get("name") or source.get("title") or f"source {d.get('source')}",
                "mine": d["figures"][0],
                "theirs": d["figures"][1],
                "text": d.get("text", ""),
            }
        )
    first, last = utc(story.created_at), utc(story.updated_at)
    span = f"{first:%d %b %Y} – {last:%d %b %Y}" if first.date() != last.date() else f"{last:%d %b %Y}"
    return {
        "id": story.id,
        "title": story.title,
        "articles": story.article_count,
        "sources": sources,
        "updated": last.strftime("%Y-%m-%d %H:%M UTC"),
        "span": f"{span}, updated {last:%H:%M} UTC",
        "sentences": sentences,
        "error": data.get("error"),
        "numbered": [numbered[k] for k in sorted(numbered)],
        "off_topic": [
            {"number": n, "label": numbered.get(n, {}).get("name") or numbered.get(n, {}).get("title") or f"source {n}"}
            for n in data.get("off_topic", [])
        ],
        "cited": [numbered[k] for k in cited],
        "disagreements": disagreements,
        "snippet": snippet,
        "timeline": data.get("timeline") or [],  # oldest first
        "news": update_view(data.get("update")),  # not "update": a dict's method to Jinja
    }


def citation(numbered: dict[int, dict], number: int, sentence: dict) -> dict:
    """A citation as `_brief.html` shows it: the source's number, article and name, and the evidence
    (the sentence of the cited article that reports the fact, shown on hover, focus or tap), if any."""
    source = numbered.get(number, {})
    evidence = (sentence.get("evidence") or {}).get(str(number))
    return {
        "number": number,
        "article_id": source.get("article_id"),
        "label": source.get("name") or source.get("title") or f"source {number}",
        "evidence": {"text": evidence["text"], "sentence": evidence.get("index", 0) + 1} if evidence else None,
    }


def update_view(update: dict | None) -> dict | None:
    """What is new since the previous brief, as `_brief.html` shows a brief: its sentences with
    their citations resolved to article links, and the day of the previous brief."""
    if not update:
        return None
    numbered = {s["id"]: s for s in update.get("sources", [])}
    sentences = [{"text": s["text"], "single": s.get("single_source", False), "cut": s.get("cut", False),
                  "cites": [citation(numbered, n, s) for n in s["sources"]]} for s in update.get("sentences", [])]
    return {"id": "new", "since": update.get("since", "")[:10], "sentences": sentences, "error": None}


async def form_articles(form) -> list[ArticleIn]:
    """The form's pasted text (with its title, source and url fields) and uploaded files as articles."""
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
            items.append(
                ArticleIn(
                    text=article.text,
                    title=(article.title or meta["title"])[:500],
                    source=(meta["source"] or article.source or name.rsplit(".", 1)[0])[:200],
                    published=article.published[:100],
                )
            )
    return items
