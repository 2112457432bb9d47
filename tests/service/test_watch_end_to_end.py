"""Done-when of issue 13's feeds part: the service under uvicorn and a feed-and-page server, both on
127.0.0.1 only; feeds added in a FEEDS file; watch cycles run while an injected clock moves on 15
minutes at a time (no real waiting), a feed added to the list on the way; the Atom feeds read over
HTTP show the stories, each updated in place. Four cycles, bounded in time."""

from __future__ import annotations

import time
import urllib.request
import xml.etree.ElementTree as ET

import feedparser
import pytest
from feed_server import Clock, FeedServer, http_date, page, rss
from service_corpus import BRIDGE, CHESS, DROUGHT

from storybrief.service.settings import Settings
from storybrief.service.watch.feedlist import read_feed_list
from storybrief.service.watch.watcher import Watcher, WatchOptions, open_store


@pytest.fixture
def service(db_url, start_server):
    """The app under uvicorn on a free loopback port (conftest's `start_server`)."""
    return start_server(db_url)


def get(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def atom(url: str):
    status, body, headers = get(url)
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    ET.fromstring(body)
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0 and parsed.version == "atom10", parsed.get("bozo_exception")
    return parsed, headers


def test_feeds_in_on_a_schedule_and_atom_out(service, db_url, tmp_path):
    began = time.monotonic()
    clock = Clock()
    feeds = FeedServer()
    try:
        # The Herald carries whole articles; the Courier only summaries, with the article on its page.
        def herald(items):
            return rss("Coastal Herald", [
                {"title": r["title"], "link": feeds.url(f"/herald/{n}"), "guid": f"herald-{n}", "content": r["text"],
                 "pubDate": http_date(clock.now.timestamp() - 600)} for n, r in items])

        herald_url = feeds.set("/herald.xml", body=herald([(0, BRIDGE[0]), (1, CHESS[0])]), etag='"h1"')
        article = page("Eastport bridge shuts on Monday", BRIDGE[1]["text"], site="Bay Courier")
        feeds.set("/courier/bridge", body=article, content_type="text/html; charset=utf-8")
        courier_url = feeds.set("/courier.xml", body=rss("Bay Courier feed", [
            {"title": "Eastport bridge shuts on Monday", "link": feeds.url("/courier/bridge"), "guid": "c-1",
             "description": "The bridge closes on Monday."}]),
            last_modified="Fri, 20 Nov 2026 07:00:00 GMT")
        listed = tmp_path / "feeds.txt"
        listed.write_text(f"# two outlets\n{herald_url}\n{courier_url}\n")

        store = open_store(Settings(db_url=db_url))
        lines: list[str] = []
        watcher = Watcher(store, read_feed_list(listed).urls,
                          WatchOptions(every=900, delay=1.0, timeout=5, allow_private=True),
                          log=lines.append, clock=clock, monotonic=clock.monotonic, sleep=clock.sleep,
                          reload=lambda: read_feed_list(listed).urls)
        try:
            # Cycle 1: three articles, two stories.
            first = watcher.cycle()
            assert (first.new, first.failed) == (3, 0), lines
            assert store.wait_for_briefs(60)
            listing, _ = atom(f"{service}/feeds/stories.atom")
            assert len(listing.entries) == 2
            bridge = next(e for e in listing.entries if "bridge" in e.title.lower())
            assert {c.name for c in bridge.contributors} == {"Coastal Herald", "Bay Courier"}
            assert "[1]" in bridge.content[0].value

            # 15 minutes later the Herald has a third bridge report; the Courier has nothing new (304).
            clock.advance(900)
            feeds.set("/herald.xml", body=herald([(0, BRIDGE[0]), (1, CHESS[0]), (2, BRIDGE[2])]), etag='"h2"')
            second = watcher.cycle()
            assert (second.new, second.unchanged) == (1, 1), lines
            assert feeds.hits("/courier.xml")[-1].headers["if-modified-since"] == "Fri, 20 Nov 2026 07:00:00 GMT"
            assert store.wait_for_briefs(60)
            again, headers = atom(f"{service}/feeds/stories.atom")
            assert len(again.entries) == 2  # updated in place, not posted again
            moved = next(e for e in again.entries if e.id == bridge.id)
            assert moved.updated > bridge.updated and again.entries[0].id == bridge.id
            story_id = int(moved.link.rsplit("/", 1)[1])
            story, _ = atom(f"{service}/stories/{story_id}/feed.atom")
            assert story.entries[0].id == bridge.id and len(story.entries) == 1 + 3
            assert {e.author for e in story.entries[1:]} == {"Coastal Herald", "Bay Courier"}

            # 15 minutes more: both feeds unchanged, so the Atom feed is unchanged too (304 on its ETag)...
            clock.advance(900)
            third = watcher.cycle()
            assert (third.new, third.unchanged, third.failed) == (0, 2, 0)
            status, _, _ = get(f"{service}/feeds/stories.atom", {"If-None-Match": headers["etag"]})
            assert status == 304

            # ... until a feed is added to the list: its story is a third entry, at the top.
            valley = feeds.set("/valley.xml", body=rss("Valley Times", [
                {"title": CHESS[1]["title"], "link": feeds.url("/valley/1"), "guid": "v-1",
                 "content": CHESS[1]["text"]},
                {"title": DROUGHT[0]["title"], "link": feeds.url("/valley/2"), "guid": "v-2",
                 "content": DROUGHT[0]["text"]}]))
            listed.write_text(listed.read_text() + valley + "\n")
            clock.advance(900)
            fourth = watcher.cycle()
            assert (fourth.new, fourth.unchanged, fourth.feeds) == (2, 2, 3)
            assert any("the list of feeds changed: 1 added, 0 removed" in line for line in lines)
            assert store.wait_for_briefs(60)
            last, _ = atom(f"{service}/feeds/stories.atom")
            assert len(last.entries) == 3 and bridge.id in {e.id for e in last.entries}
            assert "drought" in last.entries[0].title.lower() or "chess" in last.entries[0].title.lower()
        finally:
            store.close()
            store.db.dispose()
    finally:
        feeds.stop()
    # Every request went to 127.0.0.1, no cycle slept for real, and the whole run stays short.
    assert clock.slept and all(r.headers.get("host", "").startswith("127.0.0.1") for r in feeds.requests)
    assert not any("Traceback" in line for line in lines)
    assert time.monotonic() - began < 60
