"""Story assignment: near-copies and similar reports join a story, unrelated ones start their own.

Shared behaviour runs for both assigners (`ASSIGNERS`); the default is StoryIndexAssigner.
"""

from __future__ import annotations

import pytest
from service_corpus import BRIDGE, CHESS, DROUGHT
from sqlalchemy import select

from storybrief.service import migrate
from storybrief.service.assign import ASSIGNERS, SimilarityAssigner, StoryIndexAssigner
from storybrief.service.db import ArticleRow, Database, StoryRow, utcnow
from storybrief.service.store import Store
from storybrief.types import Article


@pytest.fixture
def database(db_url):
    database = Database(db_url)
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(params=sorted(ASSIGNERS))
def make_assigner(request):
    return ASSIGNERS[request.param]


def test_the_default_store_groups_as_the_story_index_does(database):
    """Ingested through the service's own Store (its default assigner), related reports share a
    story, an unrelated one gets its own, and the grouping index has seen every article."""
    from storybrief.service.schemas import ArticleIn

    store = Store(database)
    records = [BRIDGE[0], CHESS[0], BRIDGE[1], DROUGHT[0], CHESS[1]]
    placed = store.ingest([ArticleIn(text=r["text"], title=r["title"], source=r["source"]) for r in records])
    stories = [p.story_id for p in placed]
    assert stories[0] == stories[2] and stories[1] == stories[4]
    assert len({stories[0], stories[1], stories[3]}) == 3
    assert isinstance(store.assigner, StoryIndexAssigner)


