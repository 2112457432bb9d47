"""The Alembic migrations build exactly the schema the SQLAlchemy models describe (on both databases);
only the full-text search structures, which the migrations make in raw SQL, are outside the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storybrief.service import migrate
from storybrief.service.db import Base, Database

# Made by migration 0002 in raw SQL: SQLite's FTS5 shadow tables, PostgreSQL's tsvector column + GIN index.
SEARCH_ONLY = ("articles_fts", "Column('search', TSVECTOR()", "ix_articles_search")


def test_migrated_schema_equals_the_models(db_url):
    database = Database(db_url)
    try:
        migrate.upgrade(database)
        with database.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        database.dispose()
    flat = [d for group in differences for d in (group if isinstance(group, list) else [group])]
    unexplained = [repr(d) for d in flat if not any(name in repr(d) for name in SEARCH_ONLY)]
    assert unexplained == []
