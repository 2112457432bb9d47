"""Experiment (not shipped, did not pay; see docs/design-scorer.md): second-pass features for the
learned scorer, the story's own best sentences as a stand-in
reference ("pseudo-summary").

The first LightGBM pass scores every sentence from `storybrief.brief.features`. Its top sentences,
taken in score order up to PSEUDO_WORDS words, are a rough draft of the summary; a sentence that
says what that draft says, in its words and word pairs, is likely to share them with the real
summary too. The second pass sees, for each sentence, how close it is to the draft (TF-IDF and
semantic cosine, share of its words and word pairs in it), leaving the sentence itself out of the
draft so that a top sentence is not rewarded for matching itself, and where its first-pass score
stands within the story. It is a learned centroid: the centroid of what the model already trusts,
not of everything the outlets wrote.
"""

from __future__ import annotations

import re

import numpy as np

from storybrief.brief.features import rank01
from storybrief.brief.represent import Representation
from storybrief.types import Sentence

PSEUDO_WORDS = 150  # words of top-scored sentences that make the draft
_WORD = re.compile(r"[a-z0-9]+")

STACK_FEATURE_NAMES = [
    "first_score",
    "first_score_z",
    "first_score_rank",
    "first_score_gap",
    "in_draft",
    "draft_cosine",
    "draft_semantic",
    "draft_words",
    "draft_pairs",
    "draft_words_weighted",
    "neighbour_score_max",
    "neighbour_score_mean",
]


def draft_members(scores: np.ndarray, words: np.ndarray, budget: int = PSEUDO_WORDS) -> np.ndarray:
    """Boolean mask of the draft: sentences in score order while they fit `budget` words
    (the best sentence always, however long)."""
    member = np.zeros(len(scores), dtype=bool)
    used = 0.0
    for i in np.argsort(-scores, kind="stable"):
        if used + words[i] <= budget or not member.any():
            member[i] = True
            used += words[i]
    return member


def _leave_one_out_cosine(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Cosine of each row (L2-normalised, dense) with the weighted sum of the *other* rows."""
    total = weights @ rows
    own = rows * weights[:, None]
    others = total[None, :] - own
    dots = np.einsum("ij,ij->i", rows, others)
    norms = np.linalg.norm(others, axis=1)
    return np.where(norms > 1e-9, dots / np.maximum(norms, 1e-9), 0.0)


def stacking_features(
    sentences: list[Sentence], representation: Representation, scores: np.ndarray, semantic: np.ndarray | None = None
) -> np.ndarray:
    """Shape (len(sentences), len(STACK_FEATURE_NAMES)); `scores` are the first pass's, `semantic`
    the sentences' distilled vectors (computed here when not given)."""
    n = len(sentences)
    out = np.zeros((n, len(STACK_FEATURE_NAMES)))
    if n == 0:
        return out
    scores = np.asarray(scores, dtype=float)
    words = np.array([s.words for s in sentences], dtype=float)
    spread = scores.std()
    out[:, 0] = scores
    out[:, 1] = (scores - scores.mean()) / spread if spread > 1e-9 else 0.0
    out[:, 2] = rank01(scores)
    out[:, 3] = scores - scores.max()
    member = draft_members(scores, words)
    out[:, 4] = member
    # Each draft sentence weighs by its predicted gain (never below a small floor) times its
    # length: its share of the draft's expected overlap with the summary.
    weights = np.where(member, np.maximum(scores, 1e-3) * words, 0.0)

    vectors = representation.vectors
    # The draft's TF-IDF vector is a handful of sparse rows: dense over the story's terms is cheap.
    dense = vectors[np.flatnonzero(member)].toarray()
    draft = weights[member] @ dense
    dots = np.asarray(vectors @ draft).ravel()
    own = np.zeros(n)
    own[member] = weights[member] * np.einsum("ij,ij->i", dense, dense)
    # |draft - w_i v_i|^2 = |draft|^2 - 2 w_i v_i.draft + w_i^2 |v_i|^2, for draft members only.
    squared = draft @ draft
    self_dot = dots[member]
    w = weights[member]
    norms = np.full(n, np.sqrt(squared))
    norms[member] = np.sqrt(np.maximum(squared - 2 * w * self_dot + w * w * np.einsum("ij,ij->i", dense, dense), 0.0))
    loo = dots - own
    out[:, 5] = np.where(norms > 1e-9, loo / np.maximum(norms, 1e-9), 0.0)

    if semantic is None:
        from storybrief.embed import load_vectors
        from storybrief.text import LOWER_WORD as TOKEN

        semantic = load_vectors().from_tokens([TOKEN.findall(s.text.lower()) for s in sentences])
    out[:, 6] = _leave_one_out_cosine(semantic.astype(float), weights)

    # Share of the sentence's words (and word pairs) that another draft sentence uses, and the
    # draft weight behind each word, both per occurrence as ROUGE counts.
    tokens = [_WORD.findall(s.text.lower()) for s in sentences]
    vocabulary: dict[str, int] = {}
    ids = np.fromiter(
        (vocabulary.setdefault(t, len(vocabulary)) for ts in tokens for t in ts),
        dtype=np.int64,
        count=sum(map(len, tokens)),
    )
    lengths = np.array([len(ts) for ts in tokens], dtype=np.int64)
    if len(ids):
        size = len(vocabulary)
        sentence = np.repeat(np.arange(n), lengths)
        distinct = np.unique(sentence * size + ids)
        d_sentence, d_word = distinct // size, distinct % size
        in_draft = np.bincount(d_word, weights=member[d_sentence], minlength=size)
        weight_of = np.bincount(d_word, weights=weights[d_sentence], minlength=size)
        others = in_draft[ids] - member[sentence]
        total_weight = max(weights.sum(), 1e-9)
        other_weight = (weight_of[ids] - weights[sentence]) / np.maximum(total_weight - weights[sentence], 1e-9)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, 7] = np.bincount(sentence, weights=others > 0, minlength=n) / lengths
            out[:, 9] = np.bincount(sentence, weights=np.clip(other_weight, 0, 1), minlength=n) / lengths
            follows = sentence[1:] == sentence[:-1]
            if follows.any():
                pair_keys = ids[:-1][follows] * size + ids[1:][follows]
                pair_ids = np.unique(pair_keys, return_inverse=True)[1].ravel()
                pairs = int(pair_ids.max()) + 1
                pair_sentence = sentence[:-1][follows]
                pair_distinct = np.unique(pair_sentence * pairs + pair_ids)
                pair_in_draft = np.bincount(
                    pair_distinct % pairs, weights=member[pair_distinct // pairs], minlength=pairs
                )
                pair_others = pair_in_draft[pair_ids] - member[pair_sentence]
                out[:, 8] = np.bincount(pair_sentence, weights=pair_others > 0, minlength=n) / np.maximum(
                    lengths - 1, 1
                )

    # Score propagated over the cross-article graph: a sentence other outlets paraphrase with
    # high-scored sentences.
    neighbours = representation.neighbours.tocsr()
    if neighbours.nnz:
        counts = np.diff(neighbours.indptr)
        linked = counts > 0
        neighbour_scores = scores[neighbours.indices] * neighbours.data
        out[linked, 10] = np.maximum.reduceat(neighbour_scores, neighbours.indptr[:-1][linked])
        out[:, 11] = np.bincount(np.repeat(np.arange(n), counts), weights=neighbour_scores, minlength=n) / np.maximum(
            np.bincount(np.repeat(np.arange(n), counts), weights=neighbours.data, minlength=n), 1e-9
        )
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
