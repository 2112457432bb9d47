"""Story assignment: near-copies and similar reports join a story, unrelated ones start their own."""

from __future__ import annotations

import pytest
from service_corpus import BRIDGE, CHESS, DROUGHT

from storybrief.service import migrate
from storybrief.service.assign import SimilarityAssigner
from storybrief.service.db import ArticleRow, Database, Story, utcnow
from storybrief.types import Article


@pytest.fixture
def database(db_url):
    database = Database(db_url)
    migrate.upgrade(database)
    yield database
    database.dispose()


def add(database, assigner, record, n):
    """Assign and store one article the way the service does; returns (article id, story id, assignment)."""
    article = Article(text=record["text"], title=record["title"], source=record["source"])
    with database.write() as session:
        decision = assigner.assign(session, article)
        story_id = decision.story_id
        if story_id is None:
            story = Story(title=article.title, version=1, article_count=1, created_at=utcnow(), updated_at=utcnow())
            session.add(story)
            session.flush()
            story_id = story.id
        row = ArticleRow(story_id=story_id, content_hash=f"h{n}", title=article.title, source=article.source, published="",
                         text=article.text, words=article.words, duplicate_of=decision.duplicate_of, created_at=utcnow())
        session.add(row)
        session.flush()
        assigner.remember(row.id, story_id, article)
        return row.id, story_id, decision


def test_similar_reports_share_a_story_and_unrelated_ones_do_not(database):
    assigner = SimilarityAssigner()
    stories = [add(database, assigner, record, n)[1] for n, record in enumerate([BRIDGE[0], CHESS[0], BRIDGE[1], DROUGHT[0], CHESS[1]])]
    assert stories[0] == stories[2] and stories[1] == stories[4]
    assert len({stories[0], stories[1], stories[3]}) == 3


def test_a_near_copy_is_marked_as_a_duplicate(database):
    assigner = SimilarityAssigner()
    first, story, _ = add(database, assigner, BRIDGE[0], 0)
    _, copy_story, decision = add(database, assigner, {**BRIDGE[0], "text": BRIDGE[0]["text"] + " More soon.", "source": "Wire"}, 1)
    assert decision.duplicate_of == first and copy_story == story


def test_a_raised_threshold_splits_stories(database):
    strict = SimilarityAssigner(threshold=0.99)
    stories = {add(database, strict, record, n)[1] for n, record in enumerate(BRIDGE)}
    assert len(stories) == 3


def test_another_process_sees_the_same_stories(database):
    """A second assigner (another server process) catches up from the database."""
    add(database, SimilarityAssigner(), BRIDGE[0], 0)
    other = SimilarityAssigner()
    _, story, decision = add(database, other, BRIDGE[1], 1)
    assert decision.story_id == story == 1


def test_forgetting_rebuilds_from_the_database(database):
    assigner = SimilarityAssigner()
    _, story, _ = add(database, assigner, CHESS[0], 0)
    assigner.forget()
    assert add(database, assigner, CHESS[1], 1)[1] == story


def test_the_window_forgets_old_articles(database):
    assigner = SimilarityAssigner(window=1)
    _, bridge_story, _ = add(database, assigner, BRIDGE[0], 0)
    add(database, assigner, DROUGHT[0], 1)
    assert add(database, assigner, BRIDGE[1], 2)[1] != bridge_story
