"""Related stories in the service (issue 13): stories of one long saga are linked, never merged; the
links are stored (table story_links), survive a restart (the index replay re-derives them), go with
a deleted story, and are shown by the API (`related`, `related_stories`) and the story page."""

from __future__ import annotations

from service_corpus import INQUIRY, ORCHARD, QUAKE
from sqlalchemy import select

from storybrief.service import migrate
from storybrief.service.assign import StoryIndexAssigner
from storybrief.service.db import Database, StoryLinkRow


def post(client, body):
    response = client.post("/articles", json=body)
    assert response.status_code == 200, response.text
    return [a["story_id"] for a in response.json()["articles"]]


def saga(client) -> tuple[int, int, int]:
    """The quake, the orchard frost (a day later) and, two months on, the inquiry into the quake:
    (quake story, orchard story, inquiry story)."""
    quake = post(client, QUAKE)
    orchard = post(client, ORCHARD)
    inquiry = post(client, INQUIRY)
    assert len(set(quake)) == len(set(orchard)) == len(set(inquiry)) == 1
    assert len({quake[0], orchard[0], inquiry[0]}) == 3  # the inquiry is not merged into the quake's story
    return quake[0], orchard[0], inquiry[0]


def stored_links(db_url) -> set[tuple[int, int]]:
    database = Database(db_url)
    try:
        with database.read() as session:
            return set(session.execute(select(StoryLinkRow.story_id, StoryLinkRow.related_id)).all())
    finally:
        database.dispose()


def test_stories_of_one_saga_are_linked_both_ways_in_the_api(client, db_url):
    quake, orchard, inquiry = saga(client)
    story = client.get(f"/stories/{quake}").json()
    assert story["related"] == [inquiry]
    assert story["related_stories"][0]["id"] == inquiry
    assert story["related_stories"][0]["title"] == client.get(f"/stories/{inquiry}").json()["title"]
    assert client.get(f"/stories/{inquiry}").json()["related"] == [quake]
    assert client.get(f"/stories/{orchard}").json()["related"] == []
    assert stored_links(db_url) == {(quake, inquiry), (inquiry, quake)}


def test_links_survive_a_restart_and_the_rebuilt_index_keeps_them(make_client, db_url):
    """A new server rebuilds its index by replaying the stored articles; the replay re-derives the
    saga links, so the first ingest after the restart keeps the stored link (it would drop it as
    no longer made if the replay recorded no saga pairs)."""
    quake, orchard, inquiry = saga(make_client())
    restarted = make_client()
    assert restarted.get(f"/stories/{quake}").json()["related"] == [inquiry]  # read from the table
    [late] = post(restarted, {**ORCHARD[0], "source": "Evening Post", "text": ORCHARD[0]["text"] + " Prices rose."})
    assert late == orchard
    assert restarted.get(f"/stories/{quake}").json()["related"] == [inquiry]
    assert stored_links(db_url) == {(quake, inquiry), (inquiry, quake)}


def test_a_replayed_index_makes_the_links_the_ingests_made(make_client, db_url):
    client = make_client()
    quake, _, inquiry = saga(client)
    database = Database(db_url)
    try:
        migrate.upgrade(database)
        replay = StoryIndexAssigner()
        with database.read() as session:
            replay.catch_up(session)
        held, pairs = replay.links()
        assert {quake, inquiry} <= held
        assert pairs == {(min(quake, inquiry), max(quake, inquiry))}
    finally:
        database.dispose()


def test_a_deleted_story_takes_its_links_with_it(make_client, db_url):
    client = make_client()
    quake, _, inquiry = saga(client)
    assert client.delete(f"/stories/{inquiry}").status_code == 200
    assert client.get(f"/stories/{quake}").json()["related"] == []
    assert stored_links(db_url) == set()
    # The next ingest rebuilds the index from what is left: no link comes back to a story that is gone.
    post(client, {**QUAKE[0], "source": "Evening Post", "text": QUAKE[0]["text"] + " Schools stayed closed."})
    assert stored_links(db_url) == set()


def test_the_story_page_lists_related_stories_as_links(client):
    quake, _, inquiry = saga(client)
    page = client.get(f"/web/stories/{quake}").text
    assert "<h2>Related stories</h2>" in page
    assert f'href="/web/stories/{inquiry}"' in page
    title = client.get(f"/stories/{inquiry}").json()["title"]
    assert title and title.replace("'", "&#39;") in page
    assert "Related stories" not in client.get(f"/web/stories/{post(client, ORCHARD[:1])[0]}").text
