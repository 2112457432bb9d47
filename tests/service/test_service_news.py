"""A stored story's timeline, what is new since its previous brief, and its earlier briefs."""

from __future__ import annotations

from datetime import datetime, timezone

from running_story import CONSULTATION, LIBRARIES


def item(record) -> dict:
    article_id, source, published, text = record
    return {"id": article_id, "source": source, "published": published, "text": text}


def test_the_story_json_has_its_timeline_and_what_is_new_since_the_previous_brief(client):
    first = client.post("/articles", json=[item(r) for r in LIBRARIES[:2]]).json()["articles"]
    story_id = first[0]["story_id"]
    assert first[1]["story_id"] == story_id
    before = client.get(f"/stories/{story_id}").json()
    assert before["update"] is None and before["history"] == []
    assert [(e["date"], sorted(e["articles"])) for e in before["timeline"]] == [
        ("2025-04-01", sorted(a["id"] for a in first))
    ]
    (later,) = client.post("/articles", json=[item(LIBRARIES[2])]).json()["articles"]
    assert later["story_id"] == story_id
    after = client.get(f"/stories/{story_id}").json()
    update = after["update"]
    assert update is not None and update["sentences"]
    assert datetime.fromisoformat(update["since"].replace("Z", "+00:00")) <= datetime.now(timezone.utc)
    # Said by the new article only, and not said by the previous brief.
    assert {s["article_id"] for s in update["sources"]} == {later["id"]}
    earlier = {s["text"] for s in before["brief"]["sentences"]}
    assert all(s["text"] in LIBRARIES[2][3] and s["text"] not in earlier for s in update["sentences"])
    (previous,) = after["history"]
    assert previous["sentences"] == [s["text"] for s in before["brief"]["sentences"]]
    assert sorted(previous["articles"]) == sorted(a["id"] for a in first) and previous["made"] == update["since"]
    events = after["timeline"]
    assert sorted(a for e in events for a in e["articles"]) == sorted([a["id"] for a in first] + [later["id"]])
    assert all(set(e["sources"]) <= set(e["articles"]) for e in events)
    # Read again: the same news from the cache.
    assert client.get(f"/stories/{story_id}").json()["update"] == update


def test_the_story_page_shows_the_timeline_with_an_order_toggle_and_the_news(client):
    ids = client.post("/articles", json=[item(r) for r in LIBRARIES[:3]]).json()["articles"]
    story_id = ids[0]["story_id"]
    client.get(f"/stories/{story_id}")  # the first brief, which the news is said against
    (later,) = client.post("/articles", json=[item(CONSULTATION)]).json()["articles"]
    assert later["story_id"] == story_id
    data = client.get(f"/stories/{story_id}").json()
    assert [e["date"] for e in data["timeline"]] == ["2025-04-01", "2025-04-05"]
    page = client.get(f"/web/stories/{story_id}").text
    assert "New since " in page and "<h2>Timeline</h2>" in page
    assert page.index("New since") < page.index("<h2>Timeline</h2>") < page.index("<h2 id=\"articles\">All articles")
    first, last = (e["headline"][:30] for e in data["timeline"])
    timeline = page[page.index("<h2>Timeline</h2>"):]
    assert timeline.index(last) < timeline.index(first)  # newest first unless asked
    assert 'href="?order=oldest"' in page
    oldest = client.get(f"/web/stories/{story_id}", params={"order": "oldest"}).text
    timeline = oldest[oldest.index("<h2>Timeline</h2>"):]
    assert timeline.index(first) < timeline.index(last) and 'href="?order=newest"' in oldest
    assert client.get(f"/web/stories/{story_id}", params={"order": "sideways"}).status_code == 422


def test_a_story_with_nothing_new_shows_no_news(client):
    story_id = client.post("/articles", json=[item(r) for r in LIBRARIES[:2]]).json()["articles"][0]["story_id"]
    page = client.get(f"/web/stories/{story_id}").text
    assert "New since" not in page and client.get(f"/stories/{story_id}").json()["update"] is None


def test_lists_make_no_timeline_nor_update_and_the_story_gets_them_when_read(client, monkeypatch):
    """The load regression of the timeline and update briefs: every `GET /stories` that came before the
    background writer made them for the stories it listed, which show neither."""
    from storybrief.service import news

    store = client.app.state.store
    monkeypatch.setattr(store.writer, "submit", lambda story_ids: None)  # only the reads make briefs here
    made = {"timeline": 0, "update": 0}

    def counted(name, real):
        def call(*args, **kwargs):
            made[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(news, "events", counted("timeline", news.events))
    monkeypatch.setattr(news, "summarize", counted("update", news.summarize))
    first = client.post("/articles", json=[item(r) for r in LIBRARIES[:2]]).json()["articles"]
    story_id = first[0]["story_id"]
    listed = client.get("/stories").json()["stories"]
    assert [s["brief"]["sentences"] != [] for s in listed if s["id"] == story_id] == [True]  # the list made it
    client.get("/")
    assert made == {"timeline": 0, "update": 0}
    client.post("/articles", json=[item(LIBRARIES[2])])
    listed = client.get("/stories").json()["stories"]
    client.get("/", params={"q": "library"})
    assert made == {"timeline": 0, "update": 0}  # an update is due now, but no list made it
    story = client.get(f"/stories/{story_id}").json()
    assert made == {"timeline": 1, "update": 1}
    assert story["timeline"] and story["update"]["sentences"] and len(story["history"]) == 1
    assert story["brief"] == next(s["brief"] for s in listed if s["id"] == story_id)
    assert story["history"][0]["made"] == story["update"]["since"]
    # Made once: the story, its page and the lists read them from the cache now.
    for path in (f"/stories/{story_id}", f"/web/stories/{story_id}", "/stories", "/"):
        assert client.get(path).status_code == 200
    assert made == {"timeline": 1, "update": 1}
    assert client.get(f"/stories/{story_id}").json() == story
