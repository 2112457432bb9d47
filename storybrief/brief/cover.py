"""Concept-coverage selection for long stories (Gillick & Favre 2009).

A concept is a word pair (crudely stemmed, not two stop words) that several articles of the story
use; it is worth the number of articles that use it. The brief is the set of sentences, within
the word budget, that covers the most concept value, plus a small share of the scorer's own value
of each chosen sentence (so among sets covering alike, the scorer's taste decides). A concept
counts once however many chosen sentences carry it, so repeating a fact gains nothing: no
separate redundancy rule is needed. Maximised over a pool of the best-scored sentences, greedily
by value added per words**p for each p in GREEDY_POWERS, keeping the best of those sets
(`SOLVER = "greedy"`, the default), or exactly, as a 0/1 integer program with
`scipy.optimize.milp` (HiGHS, `SOLVER = "milp"`).

Why for long stories only: when a story holds many full-length articles, what most outlets
repeat is what the story is about, and the learned scorer, trained on Multi-News's short and cut
articles with their quote-rich references, favours quotations there; on short stories the
per-word coverage of `select` does as well (docs/design-generalize.md has the figures).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storybrief.brief.readable import quote_marks
from storybrief.brief.represent import LARGE_STORY, SAMPLE_ARTICLES, SAMPLE_SEED
from storybrief.text import crude_stems
from storybrief.types import Sentence

POOL = 120  # best-scored sentences the program chooses from
POOL_MIN_WORDS = 8  # shorter sentences are fragments, datelines or captions
MIN_ARTICLES = 3  # a concept must be used by this many articles (fewer when the story has fewer)
SCORE_SHARE = 1.0  # the scorer's value of the pool, scaled to this share of the pool's concept value
GAP = 0.02  # the set found is within this share of the best possible value
TIME_LIMIT = 2.0  # seconds, a guard only (a long solve would return its best set so far)
LAST_SOLVE = (0.0, 0)  # (seconds, HiGHS status) of the latest solve, for experiments


def pairs(text: str) -> set[str]:
    """The sentence's word pairs that can be concepts: lower-cased, crudely stemmed, not both stop words."""
    tokens = crude_stems(text)
    stop = ENGLISH_STOP_WORDS
    return {a + " " + b for a, b in zip(tokens, tokens[1:]) if a not in stop or b not in stop}


def concept_weights(sentences: list[Sentence], said: dict[int, set[str]] | None = None,
                    min_articles: int | None = None) -> dict[str, int]:
    """Concept -> number of articles using it, for pairs used by at least min(`min_articles`
    (default MIN_ARTICLES), articles) articles. `said`: a cache of each sentence's `pairs` by
    index, filled as they are computed."""
    said = {} if said is None else said
    present = sorted({s.article for s in sentences})
    n_articles = len(present)
    counted = range(len(sentences))
    if len(sentences) > LARGE_STORY and n_articles > SAMPLE_ARTICLES:
        # A huge story: counted in the fixed sample of articles `represent` also compares with
        # (linear, not quadratic, in the story; the same sample on every run).
        sample = set(np.random.default_rng(SAMPLE_SEED).choice(present, SAMPLE_ARTICLES, replace=False).tolist())
        counted = [i for i, s in enumerate(sentences) if s.article in sample]
        n_articles = SAMPLE_ARTICLES
    per_article: dict[int, set[str]] = defaultdict(set)
    for i in counted:
        if i not in said:
            said[i] = pairs(sentences[i].text)
        per_article[sentences[i].article] |= said[i]
    used = Counter(pair for article_pairs in per_article.values() for pair in article_pairs)
    least = max(2, min(MIN_ARTICLES if min_articles is None else min_articles, n_articles))
    return {pair: count for pair, count in used.items() if count >= least}


