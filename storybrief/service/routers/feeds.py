"""Atom feeds: GET /feeds/stories.atom (the newest stories) and GET /stories/{id}/feed.atom (one
story and its articles). The XML is made in `storybrief.service.atom`; answers carry an ETag and
a repeated request with it is answered 304."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from storybrief.service.atom import STORIES_IN_FEED, Links, etag, stories_feed, story_feed
from storybrief.service.db import StoryRow
from storybrief.service.deps import StoreDep
from storybrief.service.schemas import ErrorOut
from storybrief.service.store import ID_RANGE

ATOM_TYPE = "application/atom+xml; charset=utf-8"
ATOM_ANSWER = {200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."}}

router = APIRouter(tags=["feeds"])


def links(request: Request) -> Links:
    return Links(str(request.base_url).rstrip("/"))


def atom(request: Request, body: bytes) -> Response:
    tag = etag(body)
    headers = {"ETag": tag, "Cache-Control": "max-age=60"}
    if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ATOM_TYPE, headers=headers)


@router.get("/feeds/stories.atom", response_class=Response, responses=ATOM_ANSWER)
def stories_atom(request: Request, store: StoreDep) -> Response:
    """The newest stories, one entry each: a story keeps its entry id and gets a new `updated` when it changes."""
    listing = store.stories("", 1, STORIES_IN_FEED, "newest")
    with store.db.read() as session:
        body = stories_feed(session, listing.stories, listing.sources, links(request), str(request.url))
    return atom(request, body)


@router.get("/stories/{story_id}/feed.atom", response_class=Response,
            responses={**ATOM_ANSWER, 404: {"model": ErrorOut}})
def story_atom(story_id: int, request: Request, store: StoreDep) -> Response:
    """One story's updates: its own entry (its brief, updated in place) and its newest articles."""
    if story_id not in ID_RANGE:
        raise HTTPException(404, f"no story {story_id}")
    outlets = store.outlets([story_id]).get(story_id, [])
    with store.db.read() as session:
        story = session.get(StoryRow, story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id}")
        body = story_feed(session, story, outlets, links(request), str(request.url))
    return atom(request, body)
