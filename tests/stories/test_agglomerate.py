import numpy as np
import pytest

from storybrief.stories.agglomerate import MUTUAL_BOOST, agglomerate, linkage_weights, merge_new_rows
from storybrief.stories.neighbours import STORY_NEIGHBOURS
from storybrief.stories.records import StoryRecord


def test_agglomerate_never_merges_two_known_stories():
    roots = agglomerate([1, 1, 1], [True, True, False], {(0, 1): 0.9, (1, 2): 0.8}, 0.1)
    assert roots[0] != roots[1]
    assert roots[2] == roots[1]


def test_closest_pair_merges_first_and_the_merged_group_is_judged_by_its_average():
    edges = {(0, 1): 0.9, (1, 2): 0.5}
    # {0, 1} merge first; then {0, 1} to {2} is 0.5 / (2 * 1) = 0.25.
    assert agglomerate([1, 1, 1], [False] * 3, edges, 0.2) == [0, 0, 0]
    roots = agglomerate([1, 1, 1], [False] * 3, edges, 0.3)
    assert roots[0] == roots[1] != roots[2]
    assert len(set(agglomerate([1, 1, 1], [False] * 3, edges, 0.95))) == 3  # nothing reaches the threshold


def test_a_known_story_keeps_its_identity_and_a_big_one_is_judged_on_capped_size():
    big = 3 * STORY_NEIGHBOURS
    # The new article's links to the big story sum to 0.2 a neighbour over the STORY_NEIGHBOURS it can reach.
    edges = {(0, 1): 0.2 * STORY_NEIGHBOURS}
    assert agglomerate([float(big), 1.0], [True, False], edges, 0.16) == [0, 0]  # 0.2 over the capped size
    assert agglomerate([float(big), 1.0], [True, False], edges, 0.21) == [0, 1]


def test_a_link_below_either_side_s_closest_three_is_not_boosted():
    top_similar = np.array([[0.6, 0.5, 0.4], [0.3, 0.2, 0.0], [0.3, 0.2, 0.1]], dtype=np.float32)
    low, high = np.array([0, 1]), np.array([1, 2])
    similarity = np.array([0.3, 0.2], dtype=np.float32)
    weights = linkage_weights(top_similar, low, high, similarity, MUTUAL_BOOST)
    assert weights[0] == pytest.approx(0.3)  # among row 1's top three, not among row 0's: one-sided
    assert weights[1] == pytest.approx(0.2 * MUTUAL_BOOST)  # among both rows' top three
    assert linkage_weights(top_similar, low, high, similarity, 1.0) is similarity  # no boost


def test_new_rows_join_known_stories_or_open_groups_in_row_order():
    stories = {"s1": StoryRecord("s1", rows=[0]), "s2": StoryRecord("s2", rows=[1])}
    row_story = ["s1", "s2", "", "", ""]
    # Row 2 is close to s1; rows 3 and 4 only to each other; s2 is linked to nothing new.
    low, high = np.array([0, 3]), np.array([2, 4])
    merge = merge_new_rows(stories, row_story, 2, low, high, np.array([0.5, 0.3]), 0.16)
    assert merge.known == ["s1"]
    assert merge.opened == 1
    assert merge.groups == [0, 1, 1]
    assert merge.gained == pytest.approx({0: 0.5, 1: 0.3})
    # Below the threshold, each new row is a group of its own, numbered in row order.
    apart = merge_new_rows(stories, row_story, 2, low, high, np.array([0.1, 0.1]), 0.16)
    assert (apart.known, apart.opened, apart.groups, apart.gained) == (["s1"], 3, [1, 2, 3], {})


def test_two_known_stories_bridged_by_a_new_row_stay_apart():
    stories = {"s1": StoryRecord("s1", rows=[0]), "s2": StoryRecord("s2", rows=[1])}
    merge = merge_new_rows(stories, ["s1", "s2", ""], 2, np.array([0, 1]), np.array([2, 2]), np.array([0.6, 0.4]), 0.16)
    assert merge.known == ["s1", "s2"] and merge.opened == 0
    assert merge.groups == [0]  # the closer known story
