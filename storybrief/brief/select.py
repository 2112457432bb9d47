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

from collections.abc import Callable, Iterator, Sequence
from itertools import compress

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storybrief.brief import cover
from storybrief.brief.readable import Bundle
from storybrief.brief.represent import Representation
from storybrief.brief.segment import is_bare_quote
from storybrief.errors import BudgetError
from storybrief.text import WORD, crude_stems
from storybrief.types import Sentence

REDUNDANCY = 0.5
TRIGRAM_OVERLAP = 0.5
CANDIDATE_WORDS = 4  # per-word selection looks at the best candidates holding this many budgets of words
TAIL = 40  # words of the budget that per-word selection packs exactly, by knapsack
# What a sentence that leans on one the brief leaves out (a dangling opening) is worth, against
# the same sentence with what it leans on (docs/design-readable.md).
ALONE_VALUE = 0.7
# Below this share of the story's words a brief overlaps little with itself: plain knapsack of
# independent values (docs/design-scorer.md, the selection rows).
COVERAGE_SHARE = 0.35
PAIR_WEIGHT = 2.0  # a word pair counts as much as two words (ROUGE-2 is the scarcer score)


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
    bundles: Sequence[Bundle | None] | None = None,
    alone: Sequence[bool] | None = None,
    allowed: np.ndarray | None = None,
    concepts: Callable[[dict[str, int]], dict[str, float]] | None = None,
    exact: bool = False,
) -> list[int]:
    """Indices of the chosen sentences, in the order they were chosen (score order).

    `per_word`: the scores are values per word; choose by what each sentence adds, greedy then
    knapsack for the last TAIL words (see the module notes).
    `bundles` (readable.Context.bundles, worked out only for the sentences looked at): a sentence
    is taken with the sentences it leans on, which cost budget when not already chosen; a sentence
    whose bundle is None is never taken so. `alone` (readable.Context.alone): such a sentence may
    also be taken by itself, at ALONE_VALUE of its value (per-word scores only). When nothing can
    be taken so, sentences are taken alone (a brief that leans on context beats none). `allowed`:
    a mask of the sentences that may be chosen, in a bundle or not (an update brief leaves out
    what the reader has read); default all. `concepts`: how concept coverage (`cover`) values its
    concepts, when it chooses (a query or an update brief reweighs them); `exact`: it chooses by
    its integer program (slower, better on long stories).
    """
    if not sentences or (allowed is not None and not allowed.any()):
        return []
    shortest = min(s.words for s in sentences)
    if words < shortest:
        raise BudgetError(f"a budget of {words} words fits no sentence (the shortest has {shortest}); raise --words")
    given = bundles is not None
    if bundles is None:
        bundles, alone = _Each(len(sentences), lambda i: (i,)), None
    if alone is None:
        alone = _Each(len(sentences), lambda i: False)
    if allowed is not None:
        bundles, alone = _allowed(bundles, alone, allowed)
    # A sentence that is all quotation reads as nobody's words once out of its article (who said
    # it is in a sentence around it): such sentences rank below every other, chosen only when
    # nothing else fits. No cost on Multi-News val (4 such sentences in 500 clusters); on scraped
    # news they are common. (With bundles it comes with the sentence before it, or not at all.)
    bare = np.array([is_bare_quote(s.text) for s in sentences])
    if bare.any():
        bare = bare & np.array([bool(b) and bundles[i] == (i,) for i, b in enumerate(bare)])
    if bare.any() and not bare.all():
        scores = np.where(bare, np.min(scores) - 1.0 - (np.max(scores) - scores), scores)
    if per_word and cover.applies(sentences, words):
        covering = cover.cover(sentences, scores, words, bundles,
                               repeats=lambda rows: representation.cosines(rows, rows) > redundancy, value=concepts,
                               exact=exact)
        if covering is not None:
            return covering
    if per_word:
        chosen = _coverage_select(sentences, scores, representation, words, redundancy, bundles, alone)
    else:
        chosen = _greedy(sentences, scores, representation, words, redundancy, bundles, shortest)
    if not chosen and given and allowed is None:
        return select(sentences, scores, representation, words, redundancy, per_word)
    return chosen


class _Each(Sequence):
    """The same rule for every sentence, as a sequence."""

    def __init__(self, size: int, item: Callable[[int], object]):
        self._size, self._item = size, item

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):  # type: ignore[override]
        return self._item(i)


