"""Story grouping benchmark: shuffle the articles of K Multi-News clusters together, group them,
score the groups against the true clusters.

    python -m bench.measure.stories       # K = 100 and 1,000, scaling 1k/5k/10k, write docs/benchmarks.md
    python -m bench.measure.stories --sweep --split train --k 1000   # threshold sweep (how THRESHOLD was chosen)

Metrics: B-cubed precision/recall/F1 (per article: share of its predicted story that is its true
cluster, and share of its true cluster that is in its predicted story, averaged over articles)
and the adjusted Rand index. Clusters of one article are dropped. Some Multi-News clusters
overlap in topic (several clusters on one event), which caps what any grouping can reach.

Variants: `random` draws K clusters at random; `dated` draws K clusters that are as close in time
as the data allows (Multi-News has no dates: a cluster's date is the most common full date
written in its articles' text, when there is one) — the harder case of one busy news period.
The derived dates only choose the clusters; they are not given to the grouper, since a date
taken from a cluster's own text would tell it the answer (so the time window plays no part).
Timings are single-threaded (OMP_NUM_THREADS=1) and include reading nothing: articles are in
memory, time covers copy detection, vectors, neighbours and merging (no briefs).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import time
from collections import Counter
from datetime import date, datetime, timezone

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from sklearn.metrics import adjusted_rand_score

from bench.data import DATA
from bench.report import machine_line, write_section
from bench.scoring import bcubed_by_id
from storybrief.stories import StoryIndex
from storybrief.stories.agglomerate import THRESHOLD
from storybrief.text import MONTH
from storybrief.types import Article

MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
FULL_DATE = re.compile(rf"\b({MONTH}) (\d{{1,2}}), ((?:19|20)\d\d)\b", re.I)


def read_clusters(split: str) -> list[tuple[str, list[str]]]:
    clusters = []
    with gzip.open(DATA / f"multinews-{split}.jsonl.gz", "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            documents = [d for d in record["documents"] if d.strip()]
            if len(documents) >= 2:
                clusters.append((str(record["id"]), documents))
    return clusters


def cluster_date(documents: list[str]) -> date | None:
    found = Counter()
    for text in documents:
        for month, day, year in FULL_DATE.findall(text):
            try:
                found[date(int(year), MONTHS[month[:3].lower()], int(day))] += 1
            except ValueError:
                continue
    return found.most_common(1)[0][0] if found else None


def pick(clusters, k: int, variant: str, seed: int):
    rng = random.Random(seed)
    if variant == "random":
        return rng.sample(clusters, min(k, len(clusters))), ""
    dated = sorted(
        ((cluster_date(docs), cid, docs) for cid, docs in clusters if cluster_date(docs)), key=lambda t: t[0]
    )
    if len(dated) < k:
        return rng.sample(clusters, min(k, len(clusters))), f"only {len(dated)} dated clusters: random"
    # The narrowest run of k consecutive dated clusters.
    widths = [(dated[i + k - 1][0] - dated[i][0]).days for i in range(len(dated) - k + 1)]
    start = int(np.argmin(widths))
    chosen = dated[start : start + k]
    return [
        (cid, docs) for _, cid, docs in chosen
    ], f"{chosen[0][0]} to {chosen[-1][0]} ({widths[start]} days; {len(dated)} of {len(clusters)} clusters dated)"


def articles_of(chosen, seed: int):
    articles, truth = [], {}
    for cid, documents in chosen:
        for n, text in enumerate(documents, 1):
            article_id = f"{cid}#{n}"
            articles.append(Article(text=text, id=article_id, source=article_id))
            truth[article_id] = cid
    random.Random(seed).shuffle(articles)
    return articles, truth


def drop_placeholders(chosen):
    """Clusters without Multi-News placeholder documents: texts copied into several clusters
    (web-archive crawl notices, Twitter location prompts) that are no one's news story."""
    from storybrief.brief.dedupe import copy_groups

    texts = [(cid, text) for cid, documents in chosen for text in documents]
    placeholder = set()
    for members in copy_groups([t for _, t in texts]):
        if len({texts[m][0] for m in members}) > 1:
            placeholder.update(members)
    kept, position = [], 0
    for cid, documents in chosen:
        own = [d for k, d in enumerate(documents, position) if k not in placeholder]
        position += len(documents)
        if len(own) >= 2:
            kept.append((cid, own))
    return kept, len(placeholder)


def run(articles, truth, threshold: float | None = None) -> dict:
    index = StoryIndex(threshold=threshold if threshold is not None else THRESHOLD)
    fresh = [Article(text=a.text, id=a.id, source=a.source, published=a.published) for a in articles]
    start = time.perf_counter()
    assigned = index.add(fresh)
    seconds = time.perf_counter() - start
    predicted = {a.id: (s if s is not None else f"skipped:{a.id}") for a, s in zip(articles, assigned)}
    precision, recall, f1 = bcubed_by_id(predicted, truth)
    ids = sorted(truth)
    ari = adjusted_rand_score([truth[i] for i in ids], [predicted[i] for i in ids])
    return {
        "articles": len(articles),
        "clusters": len(set(truth.values())),
        "stories": len(set(predicted.values())),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ari": ari,
        "seconds": seconds,
        "per_second": len(articles) / seconds if seconds else float("inf"),
    }


