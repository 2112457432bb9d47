"""Experiments with the time-decay grouping of issue 13, now the package's `StoryIndex`.

The prototype (`TimeStoryIndex`, a StoryIndex subclass with its own corpus, merging and sagas)
was ported into `storybrief.stories` (agglomerate: decay and recency weights; neighbours:
`search`; sagas: related links); its last version is in commit 8b091b0
(`git show 8b091b0:bench/experiments/grouping_time.py`), with the settings the package does not
keep (other decay shapes, numbers and names as terms, a saga prior, the saga floor and cap).
docs/design-stories-time.md describes the method and the figures. What is left here: the stream
(`run`: one add a day), a grid over the package's settings on the dev piles, and the speed run.

    python -m bench.experiments.grouping_time --grid tau_days=5,7 link_threshold=0.06,0.08
    python -m bench.experiments.grouping_time --split test --sets duc2006 ecbplus duc2007
    python -m bench.experiments.grouping_time --speed 10000     # 10,000 Multi-News articles
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Iterable

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread settings)

from storybrief.io.pile import parse_date  # noqa: E402
from storybrief.stories import StoryIndex  # noqa: E402
from storybrief.types import Article  # noqa: E402

DAY = 86400.0
# Settings a grid may vary: StoryIndex's own, and `top_terms` (its corpus's).
INDEX_SETTINGS = ("threshold", "window_days", "mutual_boost", "tau_days", "recency_days", "link_threshold",
                  "saga_rebuild")


def make_index(**settings) -> StoryIndex:
    unknown = set(settings) - set(INDEX_SETTINGS) - {"top_terms"}
    if unknown:
        raise SystemExit(f"error: unknown setting(s) {', '.join(sorted(unknown))}; known: "
                         f"{', '.join(INDEX_SETTINGS + ('top_terms',))}")
    index = StoryIndex(**{k: v for k, v in settings.items() if k in INDEX_SETTINGS})
    if "top_terms" in settings:
        index.corpus.top_terms = int(settings["top_terms"])
    return index


def by_day(articles: list[Article]) -> list[list[Article]]:
    """Articles in date order, one batch per calendar day (UTC); undated ones in one batch first."""
    undated = [a for a in articles if not parse_date(a.published)]
    dated = sorted((a for a in articles if parse_date(a.published)), key=lambda a: (parse_date(a.published), a.id))
    batches = [undated] if undated else []
    for _, day in itertools.groupby(dated, key=lambda a: parse_date(a.published).date()):
        batches.append(list(day))
    return batches


def run(articles: Iterable[Article], stream: bool = True, checkpoints: int = 0, **settings):
    """({article id: story id}, {article id: saga id}) for articles added in date order, one
    day at a time (`stream`), or all in one `add`. With `checkpoints` = k, also the same pair
    as it stood after each k-th of the articles (what a reader saw mid-stream), as a third item."""
    articles = list(articles)
    index = make_index(**settings)
    stories: dict[str, str] = {}
    snapshots, next_mark = [], 1
    for batch in by_day(articles) if stream else [articles]:
        for article, story in zip(batch, index.add(batch)):
            stories[article.id] = story or f"skipped:{article.id}"
        while checkpoints and next_mark < checkpoints and len(stories) >= next_mark * len(articles) / checkpoints:
            snapshots.append(_snapshot(index, stories))
            next_mark += 1
    found = _snapshot(index, stories)
    return (*found, snapshots) if checkpoints else found


def _snapshot(index, stories: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    # Stories named by their first row, so a later merge-free growth keeps the name.
    return dict(stories), {a: (index.sagas.root(s) if not s.startswith("skipped:") else s) for a, s in stories.items()}


# ----- the grid, the check and the speed run ---------------------------------------------------


def _piles(split: str | None):
    from bench.build.grouping import load

    found = {}
    for name in ("duc2006", "ecbplus"):
        records = load(name)
        found[name] = [r for r in records if split is None or r["split"] == split]
    return found


def evaluate(records: list[dict], checkpoints: int = 0, **settings) -> dict:
    from bench.measure.grouping import as_articles, score

    truth = {r["id"]: r["gold"] for r in records}
    start = time.perf_counter()
    found = run(as_articles(records), checkpoints=checkpoints, **settings)
    seconds = time.perf_counter() - start
    out = {"stories": score(found[0], truth), "sagas": score(found[1], truth), "seconds": seconds}
    if checkpoints:
        marks = [score(sagas, {a: truth[a] for a in sagas}) for _, sagas in found[2]]
        out["mid_stream"] = float(np.mean([m["f1"] for m in marks])) if marks else float("nan")
    return out


def _value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_grid(items: list[str]) -> list[dict]:
    """["tau_days=3,7", "decay=exp"] -> every combination as settings dicts."""
    axes = []
    for item in items:
        key, _, values = item.partition("=")
        axes.append([(key, _value(v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)] if axes else [{}]


def speed(size: int = 10000, days: int = 100, seed: int = 13, **settings) -> list[str]:
    """Seconds to group `size` Multi-News val articles (random clusters, as bench/measure/stories.py's
    scaling run picks them): StoryIndex in one add (undated), and streamed one day at a time
    after giving each cluster a random day in `days` days (its articles within two days of it):
    synthetic dates, for timing the streaming path."""
    import random

    from bench.measure.grouping import score
    from bench.measure.stories import articles_of, pick, read_clusters

    clusters = read_clusters("val")
    pool, _ = pick(clusters, len(clusters), "random", seed)
    chosen, total = [], 0
    for cid, documents in pool:
        if total >= size:
            break
        chosen.append((cid, documents))
        total += len(documents)
    articles, truth = articles_of(chosen, seed)
    rng = random.Random(seed)
    day_of = {cid: rng.randrange(days) for cid, _ in chosen}
    base = 1_700_000_000
    dated = [
        Article(
            text=a.text,
            id=a.id,
            source=a.source,
            published=time.strftime(
                "%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + DAY * (day_of[truth[a.id]] + rng.uniform(0, 2)))
            ),
        )
        for a in articles
    ]
    lines = []
    for label, call in (
        ("StoryIndex, one add, undated", lambda: run(articles, **settings)[0]),
        (f"StoryIndex, streamed over {days} days (synthetic dates)", lambda: run(dated, **settings)[0]),
    ):
        start = time.perf_counter()
        predicted = call()
        seconds = time.perf_counter() - start
        r = score({k: v or f"skipped:{k}" for k, v in predicted.items()}, truth)
        lines.append(
            f"{label}: {len(articles):,} articles in {seconds:.1f} s ({len(articles) / seconds:,.0f}/s),"
            f" stories B3 F1 {r['f1']:.3f}"
        )
        print(lines[-1], flush=True)
    # One article at a time into a running index (as a service adds them), and one saga rebuild.
    index = make_index(**settings)
    head, tail = articles[:-200], articles[-200:]
    index.add(head)
    latencies = []
    for article in tail:
        start = time.perf_counter()
        index.add([article])
        latencies.append(time.perf_counter() - start)
    start = time.perf_counter()
    index.rebuild_sagas()
    rebuild = time.perf_counter() - start
    lines.append(
        f"StoryIndex, {len(head):,} articles in one add, then 200 one at a time:"
        f" median {1000 * float(np.median(latencies)):.0f} ms,"
        f" 95th percentile {1000 * float(np.percentile(latencies, 95)):.0f} ms,"
        f" slowest {1000 * max(latencies):.0f} ms per article;"
        f" one saga rebuild over {len(articles):,} articles: {rebuild:.1f} s"
    )
    print(lines[-1], flush=True)
    return lines


def dated_ecb(records: list[dict], gap_days: float, spread_days: float, seed: int = 13) -> list[dict]:
    """ECB+ with synthetic dates: each topic gets a random day in a year; its `ecb` event is
    reported from that day, its look-alike `ecbplus` event from `gap_days` later, each article
    at a uniform moment within `spread_days` of its event's day. (ECB+ has no dates; this only
    shows at what gap the decay keeps look-alike events apart, and what a spread-out event costs.)"""
    import random

    rng = random.Random(seed)
    base = 1_600_000_000
    topic_day = {}
    out = []
    for r in records:
        topic, kind = r["gold"].split("_")
        day = topic_day.setdefault(topic, rng.uniform(0, 365)) + (gap_days if kind == "ecbplus" else 0.0)
        moment = base + DAY * (day + rng.uniform(0, spread_days))
        out.append({**r, "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    parser.add_argument("--sets", nargs="*", default=["duc2006", "ecbplus"])
    parser.add_argument(
        "--grid", nargs="*", default=[], metavar="KEY=V1,V2", help="settings to vary (every combination)"
    )
    parser.add_argument("--batch", action="store_true", help="all articles in one add instead of one day at a time")
    parser.add_argument(
        "--checkpoints",
        type=int,
        default=0,
        metavar="K",
        help="also the mean saga F1 over the articles seen so far after each K-th of the stream",
    )
    parser.add_argument(
        "--dated-ecb",
        type=float,
        nargs="*",
        default=[],
        metavar="GAP",
        help="ECB+ with synthetic dates, look-alike events GAP days apart (see dated_ecb)",
    )
    parser.add_argument(
        "--spread", type=float, default=3.0, help="days over which one event's articles come (--dated-ecb)"
    )
    parser.add_argument("--speed", type=int, default=0, metavar="N", help="time N Multi-News val articles instead")
    args = parser.parse_args()
    if args.speed:
        for settings in parse_grid(args.grid):
            print(settings)
            speed(args.speed, **settings)
        return
    from bench.build.grouping import BuildError, load

    try:
        piles = {name: [r for r in load(name) if args.split == "all" or r["split"] == args.split] for name in args.sets}
    except BuildError as exc:
        sys.exit(f"error: {exc}")
    if args.dated_ecb:
        ecb = [r for r in load("ecbplus") if args.split == "all" or r["split"] == args.split]
        piles = {f"ECB+ {gap:g} days apart": dated_ecb(ecb, gap, args.spread) for gap in args.dated_ecb}
    for settings in parse_grid(args.grid):
        cells = []
        for name, records in piles.items():
            r = evaluate(records, stream=not args.batch, checkpoints=args.checkpoints, **settings)
            st, sa = r["stories"], r["sagas"]
            cells.append(
                f"{name}: stories P/R/F1 {st['precision']:.3f}/{st['recall']:.3f}/{st['f1']:.3f} ({st['groups']})"
                f" sagas {sa['precision']:.3f}/{sa['recall']:.3f}/{sa['f1']:.3f} ({sa['groups']})"
                + (f" mid-stream sagas F1 {r['mid_stream']:.3f}" if "mid_stream" in r else "")
                + f" {r['seconds']:.1f}s"
            )
        print(settings, " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
