import numpy as np
import pytest
import scipy.sparse as sp

from storybrief.stories import neighbours as neighbours_module
from storybrief.stories.neighbours import MUTUAL_K, note_similar, search

DAY = 86400.0


def unit_rows(*rows):
    matrix = np.array(rows, dtype=np.float32)
    return sp.csr_matrix(matrix / np.linalg.norm(matrix, axis=1, keepdims=True))


VECTORS = unit_rows([1, 0, 0], [0.8, 0.6, 0], [0, 0, 1], [0.9, 0.1, 0.05])


def pairs(found, level="story"):
    """{(low, high)} of the pairs `search` found that serve `level`."""
    chosen = getattr(found, level)
    return set(zip(found.low[chosen].tolist(), found.high[chosen].tolist()))


UNDATED = np.full(4, np.nan)


def test_only_new_rows_look_for_neighbours_and_weak_pairs_only_link_sagas():
    found = search(VECTORS, UNDATED, 3, 30.0)
    assert pairs(found) == {(0, 3), (1, 3)}
    # Row 2 is nearly orthogonal to row 3: above SAGA_FLOOR, below FLOOR, a saga pair only.
    assert pairs(found, "saga") == {(0, 3), (1, 3), (2, 3)}
    similarity = dict(zip(zip(found.low.tolist(), found.high.tolist()), found.similarity.tolist()))
    assert similarity[(0, 3)] == pytest.approx(float((VECTORS[3] @ VECTORS[0].T).toarray()[0, 0]), abs=1e-4)


def test_dated_story_pairs_beyond_the_window_are_not_linked_undated_ones_are():
    times = np.array([0.0, 10 * DAY, np.nan, 1 * DAY])
    assert pairs(search(VECTORS, times, 3, 30.0, window_days=7.0)) == {(0, 3)}
    assert pairs(search(VECTORS, times, 3, 30.0)) == {(0, 3), (1, 3)}  # 0: no window


def test_each_new_row_keeps_its_closest_neighbours_and_both_paths_agree(monkeypatch):
    monkeypatch.setattr(neighbours_module, "STORY_NEIGHBOURS", 1)
    assert pairs(search(VECTORS, UNDATED, 3, 30.0), "saga") == {(0, 3)}
    monkeypatch.undo()
    direct = search(VECTORS, UNDATED, 1, 30.0)
    monkeypatch.setattr(neighbours_module, "FEW_NEW", -1)  # always the transposed product
    transposed = search(VECTORS, UNDATED, 1, 30.0)
    for level in ("story", "saga"):
        assert pairs(transposed, level) == pairs(direct, level)


def test_pairs_of_two_new_rows_are_kept_once():
    found = search(VECTORS, UNDATED, 0, 30.0)
    assert sorted(zip(found.low.tolist(), found.high.tolist())) == [(0, 1), (0, 3), (1, 3), (2, 3)]
    assert pairs(found) == {(0, 1), (0, 3), (1, 3)}


def test_each_row_keeps_its_highest_similarities():
    top = np.zeros((4, MUTUAL_K), dtype=np.float32)
    note_similar(top, np.array([0, 0, 0, 0]), np.array([1, 2, 3, 1]), np.array([0.5, 0.2, 0.9, 0.4], dtype=np.float32))
    assert top[0].tolist() == pytest.approx([0.9, 0.5, 0.4])
    assert top[1].tolist() == pytest.approx([0.5, 0.4, 0.0])
    note_similar(top, np.array([0]), np.array([2]), np.array([0.6], dtype=np.float32))
    assert top[0].tolist() == pytest.approx([0.9, 0.6, 0.5])  # a new pair pushes out the lowest
    assert top[2].tolist() == pytest.approx([0.6, 0.2, 0.0])
