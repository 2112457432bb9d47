import numpy as np
import pytest
import scipy.sparse as sp

from storybrief.stories import neighbours as neighbours_module
from storybrief.stories.neighbours import MUTUAL_K, neighbours, note_similar, unique_pairs

DAY = 86400.0


def unit_rows(*rows):
    matrix = np.array(rows, dtype=np.float32)
    return sp.csr_matrix(matrix / np.linalg.norm(matrix, axis=1, keepdims=True))


VECTORS = unit_rows([1, 0, 0], [0.8, 0.6, 0], [0, 0, 1], [0.9, 0.1, 0.05])


def as_set(pairs):
    return {(int(i), int(j), round(float(s), 4)) for i, j, s in zip(*pairs)}


def test_only_new_rows_look_for_neighbours_above_the_floor():
    found = as_set(neighbours(VECTORS, np.full(4, np.nan), 3, 7.0))
    assert {(i, j) for i, j, _ in found} == {(3, 0), (3, 1)}  # row 2 is orthogonal: below the floor
    similarity = dict(((i, j), s) for i, j, s in found)
    assert similarity[(3, 0)] == pytest.approx(float((VECTORS[3] @ VECTORS[0].T).toarray()[0, 0]), abs=1e-4)


def test_dated_pairs_beyond_the_window_are_not_linked_undated_ones_are():
    times = np.array([0.0, 10 * DAY, np.nan, 1 * DAY])
    assert {(i, j) for i, j, _ in as_set(neighbours(VECTORS, times, 3, 7.0))} == {(3, 0)}
    assert {(i, j) for i, j, _ in as_set(neighbours(VECTORS, times, 3, 0.0))} == {(3, 0), (3, 1)}  # 0: no window


def test_each_new_row_keeps_its_closest_neighbours_and_both_paths_agree(monkeypatch):
    monkeypatch.setattr(neighbours_module, "STORY_NEIGHBOURS", 1)
    assert {(i, j) for i, j, _ in as_set(neighbours(VECTORS, np.full(4, np.nan), 3, 7.0))} == {(3, 0)}
    monkeypatch.undo()
    direct = as_set(neighbours(VECTORS, np.full(4, np.nan), 1, 7.0))
    monkeypatch.setattr(neighbours_module, "FEW_NEW", -1)  # always the transposed product
    assert as_set(neighbours(VECTORS, np.full(4, np.nan), 1, 7.0)) == direct


def test_pairs_of_two_new_rows_are_kept_once():
    pairs = neighbours(VECTORS, np.full(4, np.nan), 0, 7.0)
    assert len(pairs[0]) == 6  # (0, 1), (0, 3), (1, 3), each seen from both sides
    low, high, _ = unique_pairs(pairs)
    assert sorted(zip(low.tolist(), high.tolist())) == [(0, 1), (0, 3), (1, 3)]


def test_each_row_keeps_its_highest_similarities():
    top = np.zeros((4, MUTUAL_K), dtype=np.float32)
    note_similar(top, np.array([0, 0, 0, 0]), np.array([1, 2, 3, 1]), np.array([0.5, 0.2, 0.9, 0.4], dtype=np.float32))
    assert top[0].tolist() == pytest.approx([0.9, 0.5, 0.4])
    assert top[1].tolist() == pytest.approx([0.5, 0.4, 0.0])
    note_similar(top, np.array([0]), np.array([2]), np.array([0.6], dtype=np.float32))
    assert top[0].tolist() == pytest.approx([0.9, 0.6, 0.5])  # a new pair pushes out the lowest
    assert top[2].tolist() == pytest.approx([0.6, 0.2, 0.0])
