"""Fill a word budget with the best sentences, none repeating another.

Greedy in score order: a sentence goes in when it fits in what is left of the budget and is not
redundant with one already chosen (cosine above `redundancy`, or most of its word trigrams
already said). The walk goes on past sentences that do not fit, so shorter ones fill the rest:
the budget is used well and never exceeded, and no sentence is cut.
"""

from __future__ import annotations

import re

import numpy as np

from storybrief.errors import BudgetError
from storybrief.represent import Representation
from storybrief.types import Sentence

REDUNDANCY = 0.5
TRIGRAM_OVERLAP = 0.5
_TOKEN = re.compile(r"\w+")


def trigrams(text: str) -> set[tuple[str, str, str]]:
    tokens = _TOKEN.findall(text.lower())
    return set(zip(tokens, tokens[1:], tokens[2:]))


def select(
    sentences: list[Sentence],
    scores: np.ndarray,
    representation: Representation,
    words: int,
    redundancy: float = REDUNDANCY,
) -> list[int]:
    """Indices of the chosen sentences, in the order they were chosen."""
    if not sentences:
        return []
    shortest = min(s.words for s in sentences)
    if words < shortest:
        raise BudgetError(f"a budget of {words} words fits no sentence (the shortest has {shortest}); raise --words")
    chosen: list[int] = []
    said: set[tuple[str, str, str]] = set()
    left = words
    for i in np.argsort(-scores, kind="stable"):
        i = int(i)
        if sentences[i].words > left:
            continue
        if chosen and float(representation.similarity(i, chosen).max()) > redundancy:
            continue
        grams = trigrams(sentences[i].text)
        if grams and len(grams & said) / len(grams) > TRIGRAM_OVERLAP:
            continue
        chosen.append(i)
        said |= grams
        left -= sentences[i].words
        if left < shortest:
            break
    return chosen
