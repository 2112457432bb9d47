"""Fixtures for the service tests: the same API tests run on SQLite and, when available, PostgreSQL."""

from __future__ import annotations

import os
import socket
import threading
import time
import warnings

import pytest

pytest.importorskip("fastapi", reason="the service tests need the 'service' extra (pip install 'storybrief[service]')")

from fastapi.testclient import TestClient  # noqa: E402
from service_checks import skip_or_fail  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from storybrief.service.app import create_app  # noqa: E402
from storybrief.service.db import normalise_url  # noqa: E402
from storybrief.service.settings import Settings  # noqa: E402

warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient.*")

PG_ENV = "STORYBRIEF_TEST_PG"


def reset_postgres(url: str) -> None:
    """An empty public schema, so every test starts from nothing and runs the migrations itself."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'storybrief.db'}"
    url = os.environ.get(PG_ENV)
    if not url:
        skip_or_fail(
            f"the PostgreSQL run of this test needs {PG_ENV}=<SQLAlchemy URL> "
            "(ci/start_pg.sh starts a throwaway server)"
        )
    reset_postgres(url)
    return url


@pytest.fixture
def make_client(db_url):
    """A TestClient on a fresh app over the test database; settings as keyword arguments."""
    clients = []

    def make(**settings) -> TestClient:
        settings.setdefault("allowed_hosts", ("testserver",))  # TestClient's Host
        client = TestClient(create_app(Settings(db_url=db_url, **settings)))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture
def start_server():
    """Start the app under uvicorn on a free loopback port, in a thread: `start_server(db_url, **settings)`
    returns its base URL; every server started is stopped at the end of the test."""
    import uvicorn

    started = []

    def start(db_url: str, **settings) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        app = create_app(Settings(db_url=db_url, **settings))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        started.append((server, thread))
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, _ in started:
        server.should_exit = True
    for _, thread in started:
        thread.join(timeout=10)
