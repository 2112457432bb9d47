"""`storybrief serve`: one-line errors, and a loud warning for an open server on a public address."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from storybrief import cli
from storybrief.service import server
from storybrief.service.settings import Settings


def test_serve_says_in_one_line_when_the_extra_is_missing(monkeypatch):
    import storybrief.service

    monkeypatch.setattr(storybrief.service, "missing_modules", lambda: ["fastapi", "uvicorn"])
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 1
    assert "storybrief[service]" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "db, message",
    [
        ("mysql://u@h/db", "unsupported database"),
        ("/no/such/folder/x.db", "does not exist"),
        ("sqlite:///:memory:", "in-memory"),
    ],
)
def test_serve_refuses_unusable_databases(db, message):
    result = CliRunner().invoke(cli.app, ["serve", "--db", db])
    assert result.exit_code == 1 and message in result.output


@pytest.mark.parametrize(
    "host, local",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.1.2.3", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.com", False),
    ],
)
def test_local_hosts(host, local):
    assert server.is_local(host) is local


@pytest.mark.parametrize(
    "host, token, warned", [("0.0.0.0", None, True), ("0.0.0.0", "t", False), ("127.0.0.1", None, False)]
)
def test_open_public_server_is_warned_about(monkeypatch, tmp_path, host, token, warned):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    if token:
        monkeypatch.setenv("STORYBRIEF_TOKEN", token)
    else:
        monkeypatch.delenv("STORYBRIEF_TOKEN", raising=False)
    messages = []
    server.serve(Settings.from_env(host=host, db_url=str(tmp_path / "s.db")), warn=messages.append)
    assert any("STORYBRIEF_TOKEN is not set" in m for m in messages) is warned