def _ranked(
    sentences: list[Sentence], scores: np.ndarray, words: int, bundles, pool: int
) -> tuple[list[int], list[int]]:
    """The `pool` best-scored sentences that may be taken (a bundle, POOL_MIN_WORDS words; with QUOTES
    "drop", none quoting anyone when those hold the budget), and every such sentence when that had
    to be worked out. Bundles are asked for in score order, and only until the pool is full (a
    readable.Context works each out on demand)."""
    def quotes(i: int) -> bool:
        return QUOTES == "drop" and any(quote_marks(sentences[j].text) for j in bundles[i])

    if POOL_BY == "both":
        usable = [i for i in range(len(sentences)) if bundles[i] is not None and sentences[i].words >= POOL_MIN_WORDS]
        unquoted = [i for i in usable if not quotes(i)]
        if sum(sentences[i].words for i in unquoted) >= words:
            usable = unquoted
        return sorted(usable, key=lambda i: (-scores[i], i))[:pool], usable
    unquoted: list[int] = []
    every: list[int] = []  # in score order, quoted or not
    unquoted_words = 0
    for i in sorted(range(len(sentences)), key=lambda i: (-scores[i], i)):
        if sentences[i].words < POOL_MIN_WORDS or bundles[i] is None:
            continue
        every.append(i)
        if not quotes(i):
            unquoted.append(i)
            unquoted_words += sentences[i].words
            if len(unquoted) >= pool and unquoted_words >= words:
                return unquoted[:pool], unquoted
    return (unquoted if unquoted_words >= words else every)[:pool], (unquoted if unquoted_words >= words else every)


