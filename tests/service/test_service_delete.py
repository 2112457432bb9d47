"""Deleting test junk: an article, or a story with its articles; token-guarded like every write."""

from __future__ import annotations

from service_corpus import BRIDGE, CHESS


def post(client, body, **kwargs):
    response = client.post("/articles", json=body, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()["articles"]


def test_deleting_an_article_updates_its_story_and_brief(client):
    results = post(client, BRIDGE)
    story_id = results[0]["story_id"]
    assert {s["article_id"] for s in client.get(f"/stories/{story_id}").json()["brief"]["sources"]} == {
        r["id"] for r in results
    }
    gone = client.delete(f"/articles/{results[1]['id']}")
    assert gone.status_code == 200
    assert gone.json() == {"article_ids": [results[1]["id"]], "story_id": story_id, "story_deleted": False}
    story = client.get(f"/stories/{story_id}").json()
    assert story["article_count"] == 2 and [a["id"] for a in story["articles"]] == [results[0]["id"], results[2]["id"]]
    assert results[1]["id"] not in {s["article_id"] for s in story["brief"]["sources"]}  # the brief was recomputed
    assert client.get(f"/articles/{results[1]['id']}").status_code == 404
    assert client.delete(f"/articles/{results[1]['id']}").status_code == 404


def test_deleting_the_last_article_removes_the_story(client):
    [only] = post(client, CHESS[0])
    assert client.delete(f"/articles/{only['id']}").json()["story_deleted"] is True
    assert client.get(f"/stories/{only['story_id']}").status_code == 404
    assert client.get("/health").json()["stories"] == 0


def test_deleting_a_story_removes_its_articles_and_forgets_them(client):
    bridge = post(client, BRIDGE[:2])
    [chess] = post(client, CHESS[0])
    gone = client.delete(f"/stories/{bridge[0]['story_id']}").json()
    assert gone == {
        "article_ids": [bridge[0]["id"], bridge[1]["id"]],
        "story_id": bridge[0]["story_id"],
        "story_deleted": True,
    }
    assert client.get("/health").json()["articles"] == 1
    assert client.get(f"/stories/{bridge[0]['story_id']}").status_code == 404
    # The story index forgot them: a wire copy of a deleted article is new, not a duplicate, in a new story.
    [again] = post(client, {**BRIDGE[0], "source": "Evening Post", "url": "https://post.example/bridge"})
    assert again["duplicate_of"] is None and again["story_id"] not in (bridge[0]["story_id"], chess["story_id"])
    assert client.get(f"/stories/{chess['story_id']}").json()["article_count"] == 1
    assert client.delete("/stories/424242").status_code == 404
    assert client.delete(f"/stories/{2**70}").status_code == 404


def test_a_copy_of_a_deleted_original_stays(client):
    [original] = post(client, BRIDGE[0])
    [copy] = post(client, {**BRIDGE[0], "source": "Evening Post", "url": "https://post.example/bridge"})
    assert copy["duplicate_of"] == original["id"]
    client.delete(f"/articles/{original['id']}")
    assert client.get(f"/articles/{copy['id']}").json()["duplicate_of"] is None


def test_deletes_need_the_token(make_client):
    client = make_client(token="s3cret")
    auth = {"Authorization": "Bearer s3cret"}
    [article] = post(client, BRIDGE[0], headers=auth)
    for path in (f"/articles/{article['id']}", f"/stories/{article['story_id']}"):
        refused = client.delete(path)
        assert refused.status_code == 401 and "Bearer" in refused.json()["error"]
    assert client.get("/health").json()["articles"] == 1
    # The page's delete button: token field, same-origin rule.
    story_page = client.get(f"/web/stories/{article['story_id']}").text
    assert f'action="/web/stories/{article["story_id"]}/delete"' in story_page and 'name="token"' in story_page
    path = f"/web/stories/{article['story_id']}/delete"
    assert client.post(path, data={"token": "nope"}).status_code == 401
    assert (
        client.post(path, data={"token": "s3cret"}, headers={"Origin": "https://attacker.example"}).status_code == 403
    )
    done = client.post(path, data={"token": "s3cret"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/?message=deleted"
    assert "Deleted." in client.get(done.headers["location"]).text
    assert client.get("/health").json()["articles"] == 0
    assert client.delete(f"/articles/{article['id']}", headers=auth).status_code == 404
