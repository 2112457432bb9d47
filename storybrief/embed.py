"""Static word vectors distilled from all-MiniLM-L6-v2 (bench/build/distill_vectors.py), for a
semantic view of sentences that costs a dictionary look-up per word rather than a neural network.

A sentence's vector is the SIF-weighted mean of its known words' vectors (frequent words count
less), L2-normalised; a sentence with no known word gets a zero vector.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from storybrief.errors import StoryBriefError
from storybrief.shipped import MODELS
from storybrief.text import LOWER_WORD

VECTORS_PATH = MODELS / "words.npz"
SIF = 1e-3  # smoothing of the inverse-frequency weight a / (a + p(word))


class WordVectors:
    def __init__(self, words: list[str], vectors: np.ndarray, frequency: np.ndarray):
        self.index = {w: i for i, w in enumerate(words)}
        weights = SIF / (SIF + frequency.astype(np.float32))
        # Weighting folded into the table once, so a sentence is one gather and one sum.
        self.table = vectors.astype(np.float32) * weights[:, None]
        self.dims = vectors.shape[1]

    def sentences(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        return self.from_tokens([LOWER_WORD.findall(text.lower()) for text in texts])

    def from_tokens(self, tokens: list[list[str]]) -> np.ndarray:
        """One L2-normalised row per token list (words as LOWER_WORD finds them in lower-cased text)."""
        out = np.zeros((len(tokens), self.dims), dtype=np.float32)
        index = self.index
        for row, words in enumerate(tokens):
            ids = [i for i in map(index.get, words) if i is not None]
            if ids:
                out[row] = self.table[ids].sum(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


@lru_cache(maxsize=2)
def load_vectors(path: str | Path = VECTORS_PATH) -> WordVectors:
    path = Path(path)
    if not path.is_file():
        raise StoryBriefError(
            f"word vectors not found at {path}; "
            "reinstall storybrief or rebuild them with bench/build/distill_vectors.py"
        )
    with np.load(path, allow_pickle=False) as data:
        return WordVectors(list(data["words"]), data["vectors"], data["frequency"])
