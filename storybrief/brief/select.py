"""Fill a word budget with the best sentences, none repeating another.

Greedy in score order: a sentence goes in when it fits in what is left of the budget and is not
redundant with one already chosen (cosine above `redundancy`, or most of its word trigrams
already said). The walk goes on past sentences that do not fit, so shorter ones fill the rest:
the budget is used well and never exceeded, and no sentence is cut.

When the scores are a value per word (the learned scorer predicts ROUGE gain per word), the
choice among the non-redundant candidates counts what each sentence *adds*: a sentence's value
(score × words) is spread evenly over its concepts (content words and word pairs, crudely
stemmed), and a concept is worth, in a set, the most any chosen sentence gives it, never the sum
(ROUGE clips repeated words). That objective is submodular; it is maximised greedily by added
value per word (Lin & Bilmes 2010) while more than TAIL words are left, and the last TAIL words
are packed exactly by a 0/1 knapsack on what each remaining sentence would still add (greedy by
value per word strands a short budget; a budget of TAIL words or less is a plain knapsack). On
Multi-News val at 250 words, where a brief takes over half of the story, this gains ROUGE-1
+0.5, ROUGE-2 +0.2 over a knapsack of independent values. A brief under COVERAGE_SHARE of the
story's words overlaps little with itself and the greedy part only costs (at 100 words: ROUGE-2
-0.2 on one half of val, ±0 on the other), so it is a plain knapsack (docs/design.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storybrief.brief.represent import Representation
from storybrief.brief.segment import is_bare_quote
from storybrief.errors import BudgetError
from storybrief.text import ROUGE_WORD, WORD
from storybrief.types import Sentence

REDUNDANCY = 0.5
TRIGRAM_OVERLAP = 0.5
CANDIDATE_WORDS = 4  # per-word selection looks at the best candidates holding this many budgets of words
TAIL = 40  # words of the budget that per-word selection packs exactly, by knapsack
# Below this share of the story's words a brief overlaps little with itself: plain knapsack of
# independent values (docs/design-scorer.md, the selection rows).
COVERAGE_SHARE = 0.35
PAIR_WEIGHT = 2.0  # a word pair counts as much as two words (ROUGE-2 is the scarcer score)
# Plurals and verb endings off, so "attacks"/"attacked" and "attack" are one concept (ROUGE
# compares Porter stems); cruder than Porter but far cheaper: one substitution over the text.
_SUFFIX = re.compile(r"(?<=\w{3})(?:ing|ed|es|(?<!s)s)\b")


def trigrams(text: str) -> set[tuple[str, str, str]]:
    tokens = WORD.findall(text.lower())
    return set(zip(tokens, tokens[1:], tokens[2:]))


def repeats(
    grams: set[tuple[str, str, str]], said: set[tuple[str, str, str]], closest: float, redundancy: float
) -> bool:
    """Whether a sentence says again what is chosen: too similar to one chosen sentence, or more
    than TRIGRAM_OVERLAP of its word trigrams already said."""
    if closest > redundancy:
        return True
    return bool(grams) and len(grams & said) / len(grams) > TRIGRAM_OVERLAP


def without_repeats(
    ranked: list[int], sentences: list[Sentence], closest: Callable[[int, list[int]], float], redundancy: float,
    fits: Callable[[int], bool] = lambda i: True,
) -> Iterator[int]:
    """The redundancy walk: positions k of `ranked` (sentence indices, best first) whose sentence
    fits and repeats none of those yielded before. `closest(k, kept)`: highest similarity of
    ranked[k] to the kept positions. The caller stops the walk when it has enough."""
    kept: list[int] = []
    said: set[tuple[str, str, str]] = set()
    for k, i in enumerate(ranked):
        if not fits(i):
            continue
        grams = trigrams(sentences[i].text)
        if repeats(grams, said, closest(k, kept) if kept else 0.0, redundancy):
            continue
        kept.append(k)
        said |= grams
        yield k


def select(
    sentences: list[Sentence],
    scores: np.ndarray,
    representation: Representation,
    words: int,
    redundancy: float = REDUNDANCY,
    per_word: bool = False,
    allowed: np.ndarray | None = None,
) -> list[int]:
    """Indices of the chosen sentences, in the order they were chosen (score order).

    `per_word`: the scores are values per word; choose by what each sentence adds, greedy then
    knapsack for the last TAIL words (see the module notes). `allowed`: a mask of the sentences
    that may be chosen (an update brief leaves out what the reader has read); default all.
    """
    if not sentences or (allowed is not None and not allowed.any()):
        return []
    shortest = min(s.words for s in sentences)
    if words < shortest:
        raise BudgetError(f"a budget of {words} words fits no sentence (the shortest has {shortest}); raise --words")
    # A sentence that is all quotation reads as nobody's words once out of its article (who said
    # it is in a sentence around it): such sentences rank below every other, chosen only when
    # nothing else fits. No cost on Multi-News val (4 such sentences in 500 clusters); on scraped
    # news they are common.
    bare = np.array([is_bare_quote(s.text) for s in sentences])
    if bare.any() and not bare.all():
        scores = np.where(bare, np.min(scores) - 1.0 - (np.max(scores) - scores), scores)
    if per_word:
        return _coverage_select(sentences, scores, representation, words, redundancy, allowed)
    ranked = [int(i) for i in np.argsort(-scores, kind="stable") if allowed is None or allowed[i]]
    chosen: list[int] = []
    left = words

    def closest(k: int, kept: list[int]) -> float:
        return float(representation.similarity(ranked[k], chosen).max())

    # `fits` reads `left` as it is when called: the budget left at that point of the walk.
    fits = lambda i: sentences[i].words <= left  # noqa: E731, B023
    for k in without_repeats(ranked, sentences, closest, redundancy, fits=fits):
        chosen.append(ranked[k])
        left -= sentences[ranked[k]].words
        if left < shortest:
            break
    return chosen


def _candidates(
    sentences: list[Sentence], scores: np.ndarray, representation: Representation, words: int, redundancy: float,
    allowed: np.ndarray | None = None,
) -> list[int]:
    """The best non-redundant sentences, best first, holding CANDIDATE_WORDS budgets of words."""
    # The best sentences holding a few budgets of words, with their similarities in one product
    # (one sparse row slice per candidate would cost more than the rest of the selection).
    ranked = [int(i) for i in np.argsort(-scores, kind="stable")
              if sentences[int(i)].words <= words and (allowed is None or allowed[int(i)])]
    lengths = np.cumsum([sentences[i].words for i in ranked])
    ranked = ranked[: int(np.searchsorted(lengths, 2 * CANDIDATE_WORDS * words)) + 1]
    similarity = representation.cosines(ranked, ranked)
    candidates: list[int] = []  # positions in `ranked`
    gathered = 0
    for k in without_repeats(ranked, sentences, lambda k, kept: float(similarity[k, kept].max()), redundancy):
        candidates.append(k)
        gathered += sentences[ranked[k]].words
        if gathered >= CANDIDATE_WORDS * words:
            break
    return [ranked[k] for k in candidates]


def knapsack(values: np.ndarray, weights: np.ndarray, capacity: int) -> list[int]:
    """Positions of the items with the highest summed value whose summed weight is at most
    `capacity` (0/1 knapsack, O(items × capacity)), in item order. Items of no value are left out."""
    best = np.zeros(capacity + 1)  # best[c]: highest value within c words
    took = np.zeros((len(values), capacity + 1), dtype=bool)  # took[k, c]: item k is in that best set
    for k, (value, weight) in enumerate(zip(values, weights)):
        weight = int(weight)
        if weight > capacity:
            continue
        with_it = np.full(capacity + 1, -np.inf)
        with_it[weight:] = best[: capacity + 1 - weight] + value
        took[k] = with_it > best
        best = np.where(took[k], with_it, best)
    left = int(np.argmax(best))
    chosen = []
    for k in range(len(values) - 1, -1, -1):
        if took[k, left]:
            chosen.append(k)
            left -= int(weights[k])
    return chosen[::-1]


def concepts(text: str) -> set[str]:
    """What a sentence says, as ROUGE would count it: its content words and its word pairs
    (a pair of two stop words says nothing), lower-cased and crudely stemmed."""
    tokens = ROUGE_WORD.findall(_SUFFIX.sub("", text.lower()))
    out = {word for word in tokens if word not in ENGLISH_STOP_WORDS}
    out.update(
        f"{a} {b}" for a, b in zip(tokens, tokens[1:]) if a not in ENGLISH_STOP_WORDS or b not in ENGLISH_STOP_WORDS
    )
    return out


def _coverage_select(
    sentences: list[Sentence], scores: np.ndarray, representation: Representation, words: int, redundancy: float,
    allowed: np.ndarray | None = None,
) -> list[int]:
    candidates = _candidates(sentences, scores, representation, words, redundancy, allowed)
    if not candidates:
        return []
    lengths = np.array([sentences[i].words for i in candidates])
    low = float(np.min(scores))
    floor = 1e-6 * max(float(np.max(scores)) - low, 1e-9)  # a worthless sentence still beats an empty slot
    values = np.maximum(scores[candidates], 0.0) * lengths + floor
    if words < COVERAGE_SHARE * sum(s.words for s in sentences):
        return [candidates[k] for k in knapsack(values, lengths, words)]
    # gives[k, c]: what candidate k is worth through concept c (its value spread over its concepts
    # by weight); a set is worth, per concept, the most that any of its sentences gives.
    # A sentence of stop words only gets a concept of its own, so its value is not lost.
    said = [concepts(sentences[i].text) or {f"#{k}"} for k, i in enumerate(candidates)]
    flat = [c for concept_set in said for c in concept_set]
    index: dict[str, int] = {}
    columns = np.array([index.setdefault(c, len(index)) for c in flat], dtype=np.int64)
    rows = np.repeat(np.arange(len(candidates)), [len(concept_set) for concept_set in said])
    weights = np.array([PAIR_WEIGHT if " " in c else 1.0 for c in flat])
    gives = np.zeros((len(candidates), len(index)))
    gives[rows, columns] = values[rows] * weights / np.bincount(rows, weights=weights, minlength=len(candidates))[rows]
    covered = np.zeros(gives.shape[1])
    chosen: list[int] = []  # positions in `candidates`
    free = np.ones(len(candidates), dtype=bool)
    left = words
    while left > TAIL:
        fits = np.flatnonzero(free & (lengths <= left))
        if not len(fits):
            break
        added = np.maximum(gives[fits] - covered, 0.0).sum(axis=1)
        k = int(fits[np.argmax(added / lengths[fits])])
        chosen.append(k)
        free[k] = False
        left -= int(lengths[k])
        covered = np.maximum(covered, gives[k])
    else:
        rest = np.flatnonzero(free)
        added = np.maximum(gives[rest] - covered, 0.0).sum(axis=1)
        chosen += [int(rest[k]) for k in knapsack(added, lengths[rest], left)]
    return [candidates[k] for k in chosen]
