"""Selection experiments on fixed learned scores: how much do length and overlap-aware choices pay?

    OMP_NUM_THREADS=1 python -m bench.experiments.select_eval --start 500 --stop 1000 --words 250 100 \
        --variants base select "cov:alpha=1.0,start=greedy,search=0,tail=40,beta=2,stem=2"

Variants: `base` = knapsack of independent values over the redundancy-filtered candidates (the
selection before coverage), `select` = the package's own per-word select(), `cov:...` = the
experimental coverage selectors of bench/experiments/select_coverage.py with their options, `greedy` = the
plain greedy walk, `oracle` = the true per-word label as the score. The last column is the paired
standard error of the difference to the first variant (ROUGE-1/ROUGE-2), same clusters.

Scores of the default (learned) scorer are computed once per cluster and cached in memory; each
variant is a selector `f(cluster, scores, words) -> chosen indices`, ordered as the pipeline
orders and scored by ROUGE-1/2/Lsum F1 (bench/build/scorer_data.py). Selection time is measured per
cluster, apart from ROUGE. Tune on val[500:1000], report on val[0:500]; never a test split.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from bench.build import scorer_data as data
from storybrief.brief import order as order_stage
from storybrief.brief import select as select_stage
from storybrief.brief.score import get_scorer

_BASELINE: dict = {}  # per-cluster ROUGE of the first variant at each budget: paired standard errors


def run(clusters, scores, words: int, selector) -> dict:
    results, seconds, used = [], 0.0, []
    for cluster, s in zip(clusters, scores):
        start = time.perf_counter()
        chosen = selector(cluster, s, words)
        seconds += time.perf_counter() - start
        assert sum(cluster.sentences[i].words for i in chosen) <= words
        used.append(sum(cluster.sentences[i].words for i in chosen))
        ordered = order_stage.order(chosen, cluster.sentences, cluster.merged, cluster.representation)
        results.append(data.rouge("\n".join(cluster.sentences[i].text for i in ordered), cluster.reference))
    r = np.mean(results, axis=0)
    global _BASELINE
    key = (words, len(clusters))
    if key not in _BASELINE:
        _BASELINE[key] = np.array(results)
    diff = np.array(results) - _BASELINE[key]
    se = diff.std(axis=0) / np.sqrt(len(diff))
    return {
        "se1": se[0],
        "se2": se[1],
        "rouge1": r[0],
        "rouge2": r[1],
        "rougeLsum": r[2],
        "ms": 1000 * seconds / len(clusters),
        "words": float(np.mean(used)),
    }


def variants(names: list[str]):
    """name -> selector; `name:key=value,key=value` passes options on (select_coverage.coverage_select's
    for `base` and `cov`, select()'s for `select`)."""
    out = {}
    for name in names:
        base, _, options = name.partition(":")
        kwargs = {}
        for pair in filter(None, options.split(",")):
            key, value = pair.split("=")
            kwargs[key] = float(value) if value.replace(".", "").replace("-", "").isdigit() else value
        if base == "base":  # the knapsack of independent values (the selection before coverage)
            from select_coverage import coverage_select

            out[name] = lambda c, s, w, kw=kwargs: coverage_select(c, s, w, **{"start": "knapsack", "search": 0, **kw})
        elif base == "select":  # the package's own per-word selection; upper-case options set its constants

            def selector(c, s, w, kw=kwargs):
                constants = {k: v for k, v in kw.items() if k.isupper()}
                saved = {k: getattr(select_stage, k) for k in constants}
                for k, v in constants.items():
                    setattr(select_stage, k, v)
                try:
                    return select_stage.select(
                        c.sentences, s, c.representation, w, redundancy=kw.get("redundancy", 0.4), per_word=True
                    )
                finally:
                    for k, v in saved.items():
                        setattr(select_stage, k, v)

            out[name] = selector
        elif base == "greedy":
            out[name] = lambda c, s, w, kw=kwargs: select_stage.select(
                c.sentences, s, c.representation, w, redundancy=kw.get("redundancy", 0.4), per_word=False
            )
        elif base == "cov":
            from select_coverage import coverage_select

            out[name] = lambda c, s, w, kw=kwargs: coverage_select(c, s, w, **kw)
        elif base == "oracle":  # the true per-word label as the score (upper bound of the scorer)
            out[name] = lambda c, s, w: select_stage.select(
                c.sentences, oracle_scores(c), c.representation, w, redundancy=0.4, per_word=True
            )
        else:
            raise SystemExit(f"unknown variant {name}")
    return out


_ORACLE: dict[str, np.ndarray] = {}


def oracle_scores(cluster) -> np.ndarray:
    if cluster.id not in _ORACLE:
        labels = data.overlap_labels(cluster)
        ref1, ref2 = data.reference_size(cluster)
        _ORACLE[cluster.id] = (labels[:, 0] / ref1 + 4 * labels[:, 1] / ref2) / np.maximum(labels[:, 2], 1)
    return _ORACLE[cluster.id]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=500)
    parser.add_argument("--stop", type=int, default=1000)
    parser.add_argument("--words", type=int, nargs="+", default=[250, 100])
    parser.add_argument("--variants", nargs="+", default=["base"])
    args = parser.parse_args()
    clusters = data.clusters("val", args.start, args.stop)
    scorer = get_scorer("learned")
    scores = [scorer.score(c.sentences, c.representation) for c in clusters]
    print(f"val[{args.start}:{args.stop}]: {len(clusters)} clusters", flush=True)
    print("| words | variant | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | select ms/cluster | words used | paired s.e. R1/R2 |")
    print("|---|---|---|---|---|---|---|---|")
    for words in args.words:
        for name, selector in variants(args.variants).items():
            r = run(clusters, scores, words, selector)
            print(
                f"| {words} | {name} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeLsum']:.2f} | {r['ms']:.2f} "
                f"| {r['words']:.0f} | ±{r['se1']:.2f}/±{r['se2']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