def add(database, assigner, record, n):
    """Assign and store one article the way the service does; returns (article id, story id, assignment)."""
    article = Article(text=record["text"], title=record["title"], source=record["source"])
    with database.write() as session:
        decision = assigner.assign(session, article)
        story_id = decision.story_id
        if story_id is None:
            story = StoryRow(title=article.title, version=1, article_count=1, created_at=utcnow(), updated_at=utcnow())
            session.add(story)
            session.flush()
            story_id = story.id
        row = ArticleRow(
            story_id=story_id,
            content_hash=f"h{n}",
            title=article.title,
            source=article.source,
            published="",
            text=article.text,
            words=article.words,
            duplicate_of=decision.duplicate_of,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        assigner.remember(row.id, story_id, article)
        return row.id, story_id, decision


def test_similar_reports_share_a_story_and_unrelated_ones_do_not(database, make_assigner):
    assigner = make_assigner()
    stories = [
        add(database, assigner, record, n)[1]
        for n, record in enumerate([BRIDGE[0], CHESS[0], BRIDGE[1], DROUGHT[0], CHESS[1]])
    ]
    assert stories[0] == stories[2] and stories[1] == stories[4]
    assert len({stories[0], stories[1], stories[3]}) == 3


def test_a_near_copy_is_marked_as_a_duplicate(database, make_assigner):
    assigner = make_assigner()
    first, story, _ = add(database, assigner, BRIDGE[0], 0)
    _, copy_story, decision = add(
        database, assigner, {**BRIDGE[0], "text": BRIDGE[0]["text"] + " More soon.", "source": "Wire"}, 1
    )
    assert decision.duplicate_of == first and copy_story == story


def test_a_raised_threshold_splits_stories(database):
    strict = SimilarityAssigner(threshold=0.99)
    stories = {add(database, strict, record, n)[1] for n, record in enumerate(BRIDGE)}
    assert len(stories) == 3


def test_another_process_sees_the_same_stories(database, make_assigner):
    """A second assigner (another server process) catches up from the database."""
    add(database, make_assigner(), BRIDGE[0], 0)
    other = make_assigner()
    _, story, decision = add(database, other, BRIDGE[1], 1)
    assert decision.story_id == story == 1


def test_forgetting_rebuilds_from_the_database(database, make_assigner):
    assigner = make_assigner()
    _, story, _ = add(database, assigner, CHESS[0], 0)
    assigner.forget()
    assert add(database, assigner, CHESS[1], 1)[1] == story


def test_the_window_forgets_old_articles(database):
    assigner = SimilarityAssigner(window=1)
    _, bridge_story, _ = add(database, assigner, BRIDGE[0], 0)
    add(database, assigner, DROUGHT[0], 1)
    assert add(database, assigner, BRIDGE[1], 2)[1] != bridge_story


def test_two_processes_take_turns_and_agree(database, make_assigner):
    """Each assigner catches up with what the other stored since its last call."""
    first, second = make_assigner(), make_assigner()
    _, bridge, _ = add(database, first, BRIDGE[0], 0)
    _, chess, _ = add(database, second, CHESS[0], 1)
    assert add(database, first, CHESS[1], 2)[1] == chess
    assert add(database, second, BRIDGE[1], 3)[1] == bridge
    copy_id, copy_story, decision = add(database, first, {**CHESS[0], "source": "Wire"}, 4)
    assert copy_story == chess and decision.duplicate_of == 2  # CHESS[0] was article 2


def test_a_rolled_back_article_leaves_no_trace(database, make_assigner):
    """After a rollback (and forget(), as the service does) nothing of the article remains: no
    story to join, nothing to be a copy of."""
    assigner = make_assigner()
    add(database, assigner, DROUGHT[0], 0)
    with pytest.raises(RuntimeError):
        with database.write() as session:
            assigner.assign(session, Article(text=BRIDGE[0]["text"], title=BRIDGE[0]["title"]))
            story = StoryRow(title="bridge", version=1, article_count=1, created_at=utcnow(), updated_at=utcnow())
            session.add(story)
            session.flush()
            row = ArticleRow(story_id=story.id, content_hash="rolled back", text=BRIDGE[0]["text"], created_at=utcnow())
            session.add(row)
            session.flush()
            assigner.remember(row.id, story.id, Article(text=BRIDGE[0]["text"]))
            raise RuntimeError("the transaction fails after the assignment")
    assigner.forget()
    _, story, decision = add(database, assigner, {**BRIDGE[0], "source": "Wire"}, 1)
    assert decision.story_id is None and decision.duplicate_of is None
    with database.read() as session:
        assert session.get(StoryRow, story).article_count == 1


def test_the_index_is_rebuilt_in_the_background_from_the_newest_articles_with_story_ids_kept(database):
    assigner = StoryIndexAssigner(window=1)
    _, bridge, _ = add(database, assigner, BRIDGE[0], 0)
    _, chess, _ = add(database, assigner, CHESS[0], 1)
    add(database, assigner, BRIDGE[1], 2)
    # Over 2 x window articles held: this call starts a rebuild from the newest stored article
    # (BRIDGE[1]) in a thread and goes on with the old index.
    old_index = assigner.index
    _, story, _ = add(database, assigner, BRIDGE[2], 3)
    assert story == bridge and assigner.index is old_index and len(old_index.articles) == 4
    assert assigner.wait_for_rebuild(timeout=60)
    # The next call swaps the fresh index in and catches up with what was stored meanwhile; the
    # bridge story keeps its id across the rebuild.
    _, story, _ = add(database, assigner, {**BRIDGE[0], "source": "Late Wire"}, 4)
    assert assigner.index is not old_index
    assert story == bridge
    with database.read() as session:
        ids = sorted(session.scalars(select(ArticleRow.id)))
    held = {assigner.article_of[a] for a in assigner.index.articles}
    # The rebuild read the newest stored article (the third or, if it ran after that commit, the
    # fourth); the catch-up added the rest, then this call's own: never the first two.
    assert set(ids[3:]) <= held <= set(ids[2:])


def test_an_index_far_over_its_window_is_rebuilt_in_the_request(database, monkeypatch):
    import storybrief.service.assign as assign_module

    monkeypatch.setattr(assign_module, "_Rebuild", lambda *args: None)  # a rebuild that never reports back
    assigner = StoryIndexAssigner(window=1)
    for n, record in enumerate([BRIDGE[0], CHESS[0], BRIDGE[1], DROUGHT[0], BRIDGE[2], {**CHESS[0], "source": "Wire"}]):
        add(database, assigner, record, n)
    # Over 4 x window held at the last call: the request rebuilt the index itself, from the newest stored article.
    assert len(assigner.index.articles) <= 2


def test_index_replay_is_deterministic_and_places_stored_stories(database):
    """Two fresh assigners over the same database build the same index: same stories, same rows."""
    writer = StoryIndexAssigner()
    for n, record in enumerate([BRIDGE[0], CHESS[0], BRIDGE[1], DROUGHT[0], {**CHESS[0], "source": "Wire"}]):
        add(database, writer, record, n)
    built = []
    for _ in range(2):
        reader = StoryIndexAssigner()
        with database.read() as session:
            reader.catch_up(session)
        index = reader.index
        built.append(
            (
                {k: sorted(r.rows) for k, r in index.stories.items()},
                list(index.row_ids),
                dict(index.copies),
                (index.corpus.vectors() != writer.index.corpus.vectors()).nnz
                if index.corpus.vectors().shape == writer.index.corpus.vectors().shape
                else -1,
            )
        )
        with database.read() as session:
            stored = {row.id: row.story_id for row in session.scalars(select(ArticleRow))}
        assert {
            reader.article_of[a]: reader.story_of[index.row_story[index.row_of[a]]] for a in index.articles
        } == stored
    assert built[0] == built[1]
    assert built[0][2] == {1: ["a5"]}  # the wire copy of CHESS[0] is kept as a copy, not a vector
