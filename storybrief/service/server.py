"""`storybrief serve`: the app under uvicorn, with the warnings an operator needs."""

from __future__ import annotations

from collections.abc import Callable

from storybrief.service.settings import Settings, is_local

__all__ = ["is_local", "serve"]


def serve(settings: Settings, warn: Callable[[str], None] = print) -> None:
    """Run the app made from `settings` on `settings.host`:`settings.port`."""
    import uvicorn

    from storybrief.service.app import create_app

    host, port = settings.host, settings.port
    if settings.token is None and not is_local(host):
        warn(
            f"WARNING: serving on {host}, reachable from other machines, and STORYBRIEF_TOKEN is not set:\n"
            "WARNING: ANYONE who can reach this port can add articles. "
            "Set STORYBRIEF_TOKEN to require a token for writes."
        )
    if settings.allow_fetch:
        warn("note: fetching article URLs is enabled (public addresses only)")
    app = create_app(settings)
    warn(
        f"storybrief: database {app.state.database.backend} ({_display(app.state.database.url)}), "
        f"writes {'need the token' if settings.token else 'are open'}; http://{host}:{port}/"
    )
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=10)


def _display(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