def _allowed(bundles: Sequence, alone: Sequence, allowed: np.ndarray) -> tuple[Sequence, Sequence]:
    """Bundles and `alone` restricted to the allowed sentences."""
    def bundle(i: int):
        b = bundles[i]
        return b if b is not None and all(allowed[j] for j in b) else None

    return _Each(len(bundles), bundle), _Each(len(alone), lambda i: bool(alone[i]) and bool(allowed[i]))


def _greedy(sentences: list[Sentence], scores: np.ndarray, representation: Representation, words: int,
            redundancy: float, bundles: Sequence[Bundle | None], shortest: int) -> list[int]:
    """Sentences (with their bundles) in score order while they fit and repeat nothing chosen."""
    ranked = [int(i) for i in np.argsort(-scores, kind="stable")]
    chosen: list[int] = []
    taken = np.zeros(len(sentences), dtype=bool)
    left = words

    def missing(i: int) -> list[int]:
        return [j for j in bundles[i] or () if not taken[j]]

    def closest(k: int, kept: list[int]) -> float:
        return float(representation.similarity(ranked[k], chosen).max())

    def fits(i: int) -> bool:
        """Its bundle fits what is left, and what it brings along repeats nothing chosen."""
        if bundles[i] is None:
            return False
        rest = missing(i)
        if sum(sentences[j].words for j in rest) > left:
            return False
        return not chosen or all(
            float(representation.similarity(j, chosen).max()) <= redundancy for j in rest if j != i
        )

    for k in without_repeats(ranked, sentences, closest, redundancy, fits=fits):
        for j in missing(ranked[k]):
            chosen.append(j)
            taken[j] = True
            left -= sentences[j].words
        if left < shortest:
            break
    return chosen


def _candidates(
    sentences: list[Sentence], scores: np.ndarray, representation: Representation, words: int, redundancy: float,
    cost: Callable[[int], int],
) -> list[int]:
    """The best non-redundant sentences, best first, holding CANDIDATE_WORDS budgets of words;
    `cost(i)`: the words sentence i takes (its bundle's), above the budget when it may not be taken."""
    # The best sentences holding a few budgets of words, with their similarities in one product
    # (one sparse row slice per candidate would cost more than the rest of the selection). Costs
    # are asked for in score order, and only until enough words are gathered.
    ranked: list[int] = []
    gathered = 0
    for i in np.argsort(-scores, kind="stable"):
        i = int(i)
        if sentences[i].words <= words and cost(i) <= words:
            ranked.append(i)
            gathered += sentences[i].words
            if gathered >= 2 * CANDIDATE_WORDS * words:
                break
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
    tokens = crude_stems(text)
    content = [word not in ENGLISH_STOP_WORDS for word in tokens]  # each word looked up once
    out = set(compress(tokens, content))
    out.update(f"{a} {b}" for a, b, c, d in zip(tokens, tokens[1:], content, content[1:]) if c or d)
    return out


def tree_knapsack(values: np.ndarray, weights: np.ndarray, parent: list[int], capacity: int) -> list[int]:
    """Items with the highest summed value within `capacity`, where an item may be taken only
    with its parent (`parent[k]`, -1 for none; the items form a forest): 0/1 knapsack over the
    items in depth-first order, where leaving an item out leaves out its subtree (O(items ×
    capacity)). Positions of the items taken, in that order."""
    n = len(values)
    children: list[list[int]] = [[] for _ in range(n)]
    for k, p in enumerate(parent):
        if p >= 0:
            children[p].append(k)
    preorder: list[int] = []
    stack = [k for k in range(n - 1, -1, -1) if parent[k] < 0]
    while stack:
        k = stack.pop()
        preorder.append(k)
        stack.extend(reversed(children[k]))
    size = np.ones(n, dtype=np.int64)
    for k in reversed(preorder):
        if parent[k] >= 0:
            size[parent[k]] += size[k]
    best = np.zeros((n + 1, capacity + 1))
    took = np.zeros((n, capacity + 1), dtype=bool)
    for position in range(n - 1, -1, -1):
        k = preorder[position]
        weight = int(weights[k])
        skip = best[position + size[k]]
        with_it = np.full(capacity + 1, -np.inf)
        if weight <= capacity:
            with_it[weight:] = best[position + 1][: capacity + 1 - weight] + values[k]
        took[position] = with_it > skip
        best[position] = np.where(took[position], with_it, skip)
    chosen, position, left = [], 0, capacity
    while position < n:
        k = preorder[position]
        if took[position, left]:
            chosen.append(k)
            left -= int(weights[k])
            position += 1
        else:
            position += int(size[k])
    return chosen


