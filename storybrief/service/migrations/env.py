"""Alembic environment: runs on the connection `storybrief.service.migrate` hands it."""

from alembic import context

from storybrief.service.db import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
