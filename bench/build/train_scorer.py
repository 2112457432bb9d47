"""Train the learned sentence scorer shipped as storybrief/models/scorer.txt and scorer_oracle.txt.

    python -m bench.build.train_scorer                 # reproduce the shipped model, print val figures
    python -m bench.build.train_scorer --no-save ...   # experiment without touching the model

Training data: the first `--train` records of the shared Multi-News train split, run through
the pipeline's own stages (records 10,000-40,000 are kept for bench/build/word_prior.py). Label: each
sentence's ROUGE gain per word against the reference summary: clipped unigram overlap over the
reference's length plus 4 × clipped bigram overlap over the reference's bigram count, divided by
the sentence's length (per word, so the ranker prefers dense sentences rather than merely long
ones; bigrams weighted up because ROUGE-2 is the harder target). Full-length news joins them:
the DUC 2007 main task's topics with references (`--duc`; built by `python -m bench.build.duc`),
each topic one cluster labelled against its four references joined, its labels scaled so that
their mean is Multi-News's (four references make every overlap share about a quarter as large).
No topic of the held-out sets, DUC 2006 and the DUC 2007 update task, is trained on (8 update
topics are main topics on the same articles): 15 topics (docs/design-generalize.md, fifth pass).
Model: LightGBM regression,
single-threaded, fixed seed. A second model with the same features and parameters learns another
label, membership in a greedy ROUGE-1+2 oracle summary of 250 words (scorer_oracle.txt); the
scorer adds its prediction times storybrief.brief.score.ORACLE_WEIGHT to the first's. Figures are
printed for a val sample that is not the one the final report uses (tune on val[500:1000], report
on val[:500]).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import lightgbm as lgb
import numpy as np

from bench.build import scorer_data as data
from bench.build.dev_eval import evaluate
from storybrief.brief.features import FEATURE_NAMES, sentence_features
from storybrief.brief.score import MODEL_PATH, ORACLE_MODEL_PATH, ORACLE_WEIGHT, LearnedScorer
from storybrief.brief.support import PARAPHRASE

SEED = 13
PARAMS = {
    "objective": "regression",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "seed": SEED,
    "deterministic": True,
    "verbose": -1,
}
ROUNDS = 300
# Evidence that other outlets carry the same fact may only raise a sentence's score: a brief
# whose sentences cite several sources is the point of StoryBrief, and the constraint keeps the
# model sensible on stories far smaller or larger than Multi-News's.
MONOTONE = [
    "support",
    "support_share",
    "soft_support",
    "soft_support_share",
    "max_neighbour",
    "semantic_support",
    "semantic_max_other",
    "words_in_other_articles",
    "bigrams_in_other_articles",
]
DUC = ("duc2007",)  # full-length corpora trained on besides Multi-News
# The held-out DUC sets: none of their topics is trained on (8 of the DUC 2007 update task's 10
# topics are DUC 2007 main topics, on the same articles).
HELD_OUT = ("duc2006", "duc2007-update")
LABEL = "r2x4_per_word"
ORACLE_LABEL = "oracle_paraphrases"  # the partner model's label


def oracle(cluster, words: int = 250) -> np.ndarray:
    """1 for the sentences a greedy ROUGE-1+2 F1 oracle picks within `words`, else 0."""
    from collections import Counter

    reference = data.rouge_tokens(cluster.reference)
    ref1, ref2 = Counter(reference), Counter(zip(reference, reference[1:]))
    tokens = [data.rouge_tokens(s.text) for s in cluster.sentences]
    chosen, have1, have2, length, used = [], Counter(), Counter(), 0, 0

    def f1(c1, c2, n):
        o1 = sum(min(v, ref1[k]) for k, v in c1.items())
        o2 = sum(min(v, ref2[k]) for k, v in c2.items())
        return 2 * o1 / (n + len(reference) + 1e-9) + 2 * o2 / (max(n - 1, 0) + len(reference) - 1 + 1e-9)

    current = 0.0
    while True:
        best, best_gain = None, 0.0
        for i, t in enumerate(tokens):
            if i in chosen or used + cluster.sentences[i].words > words:
                continue
            gain = f1(have1 + Counter(t), have2 + Counter(zip(t, t[1:])), length + len(t)) - current
            if gain > best_gain:
                best, best_gain = i, gain
        if best is None:
            break
        chosen.append(best)
        have1 += Counter(tokens[best])
        have2 += Counter(zip(tokens[best], tokens[best][1:]))
        length += len(tokens[best])
        used += cluster.sentences[best].words
        current += best_gain
    out = np.zeros(len(tokens))
    out[chosen] = 1.0
    return out


def oracle_with_paraphrases(cluster, words: int = 250) -> np.ndarray:
    """`oracle`, plus 1 for every sentence of another article that paraphrases a chosen one.

    The oracle takes one sentence of a fact that several outlets report; the others would only
    repeat it. Labelled 0, they would teach the model that a widely reported fact is a worse
    choice, against the cross-source evidence the brief is built on (which sentence of the group
    is said is the selector's job, through its redundancy test)."""
    member = oracle(cluster, words)
    graph = cluster.representation.neighbours.tocsr()
    out = member.copy()
    for i in range(len(out)):
        row = slice(graph.indptr[i], graph.indptr[i + 1])
        near = graph.indices[row][graph.data[row] >= PARAPHRASE]
        if len(near):
            out[i] = max(out[i], member[near].max())
    return out


def label(cluster, kind: str) -> np.ndarray:
    if kind == "oracle":
        return oracle(cluster)
    if kind == "oracle_paraphrases":
        return oracle_with_paraphrases(cluster)
    unigrams, bigrams, tokens = data.overlap_labels(cluster).T
    ref1, ref2 = data.reference_size(cluster)
    words = np.maximum(tokens, 1)
    if kind == "gain_per_word":
        return 100 * (unigrams / ref1 + bigrams / ref2) / words
    if kind == "r2_per_word":
        return 100 * (unigrams / ref1 + 2 * bigrams / ref2) / words
    if kind == "relative":  # per word, over the story's mean: only the ranking within a story matters
        per_word = (unigrams / ref1 + bigrams / ref2) / words
        return per_word / max(per_word.mean(), 1e-9)
    if kind == "centred":
        per_word = 100 * (unigrams / ref1 + bigrams / ref2) / words
        return per_word - per_word.mean()
    if kind == "smoothed":  # per word, shrunk towards zero for very short sentences
        return 100 * (unigrams / ref1 + bigrams / ref2) / (words + 5)
    if kind == "r2x4_per_word":
        return 100 * (unigrams / ref1 + 4 * bigrams / ref2) / words
    if kind == "r2x8_per_word":
        return 100 * (unigrams / ref1 + 8 * bigrams / ref2) / words
    if kind == "gain":
        return 100 * (unigrams / ref1 + bigrams / ref2)
    raise ValueError(kind)


def dataset(clusters, kind: str):
    """Features, labels and group sizes; features cached in CACHE keyed by the feature code and sample."""
    import hashlib
    import inspect

    import storybrief.brief.columns
    import storybrief.brief.features
    import storybrief.brief.prior
    import storybrief.embed

    modules = (storybrief.brief.columns, storybrief.brief.prior, storybrief.brief.features, storybrief.embed)
    source = "".join(inspect.getsource(m) for m in modules)
    tables = b"".join(
        p.read_bytes() for p in (storybrief.embed.VECTORS_PATH, storybrief.brief.prior.PRIOR_PATH) if p.exists()
    )
    # The pipeline's version too: a change before scoring (cleaning, segmenting) changes the
    # sentences, and so the features, of the same records.
    sample = str(len(clusters)) + clusters[0].id + clusters[-1].id + data.pipeline_version()
    key = hashlib.md5((source + sample).encode() + tables).hexdigest()[:12]
    path = data.CACHE / f"features_{key}.npy"
    if path.exists():
        x = np.load(path)
    else:
        x = np.vstack([sentence_features(c.sentences, c.representation) for c in clusters])
        np.save(path, x)
    y = np.concatenate([label(c, kind) for c in clusters])
    groups = np.array([len(c.sentences) for c in clusters])
    return x, y, groups


def to_relevance(y: np.ndarray, groups: np.ndarray, levels: int = 8) -> np.ndarray:
    """Within-cluster quantile grades for lambdarank."""
    out, start = np.zeros(len(y), dtype=int), 0
    for g in groups:
        part = y[start : start + g]
        ranks = np.argsort(np.argsort(part)) / max(g - 1, 1)
        out[start : start + g] = np.floor(ranks * (levels - 1) + 0.5).astype(int)
        start += g
    return out


class SubsetScorer(LearnedScorer):
    """A model trained on some of the features (for --drop experiments)."""

    def __init__(self, path, keep, oracle_path=None, oracle_weight=ORACLE_WEIGHT):
        super().__init__(path, oracle_path, oracle_weight)
        self.keep = keep

    def score(self, sentences, representation):
        return self.predict(sentence_features(sentences, representation)[:, self.keep])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--train", type=int, default=2000, help="train records from the start of the split (a multiple of 2000)"
    )
    parser.add_argument("--val-start", type=int, default=500)
    parser.add_argument("--val-stop", type=int, default=1000)
    parser.add_argument("--label", default=LABEL)
    parser.add_argument("--objective", default="regression", choices=["regression", "lambdarank"])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--leaves", type=int, default=PARAMS["num_leaves"])
    parser.add_argument("--words", type=int, nargs="+", default=[250, 100])
    parser.add_argument("--weight", default="none", choices=["none", "words", "sqrt_words"])
    parser.add_argument(
        "--drop", nargs="*", default=[], help="experiment: leave out features whose name starts with these"
    )
    parser.add_argument("--no-monotone", action="store_true", help="experiment: drop the monotone constraints")
    parser.add_argument(
        "--seed", type=int, default=SEED, help="experiment: another seed, to see how much of a difference is noise"
    )
    parser.add_argument("--duc", nargs="*", default=list(DUC), help="DUC corpora (bench/.data) trained on too")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--oracle-out", default=str(ORACLE_MODEL_PATH))
    parser.add_argument(
        "--no-oracle", action="store_true", help="experiment: the first model alone, no oracle-membership partner"
    )
    parser.add_argument(
        "--oracle-weight", type=float, default=ORACLE_WEIGHT, help="experiment: weight of the oracle model's prediction"
    )
    args = parser.parse_args()

    start = time.time()
    train = data.train_clusters(args.train)
    x, y, groups = dataset(train, args.label)
    news_mean = y.mean()
    held_out = set().union(*(data.duc_topics(c) for c in HELD_OUT)) if args.duc else set()
    for corpus in args.duc:
        full_length = [c for c in data.duc_clusters(corpus) if c.id not in held_out]
        y_more = np.concatenate([label(c, args.label) for c in full_length])
        x = np.vstack([x] + [sentence_features(c.sentences, c.representation) for c in full_length])
        y = np.r_[y, y_more * (news_mean / y_more.mean())]
        groups = np.r_[groups, [len(c.sentences) for c in full_length]]
        train = train + full_length
        print(f"{corpus}: {len(full_length)} clusters, {len(y_more)} sentences", flush=True)
    print(
        f"train: {len(train)} clusters, {len(y)} sentences, {x.shape[1]} features ({time.time() - start:.0f} s)",
        flush=True,
    )
    keep = [j for j, name in enumerate(FEATURE_NAMES) if not any(name.startswith(p) for p in args.drop)]
    names = [FEATURE_NAMES[j] for j in keep]
    x = x[:, keep]
    params = dict(PARAMS, num_leaves=args.leaves, objective=args.objective, seed=args.seed)
    if not args.no_monotone:
        params["monotone_constraints"] = [1 if name in MONOTONE else 0 for name in names]
        params["monotone_constraints_method"] = "advanced"
    if args.objective == "lambdarank":
        train_set = lgb.Dataset(x, to_relevance(y, groups), group=groups, feature_name=names)
        params["lambdarank_truncation_level"] = 20
    else:
        weight = {
            "none": None,
            "words": x[:, FEATURE_NAMES.index("words")],
            "sqrt_words": np.sqrt(x[:, FEATURE_NAMES.index("words")]),
        }[args.weight]
        train_set = lgb.Dataset(x, y, weight=weight, feature_name=names)
    booster = lgb.train(params, train_set, num_boost_round=args.rounds)
    importance = sorted(zip(booster.feature_importance("gain"), names), reverse=True)
    print("top features:", ", ".join(f"{n} {g:.0f}" for g, n in importance[:12]))
    out = (
        args.out
        if args.out != str(MODEL_PATH) or not args.no_save
        else os.path.join("/tmp", f"scorer-experiment-{os.getpid()}.txt")
    )  # one per run: parallel runs must not share it
    booster.save_model(out)
    print(f"model: {out} ({os.path.getsize(out) / 1e3:.0f} kB)")

    oracle_out = None
    if not args.no_oracle:
        # The partner model: same features, parameters and seed, label = membership in a greedy
        # ROUGE-1+2 oracle summary of 250 words, or paraphrase of a member (storybrief.brief.score.ORACLE_WEIGHT
        # scales its output).
        start = time.time()
        y_oracle = np.concatenate([label(c, ORACLE_LABEL) for c in train])
        oracle_params = {k: v for k, v in params.items() if k != "lambdarank_truncation_level"}
        oracle_params["objective"] = "regression"
        oracle_booster = lgb.train(
            oracle_params, lgb.Dataset(x, y_oracle, feature_name=names), num_boost_round=args.rounds
        )
        oracle_out = (
            args.oracle_out
            if args.oracle_out != str(ORACLE_MODEL_PATH) or not args.no_save
            else os.path.join("/tmp", f"scorer-oracle-experiment-{os.getpid()}.txt")
        )
        oracle_booster.save_model(oracle_out)
        ratio = booster.predict(x, num_threads=1).std() / oracle_booster.predict(x, num_threads=1).std()
        print(
            f"oracle model: {oracle_out} ({os.path.getsize(oracle_out) / 1e3:.0f} kB, {time.time() - start:.0f} s); "
            f"spread ratio first/oracle on the training records {ratio:.4f} "
            f"(ORACLE_WEIGHT = 0.3 x ratio = {0.3 * ratio:.3f}; "
            f"weight used {args.oracle_weight})",
            flush=True,
        )

    val = data.clusters("val", args.val_start, args.val_stop)
    scorer = LearnedScorer(out, oracle_out, args.oracle_weight)
    if args.drop:
        scorer = SubsetScorer(out, keep, oracle_out, args.oracle_weight)
    for words in args.words:
        r = evaluate(val, scorer, words)
        print(
            f"val[{args.val_start}:{args.val_stop}] ({len(val)} clusters) words={words}: "
            f"R1 {r['rouge1']:.2f}  R2 {r['rouge2']:.2f}  "
            f"RLsum {r['rougeLsum']:.2f}  score {r['ms_per_cluster']:.2f} ms/cluster",
            flush=True,
        )


if __name__ == "__main__":
    main()
