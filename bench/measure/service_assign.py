"""How well the service's built-in story assignment regroups real story clusters.

Articles of N Multi-News validation clusters are streamed in random order, one at a time,
through a service assigner (no database: each decision is remembered at once, as the service
does); the resulting stories are scored against the true clusters with B-cubed
precision/recall/F1, for several thresholds of each assigner ("index": `StoryIndexAssigner`,
the default, whose threshold is StoryIndex's linkage; "similarity": `SimilarityAssigner`,
whose threshold is the nearest article's cosine).

    OMP_NUM_THREADS=1 python -m bench.service_assign            # ~6 minutes
    OMP_NUM_THREADS=1 python -m bench.service_assign --data .../multinews-train.jsonl.gz \
        --runs index:0.1,index:0.12,index:0.15,index:0.18,index:0.22,similarity:0.15,similarity:0.2 --also '' --no-write

The first table (validation, seed 0) sweeps both thresholds; `--also` adds streams run with the
service's defaults: another order of the same clusters, and a bigger, harder stream from train
(4000 clusters: the index passes its rebuild point there).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.data import multinews
from bench.report import machine_line, write_section
from bench.scoring import bcubed
from storybrief.service.assign import ASSIGNERS, INDEX_THRESHOLD, SIMILARITY_THRESHOLD, StoryIndexAssigner
from storybrief.types import Article

TAIL = 500  # the last articles of the stream, timed apart: the cost once the state is full

DATA = multinews("val")


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


def run(clusters: list[list[str]], name: str, threshold: float, seed: int) -> dict:
    stream = [(c, text) for c, documents in enumerate(clusters) for text in documents]
    random.Random(seed).shuffle(stream)
    assigner = ASSIGNERS[name](threshold=threshold)
    stored: list[tuple[int, int, Article, int | None]] = []  # what the database would hold

    def catch_up(session) -> None:
        """No database here: remember() keeps the state, and the index's periodic rebuild from the
        newest stored articles (StoryIndexAssigner.catch_up) is replayed from `stored`."""
        if isinstance(assigner, StoryIndexAssigner) and len(assigner.index.articles) > 2 * assigner.window:
            assigner.forget()
            assigner.place(stored[-assigner.window :])

    assigner.catch_up = catch_up
    predicted, next_story, times = [], 1, []
    for article_id, (_, text) in enumerate(stream, 1):
        started = time.perf_counter()
        decision = assigner.assign(None, Article(text=text))
        story = decision.story_id
        if story is None:
            story, next_story = next_story, next_story + 1
        assigner.remember(article_id, story, Article(text=text))
        times.append(time.perf_counter() - started)
        stored.append((article_id, story, Article(text=text), decision.duplicate_of))
        predicted.append(story)
    tail = times[-TAIL:]
    precision, recall, f1 = bcubed(predicted, [c for c, _ in stream])
    return {
        "assigner": name,
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "stories": len(set(predicted)),
        "articles": len(stream),
        "ms_per_article": 1000 * sum(times) / len(times),
        "ms_tail": 1000 * sum(tail) / len(tail),
        "ms_max": 1000 * max(times),
    }


def table(clusters: list[list[str]], split: str, runs: str, seed: int) -> list[str]:
    rows = []
    for item in runs.split(","):
        name, threshold = item.split(":")
        rows.append(run(clusters, name, float(threshold), seed))
        print(rows[-1], flush=True)
    lines = [
        f"{len(clusters)} Multi-News {split} clusters ({rows[0]['articles']} articles of ≥ 50 words, clusters of ≥ 2), "
        f"streamed in random order (seed {seed}).",
        "",
        "| assigner | threshold | B³ precision | B³ recall | B³ F1 | stories (true: %d) "
        "| ms/article | last %d | max ms |" % (len(clusters), TAIL),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['assigner']} | {r['threshold']:.2f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} "
            f"| {r['stories']} | {r['ms_per_article']:.1f} | {r['ms_tail']:.1f} | {r['ms_max']:.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument(
        "--runs",
        default="index:0.12,index:0.15,index:0.18,similarity:0.15,similarity:0.2,similarity:0.25",
        help="assigner:threshold pairs, comma-separated",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--also",
        default="val:1000:1,train:4000:0",
        help="further streams, split:clusters:seed, comma-separated ('' for none), each run with "
        "both assigners at their service defaults; files next to --data",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    split = "validation" if "val" in args.data.name else "train" if "train" in args.data.name else args.data.name
    lines = [
        "Story assignment of the service (`bench/measure/service_assign.py`): "
        "articles of Multi-News clusters streamed one at a "
        "time through each assigner; B-cubed scores against the true clusters. "
        f"{machine_line()}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"single-threaded (OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}). "
        f"ms/article: the assigner's own time (no database), "
        f"the mean over the whole stream and over its last {TAIL} articles; "
        "max: the slowest single article (for the index this replays the rebuild from the newest stored articles "
        "inline, once it holds twice its window; the service now rebuilds in a background thread, "
        "see `bench/measure/service_rebuild.py` and docs/design-service.md). "
        f"Service defaults: index {INDEX_THRESHOLD}, similarity {SIMILARITY_THRESHOLD}. "
        "Rerun: `OMP_NUM_THREADS=1 python -m bench.service_assign` (about 6 minutes).",
        "",
    ]
    lines += table(load_clusters(args.data, args.clusters), split, args.runs, args.seed)
    defaults = f"index:{INDEX_THRESHOLD},similarity:{SIMILARITY_THRESHOLD}"
    for item in filter(None, args.also.split(",")):
        other, count, seed = item.split(":")
        path = args.data.parent / f"multinews-{other}.jsonl.gz"
        lines += [
            "",
            *table(load_clusters(path, int(count)), "validation" if other == "val" else other, defaults, int(seed)),
        ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("service-assign", "## Service: story assignment\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