def cover(
    sentences: list[Sentence],
    scores: np.ndarray,
    words: int,
    bundles: list[tuple[int, ...] | None] | None = None,
    pool: int | None = None,
    score_share: float | None = None,
    repeats: Callable[[list[int]], np.ndarray] | None = None,
    value: Callable[[dict[str, int]], dict[str, float]] | None = None,
    exact: bool = False,
) -> list[int] | None:
    """Indices of the chosen sentences (best value first), or None when the story has no concept
    (too few articles share word pairs) or the program finds no set: the caller falls back to `select`.

    `bundles` (readable.bundles): a sentence is taken only with the sentences it leans on; None
    for a sentence that is never taken. `repeats(rows)`: which pairs of those sentences say the same
    (select passes its similarity test); two of a pair are never both taken: concepts are word
    pairs, so a fact reworded is two sets of concepts, and a brief would tell it twice. `value`:
    the concepts' worth, given their article counts (a query or an update brief reweighs them).
    `exact`: the set is the integer program's (within GAP of the best), with the settings that
    suit it (EXACT); else SOLVER's."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    pool = POOL if pool is None else pool
    solver, share, least = ("milp", *EXACT) if exact else (SOLVER, SCORE_SHARE, MIN_ARTICLES)
    score_share = share if score_share is None else score_share
    said: dict[int, set[str]] = {}
    weight = concept_weights(sentences, said, least)
    if value is not None:
        weight = value(weight)
    if not weight:
        return None
    n = len(sentences)
    if bundles is None:
        bundles = [(i,) for i in range(n)]
    ranked, usable = _ranked(sentences, scores, words, bundles, pool)
    if POOL_BY == "both":
        density = {i: sum(weight.get(c, 0) for c in said.get(i) or pairs(sentences[i].text)) / sentences[i].words
                   for i in usable}
        ranked = list(dict.fromkeys(ranked + sorted(usable, key=lambda i: (-density[i], i))[:pool]))
    # The pool: the best sentences and what their bundles bring along.
    rows = list(dict.fromkeys(j for i in ranked for j in bundles[i]))
    row_of = {j: r for r, j in enumerate(rows)}
    same = repeats(rows) if repeats is not None else np.zeros((len(rows), len(rows)), dtype=bool)
    np.fill_diagonal(same, False)
    stands = [bundles[j] is not None and all(m in row_of for m in bundles[j]) for j in rows]
    carriers: dict[str, list[int]] = defaultdict(list)  # concept -> pool rows that carry it
    for r, j in enumerate(rows):
        # Sorted: the program's variables in an order that does not depend on string hashing, so
        # the solver takes the same path (and the same set among equally good ones) in every process.
        for c in sorted(said[j] if j in said else pairs(sentences[j].text)):
            if c in weight:
                carriers[c].append(r)
    if not carriers:
        return None
    n_rows = len(rows)
    lengths = np.array([sentences[j].words for j in rows], dtype=float)
    raw = np.maximum(scores[rows] - min(float(np.min(scores[rows])), 0.0), 0.0) * lengths
    if ROW_LEAD:  # an experiment, off (docs/design-generalize.md, fourth pass)
        raw = raw * (1.0 + ROW_LEAD * (1.0 - np.array([sentences[j].position for j in rows])))
    total = float(sum(weight[c] for c in carriers))
    scale = score_share * total / raw.sum() if raw.sum() > 0 else 0.0
    row_value = scale * raw
    # A concept only one row carries is that row's own value (exactly: it is covered iff the row
    # is taken); only concepts shared by several rows need a variable of their own (far fewer
    # variables for the program).
    shared = [c for c, rs in carriers.items() if len(rs) > 1]
    for c, rs in carriers.items():
        if len(rs) == 1:
            row_value[rs[0]] += weight[c]
    n_concepts = len(shared)
    # A sentence only with what it leans on (its bundle's rows); a sentence that cannot stand alone
    # (brought along by others) only with one of those that bring it.
    needs = [[row_of[j] for j in bundles[rows[r]]] if stands[r] else [] for r in range(n_rows)]
    if solver == "greedy":
        started = time.perf_counter()
        concept_values = np.array([weight[c] for c in shared], dtype=float)
        carries = np.zeros((n_rows, n_concepts))
        for k, c in enumerate(shared):
            carries[carriers[c], k] = 1.0
        best_value, taken = -1.0, []
        for power in GREEDY_POWERS:
            units = _greedy(row_value, concept_values, carries, lengths, needs, words, same=same, power=power)
            chosen = sorted({m for u in units for m in needs[u]})
            value = row_value[chosen].sum() + concept_values[carries[chosen].any(axis=0)].sum()
            if value > best_value + 1e-9:
                best_value, taken = value, chosen
        _record(time.perf_counter() - started, 0)
        return [rows[r] for r in sorted(taken, key=lambda r: (-scores[rows[r]], rows[r]))] or None
    # Variables: x (one per pool row) then z (one per shared concept); milp minimises.
    objective = -np.concatenate([row_value, [weight[c] for c in shared]])
    # z_c <= sum of x_r over the rows r that carry c:  z_c - sum x_r <= 0
    carry_rows = [r for c in shared for r in carriers[c]]
    carry_cols = [k for k, c in enumerate(shared) for _ in carriers[c]]
    a_cover = coo_matrix(
        (np.r_[-np.ones(len(carry_rows)), np.ones(n_concepts)],
         (np.r_[carry_cols, np.arange(n_concepts)], np.r_[carry_rows, n_rows + np.arange(n_concepts)])),
        shape=(n_concepts, n_rows + n_concepts),
    )
    constraints = [LinearConstraint(np.r_[lengths, np.zeros(n_concepts)][None, :], -np.inf, words)]
    if n_concepts:
        constraints.append(LinearConstraint(a_cover, -np.inf, 0.0))
    # As constraints: x_r - x_m <= 0 for each m in r's bundle; x_r <= the sum of its bringers.
    lean_rows, lean_cols, lean_values, count = [], [], [], 0
    for r in range(n_rows):
        if stands[r]:
            for m in needs[r]:
                if m != r:
                    lean_rows += [count, count]
                    lean_cols += [r, m]
                    lean_values += [1.0, -1.0]
                    count += 1
        else:
            bringers = [i for i in range(n_rows) if r in needs[i]]
            lean_rows += [count] * (1 + len(bringers))
            lean_cols += [r, *bringers]
            lean_values += [1.0] + [-1.0] * len(bringers)
            count += 1
    # Two sentences that say the same: x_r + x_q <= 1 (after the bundle rows, whose bound is 0).
    leaning = count
    for r, q in zip(*np.nonzero(np.triu(same, 1))):
        lean_rows += [count, count]
        lean_cols += [int(r), int(q)]
        lean_values += [1.0, 1.0]
        count += 1
    if count:
        upper = np.r_[np.zeros(leaning), np.ones(count - leaning)]
        a_lean = coo_matrix((lean_values, (lean_rows, lean_cols)), shape=(count, n_rows + n_concepts))
        constraints.append(LinearConstraint(a_lean, -np.inf, upper))
    started = time.perf_counter()
    result = milp(
        # Only the sentences need be whole: at the optimum each concept's z is min(1, its sentences taken).
        objective, constraints=constraints, integrality=np.r_[np.ones(n_rows), np.zeros(n_concepts)],
        bounds=Bounds(0, 1), options={"time_limit": TIME_LIMIT, "mip_rel_gap": GAP},
    )
    _record(time.perf_counter() - started, result.status)
    if result.x is None:
        return None
    taken = [r for r in range(n_rows) if result.x[r] > 0.5]
    if not taken:
        return None
    return [rows[r] for r in sorted(taken, key=lambda r: (-scores[rows[r]], rows[r]))]


def _record(seconds: float, status: int) -> None:
    global LAST_SOLVE
    LAST_SOLVE = (seconds, status)


def _greedy(row_value: np.ndarray, concept_value: np.ndarray, carries: np.ndarray, lengths: np.ndarray,
            needs: list[list[int]], words: int, units: list[int] | None = None,
            same: np.ndarray | None = None, power: float = 0.5) -> list[int]:
    """The objective maximised greedily by value added per word**power (Lin & Bilmes 2010),
    from the `units` (rows that stand alone, each taken with its needs) already chosen: the units.
    Ties go to the lowest row."""
    units = list(units or [])
    n = len(row_value)
    taken = np.zeros(n, dtype=bool)
    for u in units:
        taken[needs[u]] = True
    covered = carries[taken].any(axis=0)
    left = words - int(lengths[taken].sum())
    # A row taken by itself (most of them) is rated all at once; a row that brings others, one by one.
    alone = np.array([needs[r] == [r] for r in range(n)], dtype=bool)
    others = [(r, np.array(needs[r])) for r in range(n) if needs[r] and not alone[r]]
    per_cost = np.where(alone, lengths, 1.0) ** power
    # What each row's uncovered concepts are worth, kept up to date as concepts get covered (concept
    # values are article counts, so the running sums are exact).
    uncovered = carries @ np.where(covered, 0.0, concept_value)
    repeated = same[:, taken].any(axis=1) if same is not None else np.zeros(n, dtype=bool)
    while True:
        marginal = row_value + uncovered
        rate = np.where(alone & ~taken & ~repeated & (lengths <= left), marginal / per_cost, 0.0)
        best_rest: dict[int, np.ndarray] = {}
        for r, need in others:
            if taken[r]:
                continue
            rest = need[~taken[need]]
            cost = float(lengths[rest].sum())
            if cost > left or repeated[rest].any():
                continue
            if len(rest) == 1:
                gain = marginal[rest[0]]
            else:
                gain = row_value[rest].sum() + concept_value[carries[rest].any(axis=0) & ~covered].sum()
            rate[r] = gain / cost**power
            best_rest[r] = rest
        best = int(np.argmax(rate))
        if rate[best] <= 0.0:
            return units
        rest = best_rest.get(best, np.array([best]))
        units.append(best)
        taken[rest] = True
        newly = carries[rest].any(axis=0) & ~covered
        covered |= newly
        uncovered -= carries[:, newly] @ concept_value[newly]
        if same is not None:
            repeated |= same[:, rest].any(axis=1)
        left -= int(lengths[rest].sum())


# "greedy" (the default) or "milp": the exact program costs 2-3x the whole brief on full-length
# stories (docs/design-generalize.md), so it runs when asked for (`exact`).
SOLVER = "greedy"
# The exact program's scorer share and least articles a concept needs: chosen for it on DUC 2006
# and DUC 2007 main (docs/design-generalize.md, sixth pass); greedy loses with them.
EXACT = (2.0, 2)
# Greedy runs once per power (gain per word**power) and keeps the set of highest value. Only 0.5:
# the best of (0.5, 0.75, 1) won on DUC 2006, where it was tuned, and lost on the held-out DUC 2007
# update task and on DUC 2007 main at 100 words, the shape of most users' stories (figures in
# docs/design-generalize.md); a setting that pays on one corpus only is not kept.
GREEDY_POWERS = (0.5,)
QUOTES = "drop"
POOL_BY = "score"
ROW_LEAD = 0.0  # the scorer's value of a sentence times 1 + ROW_LEAD * (1 - its position in its article)
LONG_STORY = 1000  # story words from which `select` uses `cover` (docs/design-generalize.md)


def applies(sentences: list[Sentence], words: int) -> bool:
    """Whether a brief of `words` words from this story is chosen by concept coverage."""
    return sum(s.words for s in sentences) >= LONG_STORY
