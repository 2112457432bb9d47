"""The error contract: every error answer is JSON `{"error": "<one line>"}` with the security headers;
pages a browser asks for get an HTML page instead; ids past int64 are 404, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from service_corpus import BRIDGE

from storybrief.service.app import create_app
from storybrief.service.settings import Settings

HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def assert_error(response, status: int, words: str = "") -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)
    error = response.json()["error"]
    assert isinstance(error, str) and error and "\n" not in error
    assert words in error, error
    return error


def test_unknown_addresses_and_methods(client):
    assert_error(client.get("/nope"), 404, "/nope")
    refused = client.put("/articles", json={})
    assert_error(refused, 405, "PUT is not allowed on /articles")
    assert refused.headers["allow"] == "POST"
    assert_error(client.delete("/health"), 405, "DELETE")


def test_a_body_that_is_not_utf8_is_400(client):
    response = client.post(
        "/articles", content=b'{"text": "caf\xe9 opens"}', headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "cannot be read")


def test_validation_413_and_token_errors_have_the_headers(make_client):
    client = make_client(max_body=2048, token="s3cret")
    assert_error(
        client.post(
            "/articles", content=b"{}", headers={"Content-Type": "application/json", "Authorization": "Bearer s3cret"}
        ),
        422,
        "text",
    )
    assert_error(
        client.post("/articles", content=b"x" * 3000, headers={"Content-Type": "application/json"}), 413, "2048"
    )
    assert_error(client.post("/articles", json=BRIDGE[0]), 401, "Bearer")
    assert_error(client.get("/stories/abc"), 422, "story_id")


@pytest.mark.parametrize("path", ["/stories/{n}", "/articles/{n}", "/stories/{n}/feed.atom"])
@pytest.mark.parametrize("n", [2**63, -(2**63) - 1, 10**30])
def test_ids_past_int64_are_404_json(client, path, n):
    assert_error(client.get(path.format(n=n)), 404, "no ")


@pytest.mark.parametrize("path", ["/web/stories/{n}", "/web/articles/{n}"])
def test_pages_past_int64_are_404_pages(client, path):
    response = client.get(path.format(n=10**30))
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    "path, status",
    [("/web/stories/abc", 404), ("/web/articles/1x", 404), ("/?page=x", 422), ("/?page=0", 422), ("/web/nothing", 404)],
)
def test_bad_page_addresses_get_a_page_not_raw_json(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert '<p class="error">' in response.text and '"detail"' not in response.text


def test_a_bug_is_a_json_500_with_the_headers(tmp_path, monkeypatch):
    app = create_app(Settings(db_url=str(tmp_path / "e.db"), allowed_hosts=("testserver",)))
    monkeypatch.setattr(app.state.store, "counts", lambda: 1 / 0)
    with TestClient(app, raise_server_exceptions=False) as client:
        error = assert_error(client.get("/health"), 500, "internal server error")
        assert "ZeroDivision" not in error
