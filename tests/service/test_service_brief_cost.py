"""A read never does unbounded brief work: briefs are written when articles arrive, from capped text."""

from __future__ import annotations

import time

from service_corpus import BRIDGE

from storybrief.service import store as store_module
from storybrief.service.db import CachedBrief
from storybrief.service.store import MAX_BRIEF_ARTICLE_CHARS, MAX_BRIEF_CHARS, capped


def test_capped_cuts_back_to_a_sentence_end():
    text = "One sentence here. Another one follows! A third? " + "word " * 100
    assert capped(text, 10_000) == text
    assert capped(text, 60) == "One sentence here. Another one follows! A third?"
    assert capped("no end at all " * 10, 20) == ("no end at all " * 10)[:20]


def test_a_story_of_huge_articles_is_briefed_from_capped_text(client, monkeypatch):
    seen = []
    real = store_module.summarize
    monkeypatch.setattr(
        store_module,
        "summarize",
        lambda articles, **kw: seen.append([len(a.text) for a in articles]) or real(articles, **kw),
    )
    sentence = "The harbour bridge repairs will take six weeks, engineers said on Monday. "
    huge = [
        {**BRIDGE[n % 3], "id": f"huge-{n}", "url": None, "text": BRIDGE[n % 3]["text"] + " " + sentence * 3000}
        for n in range(15)
    ]  # 15 articles of ~220,000 characters each
    [first, *_] = client.post("/articles", json=huge).json()["articles"]
    story = client.get(f"/stories/{first['story_id']}").json()
    assert story["brief"]["sentences"]
    assert seen and all(max(lengths) <= MAX_BRIEF_ARTICLE_CHARS and sum(lengths) <= MAX_BRIEF_CHARS for lengths in seen)
    assert all(length > MAX_BRIEF_ARTICLE_CHARS - len(sentence) for lengths in seen for length in lengths)


def test_briefs_are_written_when_articles_arrive(client):
    story_id = client.post("/articles", json=BRIDGE).json()["articles"][0]["story_id"]
    deadline = time.monotonic() + 60
    while True:  # no read has asked for it: the background writer makes it
        with client.app.state.database.read() as session:
            cached = session.get(CachedBrief, story_id)
        if cached is not None and cached.version == len(BRIDGE) and "sentences" in cached.data:
            break
        assert time.monotonic() < deadline, "the brief was not written in the background"
        time.sleep(0.05)


def test_after_a_1_mb_article_the_reads_make_no_brief(client, monkeypatch):
    """One article of the largest size taken (1,000,000 characters): its story's brief is made in the
    background from its capped start, and the next reads (the index, the story) only read it."""
    from storybrief.service import news
    from storybrief.service.schemas import MAX_ARTICLE_CHARS

    seen = []
    real = store_module.summarize
    monkeypatch.setattr(store_module, "summarize",
                        lambda articles, **kw: seen.append([len(a.text) for a in articles]) or real(articles, **kw))
    filler = "The harbour bridge repairs will take six weeks, engineers said on Monday, in report number {}. "
    text = BRIDGE[0]["text"] + " " + "".join(filler.format(n) for n in range(12_000))
    huge = {**BRIDGE[0], "text": text[:MAX_ARTICLE_CHARS]}
    client.post("/articles", json=BRIDGE[1])
    [article] = client.post("/articles", json=huge).json()["articles"]
    assert client.get(f"/articles/{article['id']}").json()["words"] > 150_000
    assert client.app.state.store.wait_for_briefs(timeout=120)
    assert seen and all(max(lengths) <= MAX_BRIEF_ARTICLE_CHARS for lengths in seen)

    def no_brief_on_a_read(*args, **kwargs):
        raise AssertionError("a read made a brief")

    monkeypatch.setattr(store_module, "summarize", no_brief_on_a_read)
    monkeypatch.setattr(news, "summarize", no_brief_on_a_read)
    for path in ("/", "/stories", f"/stories/{article['story_id']}", f"/web/stories/{article['story_id']}"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    assert client.get(f"/stories/{article['story_id']}").json()["brief"]["sentences"]
