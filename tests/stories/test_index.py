import importlib

import numpy as np
import pytest

import storybrief
from storybrief import Story, StoryIndex
from storybrief.errors import StoryBriefError
from storybrief.types import Article

from story_articles import CHESS, FERRY, UNRELATED, WIRE_COPY, all_articles, article, truth

group_module = importlib.import_module("storybrief.stories.index")


def partition(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


def test_group_finds_each_story_and_nothing_else():
    stories = storybrief.group(all_articles(), brief=False)
    expected: dict[str, set[str]] = {}
    for article_id, name in truth().items():
        expected.setdefault(name, set()).add(article_id)
    assert partition(stories) == {frozenset(ids) for ids in expected.values()}


def test_wire_copy_joins_its_original_and_keeps_its_outlet():
    stories = storybrief.group(all_articles(), brief=False)
    volcano = next(s for s in stories if WIRE_COPY[0] in s.articles)
    assert "volcano-1" in volcano.articles
    assert WIRE_COPY[1] in volcano.sources
    assert volcano.copies == {"volcano-1": [WIRE_COPY[0]]}
    assert len(volcano.sources) == len(set(volcano.sources))


def test_story_fields_time_span_and_label():
    stories = storybrief.group(all_articles(), brief=False)
    ferry = next(s for s in stories if "ferry-1" in s.articles)
    assert ferry.start == "2025-03-03T08:00:00Z" and ferry.end == "2025-03-04T07:15:00Z"
    assert ferry.articles == ["ferry-1", "ferry-2", "ferry-3"]  # oldest first
    words = ferry.label.lower()
    assert any(w in words for w in ("ferry", "port", "alder", "gullwick", "union", "strike", "island"))
    assert [s.size for s in stories] == sorted((s.size for s in stories), reverse=True)
    assert len({s.id for s in stories}) == len(stories)


def test_titles_make_the_label_when_present():
    articles = [article(r) for r in FERRY]
    articles[1].title = "Ferry strike cuts off Gullwick Island"
    (story,) = storybrief.group(articles, brief=False)
    assert story.label == "Ferry strike cuts off Gullwick Island"


def test_briefs_cite_the_story_articles():
    stories = storybrief.group(all_articles(), words=60)
    for story in stories:
        assert story.brief is not None and story.brief.sentences
        assert story.brief.words <= 60
        data = story.to_dict()
        assert set(data) == {"id", "label", "articles", "sources", "start", "end", "copies", "brief"}


def test_single_article_is_one_story():
    (story,) = storybrief.group([article(UNRELATED)], words=40)
    assert story.articles == [UNRELATED[0]] and story.brief is not None


def test_group_accepts_dicts_and_texts():
    stories = storybrief.group([{"id": r[0], "text": r[3]} for r in CHESS] + [FERRY[0][3]], brief=False)
    assert {frozenset(s.articles) for s in stories if "chess-1" in s.articles} == {frozenset({"chess-1", "chess-2"})}
    assert len(stories) == 2


def test_group_without_text_is_an_error_not_a_traceback():
    with pytest.raises(StoryBriefError):
        storybrief.group([Article(text="  "), {"id": "x", "text": ""}])


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


def test_time_window_keeps_far_apart_articles_apart():
    early, late = article(FERRY[0]), article(FERRY[1])
    late.published = "2025-06-01T00:00:00Z"
    assert len(storybrief.group([early, late], brief=False, window_days=7)) == 2
    assert len(storybrief.group([article(FERRY[0]), article(FERRY[1])], brief=False, window_days=7)) == 1


def test_threshold_controls_how_much_merges():
    loose = storybrief.group(all_articles(), brief=False, threshold=0.0001)
    strict = storybrief.group(all_articles(), brief=False, threshold=0.99)
    assert len(strict) >= len(storybrief.group(all_articles(), brief=False)) >= len(loose)
    assert len(strict) == len(all_articles()) - 1  # only the wire copy still joins its original


def test_agglomerate_never_merges_two_known_stories():
    roots = group_module.agglomerate([1, 1, 1], [0, 0, 0], [True, True, False], {(0, 1): 0.9, (1, 2): 0.8}, 0.1)
    assert roots[0] != roots[1]
    assert roots[2] == roots[1]


def test_the_same_article_twice_in_one_batch_is_kept_once():
    index = StoryIndex()
    result = index.add([article(FERRY[0]), article(FERRY[1]), article(FERRY[0])])
    assert result[2] == result[0] is not None
    (story,) = index.all_stories()
    assert sorted(story.articles) == ["ferry-1", "ferry-2"]
    assert any("seen before" in n for n in index.notes)


def test_articles_without_groupable_words_are_kept_alone():
    index = StoryIndex()
    result = index.add([article(FERRY[0]), Article(text="12 34 56 !!", id="numbers"), Article(text="See more of us on Facebook", id="furniture")])
    assert None not in result and len(set(result)) == 3
    assert any("numbers" in n and "own" in n for n in index.notes)


def test_adding_one_at_a_time_finds_the_same_neighbours_without_the_transpose(monkeypatch):
    """The few-new-rows path (matrix times the new columns) and the transpose path agree."""
    def one_at_a_time() -> list[str | None]:
        index = StoryIndex()
        return [index.add([a])[0] for a in all_articles()]

    direct = one_at_a_time()
    monkeypatch.setattr(group_module, "FEW_NEW", -1)  # always transpose
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


def test_placeholder_pages_are_stories_of_their_own_not_copies_of_each_other():
    placeholder = ("Tweet with a location you can add location information to your tweets, such as your city or precise "
                   "location, from the web and via third-party applications. These crawls are part of an effort to archive "
                   "pages as they are created and archive the pages that they refer to, so nothing is lost over time.")
    pile = [Article(text=placeholder, id=f"p{k}", source=f"outlet{k}") for k in range(3)]
    stories = storybrief.group(pile, brief=False)
    assert len(stories) == 3
    assert all(len(s.articles) == 1 and not s.copies for s in stories)


def test_video_and_login_walls_are_placeholders_not_one_story():
    # Pages scrapers store instead of the article: each is copied into many unrelated piles, so
    # grouping them as copies would join the stories they were scraped for.
    walls = [
        "The interactive transcript could not be loaded. Rating is available when the video has been rented. "
        "This feature is not available right now. Please try again later.",
        "Just one more thing. We have sent you a verification email. Please check your email and click on the link "
        "to activate your profile. If you do not receive the verification message within a few minutes, please "
        "check your spam folder.",
    ]
    pile = [Article(text=text, id=f"w{k}-{n}", source=f"outlet{n}") for k, text in enumerate(walls) for n in range(3)]
    assert all(group_module.text_for_vectors(a) == "" for a in pile)
    stories = storybrief.group(pile, brief=False)
    assert len(stories) == len(pile) and all(len(s.articles) == 1 and not s.copies for s in stories)


# Two reports of one museum theft that share only a few telling words: each is the other's
# closest article, but their plain similarity is below the threshold.
HEIST = [
    ("heist-1", "Varnholm Post", "2025-03-04T06:00:00Z",
     "Thieves broke into the Varnholm city museum overnight and stole three paintings by the landscape painter Ida Brask. "
     "Guards found a forced window at dawn. Police in Varnholm have closed the museum while detectives search for fingerprints."),
    ("heist-2", "Radio Ellison", "2025-03-04T09:00:00Z",
     "Three Brask canvases are missing after a night-time burglary at the Varnholm museum, the curator said. "
     "Insurers value the stolen landscapes at two million crowns, and officers are questioning the night staff."),
]


def heist_pile():
    return all_articles(with_copy=False) + [article(r) for r in HEIST]


def test_mutual_nearest_neighbours_join_though_worded_differently():
    index = StoryIndex()
    assigned = dict(zip([a.id for a in heist_pile()], index.add(heist_pile())))
    vectors = index.vectors()
    plain = (vectors[index.row_of["heist-1"]] @ vectors[index.row_of["heist-2"]].T).toarray()[0, 0]
    assert group_module.FLOOR <= plain < index.threshold  # too weak on its own...
    assert assigned["heist-1"] == assigned["heist-2"]  # ...but mutual, so boosted into one story
    others = {assigned[a] for a in truth() if a in assigned}
    assert assigned["heist-1"] not in others and len(others) == 3  # the other stories stay as they were

    plain_index = StoryIndex(mutual_boost=1.0)  # without the boost they stay apart
    apart = dict(zip([a.id for a in heist_pile()], plain_index.add(heist_pile())))
    assert apart["heist-1"] != apart["heist-2"]


def test_a_link_below_either_side_s_closest_three_is_not_boosted():
    index = StoryIndex()
    index.top_similar = np.array([[0.6, 0.5, 0.4], [0.3, 0.2, 0.0], [0.3, 0.2, 0.1]], dtype=np.float32)
    low, high = np.array([0, 1]), np.array([1, 2])
    similarity = np.array([0.3, 0.2], dtype=np.float32)
    weights = index._linkage_weights(low, high, similarity)
    assert weights[0] == pytest.approx(0.3)  # among row 1's top three, not among row 0's: one-sided
    assert weights[1] == pytest.approx(0.2 * group_module.MUTUAL_BOOST)  # among both rows' top three


def test_place_notes_closest_similarities_as_add_does():
    articles = heist_pile()
    added = StoryIndex()
    added.add(articles)
    placed = StoryIndex()
    placed.place(articles, ["d1"] * len(articles))
    assert placed.top_similar.shape == (len(articles), group_module.MUTUAL_K)
    assert np.allclose(placed.top_similar, added.top_similar)
    assert (added.top_similar[:, 0] > 0).sum() == len(articles)  # every test article has a neighbour


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
