"""ROUGE and speed of StoryBrief against its peers on the Multi-News validation split.

Runs `storybrief.evaluation.evaluate` at each word budget (250 and 100 by default) with every baseline,
prints the tables and writes them, with the machine, date, split and sample size, into
docs/benchmarks.md between `<!-- BEGIN quality -->` and `<!-- END quality -->`.

    OMP_NUM_THREADS=1 python -m bench.measure.quality --limit 1000

Threads are pinned to one (before NumPy is imported) so that every system runs under the same
conditions; run it on a quiet machine, since the speed columns are wall-clock times.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# Set before NumPy is imported (through the imports below); written out rather than looped so
# that the imports may follow them.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("NUMEXPR_NUM_THREADS", "1")

from bench.data import ROOT, multinews
from bench.report import write_section
from storybrief.evaluation.evaluate import evaluate
from storybrief.evaluation.peers import BASELINES
from storybrief.evaluation.report import report_markdown, throughput_ratios

SECTION = "quality"
DEFAULT_DATA = str(multinews("val"))


def throughput_lines(report: dict) -> list[str]:
    """The speed targets: the default method at least summa's rate and 5× sumy LexRank's."""
    lines = []
    for column, label in (
        ("clusters_per_second", "documents in, summary out"),
        ("ranking_clusters_per_second", "after shared preparation"),
    ):

        def rate(name: str, column: str = column) -> float | None:
            return next((s[column] for s in report["systems"] if s["name"] == name), None)

        mine = next((s[column] for s in report["systems"] if s.get("method") == "default"), None)
        summa, lexrank = rate("textrank (summa)"), rate("lexrank (sumy)")
        if mine is None or summa is None or lexrank is None:
            continue
        lines.append(
            f"- {label}: default {mine:.1f} clusters/s = {mine / summa:.2f}× summa TextRank"
            f" (target ≥ 1: {'met' if mine >= summa else 'not met'}), {mine / lexrank:.2f}× sumy LexRank"
            f" (target ≥ 5: {'met' if mine >= 5 * lexrank else 'not met'})."
        )
    return lines


def section(reports: list[dict], command: str) -> str:
    first = reports[0]
    machine = first["machine"]
    threads = ", ".join(f"{k}={v}" for k, v in machine["threads"].items()) or "not pinned"
    out = [
        "## Quality and speed against peers",
        "",
        f"Measured {first['date']} on {machine['cpu']} ({machine['cores']} cores visible, {threads}),"
        f" Python {machine['python']}, {machine['system']}. Reproduce with `{command}`.",
        f"Data: the {first['split']} split of Multi-News (`{Path(first['data']).name}`), the first"
        f" {first['clusters'] + len(first['skipped'])} lines of the file ({first['clusters']} clusters evaluated);"
        " no test split is used.",
        "Every system picks from the same sentences (StoryBrief's clean → dedupe → segment) and obeys the same rule:"
        " sentences in rank order while they fit the budget. ROUGE F1 × 100 from `rouge-score`"
        f" {first['versions']['rouge-score']} with Porter stemming; [low, high] is a 95% percentile bootstrap interval"
        f" ({first['bootstrap']['resamples']} resamples of the clusters, shared by all systems)."
        f" Peak memory: tracemalloc peak on one cluster, max over the {first['memory']['clusters']} largest clusters.",
    ]
    for report in reports:
        out += ["", f"### {report['words']}-word budget", "", report_markdown(report).rstrip(), ""]
        out += ["Throughput targets:", *throughput_lines(report)]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=DEFAULT_DATA, help="validation JSONL(.gz) with {id, documents, summary}")
    parser.add_argument("--limit", type=int, default=300, help="clusters to evaluate (the first N of the file)")
    parser.add_argument("--words", type=int, nargs="+", default=[250, 100], help="word budgets")
    parser.add_argument("--method", nargs="+", default=["default"], help="StoryBrief methods to run side by side")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, default=None, help="also write each report as JSON into this folder")
    parser.add_argument(
        "--from-json",
        type=Path,
        default=None,
        help="do not evaluate: rewrite the section from the reports an earlier --json run saved here",
    )
    args = parser.parse_args(argv)

    if args.from_json is not None:
        reports = [json.loads((args.from_json / f"quality-{w}.json").read_text(encoding="utf-8")) for w in args.words]
        limit = reports[0]["limit"]
        command = (
            f"OMP_NUM_THREADS=1 python -m bench.measure.quality --limit {limit} "
            f"--words {' '.join(map(str, args.words))}"
        )
        write_section(SECTION, section(reports, command), args.output)
        print(f"wrote the '{SECTION}' section of {args.output} from {args.from_json}")
        return 0

    reports = []
    for words in args.words:
        started = time.perf_counter()
        report = evaluate(
            args.data, words=words, limit=args.limit, methods=args.method, baselines=BASELINES, resamples=args.resamples
        )
        print(f"\n{words}-word budget ({time.perf_counter() - started:.0f} s)\n")
        print(report_markdown(report))
        print("\n".join(throughput_lines(report)))
        ratios = throughput_ratios(report)
        print("default clusters/s ÷ other system's: " + ", ".join(f"{k} {v:.2f}×" for k, v in ratios.items()))
        if args.json is not None:
            args.json.mkdir(parents=True, exist_ok=True)
            (args.json / f"quality-{words}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        reports.append(report)
    command = (
        f"OMP_NUM_THREADS=1 python -m bench.measure.quality --limit {args.limit} "
        f"--words {' '.join(map(str, args.words))}"
    )
    write_section(SECTION, section(reports, command), args.output)
    print(f"\nwrote the '{SECTION}' section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
