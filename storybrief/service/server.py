"""`storybrief serve`: the app under uvicorn, with the warnings an operator needs."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable

from storybrief.service.db import DEFAULT_DB


def is_local(host: str) -> bool:
    """Whether binding to `host` keeps the server reachable from this machine only."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    db_url: str | None = None,
    words: int = 150,
    max_body: int | None = None,
    allow_fetch: bool = False,
    warn: Callable[[str], None] = print,
) -> None:
    import uvicorn

    from storybrief.service.app import create_app
    from storybrief.service.limits import DEFAULT_MAX_BODY

    db_url = db_url or os.environ.get("STORYBRIEF_DB") or DEFAULT_DB
    token = os.environ.get("STORYBRIEF_TOKEN") or None
    if token is None and not is_local(host):
        warn(f"WARNING: serving on {host}, reachable from other machines, and STORYBRIEF_TOKEN is not set:\n"
             "WARNING: ANYONE who can reach this port can add articles. Set STORYBRIEF_TOKEN to require a token for writes.")
    if allow_fetch:
        warn("note: fetching article URLs is enabled (public addresses only)")
    app = create_app(db_url, token=token, words=words, max_body=max_body or DEFAULT_MAX_BODY, allow_fetch=allow_fetch)
    warn(f"storybrief: database {app.state.database.backend} ({_display(app.state.database.url)}), "
         f"writes {'need the token' if token else 'are open'}; http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=10)


def _display(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
