"""Experiments on the learned scorer's second pass (pseudo-summary stacking), ensembles and extra
features, evaluated on fixed scores with the pipeline's selection.

    python -m bench.experiments.stack_experiment --variants base stack --seeds 13 14

Each variant is trained on the first 2,000 train records (features from the cache that
bench/build/train_scorer.py keeps) and scored on val[--val-start:--val-stop] at 250 and 100 words.
Second-stage models are trained on out-of-fold first-pass predictions (folds by cluster).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import lightgbm as lgb
import numpy as np

from bench.build import scorer_data as data
from bench.build import train_scorer as ts
from bench.experiments.stacking_features import STACK_FEATURE_NAMES, stacking_features
from storybrief.brief.features import FEATURE_NAMES


def train(x, y, names, seed, rounds=ts.ROUNDS, **overrides):
    params = dict(ts.PARAMS, seed=seed, **overrides)
    params["monotone_constraints"] = [1 if name in ts.MONOTONE else 0 for name in names]
    params["monotone_constraints_method"] = "advanced"
    return lgb.train(params, lgb.Dataset(x, y, feature_name=names), num_boost_round=rounds)


def split(values, groups):
    return np.split(values, np.cumsum(groups)[:-1])


def semantic_vectors(clusters):
    from storybrief.embed import load_vectors
    from storybrief.text import LOWER_WORD as TOKEN

    v = load_vectors()
    return [v.from_tokens([TOKEN.findall(s.text.lower()) for s in c.sentences]) for c in clusters]


def stack_matrix(clusters, first, groups, semantic, extra=None):
    parts = [
        stacking_features(c.sentences, c.representation, f, e)
        for c, f, e in zip(clusters, split(first, groups), semantic)
    ]
    return np.vstack(parts)


def oof(x, y, groups, names, seed, folds):
    """Out-of-fold predictions over the training records, folds by cluster."""
    cluster_of = np.repeat(np.arange(len(groups)), groups)
    fold_of = (np.arange(len(groups)) % folds)[cluster_of]
    out = np.zeros(len(y))
    for k in range(folds):
        model = train(x[fold_of != k], y[fold_of != k], names, seed)
        out[fold_of == k] = model.predict(x[fold_of == k], num_threads=1)
    return out


def evaluate(clusters, scores, groups, words_list):
    res = {}
    for words in words_list:
        r = np.mean(
            [
                data.rouge(data.brief_text(c, s, words, per_word=True, redundancy=0.4), c.reference)
                for c, s in zip(clusters, split(scores, groups))
            ],
            axis=0,
        )
        res[words] = r
    return res


def val_features(val):
    path = data.CACHE / f"scorer2_valfeat_{len(val)}_{val[0].id}_{val[-1].id}_{ts_hash()}.npy"
    if path.exists():
        return np.load(path)
    from storybrief.brief.features import sentence_features

    x = np.vstack([sentence_features(c.sentences, c.representation) for c in val])
    np.save(path, x)
    return x


def ts_hash():
    import hashlib
    import inspect

    import storybrief.brief.features
    import storybrief.embed

    return hashlib.md5(
        (inspect.getsource(storybrief.brief.features) + inspect.getsource(storybrief.embed)).encode()
    ).hexdigest()[:8]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--val-start", type=int, default=500)
    p.add_argument("--val-stop", type=int, default=2000)
    p.add_argument("--seeds", type=int, nargs="+", default=[13, 14])
    p.add_argument("--variants", nargs="+", default=["base", "stack"])
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--words", type=int, nargs="+", default=[250, 100])
    args = p.parse_args()

    t = time.time()
    train_c = data.train_clusters(2000)
    x, y, groups = ts.dataset(train_c, ts.LABEL)
    val = data.clusters("val", args.val_start, args.val_stop)
    xv = val_features(val)
    gv = np.array([len(c.sentences) for c in val])
    sem_t, sem_v = semantic_vectors(train_c), semantic_vectors(val)
    print(f"loaded {len(train_c)} train / {len(val)} val clusters ({time.time() - t:.0f} s)", flush=True)
    names = list(FEATURE_NAMES)
    stack_names = names + STACK_FEATURE_NAMES
    labels = {}

    def label(kind):
        if kind not in labels:
            labels[kind] = np.concatenate([ts.label(c, kind) for c in train_c])
        return labels[kind]

    for seed in args.seeds:
        base = train(x, y, names, seed)
        pv = base.predict(xv, num_threads=1)
        first_oof = None
        for variant in args.variants:
            t = time.time()
            if variant == "base":
                scores = pv
            elif variant.startswith("stack"):
                if first_oof is None:
                    first_oof = oof(x, y, groups, names, seed, args.folds)
                xs = np.hstack([x, stack_matrix(train_c, first_oof, groups, sem_t)])
                xvs = np.hstack([xv, stack_matrix(val, pv, gv, sem_v)])
                sn = stack_names
                if variant == "stack-noscore":  # only the draft features: the model cannot lean on the first score
                    keep = [j for j, nm in enumerate(stack_names) if not nm.startswith("first_score")]
                    xs, xvs, sn = xs[:, keep], xvs[:, keep], [stack_names[j] for j in keep]
                model = train(xs, y, sn, seed)
                scores = model.predict(xvs, num_threads=1)
                if variant == "stack-avg":
                    scores = 0.5 * (scores + pv)
                imp = sorted(zip(model.feature_importance("gain"), sn), reverse=True)
                print("  top:", ", ".join(f"{n} {g:.0f}" for g, n in imp[:10]))
            elif variant.startswith("ens-"):
                # ens-r2_per_word: average of the base model and one trained on another label,
                # each standardised within its story (rank-free z-score)
                kind = variant[4:]
                other = train(x, label(kind), names, seed).predict(xv, num_threads=1)
                scores = pv + other * (pv.std() / max(other.std(), 1e-9))
                scores = scores / 2
            elif variant in ("dims", "dims-centred"):

                def dims(sem, groups_, variant=variant):
                    rows = []
                    for e in sem:
                        rows.append(np.hstack([e, e - e.mean(axis=0)]) if variant == "dims-centred" else e)
                    return np.vstack(rows)

                width = 128 if variant == "dims-centred" else 64
                dn = names + [f"dim{j}" for j in range(width)]
                model = train(np.hstack([x, dims(sem_t, groups)]), y, dn, seed)
                scores = model.predict(np.hstack([xv, dims(sem_v, gv)]), num_threads=1)
            elif variant.startswith("hp-"):
                # hp-huber, hp-leaves7, hp-slow (lr 0.025, 600 rounds), hp-minleaf200
                options = {
                    "hp-huber": dict(objective="huber", alpha=1.0),
                    "hp-leaves7": dict(num_leaves=7),
                    "hp-slow": dict(learning_rate=0.025, rounds=600),
                    "hp-minleaf200": dict(min_data_in_leaf=200),
                    "hp-fair": dict(objective="fair"),
                    "hp-l1": dict(objective="regression_l1"),
                }[variant]
                scores = train(x, y, names, seed, **options).predict(xv, num_threads=1)
            elif variant.startswith("lab-"):
                scores = train(x, label(variant[4:]), names, seed).predict(xv, num_threads=1)
            elif variant == "seeds":
                other = train(x, y, names, seed + 100).predict(xv, num_threads=1)
                scores = 0.5 * (pv + other)
            else:
                raise ValueError(variant)
            r = evaluate(val, scores, gv, args.words)
            line = "  ".join(f"{w}: {r[w][0]:.2f}/{r[w][1]:.2f}" for w in args.words)
            print(f"seed {seed} {variant:20s} {line}  ({time.time() - t:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
