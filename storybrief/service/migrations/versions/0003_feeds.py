"""Feeds read by `storybrief watch` (conditional-GET state, entries seen), an article's last change,
and this database's own id (the Atom feeds' ids are made from it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("etag", sa.String(1000), nullable=True),
        sa.Column("last_modified", sa.String(200), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(500), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("feed_id", sa.Integer(), sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entry_key", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
        sa.Column("outlet", sa.String(200), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("feed_id", "entry_key", name="uq_feed_entries_key"),
    )
    op.create_index("ix_feed_entries_feed_id", "feed_entries", ["feed_id"])
    op.create_index("ix_feed_entries_article_id", "feed_entries", ["article_id"])
    # A plain ADD COLUMN on both databases (no table copy on SQLite, so the search triggers stay).
    op.add_column("articles", sa.Column("updated_at", sa.DateTime(), nullable=True))
    instance = op.create_table("instance", sa.Column("id", sa.Integer(), primary_key=True),
                               sa.Column("uuid", sa.String(36), nullable=False))
    op.bulk_insert(instance, [{"id": 1, "uuid": str(uuid.uuid4())}])


def downgrade() -> None:
    op.drop_table("instance")
    op.drop_column("articles", "updated_at")
    op.drop_index("ix_feed_entries_article_id", table_name="feed_entries")
    op.drop_index("ix_feed_entries_feed_id", table_name="feed_entries")
    op.drop_table("feed_entries")
    op.drop_table("feeds")
