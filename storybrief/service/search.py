"""Story search with the database's own full-text engine: one query syntax on both back ends.

Syntax: words, all of which must occur (any case, any inflection the stemmer joins: "closes" finds
"closed"), and "quoted phrases", whose words must occur in that order. Nothing else is an operator:
`-`, `OR`, `*`, `:` are plain characters, so a reader's query never fails to parse.

SQLite: the FTS5 table `articles_fts` (migration 0002), ranked by bm25 with titles weighing most.
PostgreSQL: the `articles.search` tsvector (GIN index), ranked by ts_rank_cd, titles weighing most.
Both rank a story by its best-matching article, a story whose title (or one of whose articles' titles)
is the query itself first, and give a snippet of that article with the matches between MARK_START and MARK_END.
Where SQLite has no FTS5, the store falls back to a LIKE scan (no ranking, no snippet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters: cannot clash with a reader's text
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"|([^\W_]+)')
_WORD = re.compile(r"[^\W_]+")


def search_terms(query: str) -> list[str]:
    """The query's words and phrases, lower-cased; a phrase is its words joined by one space."""
    terms = []
    for phrase, word in _TERM.findall(query):
        term = " ".join(_WORD.findall(phrase.lower())) if phrase else word.lower()
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


@dataclass
class Hits:
    story_ids: list[int]  # this page's stories, best first
    total: int
    snippets: dict[int, str]  # story id -> a snippet of its best article


def backend(session: Session) -> str:
    """ "fts5", "tsvector" or "like" (SQLite without FTS5)."""
    if session.get_bind().dialect.name == "postgresql":
        return "tsvector"
    found = session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles_fts'")).first()
    return "fts5" if found else "like"


def fts5_query(terms: list[str]) -> str:
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def search(session: Session, engine: str, query: str, terms: list[str], page: int, per_page: int) -> Hits:
    if engine == "fts5":
        return _sqlite(session, query, terms, page, per_page)
    return _postgres(session, query, terms, page, per_page)


def _sqlite(session: Session, query: str, terms: list[str], page: int, per_page: int) -> Hits:
    match = fts5_query(terms)
    # bm25 may not be called inside an aggregate: score the rows in a subquery (LIMIT -1 keeps SQLite from
    # flattening it into the aggregate), then min() (lower is better) picks each story's best article,
    # and SQLite returns that row's id along with it.
    best = """SELECT story_id, article_id, min(score) AS score FROM (
                SELECT a.story_id AS story_id, a.id AS article_id, bm25(articles_fts, 10.0, 4.0, 1.0) AS score
                FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                WHERE articles_fts MATCH :match LIMIT -1)
              GROUP BY story_id"""
    # The stories with an article titled exactly as the query (the story's own title is the grouping's
    # label, which may be another article's): an article so titled matches the query, so the index finds it.
    titled = """SELECT a.story_id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                WHERE articles_fts MATCH :match AND lower(a.title) = :exact"""
    total = session.execute(text(f"SELECT count(*) FROM ({best})"), {"match": match}).scalar() or 0
    rows = session.execute(
        text(f"""
        SELECT b.story_id, b.article_id FROM ({best}) b JOIN stories s ON s.id = b.story_id
        ORDER BY (lower(s.title) = :exact OR b.story_id IN ({titled})) DESC, b.score, s.updated_at DESC, s.id DESC
        LIMIT :limit OFFSET :offset"""),
        {"match": match, "exact": " ".join(query.split()).lower(), "limit": per_page, "offset": (page - 1) * per_page},
    ).all()
    snippets = {}
    if rows:
        ids = ",".join(str(int(article_id)) for _, article_id in rows)
        by_article = dict(
            session.execute(
                text(
                    f"SELECT rowid, snippet(articles_fts, -1, :start, :end, '…', 24) FROM articles_fts "
                    f"WHERE articles_fts MATCH :match AND rowid IN ({ids})"
                ),
                {"match": match, "start": MARK_START, "end": MARK_END},
            ).all()
        )
        snippets = {story_id: by_article.get(article_id, "") for story_id, article_id in rows}
    return Hits([story_id for story_id, _ in rows], int(total), snippets)


def _postgres(session: Session, query: str, terms: list[str], page: int, per_page: int) -> Hits:
    # websearch_to_tsquery reads '"a" "b c"' as a AND (b FOLLOWED BY c): the same syntax as FTS5's.
    params = {
        "q": fts5_query(terms),
        "exact": " ".join(query.split()).lower(),
        "limit": per_page,
        "offset": (page - 1) * per_page,
    }
    best = """SELECT DISTINCT ON (a.story_id) a.story_id, a.id AS article_id, ts_rank_cd(a.search, q.query) AS score
              FROM articles a, (SELECT websearch_to_tsquery('english', :q) AS query) q
              WHERE a.search @@ q.query ORDER BY a.story_id, score DESC, a.id"""
    titled = """SELECT a.story_id FROM articles a WHERE a.search @@ websearch_to_tsquery('english', :q)
                AND lower(a.title) = :exact"""
    total = session.execute(text(f"SELECT count(*) FROM ({best}) b"), params).scalar() or 0
    rows = session.execute(
        text(
            f"""
        SELECT b.story_id, b.article_id FROM ({best}) b JOIN stories s ON s.id = b.story_id
        ORDER BY (lower(s.title) = :exact OR b.story_id IN ({titled})) DESC, b.score DESC, s.updated_at DESC,
                 s.id DESC """
            "LIMIT :limit OFFSET :offset"
        ),
        params,
    ).all()
    snippets = {}
    if rows:
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=…"
        )
        by_article = dict(
            session.execute(
                text(
                    "SELECT id, ts_headline('english', left(text, 20000), "
                    "websearch_to_tsquery('english', :q), :options) "
                    "FROM articles WHERE id = ANY(:ids)"
                ),
                {"q": params["q"], "options": options, "ids": [article_id for _, article_id in rows]},
            ).all()
        )
        snippets = {story_id: by_article.get(article_id, "") for story_id, article_id in rows}
    return Hits([story_id for story_id, _ in rows], int(total), snippets)
