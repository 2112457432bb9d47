"""The JSON API on a real database (SQLite file; PostgreSQL too when STORYBRIEF_TEST_PG is set)."""

from __future__ import annotations

import threading

import pytest
from service_corpus import BRIDGE, CHESS, DROUGHT
from sqlalchemy import create_engine, text

from storybrief.service.db import normalise_url


def post(client, body, **kwargs):
    response = client.post("/articles", json=body, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()["articles"]


def test_one_article_is_stored_in_a_new_story(client):
    [result] = post(client, BRIDGE[0])
    assert result["created"] is True and result["duplicate_of"] is None
    article = client.get(f"/articles/{result['id']}").json()
    assert article["text"] == BRIDGE[0]["text"]
    assert article["story_id"] == result["story_id"]
    assert article["source"] == "Coastal Herald" and article["url"] == BRIDGE[0]["url"]


def test_a_list_is_grouped_into_stories(client):
    results = post(client, [BRIDGE[0], CHESS[0], BRIDGE[1], DROUGHT[0], CHESS[1], BRIDGE[2]])
    stories = [r["story_id"] for r in results]
    assert stories[0] == stories[2] == stories[5]  # the bridge
    assert stories[1] == stories[4]  # the chess final
    assert len({stories[0], stories[1], stories[3]}) == 3


def test_repeated_posts_are_idempotent(client):
    first = post(client, [BRIDGE[0], {**CHESS[0], "id": "chess-1"}, DROUGHT[0]])
    again = post(client, [BRIDGE[0], {**CHESS[0], "id": "chess-1"}, DROUGHT[0]])
    assert [(r["id"], r["story_id"]) for r in again] == [(r["id"], r["story_id"]) for r in first]
    assert all(r["created"] is False for r in again)
    # The client id wins even when the text was edited; the URL too.
    edited = post(client, {**CHESS[0], "id": "chess-1", "text": CHESS[0]["text"] + " Updated."})
    assert edited[0]["id"] == first[1]["id"] and edited[0]["created"] is False
    same_url = post(client, {**BRIDGE[0], "text": "A corrected version of the article about the bridge."})
    assert same_url[0]["id"] == first[0]["id"]
    assert client.get("/health").json()["articles"] == 3


def test_a_wire_copy_joins_its_original_story_as_a_duplicate(client):
    [original] = post(client, BRIDGE[0])
    copy = {**BRIDGE[0], "source": "Evening Post", "url": "https://post.example/bridge", "title": "Bridge closing"}
    [result] = post(client, copy)
    assert result["created"] is True
    assert result["duplicate_of"] == original["id"] and result["story_id"] == original["story_id"]


def test_html_is_reduced_to_its_text(client):
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in BRIDGE[1]["text"].split(". "))
    html = (f"<html><head><title>Bridge news</title></head><body><nav>Home | World</nav>"
            f"<article><h1>Bridge news</h1>{paragraphs}</article></body></html>")
    [result] = post(client, {"html": html, "source": "Bay Courier"})
    article = client.get(f"/articles/{result['id']}").json()
    assert "<p>" not in article["text"] and "fifteen minutes" in article["text"]
    assert article["title"] == "Bridge news"


def test_stories_are_listed_newest_first_and_paged(client):
    [drought] = post(client, DROUGHT[0])
    [chess] = post(client, CHESS[0])
    [bridge] = post(client, BRIDGE[0])
    post(client, CHESS[1])  # chess becomes the most recently updated story
    listing = client.get("/stories", params={"briefs": False}).json()
    ids = [s["id"] for s in listing["stories"]]
    assert ids == [chess["story_id"], bridge["story_id"], drought["story_id"]]
    assert listing["total"] == 3
    second = client.get("/stories", params={"per_page": 1, "page": 2, "briefs": False}).json()
    assert [s["id"] for s in second["stories"]] == [bridge["story_id"]]
    assert second["total"] == 3 and second["page"] == 2
    assert client.get("/stories", params={"page": 9}).json()["stories"] == []


