"""Story titles come from the grouping's label (issue 15): the title of the article nearest the
story's centroid, renewed as articles join, not the first article's title for ever."""

from __future__ import annotations

from datetime import datetime, timedelta

from service_corpus import BRIDGE

from storybrief.service import store as store_module

# An opening article about the bridge and a good deal else, under a title that names nothing.
DIGEST = {
    "title": "Morning digest",
    "source": "Town Crier",
    "text": "The harbour bridge in Eastport will close for six weeks of repairs, the council said. "
            "Also today: the library extends its opening hours, a bakery on Mill Street wins a prize, "
            "the school board meets on Thursday, and rain is expected for most of the weekend. "
            "The museum opens a new exhibition of maritime paintings on Saturday.",
}


def post(client, item):
    response = client.post("/articles", json=item)
    assert response.status_code == 200, response.text
    return response.json()["articles"][0]


def test_the_story_title_follows_the_grouping_label(client):
    first = post(client, DIGEST)
    assert client.get(f"/stories/{first['story_id']}").json()["title"] == "Morning digest"
    for item in BRIDGE:
        assert post(client, item)["story_id"] == first["story_id"]
    story = client.get(f"/stories/{first['story_id']}").json()
    assert story["title"] in {b["title"] for b in BRIDGE}
    assert client.get("/stories").json()["stories"][0]["title"] == story["title"]


def test_a_story_update_time_never_goes_back_when_the_clock_does(client, monkeypatch):
    first = post(client, BRIDGE[0])
    before = client.get(f"/stories/{first['story_id']}").json()["updated_at"]
    monkeypatch.setattr(store_module, "utcnow", lambda: datetime(2001, 1, 1) + timedelta(seconds=1))
    assert post(client, BRIDGE[1])["story_id"] == first["story_id"]
    after = client.get(f"/stories/{first['story_id']}").json()["updated_at"]
    assert after > before