def incremental_run(pool, seed: int, k: int = 1000, tail: int = 200) -> str:
    """K clusters: all but the last `tail` articles added at once, then those one by one."""
    chosen = pool[:k]
    articles, truth = articles_of(chosen, seed)
    index = StoryIndex()
    head, rest = articles[:-tail], articles[-tail:]
    index.add([Article(text=a.text, id=a.id, source=a.source) for a in head])
    latencies = []
    for a in rest:
        start = time.perf_counter()
        index.add([Article(text=a.text, id=a.id, source=a.source)])
        latencies.append(time.perf_counter() - start)
    predicted = {i: index.row_story[index.row_of[i]] if i in index.row_of else f"skipped:{i}" for i in truth}
    _, _, f1 = bcubed_by_id(predicted, truth)
    batch = run(articles, truth)
    return (
        f"K = {k:,} random clusters ({len(articles):,} articles): {len(head):,} added at once,"
        f" then {tail} one at a time:"
        f" median {1000 * float(np.median(latencies)):.0f} ms,"
        f" 95th percentile {1000 * float(np.percentile(latencies, 95)):.0f} ms"
        f" per article; B³ F1 {f1:.3f} (all at once: {batch['f1']:.3f})."
    )


def row(name: str, r: dict) -> str:
    return (
        f"| {name} | {r['clusters']:,} | {r['articles']:,} | {r['stories']:,} "
        f"| {r['precision']:.3f} | {r['recall']:.3f} | "
        f"**{r['f1']:.3f}** | {r['ari']:.3f} | {r['seconds']:.1f} | {r['per_second']:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="val", choices=["train", "val"])
    parser.add_argument("--k", type=int, nargs="*", default=[100, 1000])
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[1000, 5000, 10000], help="article counts for the scaling run"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--sweep", action="store_true", help="print F1 over thresholds instead")
    parser.add_argument(
        "--thresholds", type=float, nargs="*", default=[0.14, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.32, 0.36]
    )
    parser.add_argument("--clean", action="store_true", help="sweep without placeholder documents")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()

    clusters = read_clusters(args.split)
    print(
        f"{args.split}: {len(clusters):,} clusters of 2+ articles, {sum(len(d) for _, d in clusters):,} articles",
        flush=True,
    )
    if args.sweep:
        for k in args.k:
            chosen, _ = pick(clusters, k, "random", args.seed)
            if args.clean:
                chosen, dropped = drop_placeholders(chosen)
                print(f"K={k}: {dropped} placeholder documents dropped, {len(chosen)} clusters left")
            articles, truth = articles_of(chosen, args.seed)
            for threshold in args.thresholds:
                r = run(articles, truth, threshold)
                print(
                    f"K={k} threshold={threshold:.2f}: P={r['precision']:.3f} R={r['recall']:.3f} "
                    f"F1={r['f1']:.3f} ARI={r['ari']:.3f} stories={r['stories']} ({r['seconds']:.1f}s)",
                    flush=True,
                )
        return

    header = (
        "| run | clusters | articles | stories found | B³ precision | B³ recall | B³ F1 | ARI | seconds "
        "| articles/s |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines, notes = [header], []
    for variant in ("random", "random, no placeholders", "dated"):
        for k in args.k:
            chosen, note = pick(clusters, k, variant.split(",")[0], args.seed)
            if "placeholders" in variant:
                chosen, dropped = drop_placeholders(chosen)
                note = f"{dropped} placeholder documents dropped, {len(chosen)} clusters of 2+ left"
            articles, truth = articles_of(chosen, args.seed)
            r = run(articles, truth)
            lines.append(row(f"{variant}, K = {k:,}", r))
            print(lines[-1], flush=True)
            if note:
                notes.append(f"- {variant}, K = {k:,}: {note}")
    scaling = ["| articles | seconds | articles/s | seconds per 1k articles | B³ F1 |", "|---:|---:|---:|---:|---:|"]
    pool, _ = pick(clusters, len(clusters), "random", args.seed)
    for size in args.sizes:
        chosen, total = [], 0
        for cid, documents in pool:
            if total >= size:
                break
            chosen.append((cid, documents))
            total += len(documents)
        articles, truth = articles_of(chosen, args.seed)
        r = run(articles, truth)
        scaling.append(
            f"| {r['articles']:,} | {r['seconds']:.1f} | {r['per_second']:.0f} "
            f"| {1000 * r['seconds'] / r['articles']:.2f} | {r['f1']:.3f} |"
        )
        print(scaling[-1], flush=True)

    incremental = incremental_run(pool, args.seed)
    print(incremental, flush=True)

    machine = f"{machine_line()}, single-threaded"
    text = "\n".join(
        [
            "## Story grouping (`bench/measure/stories.py`)",
            "",
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {machine}. Multi-News **{args.split}** split,"
            f" clusters of 2+ articles, seed {args.seed}, threshold {THRESHOLD}."
            f" Time = copy detection + vectors + neighbours + merging, no briefs.",
            "",
            *lines,
            "",
            *notes,
            "",
            "Scaling (random clusters added until the article count is reached):",
            "",
            *scaling,
            "",
            "Incremental (`StoryIndex`, as a service would use it):",
            "",
            incremental,
            "",
            "Rerun: `OMP_NUM_THREADS=1 python -m bench.measure.stories` (about two minutes on a quiet machine).",
        ]
    )
    if not args.no_write:
        write_section("stories", text)
        print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