def _forest(pool: list[int], bundles: list[Bundle | None]) -> tuple[list[list[int]], list[int]]:
    """The pool's rows as nodes of a forest: rows that need each other (a quotation over several
    sentences) are one node, and a node's parent holds the sentence its first row leans on."""
    row = {j: r for r, j in enumerate(pool)}
    closure = [{row[j] for j in bundles[i]} for i in pool]  # a bundle's members are in the pool
    node_of = [-1] * len(pool)
    nodes: list[list[int]] = []
    for r in range(len(pool)):
        if node_of[r] < 0:
            members = sorted((q for q in closure[r] if r in closure[q]), key=lambda q: pool[q])
            for q in members:
                node_of[q] = len(nodes)
            nodes.append(members)
    parent = []
    for members in nodes:
        before = closure[members[0]] - set(members)
        parent.append(node_of[max(before, key=lambda q: pool[q])] if before else -1)
    return nodes, parent


def _coverage_select(
    sentences: list[Sentence], scores: np.ndarray, representation: Representation, words: int, redundancy: float,
    bundles: list[Bundle | None], alone: list[bool],
) -> list[int]:
    own_words = [s.words for s in sentences]
    own = np.array(own_words)

    def cost(i: int) -> int:  # Python ints: numpy on a bundle of two or three costs more than the sum
        b = bundles[i]
        return min(sum(own_words[j] for j in b) if b is not None else words + 1,
                   own_words[i] if alone[i] else words + 1)

    candidates = _candidates(sentences, scores, representation, words, redundancy, cost)
    if not candidates:
        return []
    # Options: a candidate with its bundle, and by itself (worth ALONE_VALUE) where it may be.
    options = [(list(bundles[i]), 1.0) for i in candidates if bundles[i] is not None]
    options += [([i], ALONE_VALUE) for i in candidates if alone[i]]
    # The rows: the candidates and the sentences their bundles bring along.
    pool = list(dict.fromkeys(j for members, _ in options for j in members))
    row = {j: r for r, j in enumerate(pool)}
    lengths = own[pool]
    low = float(np.min(scores))
    floor = 1e-6 * max(float(np.max(scores)) - low, 1e-9)  # a worthless sentence still beats an empty slot
    values = np.maximum(scores[pool], 0.0) * lengths + floor
    needs = [[row[j] for j in members] for members, _ in options]  # rows each option takes
    factor = np.array([f for _, f in options])
    # A sentence brought along as context must not repeat what the brief says elsewhere.
    candidate_set = set(candidates)
    repeat = _repeats_matrix(pool, sentences, representation, redundancy,
                             [r for r, j in enumerate(pool) if j not in candidate_set])
    by_itself = np.arange(len(options)) >= len(options) - sum(alone[i] for i in candidates)
    taken = np.zeros(len(pool), dtype=bool)
    chosen: list[int] = []  # rows, in the order taken

    def take(rows: list[int]) -> None:
        for r in rows:
            if not taken[r]:
                taken[r] = True
                chosen.append(r)

    if words < COVERAGE_SHARE * sum(s.words for s in sentences):
        own_rows = {row[i] for i in candidates}
        whole = [k for k in range(len(options)) if not by_itself[k] and not any(
            repeat[r, [q for q in own_rows if q not in needs[k]]].any() for r in needs[k] if r not in own_rows)]
        in_forest = list(dict.fromkeys(pool[r] for k in whole for r in needs[k]))
        nodes, parent = _forest(in_forest, bundles)
        items = [[row[in_forest[q]] for q in node] for node in nodes]
        items += [needs[k] for k in range(len(options)) if by_itself[k]]
        parent += [-1] * (len(items) - len(nodes))
        item_values = np.array([values[n].sum() for n in items])
        item_values[len(nodes):] *= ALONE_VALUE
        item_lengths = np.array([lengths[n].sum() for n in items])
        for k in tree_knapsack(item_values, item_lengths, parent, words):
            take(items[k])
        _fill(needs, values, factor, lengths, taken, words - int(lengths[taken].sum()), take, repeat)
        return [pool[r] for r in chosen]
    # gives[r, c]: what row r is worth through concept c (its value spread over its concepts by
    # weight); a set is worth, per concept, the most that any of its sentences gives.
    # A sentence of stop words only gets a concept of its own, so its value is not lost.
    said = [concepts(sentences[j].text) or {f"#{r}"} for r, j in enumerate(pool)]
    flat = [c for concept_set in said for c in concept_set]
    index: dict[str, int] = {}
    columns = np.array([index.setdefault(c, len(index)) for c in flat], dtype=np.int64)
    rows = np.repeat(np.arange(len(pool)), [len(concept_set) for concept_set in said])
    weights = np.array([PAIR_WEIGHT if " " in c else 1.0 for c in flat])
    gives = np.zeros((len(pool), len(index)))
    gives[rows, columns] = values[rows] * weights / np.bincount(rows, weights=weights, minlength=len(pool))[rows]
    covered = np.zeros(gives.shape[1])
    single = np.array([len(n) == 1 for n in needs])
    heads = np.array([n[-1] if len(n) == 1 else 0 for n in needs])
    left = words
    # Each single option's row of `gives` times its factor, once (the same products every round).
    scaled = gives[heads] * factor[:, None]
    bundled = np.flatnonzero(~single).tolist()

    def gains() -> tuple[np.ndarray, np.ndarray]:
        """What each option would add, and the words it would take, given what is taken."""
        added = np.zeros(len(needs))
        extra = np.zeros(len(needs), dtype=np.int64)
        blocked = repeat[:, taken].any(axis=1)
        free = single & ~taken[heads] & ~blocked[heads]
        rest_of = scaled[free]  # a copy, worked on in place: the same values as a new array each step
        rest_of -= covered
        added[free] = np.maximum(rest_of, 0.0, out=rest_of).sum(axis=1)
        extra[free] = lengths[heads[free]]
        for k in bundled:
            rest = [r for r in needs[k] if not taken[r]]
            if rest and not blocked[rest].any():
                added[k] = np.maximum(gives[rest].max(axis=0) - covered, 0.0).sum()
                extra[k] = lengths[rest].sum()
        return added, extra

    while left > TAIL:
        added, extra = gains()
        fits = np.flatnonzero((extra > 0) & (extra <= left))
        if not len(fits):
            break
        k = int(fits[np.argmax(added[fits] / extra[fits])])
        rest = [r for r in needs[k] if not taken[r]]
        take(rest)
        left -= int(lengths[rest].sum())
        covered = np.maximum(covered, gives[rest].max(axis=0) * factor[k])
    else:
        added, extra = gains()
        open_ = np.flatnonzero(extra > 0)
        for k in knapsack(added[open_], extra[open_], left):
            take(needs[int(open_[k])])
        _fill(needs, values, factor, lengths, taken, words - int(lengths[taken].sum()), take, repeat)
    return [pool[r] for r in chosen]


