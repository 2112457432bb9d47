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
