import json

import numpy as np
import pytest
from running_story import LIBRARIES
from story_articles import CHESS, FERRY, UNRELATED, VOLCANO, WIRE_COPY, article

from storybrief import StoryIndex
from storybrief.errors import InputError
from storybrief.stories.agglomerate import THRESHOLD
from storybrief.stories.records import IndexState
from storybrief.stories.state import load_state, save_state


def first_run(folder):
    index = StoryIndex.load(folder)
    assigned = index.add([article(r) for r in FERRY[:2] + VOLCANO[:2] + CHESS[:1]])
    index.save(folder)
    return index, assigned


def test_second_run_keeps_ids_joins_known_stories_and_opens_new_ones(tmp_path):
    folder = tmp_path / "state"
    index, first = first_run(folder)
    before = {s.id: set(s.articles) for s in index.all_stories()}
    assert len(before) == 3

    again = StoryIndex.load(folder)
    second = again.add([article(r) for r in [FERRY[2], VOLCANO[2], CHESS[1], WIRE_COPY, UNRELATED]])
    again.save(folder)
    ferry_id, volcano_id, chess_id = first[0], first[2], first[4]
    assert second[:4] == [ferry_id, volcano_id, chess_id, volcano_id]
    assert second[4] not in before  # an unrelated article opens a new story
    after = {s.id: set(s.articles) for s in StoryIndex.load(folder).all_stories()}
    assert set(before) < set(after)
    for story_id, ids in before.items():
        assert ids <= after[story_id]
    assert after[second[4]] == {UNRELATED[0]}


def test_seen_articles_are_not_added_twice(tmp_path):
    folder = tmp_path / "state"
    _, first = first_run(folder)
    again = StoryIndex.load(folder)
    assert again.add([article(FERRY[0])]) == [first[0]]
    assert any("seen before" in n for n in again.notes)
    assert sum(len(s.articles) for s in again.all_stories()) == 5


def test_round_trip_keeps_everything(tmp_path):
    folder = tmp_path / "state"
    index, _ = first_run(folder)
    stories = index.all_stories(brief=True, words=40)
    index.save(folder)
    loaded = StoryIndex.load(folder)
    restored = loaded.all_stories(brief=True, words=40)
    assert [s.to_dict() for s in restored] == [s.to_dict() for s in stories]
    assert loaded.next_story == index.next_story
    assert (loaded.corpus.vectors() != index.corpus.vectors()).nnz == 0


def test_new_story_ids_continue_after_the_last_one(tmp_path):
    folder = tmp_path / "state"
    index, _ = first_run(folder)
    highest = max(index.stories)
    again = StoryIndex.load(folder)
    (new_id,) = again.add([article(UNRELATED)])
    assert new_id > highest


def test_bad_state_folders_are_clear_errors(tmp_path):
    not_state = tmp_path / "other"
    not_state.mkdir()
    (not_state / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not a story state folder"):
        StoryIndex.load(not_state)
    folder = tmp_path / "state"
    first_run(folder)
    (folder / "state.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(InputError, match="unreadable story state"):
        StoryIndex.load(folder)
    (folder / "state.json").write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    with pytest.raises(InputError, match="not a story state file"):
        StoryIndex.load(folder)


def test_round_trip_keeps_closest_similarities(tmp_path):
    folder = tmp_path / "state"
    index, _ = first_run(folder)
    loaded = StoryIndex.load(folder)
    assert np.array_equal(loaded.corpus.top_similar, index.corpus.top_similar)
    assert (loaded.corpus.top_similar[:, 0] > 0).any()


def test_version_1_state_is_upgraded_on_load(tmp_path):
    folder = tmp_path / "state"
    index, _ = first_run(folder)
    # A version 1 folder: no closest similarities saved, the then-default threshold 0.12.
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    state["version"], state["settings"]["threshold"] = 1, 0.12
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    with np.load(folder / "vectors.npz") as arrays:
        kept = {name: arrays[name] for name in arrays.files if name != "top_similar"}
    np.savez_compressed(folder / "vectors.npz", **kept)
    loaded = StoryIndex.load(folder)
    assert np.allclose(loaded.corpus.top_similar, index.corpus.top_similar)  # recomputed from the saved vectors
    assert loaded.threshold == THRESHOLD
    assert loaded.add([article(FERRY[2])])[0] == index.row_story[index.row_of[FERRY[0][0]]]

    state["version"] = 4
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(InputError, match="state version 4"):
        StoryIndex.load(folder)


def test_the_state_is_a_plain_record_that_reads_back_as_written(tmp_path):
    assert load_state(tmp_path / "missing") is None
    (tmp_path / "empty").mkdir()
    assert load_state(tmp_path / "empty") is None
    first_run(tmp_path / "state")
    state = load_state(tmp_path / "state")
    assert isinstance(state, IndexState) and state.threshold == THRESHOLD
    assert len(state.row_ids) == state.tf.shape[0] == 5
    assert {r.id for r in state.stories} == set(state.row_story)
    save_state(state, tmp_path / "again")
    for name in ("state.json", "articles.jsonl", "vectors.npz"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "state" / name).read_bytes()


def test_state_files_that_disagree_or_a_file_for_a_folder_are_clear_errors(tmp_path):
    folder = tmp_path / "state"
    first_run(folder)
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    state["rows"], state["row_story"] = state["rows"][:-1], state["row_story"][:-1]
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(InputError, match="disagree"):
        load_state(folder)
    with pytest.raises(InputError, match="not a folder"):
        load_state(folder / "state.json")
    del state["rows"]
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(InputError, match="unreadable story state"):
        load_state(folder)


def library_articles():
    return [article(r) for r in LIBRARIES[:3]]


def test_timelines_and_the_briefs_articles_are_saved_and_news_follows_a_reload(tmp_path):
    folder = tmp_path / "state"
    plan = library_articles()
    index = StoryIndex()
    (story_id, *_) = index.add(plan[:2])
    (story,) = index.all_stories(brief=True, words=60)
    assert story.timeline and story.update is None
    index.save(folder)
    saved = json.loads((folder / "state.json").read_text())["stories"][0]
    assert saved["brief_articles"] == ["plan-1", "plan-2"]
    assert saved["timeline"] == [e.to_dict() for e in story.timeline]
    again = StoryIndex.load(folder)
    assert again.add(plan[2:]) == [story_id]
    (story,) = again.all_stories(brief=True, words=60)
    assert story.update is not None and story.update["since"] == plan[1].published
    assert [e.articles for e in story.timeline] == [["plan-1", "plan-2", "plan-3"]]
    again.save(folder)
    (story,) = StoryIndex.load(folder).all_stories(brief=True, words=60)
    assert story.update is None  # nothing new since the run before


def test_a_folder_saved_before_timelines_reads_and_still_gets_news(tmp_path):
    folder = tmp_path / "state"
    plan = library_articles()
    index = StoryIndex()
    index.add(plan[:2])
    index.all_stories(brief=True, words=60)
    index.save(folder)
    state = json.loads((folder / "state.json").read_text())
    for record in state["stories"]:  # what an older StoryBrief wrote
        del record["timeline"], record["brief_articles"]
    (folder / "state.json").write_text(json.dumps(state))
    again = StoryIndex.load(folder)
    (record,) = again.stories.values()
    assert record.timeline is None and record.brief_articles == ["plan-1", "plan-2"]  # recovered from the key
    again.add(plan[2:])
    (story,) = again.all_stories(brief=True, words=60)
    assert story.timeline and story.update is not None and story.update["sentences"]
