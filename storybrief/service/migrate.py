"""Bring the database schema up to date with the Alembic migrations shipped in the package."""

from __future__ import annotations

from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from storybrief.service.db import PG_WRITE_LOCK, Database


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("storybrief.service") / "migrations"))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Run pending migrations; safe when several servers start at once (they take turns)."""
    config = alembic_config(database)
    with _writer(database) as connection:
        if database.backend == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK + 1})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database: Database, revision: str = "base") -> None:
    config = alembic_config(database)
    with _writer(database) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@contextmanager
def _writer(database: Database):
    """A transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE, see db.py): it then waits
    for a writer of a running server (busy_timeout) instead of failing with "database is locked"
    when its first write finds the lock taken."""
    with database.engine.connect() as connection:
        connection = connection.execution_options(storybrief_write=True)
        with connection.begin():
            yield connection
