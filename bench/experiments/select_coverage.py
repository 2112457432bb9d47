"""Experimental overlap-aware selectors for bench/experiments/select_eval.py (not used by the package).

Objective over a set S of candidate sentences (monotone submodular):
    F(S) = (1 - alpha) * sum_{i in S} a_i + alpha * sum_c max_{i in S, c in i} u_ic
a_i = words_i * max(score_i, 0) (the knapsack's value); a sentence's value is spread over its
concepts (content words, word pairs) by concept weight, u_ic = a_i * w_c / W_i ("share"), or
each concept is worth the same whoever says it, u_ic = w_c * g ("flat"). A concept counts once.
"""

from __future__ import annotations

import re

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bench.build import scorer_data as data
from storybrief.brief import select as select_stage
from storybrief.brief.prior import load_prior

TOKEN = re.compile(r"[a-z0-9]+")
STOP = frozenset(ENGLISH_STOP_WORDS)


LIGHT = re.compile(r"(?<=\w{3})(?:ing|ed|es|s)$")


def tokens(text: str, stem) -> list[str]:
    if stem == 2:
        return [LIGHT.sub("", w) if not w.endswith("ss") else w for w in TOKEN.findall(text.lower())]
    if stem:
        return data.rouge_tokens(text)
    return TOKEN.findall(text.lower())


def concepts(sentences, stem: bool, beta: float, weights: str, articles: np.ndarray, unigrams: str = "content"):
    """Per sentence: {concept: weight}."""
    prior, unknown, pair_prior, unknown_pair = load_prior()
    rows = []
    for s in sentences:
        t = tokens(s.text, stem)
        raw = TOKEN.findall(s.text.lower()) if stem else t
        c = {}
        for k, w in enumerate(t):
            if unigrams == "content" and w in STOP:
                continue
            if weights == "prior":
                c[("u", w)] = prior.get(raw[k] if k < len(raw) else w, unknown)
            else:
                c[("u", w)] = 1.0
        if beta > 0:
            for k in range(len(t) - 1):
                a, b = t[k], t[k + 1]
                if a in STOP and b in STOP:
                    continue
                if weights == "prior":
                    key = f"{raw[k]} {raw[k + 1]}" if k + 1 < len(raw) else f"{a} {b}"
                    c[("b", a, b)] = beta * pair_prior.get(key, unknown_pair)
                else:
                    c[("b", a, b)] = beta
        rows.append(c)
    if weights == "df":
        n_articles = int(articles.max()) + 1
        seen: dict = {}
        for c, art in zip(rows, articles):
            for key in c:
                seen.setdefault(key, set()).add(int(art))
        for c in rows:
            for key in c:
                c[key] *= len(seen[key]) / n_articles
    return rows


def pool(sentences, scores, representation, words, redundancy, trigram=True):
    """The knapsack's candidates (select._knapsack_select's filter), best first."""
    ranked = [int(i) for i in np.argsort(-scores, kind="stable") if sentences[int(i)].words <= words]
    lengths = np.cumsum([sentences[i].words for i in ranked])
    ranked = ranked[: int(np.searchsorted(lengths, 2 * select_stage.CANDIDATE_WORDS * words)) + 1]
    rows = representation.vectors[ranked]
    similarity = (rows @ rows.T).toarray()
    candidates, said, gathered = [], set(), 0
    for k, i in enumerate(ranked):
        closest = float(similarity[k, candidates].max()) if candidates else 0.0
        grams = select_stage.trigrams(sentences[i].text)
        if closest > redundancy:
            continue
        if trigram and grams and len(grams & said) / len(grams) > select_stage.TRIGRAM_OVERLAP:
            continue
        candidates.append(k)
        said |= grams
        gathered += sentences[i].words
        if gathered >= select_stage.CANDIDATE_WORDS * words:
            break
    return [ranked[k] for k in candidates]


knapsack = select_stage.knapsack  # (values, lengths, words) -> chosen positions