def test_stories_are_filtered_by_text(client):
    post(client, [BRIDGE[0], CHESS[0], DROUGHT[0]])
    found = client.get("/stories", params={"q": "GIRDERS"}).json()
    assert [s["title"] for s in found["stories"]] == [BRIDGE[0]["title"]]
    assert client.get("/stories", params={"q": "Valley Times"}).json()["total"] == 0
    post(client, CHESS[1])
    assert client.get("/stories", params={"q": "valley times"}).json()["total"] == 1  # outlet names match too
    # LIKE wildcards in the query are plain characters.
    assert client.get("/stories", params={"q": "%"}).json()["total"] == 0
    assert client.get("/stories", params={"q": "_"}).json()["total"] == 0


def test_a_story_has_a_cited_brief_its_articles_and_sources(client):
    results = post(client, BRIDGE)
    story_id = results[0]["story_id"]
    story = client.get(f"/stories/{story_id}").json()
    assert story["article_count"] == 3
    assert [a["id"] for a in story["articles"]] == [r["id"] for r in results]
    assert story["sources"] == ["Coastal Herald", "Bay Courier", "Radio Ellison"]
    brief = story["brief"]
    assert brief["sentences"] and brief["words"] <= brief["budget"]
    numbered = {s["id"]: s for s in brief["sources"]}
    assert {s["article_id"] for s in brief["sources"]} <= {r["id"] for r in results}
    texts = {r["id"]: article["text"] for r, article in zip(results, BRIDGE)}
    for sentence in brief["sentences"]:
        assert sentence["sources"] and all(n in numbered for n in sentence["sources"])
        # Each citation carries its evidence: a sentence of the cited article (issue 14).
        assert sorted(int(n) for n in sentence["evidence"]) == sorted(sentence["sources"])
        for n, evidence in sentence["evidence"].items():
            assert evidence["article"] == int(n) and evidence["text"] in texts[numbered[int(n)]["article_id"]]
    # Sentences reported by every outlet cite all three articles.
    assert max(len(s["sources"]) for s in brief["sentences"]) >= 2
    assert client.get("/stories/999").status_code == 404


def test_briefs_are_cached_and_recomputed_when_the_story_changes(client, monkeypatch):
    from storybrief.service import store as store_module

    calls = []
    real = store_module.summarize
    monkeypatch.setattr(store_module, "summarize",
                        lambda articles, **kw: calls.append(len(articles)) or real(articles, **kw))
    story_id = post(client, BRIDGE[:2])[0]["story_id"]
    first = client.get(f"/stories/{story_id}").json()["brief"]
    client.get(f"/stories/{story_id}")
    client.get("/stories")
    assert calls == [2]
    [third] = post(client, BRIDGE[2])
    assert third["story_id"] == story_id
    updated = client.get(f"/stories/{story_id}").json()["brief"]
    assert calls == [2, 3]
    assert len(updated["sources"]) == 3 and len(first["sources"]) == 2


def test_summarize_is_stateless(client):
    response = client.post("/summarize", json={"articles": BRIDGE, "words": 40})
    assert response.status_code == 200, response.text
    brief = response.json()
    assert 0 < brief["words"] <= 40 and brief["budget"] == 40
    assert [s["name"] for s in brief["sources"]] == ["Coastal Herald", "Bay Courier", "Radio Ellison"]
    assert brief["sources"][0]["url"] == BRIDGE[0]["url"]
    assert client.get("/health").json()["articles"] == 0


def test_summarize_takes_a_query(client):
    plain = client.post("/summarize", json={"articles": BRIDGE, "words": 40}).json()
    asked = client.post("/summarize", json={"articles": BRIDGE, "words": 40, "query": "What will the repairs cost?"})
    assert asked.status_code == 200, asked.text
    assert 0 < asked.json()["words"] <= 40
    assert not any("million" in s["text"] for s in plain["sentences"])
    assert any("million" in s["text"] for s in asked.json()["sentences"])
    assert client.post("/summarize", json={"articles": BRIDGE, "query": "x" * 2001}).status_code == 422


