"""Throughput of the full pipeline per scoring method, beside summa TextRank and sumy LexRank.

    python -m bench.measure.scorer_speed --clusters 100

One process, one core (OMP_NUM_THREADS=1), the same Multi-News val clusters for every system,
250-word briefs; the peers get the raw concatenated articles (their own tokenisation included,
as the pipeline's segmenting is included for StoryBrief). Ratios taken in one run are robust to
a busy machine; absolute times are not.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import storybrief
from bench.build import scorer_data as data


def per_cluster(fn, records) -> float:
    fn(records[0])  # warm-up: model loading and imports are not per-cluster costs
    start = time.perf_counter()
    for record in records:
        fn(record)
    return 1000 * (time.perf_counter() - start) / len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=100)
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument(
        "--write", action="store_true", help="write the figures to docs/benchmarks.md (section scorer-speed)"
    )
    args = parser.parse_args()
    records = data.read_split("val", 0, args.clusters)
    # The same records for every system: those StoryBrief can brief (a few Multi-News clusters are
    # nothing but placeholder pages, which it refuses with a reason).
    from storybrief.brief.pipeline import prepare
    from storybrief.errors import StoryBriefError

    def briefable(record) -> bool:
        try:
            prepare(record["documents"])
            return True
        except StoryBriefError:
            return False

    skipped = len(records)
    records = [r for r in records if briefable(r)]
    skipped -= len(records)

    import re

    import blingfire
    from summa import summarizer as summa_summarizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class Tokenizer:
        """sumy's own tokenizer needs NLTK punkt data, which is not installed; blingfire instead."""

        language = "english"

        def to_sentences(self, paragraph):
            return [s for s in blingfire.text_to_sentences(paragraph).split("\n") if s.strip()]

        def to_words(self, sentence):
            return re.findall(r"\w+", sentence)

    lexrank = LexRankSummarizer()

    def sumy_lexrank(record):
        parser = PlaintextParser.from_string("\n".join(record["documents"]), Tokenizer())
        return lexrank(parser.document, 12)

    systems = {
        f"storybrief {m}": lambda r, m=m: storybrief.summarize(r["documents"], words=args.words, method=m)
        for m in ("learned", "centroid", "lead")
    }
    systems["summa textrank"] = lambda r: summa_summarizer.summarize("\n".join(r["documents"]), words=args.words)
    systems["sumy lexrank"] = sumy_lexrank
    times = {name: per_cluster(fn, records) for name, fn in systems.items()}
    for name, ms in times.items():
        print(f"{name:20s} {ms:7.1f} ms/cluster  {1000 / ms:6.1f} clusters/s")
    learned = times["storybrief learned"]
    print(
        f"learned vs summa: {times['summa textrank'] / learned:.2f}x the throughput; "
        f"vs sumy LexRank: {times['sumy lexrank'] / learned:.2f}x"
    )
    if args.write:
        from datetime import date

        from report import machine_line, write_section

        body = (
            f"Whole pipeline per cluster (load to render) for each StoryBrief method, "
            f"against summa TextRank and sumy LexRank "
            f"(12 sentences, blingfire sentences) on the raw articles; Multi-News val[0:{args.clusters}] "
            f"({len(records)} clusters; {skipped} made only of placeholder pages left out), {args.words}-word briefs, "
            f"one process, one thread. Machine: {machine_line()}, {date.today()} "
            f"(compare ratios, not absolute times). Script: `bench/measure/scorer_speed.py`.\n\n"
            "| system | ms/cluster | clusters/s |\n|---|---|---|\n"
            + "\n".join(f"| {name} | {ms:.1f} | {1000 / ms:.1f} |" for name, ms in times.items())
        )
        write_section(
            "scorer-speed", "## Throughput of the scoring methods (`bench/measure/scorer_speed.py`)\n\n" + body
        )


if __name__ == "__main__":
    main()