def _repeats_matrix(pool: list[int], sentences: list[Sentence], representation: Representation, redundancy: float,
                    context: list[int]) -> np.ndarray:
    """repeat[r, q]: the pool's sentences r and q say the same (`repeats` either way), for the
    pairs that hold a `context` row (a sentence brought along, not a candidate: the candidates
    repeat none of each other); False elsewhere and on the diagonal."""
    similar = np.zeros((len(pool), len(pool)), dtype=bool)
    if not context:
        return similar
    close = representation.cosines([pool[r] for r in context], pool) > redundancy
    grams = [trigrams(sentences[j].text) for j in pool]
    for c, r in enumerate(context):
        for q in range(len(pool)):
            if close[c, q]:
                similar[r, q] = similar[q, r] = True
            elif q != r and grams[r] and grams[q]:
                if len(grams[r] & grams[q]) > TRIGRAM_OVERLAP * min(len(grams[r]), len(grams[q])):
                    similar[r, q] = similar[q, r] = True
    np.fill_diagonal(similar, False)
    return similar


def _fill(needs: list[list[int]], values: np.ndarray, factor: np.ndarray, lengths: np.ndarray, taken: np.ndarray,
          left: int, take: Callable[[list[int]], None], repeat: np.ndarray) -> None:
    """Use budget a knapsack of overlapping options left (it counts a shared sentence twice): the
    most valuable options that still fit, by value per word, none repeating what is taken."""
    worth = np.array([values[n].sum() * f for n, f in zip(needs, factor)])
    for k in np.argsort(-worth / np.maximum([lengths[n].sum() for n in needs], 1), kind="stable"):
        rest = [r for r in needs[k] if not taken[r]]
        extra = int(lengths[rest].sum())
        if 0 < extra <= left and not repeat[np.ix_(rest, np.flatnonzero(taken))].any():
            take(needs[k])
            left -= extra