def coverage_select(
    cluster,
    scores,
    words,
    alpha=0.5,
    r=1.0,
    beta=1.0,
    weights="one",
    mode="share",
    stem=1.0,
    redundancy=0.4,
    trigram=1.0,
    start="knapsack",
    search=1.0,
    unigrams="content",
    iterations=3,
    tail=0,
):
    sentences, rep = cluster.sentences, cluster.representation
    cand = pool(sentences, scores, rep, words, redundancy, bool(trigram))
    if not cand:
        return []
    lengths = np.array([sentences[i].words for i in cand])
    low, high = float(np.min(scores)), float(np.max(scores))
    floor = 1e-6 * max(high - low, 1e-9)
    a = np.maximum(scores[cand], 0.0) * lengths + floor
    rows = concepts([sentences[i] for i in cand], int(stem), beta, weights, rep.articles[cand], unigrams)
    index: dict = {}
    for c in rows:
        for key in c:
            index.setdefault(key, len(index))
    U = np.zeros((len(cand), max(len(index), 1)))
    for k, c in enumerate(rows):
        total = sum(c.values())
        for key, w in c.items():
            if mode == "share":
                U[k, index[key]] = a[k] * w / total if total > 0 else 0.0
            else:
                U[k, index[key]] = w
    if mode != "share":
        # flat: scale so that the concept part is on the scale of the sentence values
        U *= a.sum() / max(U.sum(), 1e-12)

    def value(S):
        if not S:
            return 0.0
        return (1 - alpha) * a[S].sum() + alpha * U[S].max(axis=0).sum()

    if start in ("knapsack", "iterate"):
        S = knapsack(a, lengths, words)
    else:  # Lin & Bilmes budgeted greedy: marginal gain / words^r
        S, left = [], words
        cur = np.zeros(U.shape[1])
        free = set(range(len(cand)))
        while True:
            if left <= tail:  # pack the last stretch exactly: knapsack on the marginal values
                f = np.array(sorted(free), dtype=int)
                if len(f):
                    values = (1 - alpha) * a[f] + alpha * np.maximum(U[f] - cur, 0).sum(axis=1)
                    S += [int(f[k]) for k in knapsack(values, lengths[f], int(left))]
                break
            fits = [k for k in free if lengths[k] <= left]
            if not fits:
                break
            f = np.array(fits)
            gain = (1 - alpha) * a[f] + alpha * np.maximum(U[f] - cur, 0).sum(axis=1)
            k = int(f[np.argmax(gain / lengths[f] ** r)])
            S.append(k)
            free.discard(k)
            left -= lengths[k]
            cur = np.maximum(cur, U[k])
    if start == "iterate":  # knapsack on values discounted by what the rest of the last choice covers
        for _ in range(int(iterations)):
            values = np.empty(len(cand))
            for k in range(len(cand)):
                rest = [j for j in S if j != k]
                cur = U[rest].max(axis=0) if rest else np.zeros(U.shape[1])
                values[k] = (1 - alpha) * a[k] + alpha * np.maximum(U[k] - cur, 0).sum()
            new = knapsack(values, lengths, words)
            if new == S:
                break
            S = new
    if search:
        S = local_search(S, value, lengths, words, len(cand))
    return [cand[k] for k in S]


def local_search(S, value, lengths, words, n, passes=10):
    """Best single add / swap / drop-one-add-two move while F rises."""
    S = list(S)
    current = value(S)
    for _ in range(passes):
        used = int(lengths[S].sum()) if S else 0
        best, best_set = current + 1e-9, None
        out = [k for k in range(n) if k not in S]
        for j in out:
            if used + lengths[j] <= words:
                v = value(S + [j])
                if v > best:
                    best, best_set = v, S + [j]
        for i in S:
            rest = [k for k in S if k != i]
            room = words - (used - lengths[i])
            for j in out:
                if lengths[j] <= room:
                    v = value(rest + [j])
                    if v > best:
                        best, best_set = v, rest + [j]
        if best_set is None:
            break
        S, current = best_set, best
    return S
