"""Ensembles of learned-scorer models trained on different labels, evaluated on fixed scores.

    python -m bench.experiments.ensemble_experiment --models base oracle250 \
        --combos base base+0.5*oracle250 --seeds 13 14

Each model is trained on the first 2,000 train records (features from bench/build/train_scorer.py's
cache) and its val predictions are cached under the scorer cache, so combinations cost only the
selection and ROUGE. A combination adds each model's predictions scaled to the base model's
spread (one global factor per model, fitted on the training records' predictions), with the weights given.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from rouge_score import rouge_scorer

from bench.build import scorer_data as data
from bench.build import train_scorer as ts
from bench.experiments.stack_experiment import split, train, ts_hash, val_features
from storybrief.brief.features import FEATURE_NAMES

MODELS = {  # name: (label, LightGBM overrides)
    "base": ("r2x4_per_word", {}),
    "gain": ("gain_per_word", {}),
    "oracle250": ("oracle", {}),
    "oracle100": ("oracle100", {}),
    "oracle150": ("oracle150", {}),
    "oracle350": ("oracle350", {}),
    "oracle250x": ("oracle", {"objective": "cross_entropy"}),
    "base_s2": ("r2x4_per_word", {"seed_offset": 100}),
    "oracle_para": ("oracle_para", {}),
    "base_huber": ("r2x4_per_word", {"objective": "huber", "alpha": 1.0}),
    "base_ml200": ("r2x4_per_word", {"min_data_in_leaf": 200}),
    "oracle_ml200": ("oracle", {"min_data_in_leaf": 200}),
    "base_l7": ("r2x4_per_word", {"num_leaves": 7}),
}
_FAST = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def label(cluster, kind):
    if kind == "oracle_para":  # oracle members and their cross-article paraphrases (cosine >= 0.5)
        return ts.oracle_with_paraphrases(cluster)
    if kind.startswith("oracle") and kind != "oracle":
        return ts.oracle(cluster, int(kind[6:]))
    return ts.label(cluster, kind)


def labels(clusters, kind):
    path = data.CACHE / f"scorer2_label_{kind}_{len(clusters)}_{clusters[0].id}_{clusters[-1].id}.npy"
    if path.exists():
        return np.load(path)
    y = np.concatenate([label(c, kind) for c in clusters])
    np.save(path, y)
    return y


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--val-start", type=int, default=500)
    p.add_argument("--val-stop", type=int, default=2000)
    p.add_argument("--seeds", type=int, nargs="+", default=[13, 14])
    p.add_argument("--models", nargs="+", default=["base"])
    p.add_argument("--combos", nargs="+", default=["base"])
    p.add_argument("--words", type=int, nargs="+", default=[250, 100])
    args = p.parse_args()

    train_c = data.train_clusters(2000)
    x, _, groups = ts.dataset(train_c, ts.LABEL)
    val = data.clusters("val", args.val_start, args.val_stop)
    xv = val_features(val)
    gv = np.array([len(c.sentences) for c in val])
    names = list(FEATURE_NAMES)
    preds_dir = data.CACHE / "scorer2_preds"
    preds_dir.mkdir(exist_ok=True)
    for seed in args.seeds:
        preds, spread = {}, {}
        for name in args.models:
            path = preds_dir / f"{name}_{seed}_{args.val_start}_{args.val_stop}_{ts_hash()}.npz"
            if not path.exists():
                kind, overrides = MODELS[name]
                overrides = dict(overrides)
                offset = overrides.pop("seed_offset", 0)
                model = train(x, labels(train_c, kind), names, seed + offset, **overrides)
                np.savez(path, val=model.predict(xv, num_threads=1), train_std=model.predict(x, num_threads=1).std())
            with np.load(path) as f:
                preds[name], spread[name] = f["val"], float(f["train_std"])
        for combo in args.combos:
            t = time.time()
            scores = np.zeros(len(xv))
            for term in combo.split("+"):
                weight, name = (float(term.split("*")[0]), term.split("*")[1]) if "*" in term else (1.0, term)
                scores += weight * preds[name] * (spread["base"] / spread[name])
            res = []
            for words in args.words:
                r = np.mean(
                    [
                        [
                            100 * v.fmeasure
                            for v in _FAST.score(
                                data.split_reference(c.reference),
                                data.brief_text(c, s, words, per_word=True, redundancy=0.4),
                            ).values()
                        ]
                        for c, s in zip(val, split(scores, gv))
                    ],
                    axis=0,
                )
                res.append(f"{words}: {r[0]:.2f}/{r[1]:.2f}")
            print(f"seed {seed} {combo:40s} {'  '.join(res)}  ({time.time() - t:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
