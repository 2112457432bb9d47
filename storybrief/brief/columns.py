"""Feature columns addressed by name, and a story's tokens as arrays for counting over the
whole story at once: the tools the feature helpers share."""

from __future__ import annotations

from itertools import chain

import numpy as np


class Columns:
    """Feature columns addressed by name: each helper below says which features it computes."""

    def __init__(self, n: int, names: tuple[str, ...]):
        self.names = names
        self.values = np.zeros((n, len(names)))
        self.position = {name: i for i, name in enumerate(names)}

    def __setitem__(self, key: str | tuple, value) -> None:
        rows, name = key if isinstance(key, tuple) else (slice(None), key)
        self.values[rows, self.position[name]] = value

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[:, self.position[name]]


def _small_keys(flat: np.ndarray) -> bool:
    """Non-negative integers of a small range (a short story's keys): worked on by index, which
    is several times faster than np.unique's sort and gives the same integers."""
    return bool(flat.size) and flat.dtype.kind in "iu" and flat.min() >= 0 and flat.max() <= 16 * flat.size + 65536


def occurrence_counts(keys: np.ndarray) -> np.ndarray:
    """For each element of `keys`, how many times its value occurs in `keys`."""
    flat = keys.ravel()
    if _small_keys(flat):
        return np.bincount(flat)[flat]
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return counts[inverse.ravel()]


def distinct(keys: np.ndarray) -> np.ndarray:
    """`np.unique(keys)`: the distinct values, sorted."""
    flat = keys.ravel()
    if _small_keys(flat):
        present = np.zeros(int(flat.max()) + 1, dtype=bool)
        present[flat] = True
        return np.flatnonzero(present).astype(flat.dtype, copy=False)
    return np.unique(keys)


def distinct_numbers(keys: np.ndarray) -> np.ndarray:
    """`np.unique(keys, return_inverse=True)[1].ravel()`: each key's place among the distinct values."""
    flat = keys.ravel()
    if _small_keys(flat):
        present = np.zeros(int(flat.max()) + 1, dtype=bool)
        present[flat] = True
        return (np.cumsum(present) - 1)[flat]
    return np.unique(keys, return_inverse=True)[1].ravel()


def story_words(tokens: list[list[str]]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The story's tokens as arrays, for counting over the whole story at once: its distinct
    words, each occurrence's word number and sentence number, and each sentence's length."""
    flat = list(chain.from_iterable(tokens))
    # Words numbered in order of first occurrence; built by dict and map, not a Python loop per word.
    vocabulary: dict[str, int] = dict.fromkeys(flat)  # type: ignore[arg-type]
    for number, word in enumerate(vocabulary):
        vocabulary[word] = number
    ids = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    return list(vocabulary), ids, np.repeat(np.arange(len(tokens)), lengths), lengths
