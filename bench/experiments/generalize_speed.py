"""Paired timing of the default brief with and without concept coverage, story by story.

    OMP_NUM_THREADS=1 python -m bench.experiments.generalize_speed --corpus duc2007-update [--repeats 3]

Both run in one process on the same prepared stories (cached as in `bench.experiments.generalize`),
alternating per story, each the median of `--repeats` runs: the ratio holds on a busy machine better
than two separate runs do. Times are `brief_prepared` (represent → score → select → order → attribute).
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench.experiments.generalize import prepared, setting  # noqa: E402
from bench.measure.duc import CORPORA  # noqa: E402
from storybrief.brief import cover, pipeline  # noqa: E402
from storybrief.brief.score import LearnedScorer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="duc2007-update")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    _, stories = prepared(args.corpus)
    words = CORPORA[args.corpus][1]
    scorer = LearnedScorer()
    times = {"old selection": [], "cover": []}
    for story in stories:
        for name, threshold in (("old selection", 10**9), ("cover", cover.LONG_STORY)):
            runs = []
            with setting(cover, LONG_STORY=threshold):
                for _ in range(args.repeats):
                    start = time.perf_counter()
                    pipeline.brief_prepared(story, words, scorer)
                    runs.append(time.perf_counter() - start)
            times[name].append(float(np.median(runs)))
    sizes = [sum(s.words for s in story.sentences) for story in stories]
    print(f"{args.corpus}: {len(stories)} stories, {np.median(sizes):.0f} words at the median")
    for name, values in times.items():
        print(f"  {name:14s} {1000 * np.mean(values):.0f} ms a story (median {1000 * np.median(values):.0f})")
    print(f"  ratio cover / old: {np.sum(times['cover']) / np.sum(times['old selection']):.2f}")


if __name__ == "__main__":
    main()
