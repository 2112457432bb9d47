"""Story grouping on gold-labelled sets (ECB+, DUC 2006/2007 pooled, Multi-News val K = 1,000).

    python -m bench.build.grouping          # first: builds the sets into bench/.data/grouping/
    python -m bench.measure.grouping        # table on stdout and in docs/benchmarks.md
    python -m bench.measure.grouping --sets duc2006 --no-write

Methods, each run on each set (and on the dev/test halves where a set has them):

- `StoryIndex`: the package's grouping (`storybrief.stories.StoryIndex`, defaults: threshold 0.16,
  no hard window, time decay on the gap, related links between stories of a saga), scored on its
  stories and, where its related links are followed (`+ related`), on the groups they join
  (sagas). Dated sets: fed one day at a time in date order (a stream, as
  `bench/experiments/grouping_time.py` runs it; the main row), all in one add, and in one add
  with the dates removed; undated sets: one add.
- `TF-IDF average linkage`: scikit-learn TF-IDF (English stop words, sublinear tf, words of
  letters), cosine distance, scipy average linkage over all pairs, cut at the similarity that
  gives the best B-cubed F1 **on the same pile** (an optimistic baseline: it is tuned on the
  answer; the chosen cut is printed).

The prototype of issue 13 (`time-decay stories`, commit 8b091b0) was ported into the package;
its rows are the `StoryIndex` rows now (same assignments on ECB+ and DUC 2006, checked).

Metrics: B-cubed precision/recall/F1 (per article, averaged over articles) and ARI against the
gold groups; articles/s = articles / seconds of grouping (vectors, neighbours, merging; for the
baseline: TF-IDF, distances and the linkage, without the threshold search). Single-threaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timezone

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from sklearn.metrics import adjusted_rand_score

from bench.build.grouping import BuildError, load
from bench.scoring import bcubed_by_id
from storybrief.types import Article

BASELINE_CUTS = np.round(np.arange(0.02, 0.62, 0.01), 2)  # cosine similarity at which to cut the tree


def score(predicted: dict[str, str], truth: dict[str, str]) -> dict:
    precision, recall, f1 = bcubed_by_id(predicted, truth)
    ids = sorted(truth)
    ari = adjusted_rand_score([truth[i] for i in ids], [predicted[i] for i in ids])
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ari": float(ari),
        "groups": len(set(predicted.values())),
    }


def as_articles(records: list[dict], dated: bool = True) -> list[Article]:
    return [
        Article(
            text=r["text"],
            id=r["id"],
            title=r.get("title", ""),
            source=r.get("source", ""),
            url=r.get("url", ""),
            published=r.get("published", "") if dated else "",
        )
        for r in records
    ]


# ----- methods: each returns ({name: {article id: group}}, seconds, note) ------------------------


def story_index(records: list[dict], dated: bool = True, stream: bool = True):
    """The package's StoryIndex: articles added one day at a time in date order (undated ones in
    one add), or (`stream=False`) all in one add; its stories and its sagas (`+ related`)."""
    from bench.experiments.grouping_time import run

    articles = as_articles(records, dated)
    start = time.perf_counter()
    stories, sagas = run(articles, stream=stream)
    seconds = time.perf_counter() - start
    note = ""
    if stream and any(a.published for a in articles):
        # What a reader saw along the way: sagas over the articles seen so far, after each fifth.
        truth = {r["id"]: r["gold"] for r in records}
        *_, snapshots = run(articles, checkpoints=5)
        marks = [bcubed_by_id(found, {a: truth[a] for a in found})[2] for _, found in snapshots]
        note = "related-joined B³ F1 over the articles seen so far, after 1/5 .. 4/5 of the stream: " + ", ".join(
            f"{m:.3f}" for m in marks
        )
    return {"": stories, "+ related": sagas}, seconds, note


def tfidf_matrix(records: list[dict]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    return vectorizer.fit_transform([f"{r.get('title', '')}\n{r['text']}" for r in records])


def average_linkage_tree(records: list[dict]):
    from scipy.cluster.hierarchy import linkage

    matrix = tfidf_matrix(records)
    similarity = (matrix @ matrix.T).toarray()  # rows are L2-normalised: cosines
    distances = np.clip(1.0 - similarity[np.triu_indices(matrix.shape[0], 1)], 0.0, 2.0)
    return linkage(np.nan_to_num(distances, nan=1.0), method="average")


def tfidf_average_linkage(records: list[dict], cuts=BASELINE_CUTS, truth: dict | None = None):
    """Cut the tree at each similarity in `cuts` and keep the best B-cubed F1 against `truth`:
    tuned on the pile it is scored on (reported as such)."""
    from scipy.cluster.hierarchy import fcluster

    start = time.perf_counter()
    tree = average_linkage_tree(records)
    seconds = time.perf_counter() - start
    ids = [r["id"] for r in records]
    truth = truth or {r["id"]: r["gold"] for r in records}
    best = None
    for cut in cuts:
        labels = fcluster(tree, t=1.0 - cut, criterion="distance")
        predicted = dict(zip(ids, map(str, labels)))
        f1 = bcubed_by_id(predicted, truth)[2]
        if best is None or f1 > best[0]:
            best = (f1, cut, predicted)
    return {"": best[2]}, seconds, f"cut at similarity {best[1]:.2f} (best on this pile)"


def methods(dated_set: bool):
    if not dated_set:
        return [("StoryIndex", lambda r: story_index(r, True, stream=False)),
                ("TF-IDF average linkage", tfidf_average_linkage)]
    return [
        ("StoryIndex, streamed by day", lambda r: story_index(r, True)),
        ("StoryIndex, one add", lambda r: story_index(r, True, stream=False)),
        ("StoryIndex, dates removed", lambda r: story_index(r, False, stream=False)),
        ("TF-IDF average linkage", tfidf_average_linkage),
    ]


PILES = {  # set -> its piles: (label, which split); the dev halves are where the settings were tuned
    "ecbplus": [("ECB+", None), ("ECB+ dev half (topics 1-22)", "dev"), ("ECB+ test half (topics 23-45)", "test")],
    "duc2006": [
        ("DUC 2006", None),
        ("DUC 2006 dev half (25 topics)", "dev"),
        ("DUC 2006 test half (25 topics)", "test"),
    ],
    "duc2007": [("DUC 2007 (held out)", None)],
    "multinews-val-1000": [("Multi-News val K = 1,000 (held out)", None)],
}


def table_row(pile: str, method: str, n: int, r: dict, seconds: float) -> str:
    return (
        f"| {pile} | {method} | {n:,} | {r['groups']:,} | {r['precision']:.3f} | {r['recall']:.3f}"
        f" | **{r['f1']:.3f}** |"
        f" {r['ari']:.3f} | {n / seconds if seconds else float('inf'):,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="*", choices=list(PILES), default=list(PILES))
    parser.add_argument(
        "--halves", action=argparse.BooleanOptionalAction, default=True, help="also the dev/test halves"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()

    header = [
        "| pile | method | articles | groups | B³ P | B³ R | B³ F1 | ARI | articles/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines, notes = list(header), []
    for name in args.sets:
        try:
            records = load(name)
        except BuildError as exc:
            sys.exit(f"error: {exc}")
        dated_set = any(r.get("published") for r in records)
        for pile, split in PILES[name]:
            if split and not args.halves:
                continue
            chosen = [r for r in records if split is None or r["split"] == split]
            truth = {r["id"]: r["gold"] for r in chosen}
            for method, call in methods(dated_set):
                found, seconds, note = call(chosen)
                for suffix, predicted in found.items():
                    if predicted is None:
                        continue
                    label = f"{method} {suffix}".strip()
                    lines.append(table_row(pile, label, len(chosen), score(predicted, truth), seconds))
                    print(lines[-1], flush=True)
                if note:
                    notes.append(f"- {pile}, {method}: {note}")
                    print(notes[-1], flush=True)
    if args.no_write:
        return
    from bench.report import machine_line, write_section

    text = "\n".join(
        [
            "## Story grouping on gold sets: ECB+, DUC 2006/2007, Multi-News (`bench/measure/grouping.py`)",
            "",
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {machine_line()}, single-threaded. Sets built by"
            " `python -m bench.build.grouping` (DUC text stays out of the repository). Gold: ECB+ = the event"
            " (each topic holds two look-alike events), DUC = the topic (a saga of months to years),"
            " Multi-News = the cluster. `+ related` scores the groups StoryIndex's related links join (its sagas);"
            " the row above it scores its stories.",
            "",
            *lines,
            "",
            *notes,
            "",
            "Rerun: `python -m bench.build.grouping && OMP_NUM_THREADS=1 python -m bench.measure.grouping`.",
        ]
    )
    write_section("grouping-gold", text)
    print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
