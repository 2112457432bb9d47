"""Selection time per Multi-News cluster: the package's select() against another version of it.

    OMP_NUM_THREADS=1 python -m bench.experiments.select_speed --against HEAD~1 --words 250 150 100

The other version is `storybrief/brief/select.py` as stored at a git revision, loaded as a module of
its own; both run on the same clusters and learned scores, interleaved, best of --repeat runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
from bench.build import scorer_data as data
from bench.data import ROOT
from storybrief.brief import select as current
from storybrief.brief.score import get_scorer


def load_revision(revision: str):
    source = subprocess.run(
        ["git", "show", f"{revision}:storybrief/brief/select.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    path = os.path.join(tempfile.mkdtemp(), "select_at_revision.py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("select_at_revision", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def per_cluster_ms(module, clusters, scores, words: int) -> float:
    start = time.perf_counter()
    for c, s in zip(clusters, scores):
        module.select(c.sentences, s, c.representation, words, redundancy=0.4, per_word=True)
    return 1000 * (time.perf_counter() - start) / len(clusters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD")
    parser.add_argument("--start", type=int, default=500)
    parser.add_argument("--stop", type=int, default=1000)
    parser.add_argument("--words", type=int, nargs="+", default=[250, 150, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    other = load_revision(args.against)
    clusters = data.clusters("val", args.start, args.stop)
    scorer = get_scorer("learned")
    scores = [scorer.score(c.sentences, c.representation) for c in clusters]
    print(f"val[{args.start}:{args.stop}]: {len(clusters)} clusters; select() ms/cluster, best of {args.repeat}")
    for words in args.words:
        times = {"current": [], args.against: []}
        for _ in range(args.repeat):
            times["current"].append(per_cluster_ms(current, clusters, scores, words))
            times[args.against].append(per_cluster_ms(other, clusters, scores, words))
        print(
            f"words={words:4d}  current {min(times['current']):.3f}  {args.against} {min(times[args.against]):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
