"""The app factory: settings in, a FastAPI app out. Routes are in `routers/`, error answers in `errors`.

`uvicorn --factory storybrief.service.app:create_app` reads the same STORYBRIEF_* variables as
`storybrief serve` (see `settings`).
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError

from storybrief import __version__
from storybrief.brief.score import get_scorer
from storybrief.errors import first_line
from storybrief.service import migrate
from storybrief.service.assign import StoryAssigner, make_assigner
from storybrief.service.db import Database, DatabaseError
from storybrief.service.errors import install_error_handlers
from storybrief.service.fetch import fetch
from storybrief.service.limits import BodyLimit
from storybrief.service.pages import PACKAGE
from storybrief.service.routers import api, feeds, web
from storybrief.service.security import HostAllowlist, security_headers
from storybrief.service.settings import Settings
from storybrief.service.store import Store


def create_app(settings: Settings | None = None, *, assigner: StoryAssigner | None = None) -> FastAPI:
    """The service over `settings.db_url` (migrated to the current schema first).

    `settings`: by default `Settings.from_env()`, the STORYBRIEF_* variables.
    `assigner`: any `StoryAssigner` object, instead of the one `settings.assigner` names.
    """
    settings = Settings.from_env() if settings is None else settings
    assigner = assigner or make_assigner(settings.assigner)
    get_scorer(settings.method)  # an unknown method fails now, not at the first brief
    database = Database(settings.db_url)
    database.check()
    try:
        migrate.upgrade(database)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot bring the database schema up to date: {first_line(exc)}") from exc
    store = Store(
        database,
        assigner=assigner,
        words=settings.words,
        method=settings.method,
        fetcher=fetch if settings.allow_fetch else None,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()
        database.dispose()

    docs = {} if settings.docs else {"docs_url": None, "redoc_url": None}
    app = FastAPI(
        **docs,
        title="StoryBrief",
        version=__version__,
        lifespan=lifespan,
        description="Ingest news articles, group them into stories, read each story's cited brief.",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.database = database
    app.add_middleware(BodyLimit, max_bytes=settings.max_body)
    app.add_middleware(HostAllowlist, hosts=settings.allowed_hosts)
    install_error_handlers(app)
    app.middleware("http")(security_headers)
    app.mount("/static", StaticFiles(packages=[(PACKAGE, "static")]), name="static")
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(web.router)
    return app


# The name the README gave before `create_app` read the environment itself; the same factory.
create_app_from_env = create_app
