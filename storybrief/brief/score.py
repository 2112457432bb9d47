"""Sentence scorers behind one small interface, so a learned scorer replaces the baseline
without touching the other stages.

A scorer maps (sentences, representation) to one salience number per sentence; higher is
better. `SCORERS` names the ones the `method` argument can pick.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from storybrief.brief.features import sentence_features
from storybrief.brief.represent import Representation
from storybrief.brief.support import soft_support
from storybrief.errors import StoryBriefError
from storybrief.shipped import MODELS
from storybrief.types import Sentence

MODEL_PATH = MODELS / "scorer.txt"
# A second model, trained on another label: 1 for the sentences a greedy ROUGE-1+2 oracle puts in a
# 250-word summary and for their paraphrases in other articles, else 0. Its prediction is added to
# the first model's, scaled by ORACLE_WEIGHT (the ensemble's weight 0.3 times the ratio of the two
# models' spreads on their training records, which bench/build/train_scorer.py prints): the per-word
# gain says how dense a sentence is, the oracle how likely a summary is to need it at all, and the
# sum ranks better than either (docs/design-scorer.md).
ORACLE_MODEL_PATH = MODELS / "scorer_oracle.txt"
ORACLE_WEIGHT = 0.41


class Scorer(Protocol):
    """What the pipeline asks of a scorer. Only `score` is required of a custom scorer; the
    attributes are optional abilities, read through `abilities()` with the defaults below."""

    name: str  # shown as the brief's method (default: the class name)
    per_word: bool  # scores are value per word, so selection may trade a long sentence for short ones (default False)
    redundancy: float | None  # its own redundancy threshold for selection (default None: the selector's)

    def score(self, sentences: list[Sentence], representation: Representation) -> np.ndarray: ...


def abilities(scorer: Scorer) -> tuple[str, bool, float | None]:
    """(name, per_word, redundancy) of any scorer, the optional ones defaulted."""
    return (
        getattr(scorer, "name", type(scorer).__name__),
        bool(getattr(scorer, "per_word", False)),
        getattr(scorer, "redundancy", None),
    )


class LeadScorer:
    """Earlier is better, articles taken round-robin: the classic news baseline."""

    name = "lead"

    def score(self, sentences: list[Sentence], representation: Representation) -> np.ndarray:
        return -np.array([s.index + s.article / 1000 for s in sentences], dtype=float)


class CentroidScorer:
    """Untrained: closeness to the story's centroid, early position, and cross-source support.

    Support is what distinguishes a multi-source brief: a fact several outlets report is more
    likely central than one only a single article carries.
    """

    name = "centroid"

    def __init__(self, centroid_weight: float = 1.0, position_weight: float = 0.35, support_weight: float = 0.5):
        self.centroid_weight = centroid_weight
        self.position_weight = position_weight
        self.support_weight = support_weight

    def score(self, sentences: list[Sentence], representation: Representation) -> np.ndarray:
        if not sentences:
            return np.zeros(0)
        centrality = np.asarray(representation.vectors @ representation.centroid).ravel()
        position = np.array([1.0 / (1.0 + s.index) for s in sentences])
        n_articles = int(representation.articles.max()) + 1
        support = soft_support(representation) / max(n_articles - 1, 1)
        length = np.array([s.words for s in sentences], dtype=float)
        # Very short sentences are rarely self-contained; very long ones are run-ons.
        shape = np.clip(length / 12.0, 0.3, 1.0) * np.where(length > 60, 0.7, 1.0)
        return (
            self.centroid_weight * centrality + self.position_weight * position + self.support_weight * support
        ) * shape


@lru_cache(maxsize=4)
def load_model(path: str):
    """The LightGBM booster in `path`, read once per process."""
    if not Path(path).is_file():
        raise StoryBriefError(
            f"scorer model not found at {path}; reinstall storybrief or rebuild it with bench/build/train_scorer.py "
            "(or use --method centroid)"
        )
    import lightgbm

    return lightgbm.Booster(model_file=str(path))


CANDIDATE_POOL = 4000  # sentences the learned scorer scores in one story; beyond it, a pre-ranked pool


class LearnedScorer:
    """LightGBM over `storybrief.brief.features`, trained on Multi-News to predict each sentence's
    ROUGE gain per word against the human summary (see bench/build/train_scorer.py)."""

    name = "learned"
    per_word = True  # scores are ROUGE gain per word: the selector may trade long for short sentences
    # Stricter than the selector's default 0.5: with this scorer it is no worse on Multi-News val
    # and it drops cross-outlet paraphrases that share few words (docs/design-measured.md).
    redundancy = 0.4

    def __init__(
        self,
        model_path: str | Path = MODEL_PATH,
        oracle_path: str | Path | None = ORACLE_MODEL_PATH,
        oracle_weight: float = ORACLE_WEIGHT,
    ):
        self.model_path = str(model_path)
        self.model = load_model(self.model_path)
        # None: the first model alone (for experiments and for a model trained without its partner).
        self.oracle_path = None if oracle_path is None else str(oracle_path)
        self.oracle_model = None if oracle_path is None else load_model(self.oracle_path)
        self.oracle_weight = oracle_weight

    def predict(self, features: np.ndarray) -> np.ndarray:
        """The ensemble's value per sentence for a feature matrix of `storybrief.brief.features`."""
        scores = np.asarray(self.model.predict(features, num_threads=1), dtype=float)
        if self.oracle_model is not None:
            scores += self.oracle_weight * np.asarray(self.oracle_model.predict(features, num_threads=1), dtype=float)
        return scores

    def score(self, sentences: list[Sentence], representation: Representation) -> np.ndarray:
        if not sentences:
            return np.zeros(0)
        if len(sentences) <= CANDIDATE_POOL:
            return self.predict(sentence_features(sentences, representation))
        # A huge story: features cost time per sentence, so only the CANDIDATE_POOL sentences
        # the untrained scorer ranks highest are scored, as a story of their own (their support and
        # overlap counted among themselves). The rest could only be chosen ahead of far more
        # central sentences, which a brief of a few hundred words never reaches.
        pool = np.sort(np.argsort(-CentroidScorer().score(sentences, representation), kind="stable")[:CANDIDATE_POOL])
        features = sentence_features([sentences[i] for i in pool], representation.subset(pool))
        pooled = self.predict(features)
        scores = np.full(len(sentences), min(pooled.min(), 0.0) - 1.0)
        scores[pool] = pooled
        return scores


SCORERS: dict[str, Callable[[], Scorer]] = {
    "centroid": CentroidScorer,
    "lead": LeadScorer,
    "learned": LearnedScorer,
}
DEFAULT_METHOD = "learned"


def get_scorer(method: str) -> Scorer:
    name = DEFAULT_METHOD if method == "default" else method
    if name not in SCORERS:
        raise StoryBriefError(f"unknown method {method!r}; choose from: default, {', '.join(sorted(SCORERS))}")
    return SCORERS[name]()
