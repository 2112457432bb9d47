"""Related stories: links between stories of one long saga (issue 13), both ways round.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_links",
        sa.Column("story_id", sa.Integer(), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("related_id", sa.Integer(), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_story_links_related_id", "story_links", ["related_id"])


def downgrade() -> None:
    op.drop_index("ix_story_links_related_id", table_name="story_links")
    op.drop_table("story_links")
