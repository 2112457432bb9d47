"""What the trimming step (storybrief/brief/trim.py) removes from Multi-News sentences, and what it costs.

    python -m bench.measure.trim [--start 500 --stop 1000] [--write]

For each rule alone and for all of them: sentences trimmed or dropped and words removed, over the sentences
`segment` sees (val clusters after load, clean and dedupe); then the cost of the whole step, in
ms per cluster, one thread, timed as `segment` with every rule against `segment` with none
(best of 3 rounds). `--write` puts the table in docs/benchmarks.md (section `trim`).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.build import scorer_data as data
from storybrief.brief import segment as segment_module
from storybrief.brief import trim as trim_module
from storybrief.brief.clean import clean
from storybrief.brief.dedupe import merge_copies
from storybrief.io.story import load
from storybrief.types import Article


def merged_articles(split: str, start: int, stop: int) -> list[list[Article]]:
    stories = []
    for record in data.read_split(split, start, stop):
        originals = clean(load([Article(text=d) for d in record["documents"] if d.strip()]))
        if originals:
            stories.append(merge_copies(originals))
    return stories


def segment_seconds(stories, rules: frozenset[str], rounds: int = 3) -> float:
    trim_module.RULES = rules
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for articles in stories:
            segment_module.segment(articles)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--start", type=int, default=500)
    parser.add_argument("--stop", type=int, default=1000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    default = trim_module.RULES
    stories = merged_articles(args.split, args.start, args.stop)
    trim_module.RULES = frozenset()
    untrimmed = [[s.text for s in segment_module.segment(articles)] for articles in stories]
    total_words = sum(len(t.split()) for texts in untrimmed for t in texts)
    total_sentences = sum(len(texts) for texts in untrimmed)
    rows = []
    for name, rules in [*((r, frozenset({r})) for r in sorted(default)), ("all", default)]:
        changed = removed = dropped = 0
        for articles in stories:
            for article in articles:
                for before, after in segment_module.trimmed_pairs(article.text, rules):
                    if after is None:
                        dropped += 1
                        removed += len(before.split())
                    elif after != before:
                        changed += 1
                        removed += len(before.split()) - len(after.split())
        rows.append((name, changed, dropped, removed))
    trim_module.RULES = frozenset()
    off = segment_seconds(stories, frozenset())
    on = segment_seconds(stories, default)
    trim_module.RULES = default
    ms = 1000 * (on - off) / len(stories)
    lines = [
        f"| {name} | {changed:,} ({100 * changed / total_sentences:.1f}%) | {dropped:,} "
        f"| {removed:,} ({100 * removed / total_words:.2f}%) |"
        for name, changed, dropped, removed in rows
    ]
    table = "| rule | sentences trimmed | sentences dropped | words removed |\n|---|---|---|---|\n" + "\n".join(lines)
    print(
        f"{args.split}[{args.start}:{args.stop}]: {len(stories)} clusters, {total_sentences:,} sentences, "
        f"{total_words:,} words"
    )
    print(table)
    print(
        f"cost: {ms:.2f} ms per cluster (segment {1000 * off / len(stories):.2f} ms without trimming, "
        f"{1000 * on / len(stories):.2f} with)"
    )
    if args.write:
        from datetime import date

        from bench.report import machine_line, write_section

        body = (
            f"Multi-News {args.split}[{args.start}:{args.stop}] "
            f"({len(stories)} clusters, {total_sentences:,} sentences, "
            f"{total_words:,} words as `segment` gives them untrimmed). Machine: {machine_line()}, {date.today()}. "
            f"Script: `bench/measure/trim.py`.\n\n{table}\n\nCost of the step: {ms:.2f} ms per cluster, one thread "
            f"(`segment` {1000 * off / len(stories):.2f} ms a cluster without trimming, "
            f"{1000 * on / len(stories):.2f} with; best of 3)."
        )
        write_section("trim", "## Trimming sentences (`bench/measure/trim.py`)\n\n" + body)


if __name__ == "__main__":
    main()
