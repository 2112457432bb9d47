"""Full-text search over articles: SQLite FTS5 (an external-content table kept in step by triggers)
or a PostgreSQL tsvector column with a GIN index. A SQLite built without FTS5 gets nothing here and
the store falls back to LIKE.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    # porter over unicode61: "closes" finds "closed", as PostgreSQL's english configuration does.
    """CREATE VIRTUAL TABLE articles_fts USING fts5(title, source, text, content='articles', content_rowid='id',
       tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
         INSERT INTO articles_fts(rowid, title, source, text) VALUES (new.id, new.title, new.source, new.text);
       END""",
    # Split only to keep lines short: the statement text is the same as when it was one literal.
    (
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN\n"
        "         INSERT INTO articles_fts(articles_fts, rowid, title, source, text)"
        " VALUES ('delete', old.id, old.title, old.source, old.text);\n"
        "       END"
    ),
    (
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, source, text ON articles BEGIN\n"
        "         INSERT INTO articles_fts(articles_fts, rowid, title, source, text)"
        " VALUES ('delete', old.id, old.title, old.source, old.text);\n"
        "         INSERT INTO articles_fts(rowid, title, source, text)"
        " VALUES (new.id, new.title, new.source, new.text);\n"
        "       END"
    ),
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
]
# Titles weigh most (A), then outlets (B), then text (C); the text's first 100,000 characters only,
# as a tsvector is capped at 1 MB and an article may be 1,000,000 characters.
POSTGRES_UP = [
    """ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
         setweight(to_tsvector('english', coalesce(source, '')), 'B') ||
         setweight(to_tsvector('english', left(coalesce(text, ''), 100000)), 'C')) STORED""",
    "CREATE INDEX ix_articles_search ON articles USING gin (search)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_articles_search", "ALTER TABLE articles DROP COLUMN IF EXISTS search"]


def has_fts5() -> bool:
    return bool(op.get_bind().exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar())


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        statements = POSTGRES_UP
    elif dialect == "sqlite" and has_fts5():
        statements = SQLITE_UP
    else:
        statements = []
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRES_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
