"""StoryBrief as a service: an HTTP API and a web page over a database of articles and stories.

Needs the `service` extra (FastAPI, uvicorn, SQLAlchemy, Alembic, Jinja2). The app factory is
`storybrief.service.app.create_app`; `storybrief serve` runs it under uvicorn.
"""

REQUIRED_MODULES = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "jinja2", "python_multipart", "tldextract")


def missing_modules() -> list[str]:
    """Modules of the `service` extra that cannot be imported here."""
    import importlib.util

    return [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]
