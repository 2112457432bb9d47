"""Small, fast dev evaluation of sentence scorers on a fixed Multi-News validation sample.

    python bench/dev_eval.py --start 0 --stop 500 --words 250 100 --methods lead centroid learned

Each cluster goes through the pipeline's own stages (cached after the first run), is scored by
the method, selected within the word budget and ordered as `storybrief.summarize` does; the
brief is compared with the Multi-News `summary` by ROUGE-1/2/Lsum F1 (rouge-score, Porter
stemmer). Scorer timing excludes the shared stages, which every method pays alike.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import scorer_data as data  # noqa: E402
from storybrief.score import get_scorer  # noqa: E402


def evaluate(clusters, scorer, words: int, **select_options) -> dict:
    results, seconds = [], 0.0
    for cluster in clusters:
        start = time.perf_counter()
        scores = scorer.score(cluster.sentences, cluster.representation)
        seconds += time.perf_counter() - start
        options = {"per_word": getattr(scorer, "per_word", False), **select_options}
        if hasattr(scorer, "redundancy"):
            options.setdefault("redundancy", scorer.redundancy)
        text = data.brief_text(cluster, scores, words, **options)
        results.append(data.rouge(text, cluster.reference))
    r = np.mean(results, axis=0)
    return {"rouge1": r[0], "rouge2": r[1], "rougeLsum": r[2], "ms_per_cluster": 1000 * seconds / max(len(clusters), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stop", type=int, default=500)
    parser.add_argument("--words", type=int, nargs="+", default=[250, 100])
    parser.add_argument("--methods", nargs="+", default=["lead", "centroid", "learned"])
    parser.add_argument("--write", action="store_true", help="write the figures to docs/benchmarks.md (section scorer-rouge)")
    args = parser.parse_args()
    clusters = data.clusters(args.split, args.start, args.stop)
    print(f"{args.split}[{args.start}:{args.stop}]: {len(clusters)} clusters")
    rows = []
    for words in args.words:
        for method in args.methods:
            r = evaluate(clusters, get_scorer(method), words)
            rows.append(f"| {words} | {method} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeLsum']:.2f} | {r['ms_per_cluster']:.2f} |")
            print(f"words={words:4d} {method:10s} R1 {r['rouge1']:.2f}  R2 {r['rouge2']:.2f}  RLsum {r['rougeLsum']:.2f}  "
                  f"score {r['ms_per_cluster']:.2f} ms/cluster", flush=True)
    if args.write:
        import platform
        from datetime import date

        from report import write_section

        body = (
            f"Multi-News {args.split}[{args.start}:{args.stop}] ({len(clusters)} clusters), reference = `summary`; rouge-score "
            f"F1 ×100 with the Porter stemmer; the same word budget for every method; scoring time excludes the stages every "
            f"method shares. Machine: {platform.machine()}, Python {platform.python_version()}, {date.today()}. "
            f"Script: `bench/dev_eval.py`.\n\n| words | method | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | score ms/cluster |\n|---|---|---|---|---|---|\n"
            + "\n".join(rows)
        )
        write_section("scorer-rouge", "Sentence scorers on Multi-News (dev loop)", body)


if __name__ == "__main__":
    main()
