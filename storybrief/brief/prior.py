"""The word and word-pair prior: how often a word of the sources reappears in a human summary
(learned from Multi-News train by bench/build/word_prior.py, in the manner of Hong & Nenkova 2014),
as a table shipped in `storybrief/models/`, and the features it gives each sentence."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from storybrief.brief.columns import Columns, story_words
from storybrief.errors import StoryBriefError
from storybrief.shipped import MODELS

# The prior's words are the word vectors' words: one tokenisation serves both tables.
PRIOR_PATH = MODELS / "word_prior.npz"


@lru_cache(maxsize=2)
def load_prior(path: str | Path = PRIOR_PATH) -> tuple[dict[str, float], float, dict[str, float], float]:
    """word -> P(word in the human summary | word in the sources), the mean for unknown words,
    and the same for common word pairs ("a b")."""
    path = Path(path)
    if not path.is_file():
        raise StoryBriefError(
            f"word prior not found at {path}; reinstall storybrief or rebuild it with bench/build/word_prior.py"
        )
    with np.load(path, allow_pickle=False) as data:
        prior = data["prior"].astype(float)
        pairs = data["bigram_prior"].astype(float)
        return (
            dict(zip(data["words"].tolist(), prior.tolist())),
            float(prior.mean()),
            dict(zip(data["bigrams"].tolist(), pairs.tolist())),
            float(pairs.mean()),
        )


@lru_cache(maxsize=2)
def _prior_table(
    path: str | Path = PRIOR_PATH,
) -> tuple[dict[str, int], np.ndarray, float, np.ndarray, np.ndarray, float]:
    """The prior as arrays, for look-ups by the whole story at once: word -> row, prior by row,
    the unknown word's value; word pairs as sorted keys (row of the first word × words + row of
    the second; every word of a listed pair is a listed word) with their priors; the unknown pair's value."""
    prior, unknown, pair_prior, unknown_pair = load_prior(path)
    index = {word: row for row, word in enumerate(prior)}
    keys = np.array(
        [index[a] * len(index) + index[b] for a, b in (pair.split(" ") for pair in pair_prior)], dtype=np.int64
    )
    order = np.argsort(keys)
    pair_values = np.fromiter(pair_prior.values(), dtype=float, count=len(pair_prior))
    return (
        index,
        np.fromiter(prior.values(), dtype=float, count=len(prior)),
        unknown,
        keys[order],
        pair_values[order],
        unknown_pair,
    )


PRIOR = (
    "prior_mean",
    "prior_content",
    "prior_max",
    "prior_by_frequency",
    "prior_high",
    "pair_prior_mean",
    "pair_prior_high",
)


def prior_features(tokens: list[list[str]]) -> Columns:
    """How summary-worthy a sentence's words are, by the prior learned from Multi-News train
    (Hong & Nenkova 2014): over all words, over content words, the best word, the prior weighted
    by the word's frequency in this story, and the share of words more likely in than out; the
    mean pair prior and the share of pairs more likely in than out. `tokens`: LOWER_WORD over
    each lower-cased sentence. Computed for the whole story at once (one pass of look-ups)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    index, prior, unknown, pair_keys, pair_prior, unknown_pair = _prior_table()
    n = len(tokens)
    out = Columns(n, PRIOR)
    words, ids, sentence, lengths = story_words(tokens)
    if not len(ids):
        return out
    rows = np.array([index.get(w, -1) for w in words])
    known = rows >= 0
    word_prior = np.where(known, prior[np.maximum(rows, 0)], unknown)
    content_word = np.array([w not in ENGLISH_STOP_WORDS for w in words])
    story_count = np.bincount(ids, minlength=len(words))

    values = word_prior[ids]
    has_words = lengths > 0
    out[has_words, "prior_mean"] = np.bincount(sentence, weights=values, minlength=n)[has_words] / lengths[has_words]
    out[has_words, "prior_high"] = (
        np.bincount(sentence, weights=values > 0.5, minlength=n)[has_words] / lengths[has_words]
    )
    content = content_word[ids]
    content_count = np.bincount(sentence[content], minlength=n)
    has_content = content_count > 0
    weighted = values * np.log1p(story_count[ids] - 1)
    out[has_content, "prior_content"] = (
        np.bincount(sentence[content], weights=values[content], minlength=n)[has_content] / content_count[has_content]
    )
    best = np.full(n, -np.inf)
    np.maximum.at(best, sentence[content], values[content])
    out[has_content, "prior_max"] = best[has_content]
    out[has_content, "prior_by_frequency"] = (
        np.bincount(sentence[content], weights=weighted[content], minlength=n)[has_content] / content_count[has_content]
    )
    # Word pairs: consecutive words of one sentence; a pair with an unlisted word is unlisted.
    follows = sentence[1:] == sentence[:-1]
    if follows.any():
        first, second = rows[ids[:-1][follows]], rows[ids[1:][follows]]
        keys = np.where((first >= 0) & (second >= 0), first * len(index) + second, -1)
        at = np.minimum(np.searchsorted(pair_keys, keys), len(pair_keys) - 1)
        pair_values = np.where(pair_keys[at] == keys, pair_prior[at], unknown_pair)
        pair_sentence = sentence[:-1][follows]
        pairs = np.bincount(pair_sentence, minlength=n)
        has_pairs = pairs > 0
        out[has_pairs, "pair_prior_mean"] = (
            np.bincount(pair_sentence, weights=pair_values, minlength=n)[has_pairs] / pairs[has_pairs]
        )
        out[has_pairs, "pair_prior_high"] = (
            np.bincount(pair_sentence, weights=pair_values > 0.5, minlength=n)[has_pairs] / pairs[has_pairs]
        )
    return out
