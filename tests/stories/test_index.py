import importlib

import numpy as np
import pytest
from story_articles import CHESS, FERRY, WIRE_COPY, all_articles, article, truth

from storybrief import StoryIndex
from storybrief.errors import StoryBriefError
from storybrief.types import Article

neighbours_module = importlib.import_module("storybrief.stories.neighbours")


def test_articles_without_text_and_repeated_ids_are_noted():
    index = StoryIndex()
    first = article(FERRY[0])
    clash = Article(text=CHESS[0][3], id="ferry-1", source="Radio Ellison")
    result = index.add([first, Article(text="", id="empty"), clash, article(FERRY[0])])
    assert result[1] is None
    assert result[3] == result[0]  # the same article again stays in its story
    assert clash.id == "ferry-1"  # the caller's article is not changed
    assert "ferry-1~2" in index.articles and index.articles["ferry-1~2"].text == CHESS[0][3] and result[2] is not None
    assert any("empty" in n and "no text" in n for n in index.notes)
    assert any("renamed ferry-1~2" in n for n in index.notes)


def test_a_renamed_article_added_again_is_known_by_its_new_id():
    index = StoryIndex()
    index.add([article(FERRY[0])])
    clash = Article(text=CHESS[0][3], id="ferry-1")
    [story] = index.add([clash])  # renamed ferry-1~2
    assert index.add([article(FERRY[0]), clash]) == [index.row_story[index.row_of["ferry-1"]], story]
    assert sorted(index.articles) == ["ferry-1", "ferry-1~2"]  # not ferry-1~3: the same article again
    assert not any("renamed" in n for n in index.notes) and any("2 article(s) seen before" in n for n in index.notes)
    # In one batch: the second copy of a renamed article is the first one again.
    fresh = StoryIndex()
    result = fresh.add([article(FERRY[0]), clash, clash])
    assert result[2] == result[1] is not None and sorted(fresh.articles) == ["ferry-1", "ferry-1~2"]


def test_the_same_article_twice_in_one_batch_is_kept_once():
    index = StoryIndex()
    result = index.add([article(FERRY[0]), article(FERRY[1]), article(FERRY[0])])
    assert result[2] == result[0] is not None
    (story,) = index.all_stories()
    assert sorted(story.articles) == ["ferry-1", "ferry-2"]
    assert any("seen before" in n for n in index.notes)


def test_articles_without_groupable_words_are_kept_alone():
    index = StoryIndex()
    result = index.add(
        [
            article(FERRY[0]),
            Article(text="12 34 56 !!", id="numbers"),
            Article(text="See more of us on Facebook", id="furniture"),
        ]
    )
    assert None not in result and len(set(result)) == 3
    assert any("numbers" in n and "own" in n for n in index.notes)


def test_adding_one_at_a_time_finds_the_same_neighbours_without_the_transpose(monkeypatch):
    """The few-new-rows path (matrix times the new columns) and the transpose path agree."""

    def one_at_a_time() -> list[str | None]:
        index = StoryIndex()
        return [index.add([a])[0] for a in all_articles()]

    direct = one_at_a_time()
    monkeypatch.setattr(neighbours_module, "FEW_NEW", -1)  # always transpose
    assert one_at_a_time() == direct
    assert len(set(direct)) == len(set(truth().values()))


def test_place_replays_decided_stories_without_regrouping():
    articles = all_articles(with_copy=False)
    index = StoryIndex()
    # Every article placed in one story, though they report three: place() does not regroup.
    index.place(articles, ["d1"] * len(articles))
    assert set(index.row_story) == {"d1"} and len(index.stories) == 1
    copy = article(WIRE_COPY)
    [story] = index.add([copy])
    assert story == "d1" and index.row_ids[index.row_of[copy.id]] != copy.id  # found as a copy
    with pytest.raises(StoryBriefError):
        index.place([articles[0]], ["d2"])  # an id already in the index


# Two reports of one museum theft that share only a few telling words: each is the other's


# closest article, but their plain similarity is below the threshold.


HEIST = [
    (
        "heist-1",
        "Varnholm Post",
        "2025-03-04T06:00:00Z",
        "Thieves broke into the Varnholm city museum overnight and stole three paintings "
        "by the landscape painter Ida Brask. "
        "Guards found a forced window at dawn. "
        "Police in Varnholm have closed the museum while detectives search for fingerprints.",
    ),
    (
        "heist-2",
        "Radio Ellison",
        "2025-03-04T09:00:00Z",
        "Three Brask canvases are missing after a night-time burglary at the Varnholm museum, the curator said. "
        "Insurers value the stolen landscapes at two million crowns, and officers are questioning the night staff.",
    ),
]


def heist_pile():
    return all_articles(with_copy=False) + [article(r) for r in HEIST]


def test_mutual_nearest_neighbours_join_though_worded_differently():
    index = StoryIndex()
    assigned = dict(zip([a.id for a in heist_pile()], index.add(heist_pile())))
    vectors = index.corpus.vectors()
    plain = (vectors[index.row_of["heist-1"]] @ vectors[index.row_of["heist-2"]].T).toarray()[0, 0]
    assert neighbours_module.FLOOR <= plain < index.threshold  # too weak on its own...
    assert assigned["heist-1"] == assigned["heist-2"]  # ...but mutual, so boosted into one story
    others = {assigned[a] for a in truth() if a in assigned}
    assert assigned["heist-1"] not in others and len(others) == 3  # the other stories stay as they were

    plain_index = StoryIndex(mutual_boost=1.0)  # without the boost they stay apart
    apart = dict(zip([a.id for a in heist_pile()], plain_index.add(heist_pile())))
    assert apart["heist-1"] != apart["heist-2"]


def test_place_notes_closest_similarities_as_add_does():
    articles = heist_pile()
    added = StoryIndex()
    added.add(articles)
    placed = StoryIndex()
    placed.place(articles, ["d1"] * len(articles))
    assert placed.corpus.top_similar.shape == (len(articles), neighbours_module.MUTUAL_K)
    assert np.allclose(placed.corpus.top_similar, added.corpus.top_similar)
    assert (added.corpus.top_similar[:, 0] > 0).sum() == len(articles)  # every test article has a neighbour


def test_briefs_are_made_once_and_kept_until_the_story_changes():
    index = StoryIndex()
    index.add(all_articles())
    ids = list(index.stories)
    first = dict(index.briefs(ids, 60))
    assert all(first[i] is not None for i in ids)
    kept = {i: index.stories[i].brief_key for i in ids}
    assert dict(index.briefs(ids, 60)) == first  # from the kept briefs: nothing remade
    assert {i: index.stories[i].brief_key for i in ids} == kept
    index.briefs(ids, 40)  # a generator: nothing happens until it is read
    assert {i: index.stories[i].brief_key for i in ids} == kept


def test_a_story_that_cannot_be_briefed_gets_none_and_a_note():
    index = StoryIndex()
    index.add([Article(id="furniture", text="Advertisement\nShow Comments\nShare this article on Facebook")])
    [(story_id, made)] = list(index.briefs(list(index.stories), 60))
    assert made is None and any(story_id in note and "no brief" in note for note in index.notes)
