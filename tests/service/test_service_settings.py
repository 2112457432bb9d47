"""One `Settings`: `storybrief serve` and `uvicorn --factory storybrief.service.app:create_app` read the same
variables."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybrief import cli
from storybrief.service.app import create_app
from storybrief.service.settings import DEFAULT_WORDS, ENV, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch):
    for variable in ENV.values():
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_defaults_variables_then_overrides(clean_env, tmp_path):
    assert Settings.from_env() == Settings()
    assert Settings().words == DEFAULT_WORDS and Settings().token is None and Settings().assigner == "index"
    environ = {
        "STORYBRIEF_DB": str(tmp_path / "a.db"),
        "STORYBRIEF_TOKEN": "t0k",
        "STORYBRIEF_WORDS": "90",
        "STORYBRIEF_MAX_BODY": "4096",
        "STORYBRIEF_ALLOW_FETCH": "yes",
        "STORYBRIEF_ASSIGNER": "similarity",
        "STORYBRIEF_HOST": "0.0.0.0",
        "STORYBRIEF_PORT": "9001",
        "STORYBRIEF_METHOD": "lead",
    }
    settings = Settings.from_env(environ)
    assert settings == Settings(
        db_url=str(tmp_path / "a.db"),
        token="t0k",
        words=90,
        max_body=4096,
        allow_fetch=True,
        assigner="similarity",
        host="0.0.0.0",
        port=9001,
        method="lead",
    )
    # A flag given wins; a flag not given (None) leaves the variable's value.
    overridden = Settings.from_env(environ, words=200, allow_fetch=False, port=None)
    assert (overridden.words, overridden.allow_fetch, overridden.port) == (200, False, 9001)
    # Empty variables mean the default, and an empty token means no token.
    assert Settings.from_env({"STORYBRIEF_TOKEN": "", "STORYBRIEF_WORDS": " "}) == Settings()


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"STORYBRIEF_WORDS": "many"}, "STORYBRIEF_WORDS='many': expected a whole number"),
        ({"STORYBRIEF_WORDS": "0"}, "STORYBRIEF_WORDS / words: 0 is not a whole number 1..2000"),
        ({"STORYBRIEF_MAX_BODY": "10"}, "at least 1024"),
        ({"STORYBRIEF_PORT": "70000"}, "1..65535"),
        ({"STORYBRIEF_ALLOW_FETCH": "maybe"}, "STORYBRIEF_ALLOW_FETCH='maybe'"),
    ],
)
def test_bad_values_are_refused_in_one_line(environ, message):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_serve_refuses_a_bad_variable_in_one_line(clean_env):
    clean_env.setenv("STORYBRIEF_WORDS", "many")
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 1 and "STORYBRIEF_WORDS='many'" in result.output and "Traceback" not in result.output


def test_serve_and_the_factory_build_the_same_app(clean_env, tmp_path):
    """The same variables give `storybrief serve` and `create_app()` (uvicorn --factory) equal settings; flags win."""
    import uvicorn

    served = []
    clean_env.setattr(uvicorn, "run", lambda app, **kwargs: served.append((app, kwargs)))
    for variable, value in {
        "STORYBRIEF_DB": f"sqlite:///{tmp_path / 's.db'}",
        "STORYBRIEF_TOKEN": "s3cret",
        "STORYBRIEF_WORDS": "80",
        "STORYBRIEF_MAX_BODY": "4096",
        "STORYBRIEF_ASSIGNER": "similarity",
        "STORYBRIEF_PORT": "8123",
    }.items():
        clean_env.setenv(variable, value)
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    [(app, kwargs)] = served
    factory = create_app()
    try:
        assert app.state.settings == factory.state.settings
        assert kwargs["port"] == 8123 and kwargs["host"] == "127.0.0.1"
        for built in (app, factory):
            assert built.state.store.words == 80 and type(built.state.store.assigner).__name__ == "SimilarityAssigner"
    finally:
        app.state.database.dispose()
        factory.state.database.dispose()
    served.clear()
    result = CliRunner().invoke(cli.app, ["serve", "--words", "120", "--port", "8124", "--allow-fetch"])
    assert result.exit_code == 0, result.output
    [(app, kwargs)] = served
    app.state.database.dispose()
    assert (app.state.settings.words, app.state.settings.allow_fetch, app.state.settings.token) == (120, True, "s3cret")
    assert kwargs["port"] == 8124 and app.state.store.fetcher is not None


def test_uvicorn_factory_honours_the_variables(clean_env, tmp_path):
    """A real `uvicorn --factory storybrief.service.app:create_app` process: token and body limit from the
    environment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "STORYBRIEF_DB": str(tmp_path / "f.db"),
        "STORYBRIEF_TOKEN": "s3cret",
        "STORYBRIEF_MAX_BODY": "2048",
        "OMP_NUM_THREADS": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "storybrief.service.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def call(path, body=None, token=None):
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        request = urllib.request.Request(base + path, data=body, headers=headers, method="POST" if body else "GET")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, health = call("/health")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"uvicorn --factory did not start: {process.stdout.read().decode()[-2000:]}")
                time.sleep(0.2)
        assert status == 200 and health["database"] == "sqlite"
        article = json.dumps(
            {"text": "The harbour bridge closes on Monday for six weeks of repairs.", "source": "Herald"}
        ).encode()
        assert call("/articles", article)[0] == 401
        assert call("/articles", article, token="s3cret")[0] == 200
        status, answer = call("/articles", json.dumps({"text": "word " * 1000}).encode(), token="s3cret")
        assert status == 413 and "2048 bytes" in answer["error"]
        assert (tmp_path / "f.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=20)
