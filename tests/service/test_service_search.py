"""Search with the database's own full-text engine (FTS5 on SQLite, tsvector on PostgreSQL): the same
query syntax on both, ranked, with a highlighted snippet; LIKE only where FTS5 is missing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from service_corpus import BRIDGE, CHESS, DROUGHT

from storybrief.service.app import create_app
from storybrief.service.search import search_terms
from storybrief.service.settings import Settings

FERRY = {
    "title": "Ferry timetable",
    "source": "Harbour Gazette",
    "text": "The ferry company published a new timetable for the harbour on Tuesday. Boats will leave every "
    "fifteen minutes from the north pier while the bridge is repaired, the company said.",
}


def titles(client, q, **params):
    """Story titles found; the bridge story (named by the grouping's label: one of its articles' titles)
    is called by its first article's title here."""
    response = client.get("/stories", params={"q": q, "briefs": False, **params})
    assert response.status_code == 200, response.text
    bridge = {b["title"] for b in BRIDGE}
    return [BRIDGE[0]["title"] if s["title"] in bridge else s["title"] for s in response.json()["stories"]]


@pytest.fixture
def loaded(client):
    # Four stories: the bridge (three reports), chess, drought, and the ferry timetable, which mentions the bridge once.
    assert client.post("/articles", json=[*BRIDGE, CHESS[0], DROUGHT[0]]).status_code == 200
    assert client.post("/articles", json=FERRY).status_code == 200
    return client


def test_query_syntax():
    assert search_terms('Bridge  "steel GIRDERS" closes -ferry OR x*:') == [
        "bridge",
        "steel girders",
        "closes",
        "ferry",
        "or",
        "x",
    ]
    assert search_terms('%_ "" ;') == []


def test_all_words_must_match_and_stems_join_inflections(loaded):
    assert titles(loaded, "girders") == [BRIDGE[0]["title"]]
    assert titles(loaded, "GIRDERS inspection") == [BRIDGE[0]["title"]]
    assert titles(loaded, "girders chess") == []
    # "closes" finds the story whose articles say "close" / "closed" / "closure" stems alike.
    assert BRIDGE[0]["title"] in titles(loaded, "closes")
    assert titles(loaded, "harbour gazette") == [FERRY["title"]]  # outlets are searched too


def test_phrases_keep_their_word_order(loaded):
    assert titles(loaded, '"steel girders"') == [BRIDGE[0]["title"]]
    assert titles(loaded, '"girders steel"') == []


def test_the_best_match_ranks_first_and_an_exact_title_first_of_all(loaded):
    # Both stories mention the bridge; the bridge story says it in every title and sentence.
    assert titles(loaded, "bridge") == [BRIDGE[0]["title"], FERRY["title"]]
    # The ferry story is named exactly by the query, though the bridge story mentions ferries more often.
    assert titles(loaded, "ferry timetable")[0] == FERRY["title"]
    assert titles(loaded, "bridge", per_page=1, page=2) == [FERRY["title"]]
    assert loaded.get("/stories", params={"q": "bridge", "per_page": 1}).json()["total"] == 2


def test_a_story_with_an_article_titled_as_the_query_ranks_first_though_its_label_differs(client):
    """The story's title is the grouping's label, here another article's title; the story holding the
    article titled exactly "Ferry timetable" still comes first, ahead of one that repeats the words
    more often (PostgreSQL's ts_rank_cd ranked that one first when only the story's title counted)."""
    fleet = {
        "title": "Harbour ferry company adds two boats to its fleet",
        "source": "Bay Courier",
        "text": "The harbour ferry company will add two boats to its fleet while the bridge is repaired, it said "
        "on Tuesday. The new timetable has boats leaving the north pier every fifteen minutes. The ferry company "
        "said the boats come from Varn.",
    }
    buses = {
        "title": "Bus company rewrites its whole network",
        "source": "Valley Times",
        "text": "The regional bus operator in Millbrook unveiled a redesigned network of routes on Wednesday, with "
        "night services, new depots and cheaper season tickets for students and pensioners. " * 3
        + " ".join(f"Route {n} now connects to the ferry timetable at the Millbrook quay." for n in range(12)),
    }
    ferry = client.post("/articles", json=[FERRY, fleet]).json()["articles"]
    [bus] = client.post("/articles", json=buses).json()["articles"]
    assert ferry[0]["story_id"] == ferry[1]["story_id"] != bus["story_id"]
    label = client.get(f"/stories/{ferry[0]['story_id']}").json()["title"]
    assert label != FERRY["title"], "the case needs a story named by another article than the query's"
    found = client.get("/stories", params={"q": "ferry  Timetable", "briefs": False}).json()["stories"]
    assert [s["id"] for s in found] == [ferry[0]["story_id"], bus["story_id"]]


def test_operators_are_plain_characters_never_errors(loaded):
    for q in [
        "bridge -ferry",
        "bridge OR chess",
        "girder*",
        "title:bridge",
        'unbalanced "quote',
        "NEAR(bridge",
        "^bridge",
        "%",
        "_",
    ]:
        response = loaded.get("/stories", params={"q": q})
        assert response.status_code == 200, (q, response.text)
    assert titles(loaded, "%") == [] and titles(loaded, "_") == []


def test_snippets_highlight_the_match(loaded):
    [story] = loaded.get("/stories", params={"q": "girders", "briefs": False}).json()["stories"]
    assert "**girders**" in story["snippet"]
    assert loaded.get("/stories", params={"briefs": False}).json()["stories"][0]["snippet"] is None
    page = loaded.get("/", params={"q": "girders"}).text
    assert "<mark>girders</mark>" in page


def test_snippets_are_escaped(client):
    client.post(
        "/articles",
        json={
            "text": "Officials said <b>the dam</b> & the <script>x()</script> levee will hold. " * 3,
            "source": "Valley Times",
        },
    )
    page = client.get("/", params={"q": "levee"}).text
    assert "<script>" not in page and "<b>the dam" not in page
    # Escaped text around the mark (PostgreSQL's ts_headline drops what looks like a tag; FTS5 keeps it, escaped).
    assert "<mark>levee</mark>" in page


def test_the_index_follows_deletes(loaded):
    [ferry] = loaded.get("/stories", params={"q": "timetable", "briefs": False}).json()["stories"]
    loaded.delete(f"/stories/{ferry['id']}")
    assert titles(loaded, "timetable") == []
    assert titles(loaded, "bridge") == [BRIDGE[0]["title"]]


def test_like_is_the_fallback_where_fts5_is_missing(tmp_path):
    url = f"sqlite:///{tmp_path / 'nofts.db'}"
    settings = Settings(db_url=url, allowed_hosts=("testserver",))
    with TestClient(create_app(settings)) as client:
        client.post("/articles", json=[BRIDGE[0], CHESS[0]])
        with client.app.state.database.write() as session:  # as a SQLite built without FTS5 would have it
            for statement in (
                "DROP TRIGGER articles_fts_insert",
                "DROP TRIGGER articles_fts_delete",
                "DROP TRIGGER articles_fts_update",
                "DROP TABLE articles_fts",
            ):
                session.connection().exec_driver_sql(statement)
    with TestClient(create_app(settings)) as client:
        assert client.app.state.store.search_backend() == "like"
        assert titles(client, "girders") == [BRIDGE[0]["title"]]
        assert titles(client, "irder") == [BRIDGE[0]["title"]]  # a substring scan, as before
        client.post("/articles", json=CHESS[1])
        assert len(titles(client, "chess")) == 1
