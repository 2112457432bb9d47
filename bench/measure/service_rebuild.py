"""Latency of story assignment around the index's periodic rebuild, in the service's own store.

Articles of Multi-News validation clusters are ingested one at a time through `Store.ingest`
(SQLite file, as `storybrief serve` runs it) with a small index window, so the index passes its
rebuild point several times; each ingest is timed. Two runs on the same stream: the rebuild in a
background thread (the service's behaviour) and the rebuild inside the request that finds the
index over 2 x window (the behaviour before, kept here as `--inline` for comparison).

    OMP_NUM_THREADS=1 python -m bench.service_rebuild --window 500 --articles 2000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time

import numpy as np

from bench.data import multinews
from storybrief.service import migrate
from storybrief.service.assign import StoryIndexAssigner
from storybrief.service.db import Database
from storybrief.service.schemas import ArticleIn
from storybrief.service.store import Store

DATA = multinews("val")


class InlineRebuildAssigner(StoryIndexAssigner):
    """The rebuild as it was: inside the request, as soon as the index holds 2 x window."""

    def _renew(self, session) -> None:
        if len(self.index.articles) > 2 * self.window:
            self.forget()


def stream(count: int) -> list[str]:
    texts = []
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            texts += [d for d in json.loads(line)["documents"] if len(d.split()) >= 40]
            if len(texts) >= count:
                return texts[:count]
    return texts


def run(assigner: StoryIndexAssigner, texts: list[str]) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(os.path.join(folder, "bench.db"))
        migrate.upgrade(database)
        store = Store(database, assigner=assigner)
        times = []
        for n, text in enumerate(texts):
            started = time.perf_counter()
            store.ingest([ArticleIn(text=text, id=f"c{n}")])
            times.append(time.perf_counter() - started)
        database.dispose()
    return np.array(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=500)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    texts = stream(args.articles)
    print(
        f"{len(texts)} validation articles, one ingest each, index window {args.window} "
        f"(rebuild past {2 * args.window})"
    )
    print("| rebuild | ingests | median ms | p99 ms | max ms | total s |\n|---|---:|---:|---:|---:|---:|")
    for name, assigner in (
        ("in the request (before)", InlineRebuildAssigner(window=args.window)),
        ("background thread", StoryIndexAssigner(window=args.window)),
    ):
        ms = run(assigner, texts)
        print(
            f"| {name} | {len(ms)} | {np.median(ms):.1f} | {np.percentile(ms, 99):.1f} | {ms.max():.1f} "
            f"| {ms.sum() / 1000:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
