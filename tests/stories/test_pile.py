import json

import pytest
from story_articles import CHESS, FERRY, UNRELATED, WIRE_COPY, all_articles, article, truth

import storybrief
from storybrief import Story
from storybrief.errors import StoryBriefError
from storybrief.stories.pile import as_articles
from storybrief.stories.vectors import text_for_vectors
from storybrief.types import Article


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
        assert set(data) == {"id", "label", "articles", "sources", "start", "end", "copies", "brief", "timeline",
                             "update", "related"}
        # Every article is in one event of the timeline; a first grouping has nothing to update.
        assert sorted(a for event in data["timeline"] for a in event["articles"]) == sorted(story.articles)
        assert data["update"] is None


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


def test_placeholder_pages_are_stories_of_their_own_not_copies_of_each_other():
    placeholder = ("Tweet with a location you can add location information to your tweets, such as your city or "
                   "precise location, from the web and via third-party applications. These crawls are part of an "
                   "effort to archive pages as they are created and archive the pages that they refer to, so nothing "
                   "is lost over time.")
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
    assert all(text_for_vectors(a) == "" for a in pile)
    stories = storybrief.group(pile, brief=False)
    assert len(stories) == len(pile) and all(len(s.articles) == 1 and not s.copies for s in stories)


def test_as_articles_reads_objects_dicts_texts_and_paths(tmp_path):
    folder = tmp_path / "pile"
    folder.mkdir()
    (folder / "ferry.txt").write_text(FERRY[0][3], encoding="utf-8")
    feed = tmp_path / "more.jsonl"
    feed.write_text(json.dumps({"id": "chess-1", "text": CHESS[0][3]}) + "\n", encoding="utf-8")
    items = [article(UNRELATED), {"id": "chess-2", "text": CHESS[1][3]}, FERRY[1][3], folder, str(feed)]
    found, notes = as_articles(items)
    texts = {a.text for a in found}
    assert {UNRELATED[3], CHESS[1][3], FERRY[1][3], FERRY[0][3], CHESS[0][3]} <= texts
    assert len(found) == 5 and len({a.id for a in found}) == 5  # every article has an id of its own
    assert notes == []


def test_as_articles_keeps_one_of_a_repeated_article_and_refuses_unknown_things():
    found, notes = as_articles([article(FERRY[0]), article(FERRY[0]), Article(text="  ", id="blank")])
    assert [a.id for a in found] == ["ferry-1"]
    assert any("blank" in n for n in notes) and any("twice" in n for n in notes)
    with pytest.raises(StoryBriefError, match="int"):
        as_articles([42])
