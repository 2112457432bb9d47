"""Train the learned scorer on Multi-News plus DUC sets, test on the DUC set left out (issue 12's
"training on more than one corpus" lever), for docs/design-generalize.md.

    OMP_NUM_THREADS=1 python -m bench.experiments.multicorpus --train-on duc2007 duc2007-update --out /tmp/mc-a
    OMP_NUM_THREADS=1 python -m bench.experiments.generalize --corpus duc2006 --model /tmp/mc-a/scorer.txt \
        --oracle /tmp/mc-a/scorer_oracle.txt --variants shipped

Each DUC topic (its references joined) is one more training cluster, labelled as the Multi-News
clusters are (bench/build/train_scorer.py's LABEL and ORACLE_LABEL); `--duc-weight` weighs its
sentences against Multi-News's. The models are written to `--out`, never over the shipped ones.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402

from bench.build import scorer_data as data  # noqa: E402
from bench.build import train_scorer  # noqa: E402
from storybrief.brief.features import FEATURE_NAMES, sentence_features  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-on", nargs="*", default=[], help="DUC corpora added to training")
    parser.add_argument("--train", type=int, default=2000, help="Multi-News train records")
    parser.add_argument("--duc-weight", type=float, default=1.0)
    parser.add_argument("--label", default=train_scorer.LABEL)
    parser.add_argument("--rescale", action="store_true",
                        help="scale each DUC corpus's labels to Multi-News's mean label (4 joined references"
                             " make its overlap shares smaller)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started = time.time()
    news = data.train_clusters(args.train)
    x, y, _ = train_scorer.dataset(news, args.label)
    y_oracle = np.concatenate([train_scorer.label(c, train_scorer.ORACLE_LABEL) for c in news])
    weight = np.ones(len(y))
    for corpus in args.train_on:
        clusters = data.duc_clusters(corpus)
        xs = np.vstack([sentence_features(c.sentences, c.representation) for c in clusters])
        ys = np.concatenate([train_scorer.label(c, args.label) for c in clusters])
        os_ = np.concatenate([train_scorer.label(c, train_scorer.ORACLE_LABEL) for c in clusters])
        if args.rescale:
            ys = ys * (y[: len(weight)].mean() / ys.mean())
        print(f"{corpus}: {len(clusters)} clusters, {len(ys)} sentences, label mean {ys.mean():.3f}"
              f" (Multi-News {y.mean():.3f})", flush=True)
        x, y, y_oracle = np.vstack([x, xs]), np.r_[y, ys], np.r_[y_oracle, os_]
        weight = np.r_[weight, np.full(len(ys), args.duc_weight)]
    params = dict(train_scorer.PARAMS)
    params["monotone_constraints"] = [1 if name in train_scorer.MONOTONE else 0 for name in FEATURE_NAMES]
    params["monotone_constraints_method"] = "advanced"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    booster = lgb.train(params, lgb.Dataset(x, y, weight=weight, feature_name=list(FEATURE_NAMES)),
                        num_boost_round=train_scorer.ROUNDS)
    booster.save_model(str(out / "scorer.txt"))
    oracle = lgb.train(params, lgb.Dataset(x, y_oracle, weight=weight, feature_name=list(FEATURE_NAMES)),
                       num_boost_round=train_scorer.ROUNDS)
    oracle.save_model(str(out / "scorer_oracle.txt"))
    print(f"models in {out} ({time.time() - started:.0f} s, {len(y)} sentences)")


if __name__ == "__main__":
    main()
