"""DNS rebinding (the Host allowlist) and what the page echoes from the address bar."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from service_corpus import BRIDGE

from storybrief.service.app import create_app
from storybrief.service.security import host_name
from storybrief.service.settings import Settings


@pytest.fixture
def loopback_app(tmp_path):
    """Settings as `storybrief serve` makes them by default: bound to 127.0.0.1, so loopback names only."""
    settings = Settings(db_url=str(tmp_path / "h.db"))
    assert settings.allowed_hosts == ("localhost", "127.0.0.1", "::1")
    app = create_app(settings)
    yield app
    app.state.database.dispose()


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "127.0.0.1", "localhost."]
)
def test_loopback_names_are_answered(loopback_app, host):
    client = TestClient(loopback_app, base_url=f"http://{host}")
    assert client.get("/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:8000", "127.0.0.1.attacker.example", "", "localhost:80@x"]
)
def test_a_rebound_name_can_neither_read_nor_write(loopback_app, host):
    client = TestClient(loopback_app)
    for response in (
        client.get("/stories", headers={"Host": host}),
        client.get("/", headers={"Host": host}),
        client.post("/articles", json=BRIDGE[0], headers={"Host": host}),
        client.post("/web/articles", data={"text": BRIDGE[0]["text"]}, headers={"Host": host}),
    ):
        assert response.status_code == 400
        assert "STORYBRIEF_ALLOWED_HOSTS" in response.json()["error"]
        assert response.headers["x-content-type-options"] == "nosniff"
    ok = TestClient(loopback_app, base_url="http://127.0.0.1:8000")
    assert ok.get("/health").json()["articles"] == 0


def test_the_allowlist_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYBRIEF_ALLOWED_HOSTS", "news.example, Other.example.")
    settings = Settings.from_env(db_url=str(tmp_path / "c.db"), host="0.0.0.0")
    assert settings.allowed_hosts == ("news.example", "other.example")
    app = create_app(settings)
    try:
        client = TestClient(app)
        assert client.get("/health", headers={"Host": "news.example"}).status_code == 200
        assert client.get("/health", headers={"Host": "other.example:443"}).status_code == 200
        assert client.get("/health", headers={"Host": "127.0.0.1"}).status_code == 400
    finally:
        app.state.database.dispose()
    # Bound to every interface with no list given: the names are unknown, so any is answered.
    assert Settings(host="0.0.0.0").allowed_hosts == ("*",)
    assert Settings(host="127.0.0.5").allowed_hosts == ("localhost", "127.0.0.1", "::1", "127.0.0.5")


@pytest.mark.parametrize(
    "header, name",
    [("[::1]:8000", "::1"), ("Example.COM.:80", "example.com"), ("a.example", "a.example"), ("::1", "::1")],
)
def test_host_names(header, name):
    assert host_name(header) == name


def test_only_known_messages_are_shown(client):
    planted = client.get("/", params={"message": "Your account is locked: call +1 555 0100"})
    assert planted.status_code == 200 and "555 0100" not in planted.text and 'class="message"' not in planted.text
    known = client.get("/", params={"message": "deleted"})
    assert '<p class="message">Deleted.</p>' in known.text


def test_under_ci_a_test_that_cannot_run_fails_instead_of_skipping():
    """The rule itself (the fixtures call it for PostgreSQL and Chromium)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).parent
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "import pytest, service_checks\n"
        "try:\n    service_checks.skip_or_fail('no server')\n"
        "except BaseException as e:\n    print(type(e).__name__, e)\n"
    ) % str(here)
    for ci, expected in (("true", "Failed CI=true and no server"), ("", "Skipped no server")):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "CI": ci})
        assert out.stdout.strip() == expected, out.stdout + out.stderr
