"""Atom out: GET /feeds/stories.atom and GET /stories/{id}/feed.atom are valid Atom (feedparser reads
them without complaint; the XML is well-formed with every text escaped), and a story's entry keeps
its id and gets a new <updated> when the story changes, never a second entry."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
from service_corpus import BRIDGE, CHESS, DROUGHT

ATOM = "{http://www.w3.org/2005/Atom}"


def post(client, items):
    response = client.post("/articles", json=items)
    assert response.status_code == 200, response.text
    return response.json()["articles"]


def read(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    ET.fromstring(response.content)  # well-formed
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, response


def test_the_newest_stories_feed(client):
    bridge = post(client, BRIDGE)[0]["story_id"]
    chess = post(client, CHESS)[0]["story_id"]
    client.app.state.store.wait_for_briefs(60)
    parsed, _ = read(client, "/feeds/stories.atom")
    assert parsed.feed.title == "StoryBrief: newest stories"
    assert [e.link for e in parsed.entries] == [f"http://testserver/web/stories/{s}" for s in (chess, bridge)]
    bridge_entry = parsed.entries[1]
    assert bridge_entry.id.startswith("urn:uuid:") and len({e.id for e in parsed.entries}) == 2
    assert {c.name for c in bridge_entry.contributors} == {b["source"] for b in BRIDGE}
    assert "[1]" in bridge_entry.content[0].value and "<p>" in bridge_entry.content[0].value
    assert parsed.feed.updated == max(e.updated for e in parsed.entries)


def test_a_changed_story_is_updated_in_place(client):
    story = post(client, BRIDGE[:2])[0]["story_id"]
    client.app.state.store.wait_for_briefs(60)
    before, _ = read(client, "/feeds/stories.atom")
    post(client, [DROUGHT[0]])
    assert post(client, [BRIDGE[2]])[0]["story_id"] == story
    client.app.state.store.wait_for_briefs(60)
    after, _ = read(client, "/feeds/stories.atom")
    old = {e.link: e for e in before.entries}[f"http://testserver/web/stories/{story}"]
    new = [e for e in after.entries if e.link == f"http://testserver/web/stories/{story}"]
    assert len(new) == 1 and new[0].id == old.id  # the same entry, not a second one
    assert new[0].updated > old.updated
    assert len(after.entries) == 2 and after.entries[0].id == old.id  # newest first
    # Another server on the same database names the entry the same.
    again, _ = read(client, "/feeds/stories.atom")
    assert [e.id for e in again.entries] == [e.id for e in after.entries]


def test_a_story_feed_holds_its_entry_and_its_articles(client):
    results = post(client, BRIDGE)
    story = results[0]["story_id"]
    client.app.state.store.wait_for_briefs(60)
    parsed, _ = read(client, f"/stories/{story}/feed.atom")
    listing, _ = read(client, "/feeds/stories.atom")
    assert parsed.entries[0].id == listing.entries[0].id  # the story's own entry, the same in both feeds
    articles = parsed.entries[1:]
    assert [e.link for e in articles] == ["http://testserver/web/articles/%d" % results[2]["id"],
                                          BRIDGE[1]["url"], BRIDGE[0]["url"]]
    assert [e.author for e in articles] == ["Radio Ellison", "Bay Courier", "Coastal Herald"]
    assert all(e.title and e.summary for e in articles)
    assert client.get("/stories/999999/feed.atom").status_code == 404
    assert client.get(f"/stories/{2**70}/feed.atom").json() == {"error": f"no story {2**70}"}


def test_text_is_escaped_and_stripped_of_what_xml_cannot_carry(client):
    nasty = {"title": 'Bridge <script>alert("x")</script> & "tunnel"\x0b\x1f', "source": "<b>Herald</b> & Co",
             "text": BRIDGE[0]["text"] + " <script>alert(1)</script> \x00\x08 ]]> &amp; done."}
    [result] = post(client, [nasty])
    client.app.state.store.wait_for_briefs(60)
    for path in ("/feeds/stories.atom", f"/stories/{result['story_id']}/feed.atom"):
        parsed, response = read(client, path)
        raw = response.content.decode("utf-8")
        assert "<script" not in raw and "<b>Herald" not in raw and "\x0b" not in raw and "\x00" not in raw
        assert "&lt;script&gt;" in raw
    titles = [e.title for e in parsed.entries]
    assert any("tunnel" in t for t in titles)


def test_an_unchanged_feed_is_answered_304(client):
    post(client, [DROUGHT[0]])
    client.app.state.store.wait_for_briefs(60)
    first = client.get("/feeds/stories.atom")
    tag = first.headers["etag"]
    again = client.get("/feeds/stories.atom", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    post(client, [CHESS[0]])
    client.app.state.store.wait_for_briefs(60)
    assert client.get("/feeds/stories.atom", headers={"If-None-Match": tag}).status_code == 200


def test_an_empty_service_has_a_valid_empty_feed(client):
    parsed, _ = read(client, "/feeds/stories.atom")
    assert parsed.entries == [] and parsed.feed.id.startswith("urn:uuid:")
    page = client.get("/").text
    assert 'type="application/atom+xml"' in page and 'href="/feeds/stories.atom"' in page
