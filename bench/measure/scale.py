"""How briefing one story grows with its size: time and peak memory for 10 … 5,000 articles.

Story construction (`--construction related`, the default; stated in docs/benchmarks.md): the
Multi-News *validation* clusters are ranked by TF-IDF cosine to a seed cluster, their documents
taken in that order and joined five at a time into full-length articles (~30 sentences each, so
1,000 articles is ~30k sentences, as in the issue). Small stories are on the seed's topic; big
ones widen to related and then loosely related topics (the split has no 5,000-article event),
and the 5,000-article story goes round the split a second time, shifted, so its later articles
re-run earlier sentences in new mixes (syndicated copy). `--construction repeat` is the other
extreme: one event told n times with paraphrase noise, every fact in every article, the worst
case for the similarity graph.

Each size runs in a fresh process (`--one N`), so the peak RSS reported is that of briefing one
story of that size (the story is read from a temporary JSON file, not rebuilt in the child).

    OMP_NUM_THREADS=1 python -m bench.measure.scale                    # 10, 100, 1000, 5000 articles
    python -m bench.measure.scale --sizes 10 100 --no-write            # quick look, docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.data import ROOT, multinews
from bench.report import machine_line, write_section

VAL = multinews("val")
SIZES = [10, 100, 1000, 5000]
SEED_CLUSTER = 0
REPEATS = 1


def load_clusters(path: Path = VAL) -> list[list[str]]:
    clusters = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            documents = [d for d in json.loads(line)["documents"] if d.strip()]
            if documents:
                clusters.append(documents)
    return clusters


def related_order(clusters: list[list[str]], seed: int = SEED_CLUSTER) -> list[int]:
    """Cluster indices, the seed first, then by TF-IDF cosine of the whole cluster to the seed."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [" ".join(c)[:20000] for c in clusters]
    vectors = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, max_features=50000, dtype=np.float32
    ).fit_transform(texts)
    similarity = (vectors @ vectors[seed].T).toarray().ravel()
    similarity[seed] = 2.0
    return [int(i) for i in np.argsort(-similarity, kind="stable")]


def build_story(n_articles: int, clusters: list[list[str]], order: list[int], per_article: int = 5) -> list[str]:
    """`related`: the documents of whole clusters in `order`, `per_article` consecutive documents
    joined into one article (validation documents are short, ~150 words; five make a full-length
    article of ~30 sentences). The split holds ~15,600 documents; a story that needs more goes
    round the list again shifted by a few documents, so its later articles re-run sentences of
    earlier ones in a new mix, as syndicated copy does (not copies as a whole: dedupe keeps them)."""
    pool = [d for index in order for d in clusters[index]]
    needed = n_articles * per_article
    documents: list[str] = []
    shift = 0
    while len(documents) < needed:
        documents.extend(pool[shift:] + pool[:shift])
        shift += per_article // 2 + 1
    return ["\n".join(documents[k * per_article : (k + 1) * per_article]) for k in range(n_articles)]


def build_repeated_story(n_articles: int, clusters: list[list[str]], order: list[int], seed: int = 0) -> list[str]:
    """`repeat`: one event reported n times. Each article is a document of the seed cluster with
    paraphrase noise (15% of words dropped, sentence order partly shuffled) plus a few sentences
    from a related cluster, so no two articles are copies and dedupe keeps them all. This is the
    worst case for the similarity graph: every sentence has a near-paraphrase in every article."""
    import random

    from storybrief.brief.segment import split_sentences

    rng = random.Random(seed)
    event = [s for d in clusters[order[0]] for s in split_sentences(d)]
    others = [s for i in order[1:200] for d in clusters[i] for s in split_sentences(d)]
    story = []
    for _ in range(n_articles):
        picked = rng.sample(event, k=max(1, int(len(event) * 0.6)))
        picked += rng.sample(others, k=min(len(others), 8))
        rng.shuffle(picked)
        noisy = []
        for sentence in picked:
            words = sentence.split()
            kept = [w for k, w in enumerate(words) if k == len(words) - 1 or rng.random() > 0.15]
            noisy.append(" ".join(kept))
        story.append("\n".join(noisy))
    return story


def run_one(path: str) -> dict:
    """In a fresh process: brief the story in `path`, time each stage, report peak RSS."""
    from storybrief.brief import attribute as attribute_stage
    from storybrief.brief import order as order_stage
    from storybrief.brief import select as select_stage
    from storybrief.brief.clean import clean
    from storybrief.brief.dedupe import merge_copies
    from storybrief.brief.represent import represent
    from storybrief.brief.score import get_scorer
    from storybrief.brief.segment import segment
    from storybrief.io.story import load
    from storybrief.types import DEFAULT_WORDS, Article

    texts = json.loads(Path(path).read_text(encoding="utf-8"))
    articles = [Article(text=t, id=f"a{k}", source=f"a{k}") for k, t in enumerate(texts)]
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages: dict[str, float] = {}

    def timed(name, fn, *args):
        start = time.perf_counter()
        value = fn(*args)
        stages[name] = time.perf_counter() - start
        return value

    start = time.perf_counter()
    originals = timed("clean", lambda a: clean(load(a)), articles)
    merged = timed("dedupe", merge_copies, originals)
    sentences = timed("segment", segment, merged)
    representation = timed("represent", represent, sentences)
    scores = timed("score", get_scorer("default").score, sentences, representation)
    chosen = timed("select", select_stage.select, sentences, scores, representation, DEFAULT_WORDS)
    reading = timed("order", order_stage.order, chosen, sentences, merged, representation)
    timed("attribute", attribute_stage.attribute, reading, sentences, merged, originals, representation)
    total = time.perf_counter() - start
    return {
        "articles": len(texts),
        "kept": len(merged),
        "sentences": len(sentences),
        "neighbours": int(representation.neighbours.nnz),
        "seconds": total,
        "stages": stages,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "base_mb": base_rss,
    }


