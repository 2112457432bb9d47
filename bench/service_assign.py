"""How well the service's built-in story assignment regroups real story clusters.

Articles of N Multi-News validation clusters are streamed in random order through
`SimilarityAssigner` (no database: each decision is remembered at once, as the service does);
the resulting stories are scored against the true clusters with B-cubed precision/recall/F1,
for several similarity thresholds.

    python bench/service_assign.py --clusters 200 --thresholds 0.1,0.15,0.2,0.25,0.3
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import random
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storybrief.service.assign import SimilarityAssigner  # noqa: E402
from storybrief.types import Article  # noqa: E402

from bench.report import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "multinews-val.jsonl.gz"


def load_clusters(path: Path, count: int) -> list[list[str]]:
    clusters = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            documents = [d for d in json.loads(line)["documents"] if len(d.split()) >= 50]
            if len(documents) >= 2:
                clusters.append(documents)
            if len(clusters) == count:
                break
    return clusters


def b_cubed(truth: list[int], predicted: list[int]) -> tuple[float, float, float]:
    by_truth, by_predicted = defaultdict(list), defaultdict(list)
    for i, (t, p) in enumerate(zip(truth, predicted)):
        by_truth[t].append(i)
        by_predicted[p].append(i)
    precision = recall = 0.0
    for i, (t, p) in enumerate(zip(truth, predicted)):
        same = sum(1 for j in by_predicted[p] if truth[j] == t)
        precision += same / len(by_predicted[p])
        recall += same / len(by_truth[t])
    precision, recall = precision / len(truth), recall / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall)


def run(clusters: list[list[str]], threshold: float, seed: int) -> dict:
    stream = [(c, text) for c, documents in enumerate(clusters) for text in documents]
    random.Random(seed).shuffle(stream)
    assigner = SimilarityAssigner(threshold=threshold)
    assigner._catch_up = lambda session: None  # no database here: remember() keeps the state
    predicted, next_story = [], 1
    started = time.perf_counter()
    for article_id, (_, text) in enumerate(stream, 1):
        decision = assigner.assign(None, Article(text=text))
        story = decision.story_id
        if story is None:
            story, next_story = next_story, next_story + 1
        assigner.remember(article_id, story, Article(text=text))
        predicted.append(story)
    elapsed = time.perf_counter() - started
    precision, recall, f1 = b_cubed([c for c, _ in stream], predicted)
    return {"threshold": threshold, "precision": precision, "recall": recall, "f1": f1,
            "stories": len(set(predicted)), "articles": len(stream), "ms_per_article": 1000 * elapsed / len(stream)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=200)
    parser.add_argument("--thresholds", default="0.1,0.15,0.2,0.25,0.3")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    clusters = load_clusters(args.data, args.clusters)
    rows = [run(clusters, float(t), args.seed) for t in args.thresholds.split(",")]
    lines = [
        f"Story assignment of the service (`bench/service_assign.py`): {len(clusters)} Multi-News validation clusters "
        f"({rows[0]['articles']} articles of ≥ 50 words, clusters of ≥ 2), streamed in random order (seed {args.seed}). "
        f"B-cubed scores against the true clusters. {platform.node()}, {platform.processor() or platform.machine()}, "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
        "| threshold | B³ precision | B³ recall | B³ F1 | stories (true: %d) | ms/article |" % len(clusters),
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['threshold']:.2f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['stories']} | {r['ms_per_article']:.1f} |")
    print("\n".join(lines))
    if not args.no_write:
        write_section("service-assign", "## Service: story assignment\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