def test_summarize_passes_exact_to_concept_coverage(client, monkeypatch):
    from storybrief.brief import cover

    asked = []
    real = cover.cover

    def recording(*args, **kwargs):
        asked.append(kwargs.get("exact", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(cover, "cover", recording)
    monkeypatch.setattr(cover, "LONG_STORY", 0)  # the three short articles are chosen by coverage too
    for exact in (False, True):
        response = client.post("/summarize", json={"articles": BRIDGE, "words": 40, "exact": exact})
        assert response.status_code == 200, response.text
        assert 0 < response.json()["words"] <= 40
    assert asked and set(asked) == {False, True}


@pytest.mark.parametrize("body, words", [
    ({"method": "no-such-method"}, "unknown method"),
    ({"words": 0}, "words"),
    ({"articles": []}, "articles"),
])
def test_summarize_rejects_bad_requests_readably(client, body, words):
    response = client.post("/summarize", json={"articles": BRIDGE, **body})
    assert response.status_code == 422
    assert words in response.json()["error"]


def test_health(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["database"] in ("sqlite", "postgresql")
    post(client, [BRIDGE[0], CHESS[0]])
    health = client.get("/health").json()
    assert (health["articles"], health["stories"]) == (2, 2)


def test_writes_need_the_token_when_one_is_set(make_client):
    client = make_client(token="s3cret")
    assert client.post("/articles", json=BRIDGE[0]).status_code == 401
    assert client.post("/articles", json=BRIDGE[0], headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/articles", json=BRIDGE[0], headers={"Authorization": "Basic s3cret"}).status_code == 401
    refused = client.post("/summarize", json={"articles": BRIDGE})
    assert refused.status_code == 401 and "Bearer" in refused.json()["error"]
    assert client.get("/health").json()["articles"] == 0
    ok = client.post("/articles", json=BRIDGE[0], headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    assert client.get("/stories").status_code == 200  # reading stays open


def test_bodies_over_the_limit_get_413_with_a_reason(make_client):
    client = make_client(max_body=4096)
    big = {**BRIDGE[0], "text": "word " * 2000}
    response = client.post("/articles", json=big)
    assert response.status_code == 413
    assert "larger than the limit of 4096 bytes" in response.json()["error"]

    def chunks():  # no Content-Length: the limit must hold for streamed bodies too
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    streamed = client.post("/articles", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert client.get("/health").json()["articles"] == 0
    assert client.post("/articles", json=BRIDGE[0]).status_code == 200


@pytest.mark.parametrize("body, expected", [
    (b"{not json", "malformed JSON"),
    (b'"just a string"', "object"),
    (b"[]", "at least 1"),
    (b"{}", '"text" or "html"'),
    (b'{"text": 5}', "text"),
    (b'{"text": "Some words.", "colour": "red"}', "colour"),
    (b'{"text": "Some words.", "url": "javascript:alert(1)"}', "http"),
    (b'{"text": "Some words.", "title": "' + b"t" * 600 + b'"}', "title"),
    (b'[{"text": "Fine text."}, {"title": "no text"}]', "1"),
    (b'{"html": "<html><head><title>t</title></head><body><script>x()</script></body></html>"}', "no article text"),
    (b'{"text": "   "}', '"text" or "html"'),
    (b'{"url": "https://example.com/a"}', "fetching URLs is disabled"),
])
def test_malformed_articles_get_422_with_a_readable_message(client, body, expected):
    response = client.post("/articles", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert isinstance(error, str) and expected in error
    assert "\n" not in error and len(error) < 600


def test_nul_characters_are_dropped_not_fatal(client):
    body = b'{"text": "The bridge closes on Monday.\\u0000 Engineers found cracks.", "source": "Herald\\u0000"}'
    response = client.post("/articles", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    article = client.get(f"/articles/{response.json()['articles'][0]['id']}").json()
    assert "\x00" not in article["text"] and article["source"] == "Herald"


def test_lone_surrogates_get_422(client):
    body = b'{"text": "The bridge \\ud800 closes on Monday."}'
    response = client.post("/articles", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "text" in response.json()["error"]


@pytest.mark.parametrize("path", ["/stories?page=0", "/stories?per_page=1000", "/stories/abc", "/articles/abc"])
def test_malformed_queries_get_422(client, path):
    response = client.get(path)
    assert response.status_code == 422 and response.json()["error"]


def test_an_acknowledged_article_is_committed(client, db_url):
    [result] = post(client, BRIDGE[0])
    # A separate connection, as another process would open after a crash, sees it.
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT story_id FROM articles WHERE id = :id"),
                                        {"id": result["id"]}).scalar()
    finally:
        engine.dispose()
    assert stored == result["story_id"]


def test_concurrent_posts_all_land(client):
    articles = [{"text": f"Report number {n} on the harbour bridge repairs in Eastport, "
                         f"where cracks were found in girder {n}.",
                 "source": f"Outlet {n}", "id": f"c{n}"} for n in range(16)]
    results, errors = [], []

    def worker(chunk):
        for article in chunk:
            response = client.post("/articles", json=article)
            (results if response.status_code == 200 else errors).append(response)

    threads = [threading.Thread(target=worker, args=(articles[k::4],)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    ids = {r.json()["articles"][0]["id"] for r in results}
    assert len(ids) == 16
    assert client.get("/health").json()["articles"] == 16


def test_migrations_go_down_and_up_again(client, db_url):
    from storybrief.service import migrate
    from storybrief.service.db import Database

    post(client, BRIDGE[0])
    database = Database(db_url)
    try:
        migrate.downgrade(database)
        migrate.upgrade(database)
        with database.read() as session:
            assert session.execute(text("SELECT count(*) FROM articles")).scalar() == 0
    finally:
        database.dispose()


def test_a_restarted_server_keeps_its_stories_and_extends_them(make_client):
    """A new app on the same database rebuilds its story index from the stored articles."""
    first = make_client()
    bridge, chess = post(first, [BRIDGE[0], CHESS[0]])
    restarted = make_client()
    results = post(restarted, [BRIDGE[1], DROUGHT[0], CHESS[1],
                               {**BRIDGE[0], "source": "Evening Post", "url": "https://post.example/bridge"}])
    assert results[0]["story_id"] == bridge["story_id"]
    assert results[2]["story_id"] == chess["story_id"]
    assert results[1]["story_id"] not in (bridge["story_id"], chess["story_id"])
    assert results[3]["duplicate_of"] == bridge["id"] and results[3]["story_id"] == bridge["story_id"]
    # The first server, still running (another process on the same database), catches up too.
    [late] = post(first, BRIDGE[2])
    assert late["story_id"] == bridge["story_id"]
    assert restarted.get(f"/stories/{bridge['story_id']}").json()["article_count"] == 4


def test_a_failed_batch_leaves_no_phantom_story(client, monkeypatch):
    """All or none: after a batch fails mid-way, its first article is neither stored nor remembered."""
    store = client.app.state.store
    real, calls = store._ingest_one, []

    def fail_second(session, item):
        calls.append(item)
        if len(calls) == 2:
            raise RuntimeError("the database failed mid-batch")
        return real(session, item)

    monkeypatch.setattr(store, "_ingest_one", fail_second)
    with pytest.raises(RuntimeError):
        client.post("/articles", json=[BRIDGE[0], CHESS[0]])
    monkeypatch.setattr(store, "_ingest_one", real)
    [copy] = post(client, {**BRIDGE[0], "source": "Evening Post", "url": "https://post.example/bridge"})
    assert copy["duplicate_of"] is None
    [related] = post(client, BRIDGE[1])
    assert related["story_id"] == copy["story_id"]
    assert client.get("/health").json()["articles"] == 2
    assert client.get("/health").json()["stories"] == 1


def test_the_assigner_is_chosen_by_name(make_client, db_url, monkeypatch):
    from storybrief.errors import StoryBriefError
    from storybrief.service.app import create_app
    from storybrief.service.assign import SimilarityAssigner, StoryIndexAssigner
    from storybrief.service.settings import Settings

    client = make_client(assigner="similarity")
    assert isinstance(client.app.state.store.assigner, SimilarityAssigner)
    stories = [r["story_id"] for r in post(client, [BRIDGE[0], CHESS[0], BRIDGE[1]])]
    assert stories[0] == stories[2] != stories[1]
    monkeypatch.setenv("STORYBRIEF_DB", db_url)
    monkeypatch.setenv("STORYBRIEF_ASSIGNER", "index")
    app = create_app()
    assert isinstance(app.state.store.assigner, StoryIndexAssigner)
    app.state.database.dispose()
    with pytest.raises(StoryBriefError, match="unknown story assigner 'nearest'"):
        create_app(Settings(db_url=db_url, assigner="nearest"))


def test_summarize_ties_urls_to_their_own_articles(client):
    """An article that cleaning empties has no source: the URLs of the others must not shift onto the wrong ones."""
    articles = [{"text": "Advertisement", "url": "https://junk.example/ad"}, *BRIDGE]
    brief = client.post("/summarize", json={"articles": articles, "words": 60}).json()
    assert [(s["name"], s["url"]) for s in brief["sources"]] == [(b["source"], b.get("url")) for b in BRIDGE]
