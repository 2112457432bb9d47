"""`storybrief watch`: feeds from a server on 127.0.0.1 read into the service database, on SQLite and
PostgreSQL: conditional GET, pages for summary-only entries, politeness, broken feeds, bad input,
restarts and changed entries."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from feed_server import T0, Clock, FeedServer, http_date, page, rss
from service_corpus import BRIDGE, CHESS, DROUGHT
from sqlalchemy import func, select

from storybrief.service.db import ArticleRow, FeedEntryRow, FeedRow, StoryRow
from storybrief.service.settings import Settings
from storybrief.service.watch.watcher import Watcher, WatchOptions, open_store


@pytest.fixture
def server():
    found = FeedServer()
    yield found
    found.stop()


@pytest.fixture
def store(db_url):
    opened = []

    def make():
        made = open_store(Settings(db_url=db_url))
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.close()
        made.db.dispose()


def watcher(store, urls, lines, clock=None, **options):
    options = {"delay": 0.0, "timeout": 3.0, "allow_private": True, "workers": 3, **options}
    extra = {"clock": clock, "monotonic": clock.monotonic, "sleep": clock.sleep} if clock else {}
    return Watcher(store, urls, WatchOptions(**options), log=lines.append, **extra)


def item(record, n, **more):
    return {"title": record["title"], "link": f"http://127.0.0.1/{n}", "guid": f"entry-{n}",
            "content": record["text"], "pubDate": http_date(T0.timestamp() - 3600 * n), **more}


def count(store, model=ArticleRow) -> int:
    with store.db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def articles(store) -> list[ArticleRow]:
    with store.db.read() as session:
        return list(session.scalars(select(ArticleRow).order_by(ArticleRow.id)))


def test_entries_become_stories_and_an_unchanged_feed_is_answered_304(server, store):
    url = server.set("/feed", body=rss("Coastal Herald", [item(r, n) for n, r in enumerate(BRIDGE + CHESS)]),
                     etag='"v1"')
    lines = []
    shop = store()
    first = watcher(shop, [url], lines).cycle()
    assert (first.new, first.failed) == (5, 0)
    stored = articles(shop)
    assert {a.source for a in stored} == {"Coastal Herald"} and all(a.published.startswith("2026-11-") for a in stored)
    assert len({a.story_id for a in stored}) == 2  # the bridge and the chess story
    again = watcher(shop, [url], lines).cycle()
    assert (again.unchanged, again.new) == (1, 0)
    assert server.hits("/feed")[-1].headers["if-none-match"] == '"v1"'
    assert shop.wait_for_briefs(60)
    with shop.db.read() as session:
        feed = session.scalar(select(FeedRow))
        assert (feed.title, feed.etag, feed.failures) == ("Coastal Herald", '"v1"', 0)
    assert not any("Traceback" in line for line in lines)


def test_a_summary_only_entry_is_read_from_its_page(server, store):
    page_url = server.set("/bridge", body=page("Harbour bridge to close | Coastal Herald", BRIDGE[0]["text"],
                                               site="Coastal Herald", date="2026-11-19"),
                          content_type="text/html; charset=utf-8")
    feed = rss("Herald feed", [{"title": "Bridge to close", "link": page_url, "guid": "b1",
                                "description": "The bridge closes on Monday."}])
    url = server.set("/feed", body=feed)
    lines = []
    shop = store()
    assert watcher(shop, [url], lines).cycle().new == 1
    [article] = articles(shop)
    assert "steel girders" in article.text and article.source == "Coastal Herald"
    assert article.title == "Bridge to close" and article.published.startswith("2026-11-19")
    assert article.url == page_url


def test_a_restart_resumes_without_duplicates(server, store):
    # No validators at all: the restarted watcher gets the whole feed again and must know every entry.
    url = server.set("/feed", body=rss("Coastal Herald", [item(r, n) for n, r in enumerate(BRIDGE)]))
    lines = []
    assert watcher(store(), [url], lines).cycle().new == 3
    restarted = store()
    report = watcher(restarted, [url], lines).cycle()
    assert (report.new, report.linked, report.updated) == (0, 0, 0)
    assert count(restarted) == 3 and count(restarted, FeedEntryRow) == 3


def test_broken_feeds_are_one_log_line_each_and_the_rest_goes_on(server, store):
    good = server.set("/good", body=rss("Good", [item(DROUGHT[0], 1)]))
    broken = {
        server.set("/garbage", body=b"\x00\x01 this is no feed <<<",
                   content_type="application/xml"): "not a readable feed",
        server.set("/missing", body=b"", status=404, content_type="text/plain"): "answered 404",
        server.set("/error", body=b"oops", status=500, content_type="text/plain"): "answered 500",
        server.set("/slow", body=rss("Slow", [item(CHESS[0], 2)]), delay=3): "no answer within 0.5 s",
        server.set("/huge", body=rss("Huge", [item(CHESS[1], 3)] * 200)): "larger than 50 kB",
        server.set("/html", body=b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" '
                                 b'href="/good"></head><body>News</body></html>',
                   content_type="text/html"): "an HTML page, not a feed; the page names a feed at /good",
        server.set("/image", body=b"\x89PNG....", content_type="image/png"): "not a feed (Content-Type image/png)",
    }
    lines = []
    began = time.monotonic()
    report = watcher(store(), [*broken, good], lines, timeout=0.5, feed_bytes=50_000).cycle()
    assert time.monotonic() - began < 10
    assert (report.new, report.failed) == (1, len(broken))
    for url, message in broken.items():
        [line] = [line for line in lines if line.startswith(f"feed {url}:")]
        assert message in line, line
    assert not any("Traceback" in line or "\n" in line for line in lines)


def test_bad_xml_with_entries_is_read_as_far_as_it_goes(server, store):
    body = rss("Torn", [item(BRIDGE[0], 1), item(CHESS[0], 2)])
    url = server.set("/torn", body=body[: body.rindex(b"</item>")])  # the last item never closes
    lines = []
    report = watcher(store(), [url], lines).cycle()
    assert report.new >= 1 and report.failed == 0
    assert any("not well-formed" in line for line in lines)


def test_repeated_undated_and_changed_entries(server, store):
    entries = [item(BRIDGE[0], 1), item(BRIDGE[0], 1), {**item(CHESS[0], 2), "pubDate": "not a date"}]
    url = server.set("/feed", body=rss("Herald", entries))
    lines = []
    shop = store()
    assert watcher(shop, [url], lines).cycle().new == 2
    assert any("1 entries repeated in the feed" in line for line in lines)
    assert any("1 new entries without a date, stored undated" in line for line in lines)
    before = {a.title: a for a in articles(shop)}
    assert before[CHESS[0]["title"]].published == ""
    with shop.db.read() as session:
        version = session.get(StoryRow, before[BRIDGE[0]["title"]].story_id).version
    corrected = {**item(BRIDGE[0], 1), "content": BRIDGE[0]["text"] + " The council corrected the cost to 4.5 million."}
    server.set("/feed", body=rss("Herald", [corrected, entries[2]]))
    report = watcher(shop, [url], lines).cycle()
    assert (report.new, report.updated) == (0, 1)
    after = {a.title: a for a in articles(shop)}
    changed = after[BRIDGE[0]["title"]]
    assert changed.id == before[BRIDGE[0]["title"]].id and "4.5 million" in changed.text
    assert changed.updated_at is not None and count(shop) == 2
    with shop.db.read() as session:
        assert session.get(StoryRow, changed.story_id).version == version + 1
    assert any("changed; article" in line and "updated in place" in line for line in lines)


def test_one_article_in_two_feeds_is_stored_once_with_both_outlets(server, client_for_store):
    shared = item(BRIDGE[0], 1)
    first = server.set("/herald", body=rss("Coastal Herald", [shared]))
    second = server.set("/courier", body=rss("Bay Courier", [{**shared, "guid": "courier-77"}]))
    lines = []
    shop, client = client_for_store()
    report = watcher(shop, [first, second], lines, workers=1).cycle()
    assert (report.new, report.linked) == (1, 1)
    [article] = articles(shop)
    story = client.get(f"/stories/{article.story_id}").json()
    assert story["sources"] == ["Coastal Herald", "Bay Courier"]
    assert any("already stored; Bay Courier is listed as its outlet too" in line for line in lines)


def test_entities_scripts_and_other_languages(server, client_for_store):
    nasty = {"title": "Bridge &amp; tunnel <script>alert(1)</script> &lt;b&gt;shut&lt;/b&gt;", "guid": "x1",
             "link": "http://127.0.0.1/x1",
             "content": "<p>" + BRIDGE[1]["text"] + '</p><script>alert("x")</script><img src=x onerror=alert(2)>'}
    german = {"title": "Brücke in Eastport gesperrt", "guid": "de1", "link": "http://127.0.0.1/de1",
              "content": "Die Hafenbrücke in Eastport wird ab Montag für sechs Wochen gesperrt, teilte die Stadt mit. "
                         "Ingenieure fanden Risse in zwei Stahlträgern. Fähren fahren alle fünfzehn Minuten."}
    chinese = {"title": "伊斯特波特大桥关闭", "guid": "zh1", "link": "http://127.0.0.1/zh1",
               "content": "伊斯特波特港口大桥将从周一起关闭六周进行维修。工程师在检查中发现两根钢梁有裂缝。"}
    url = server.set("/feed", body=rss("Mixed", [nasty, german, chinese], raw_title=True))
    lines = []
    shop, client = client_for_store()
    assert watcher(shop, [url], lines).cycle().new == 3
    stored = {a.url: a for a in articles(shop)}
    bad = stored["http://127.0.0.1/x1"]
    # Scripts go; entities are decoded once into text (the escaped "<b>" the feed spelled out stays as words).
    assert "alert" not in bad.text and "alert" not in bad.title and bad.title.startswith("Bridge & tunnel")
    assert stored["http://127.0.0.1/de1"].title == "Brücke in Eastport gesperrt"
    assert "钢梁" in stored["http://127.0.0.1/zh1"].text
    shop.wait_for_briefs(60)
    for path in ["/", f"/web/stories/{bad.story_id}", f"/web/articles/{bad.id}"]:
        html = client.get(path).text
        assert "<script>alert" not in html and "onerror=alert" not in html


def test_a_feed_of_10000_entries_is_read_in_bounded_steps(server, store):
    entries = [{"title": f"Council notice {n}", "guid": f"n{n}", "link": f"http://127.0.0.1/n{n}",
                "content": f"Notice {n}: the council of Eastport publishes decision number {n} about parking "
                           f"permits on street {n % 97} and the market square."} for n in range(10_000)]
    url = server.set("/big", body=rss("Notices", entries), etag='"big"')
    lines = []
    shop = store()
    began = time.monotonic()
    first = watcher(shop, [url], lines, max_new=40).cycle()
    assert (first.new, first.left) == (40, 9960)
    assert any("10000 new or changed entries, 40 read now, 9960 left for the next cycles" in line for line in lines)
    second = watcher(shop, [url], lines, max_new=40).cycle()
    assert (second.new, second.unchanged) == (40, 0)  # the validators were not kept: read again, not 304
    assert "if-none-match" not in server.hits("/big")[-1].headers
    assert count(shop) == 80 and time.monotonic() - began < 120


def test_one_request_at_a_time_per_host_with_a_pause(server, store):
    urls = [server.set(f"/f{n}", body=rss(f"Feed {n}", [item(r, 10 * n + k) for k, r in enumerate(group)]),
                       delay=0.05)
            for n, group in enumerate([BRIDGE[:1], CHESS[:1], DROUGHT[:1]])]
    lines = []
    watcher(store(), urls, lines, delay=0.2, workers=3).cycle()
    assert server.most_active == 1
    # Start to start: the server answers after 0.05 s, the watcher waits 0.2 s after the answer, so
    # 0.25 s at least. (The server notes a request's end only after writing it, later than the
    # watcher has it on a busy machine, so end-to-start gaps understate the pause.)
    starts = sorted(r.start for r in server.requests)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    assert len(starts) == 3 and min(gaps) >= 0.245


def test_loopback_feeds_are_refused_without_allow_private(server, store):
    url = server.set("/feed", body=rss("Herald", [item(BRIDGE[0], 1)]))
    lines = []
    report = watcher(store(), [url], lines, allow_private=False).cycle()
    assert report.failed == 1 and server.requests == []
    assert "private or loopback address" in lines[0] and "--allow-private" in lines[0]


def test_a_page_that_fails_is_tried_again_next_cycle(server, store):
    page_url = server.set("/story", body=b"busy", status=503, content_type="text/plain")
    url = server.set("/feed", body=rss("Herald", [{"title": "Bridge", "link": page_url, "guid": "p1"}]), etag='"e"')
    lines = []
    shop = store()
    first = watcher(shop, [url], lines).cycle()
    assert first.new == 0 and any("answered 503" in line and "tried again next cycle" in line for line in lines)
    server.set("/story", body=page("Bridge", BRIDGE[2]["text"]), content_type="text/html")
    second = watcher(shop, [url], lines).cycle()
    assert second.new == 1 and "if-none-match" not in server.hits("/feed")[-1].headers


def test_the_clock_going_back_is_said_and_changes_nothing_else(server, store):
    url = server.set("/feed", body=rss("Herald", [item(BRIDGE[0], 1)]))
    lines, clock = [], Clock()
    shop = store()
    watch = watcher(shop, [url], lines, clock=clock)
    assert watch.cycle().new == 1
    clock.now -= timedelta(hours=2)
    server.set("/feed", body=rss("Herald", [item(BRIDGE[0], 1), item(BRIDGE[1], 2)]))
    assert watch.cycle().new == 1
    assert any("the clock went back 1 h 59 min" in line or "the clock went back 2 h 0 min" in line for line in lines)
    assert count(shop) == 2


def test_the_schedule_follows_the_monotonic_clock(server, store):
    url = server.set("/feed", body=rss("Herald", [item(BRIDGE[0], 1)]), etag='"s"')
    lines, clock = [], Clock()
    watch = watcher(store(), [url], lines, clock=clock, every=900)
    watch.run(cycles=3)
    assert clock.slept == [900, 900]  # no time passes on this clock inside a cycle
    assert len([line for line in lines if line.startswith("cycle done")]) == 3
    assert len(server.hits("/feed")) == 3


@pytest.fixture
def client_for_store(store, db_url, make_client):
    """A watcher's store and a TestClient of the service over the same database."""

    def make():
        return store(), make_client()

    return make


def test_an_entry_without_text_is_said_once_and_remembered(server, store):
    url = server.set("/feed", body=rss("Herald", [{"title": "Only a title", "guid": "t1"}, item(BRIDGE[0], 1)]))
    lines = []
    shop = store()
    first = watcher(shop, [url], lines).cycle()
    assert (first.new, first.skipped) == (1, 1)
    assert any("entry 'Only a title' has no text in the feed or on its page, skipped" in line for line in lines)
    second = watcher(shop, [url], lines).cycle()  # no validators: the whole feed again
    assert (second.new, second.skipped) == (0, 0) and count(shop, FeedEntryRow) == 2