def measure(story: list[str]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(story, handle)
    try:
        env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
        done = subprocess.run(
            [sys.executable, __file__, "--one", handle.name], capture_output=True, text=True, env=env, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"size {len(story)} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        os.unlink(handle.name)


def growth_exponent(rows: list[dict]) -> float:
    """Least-squares slope of log(time) on log(sentences), sizes ≥ 100 articles (10 is start-up bound)."""
    import numpy as np

    points = [(r["sentences"], r["seconds"]) for r in rows if r["articles"] >= 100] or [
        (r["sentences"], r["seconds"]) for r in rows
    ]
    if len(points) < 2:
        return float("nan")
    x, y = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    return float(np.polyfit(x, y, 1)[0])


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.8))
    for construction in dict.fromkeys(r["construction"] for r in rows):
        subset = [r for r in rows if r["construction"] == construction]
        sentences = [r["sentences"] for r in subset]
        left.loglog(sentences, [r["seconds"] for r in subset], "o-", label=construction)
        right.semilogx(sentences, [r["peak_mb"] for r in subset], "o-", label=construction)
    xs = sorted(r["sentences"] for r in rows)
    first = min(rows, key=lambda r: r["sentences"])
    left.loglog(xs, [first["seconds"] * x / first["sentences"] for x in xs], ":", color="grey", label="linear")
    left.set_xlabel("sentences in the story")
    left.set_ylabel("seconds")
    left.set_title("time to brief one story")
    left.legend(fontsize=8)
    right.axhline(2048, color="grey", ls=":", label="2 GB target")
    right.set_xlabel("sentences in the story")
    right.set_ylabel("peak RSS (MB)")
    right.set_title("peak memory")
    right.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument(
        "--note", default="", help="a line added under the table (e.g. 'machine shared with other jobs')"
    )
    parser.add_argument("--construction", choices=["related", "repeat", "both"], default="both")
    parser.add_argument(
        "--per-article", type=int, default=5, help="validation documents joined into one article (related)"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return

    clusters = load_clusters()
    order = related_order(clusters)
    constructions = ["related", "repeat"] if args.construction == "both" else [args.construction]
    rows = []
    print(
        f"{'story':>8} {'articles':>8} {'kept':>6} {'sentences':>9} {'neighbours':>10} {'seconds':>8} "
        f"{'peak MB':>8}  stages (s)"
    )
    for construction in constructions:
        for size in args.sizes:
            if construction == "related":
                story = build_story(size, clusters, order, args.per_article)
            else:
                story = build_repeated_story(size, clusters, order)
            row = measure(story)
            row["construction"] = construction
            rows.append(row)
            stages = " ".join(f"{k}={v:.2f}" for k, v in row["stages"].items())
            print(
                f"{construction:>8} {row['articles']:>8} {row['kept']:>6} {row['sentences']:>9} "
                f"{row['neighbours']:>10} {row['seconds']:>8.2f} {row['peak_mb']:>8.0f}  {stages}",
                flush=True,
            )
    exponents = {c: growth_exponent([r for r in rows if r["construction"] == c]) for c in constructions}
    for construction, exponent in exponents.items():
        print(f"growth exponent for {construction} (time ~ sentences^k, sizes >= 100 articles): k = {exponent:.2f}")
    if args.no_write:
        return
    plot(rows, ROOT / "docs" / "scale.png")
    lines = [
        "## Large stories (`bench/measure/scale.py`)",
        "",
        f"{dt.date.today().isoformat()}, {machine_line()}, "
        f"`OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '1')}`, one run per size, each in a fresh process.",
        "Stories: *related* = Multi-News validation clusters ranked by TF-IDF similarity to cluster 0, their documents",
        "joined five at a time into full-length articles (~30 sentences), "
        "related topics first, loosely related ones at",
        "the big sizes; the 5,000-article story goes round the split twice (shifted), "
        "re-running sentences as syndicated",
        "copy does. *repeat* = cluster 0's event told n times with paraphrase noise "
        "(15% of words dropped, order shuffled,",
        "a few sentences of other clusters mixed in): every fact in every article, "
        "the worst case for the similarity graph.",
        "Peak = the process's max RSS (Python, numpy, scikit-learn and the story text included).",
        "",
        "| story | articles | kept after dedupe | sentences | neighbour pairs | seconds | peak RSS MB "
        "| slowest stages |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        slow = ", ".join(f"{k} {v:.1f}s" for k, v in sorted(r["stages"].items(), key=lambda kv: -kv[1])[:3])
        lines.append(
            f"| {r['construction']} | {r['articles']} | {r['kept']} | {r['sentences']} | {r['neighbours']} "
            f"| {r['seconds']:.2f} | {r['peak_mb']:.0f} | {slow} |"
        )
    lines.append("")
    for construction, exponent in exponents.items():
        lines.append(
            f"Growth exponent, {construction} (least squares, log time on log sentences, sizes ≥ 100 articles): "
            f"**{exponent:.2f}**."
        )
    lines += ["", "![time and memory by story size](scale.png)"]
    if args.note:
        lines += ["", args.note]
    write_section("scale", "\n".join(lines))
    print("wrote docs/benchmarks.md (scale section) and docs/scale.png")


if __name__ == "__main__":
    main()
