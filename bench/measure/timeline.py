"""Timeline events (`storybrief.stories.timeline`) against gold events, and their cost.

    python -m bench.build.grouping --only ecbplus            # ECB+ as articles JSONL (grouping's set)
    python -m bench.build.duc --corpus duc2007-update         # DUC 2007 update sets
    OMP_NUM_THREADS=1 python -m bench.measure.timeline

- ECB+ (undated, so similarity alone decides): each of the 43 topics taken as one story holding
  its two look-alike events (gold `{topic}_ecb` / `{topic}_ecbplus`); B-cubed precision, recall
  and F1 of the timeline's events against them, averaged over topics, for a range of
  EVENT_SIMILARITY on the development topics (1-22) and for the shipped value on both halves.
- DUC 2007 update (dated): each topic's sets A, B and C (25 documents over months, in date order)
  taken as one story; how many events, and how many of them mix documents of two sets (sets are
  written weeks to months apart: an event that spans two is a join across time that should not
  be), and the time `timeline()` takes per story, headlines included.

Writes the section `timeline` of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.data import BENCH_DATA, ROOT
from bench.report import machine_line, write_section
from bench.scoring import bcubed
from storybrief.stories import timeline as timeline_module
from storybrief.stories.timeline import group_events, timeline
from storybrief.types import Article

SECTION = "timeline"
SWEEP = (0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.2)


def read(path: Path, build: str) -> list[dict]:
    if not path.exists():
        raise SystemExit(f"error: {path} is missing; build it first: {build}")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def ecb_scores(topics: dict[str, list[dict]]) -> tuple[float, float, float, float]:
    """Mean B-cubed P, R, F1 over topics and mean events per topic."""
    scores, events = [], []
    for rows in topics.values():
        articles = [Article(text=r["text"], id=r["id"], title=r.get("title", "")) for r in rows]
        predicted = [0] * len(articles)
        found = group_events(articles)
        for number, members in enumerate(found):
            for k in members:
                predicted[k] = number
        scores.append(bcubed(predicted, [r["gold"] for r in rows]))
        events.append(len(found))
    precision, recall, f1 = np.mean(scores, axis=0)
    return float(precision), float(recall), float(f1), float(np.mean(events))


def duc_update(records: list[dict]) -> dict:
    stories: dict[str, list[tuple[str, Article]]] = defaultdict(list)
    for record in records:
        topic = record["id"].rsplit("-", 1)[0]
        for text, doc_id, title, date in zip(record["documents"], record["doc_ids"], record["titles"], record["dates"]):
            stories[topic].append((record["set"], Article(text=text, id=doc_id, title=title, source=doc_id,
                                                          published=date)))
    events = mixed = articles = 0
    seconds = []
    for members in stories.values():
        set_of = {a.id: s for s, a in members}
        started = time.perf_counter()
        found = timeline([a for _, a in members])
        seconds.append(time.perf_counter() - started)
        events += len(found)
        mixed += sum(1 for e in found if len({set_of[i] for i in e.articles}) > 1)
        articles += len(members)
    return {"stories": len(stories), "articles": articles, "events": events, "mixed": mixed,
            "seconds": float(np.mean(seconds)), "max_seconds": float(np.max(seconds))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=BENCH_DATA)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    ecb = read(args.data / "grouping" / "ecbplus.jsonl.gz", "python -m bench.build.grouping --only ecbplus")
    duc = read(args.data / "duc2007-update.jsonl", "python -m bench.build.duc --corpus duc2007-update")
    halves: dict[str, dict[str, list[dict]]] = {"dev": defaultdict(list), "test": defaultdict(list)}
    for row in ecb:
        halves[row["split"]][row["gold"].split("_")[0]].append(row)
    shipped = timeline_module.EVENT_SIMILARITY
    sweep = []
    try:
        for value in SWEEP:
            timeline_module.EVENT_SIMILARITY = value
            sweep.append((value, ecb_scores(halves["dev"])))
    finally:
        timeline_module.EVENT_SIMILARITY = shipped
    held = {name: ecb_scores(topics) for name, topics in halves.items()}
    dated = duc_update(duc)
    lines = [
        "## Timeline events (`bench/measure/timeline.py`)",
        "",
        "Reproduce: `python -m bench.build.grouping --only ecbplus && python -m bench.build.duc --corpus "
        f"duc2007-update && OMP_NUM_THREADS=1 python -m bench.measure.timeline`. Measured on {machine_line()}.",
        "",
        "ECB+: each topic (two look-alike events, e.g. two different earthquakes, undated) taken as one story; "
        "B-cubed of the timeline's events against the two gold events, mean over topics. EVENT_SIMILARITY "
        f"(shipped: {shipped}) was chosen on the development topics 1-22:",
        "",
        "| EVENT_SIMILARITY | P | R | F1 | events per topic |",
        "|---|---|---|---|---|",
        *(f"| {value}{' (shipped)' if value == shipped else ''} | {p:.3f} | {r:.3f} | {f:.3f} | {n:.1f} |"
          for value, (p, r, f, n) in sweep),
        "",
        "| topics | P | R | F1 | events per topic |",
        "|---|---|---|---|---|",
        *(f"| {name} ({len(halves[name])} topics) | {p:.3f} | {r:.3f} | {f:.3f} | {n:.1f} |"
          for name, (p, r, f, n) in held.items()),
        "",
        f"DUC 2007 update task, dated: each topic's sets A, B and C ({dated['articles']} documents in "
        f"{dated['stories']} stories, sets weeks to months apart) as one story: {dated['events']} events, "
        f"{dated['mixed']} of them mixing documents of two sets. `timeline()` (events and cited headlines) took "
        f"{dated['seconds']:.2f} s per 25-document story on average, {dated['max_seconds']:.2f} s at most.",
    ]
    body = "\n".join(lines) + "\n"
    print(body)
    write_section(SECTION, body, args.output)
    print(f"wrote the '{SECTION}' section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
