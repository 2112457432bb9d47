"""How far the update brief is from the best DUC 2007 update participant, and how sure that is.

    OMP_NUM_THREADS=1 python -m bench.experiments.update_gap [--exact] [--write]

The DUC 2007 update task (10 topics x sets A, B, C; 100 words; bench.measure.duc_update) ranks
systems by mean ROUGE-2 recall over its 30 summaries. This script scores StoryBrief's update brief
(with and without the topic statement as the query) beside every automatic participant, in one
run of the official ROUGE-1.5.5 (NIST's options, jackknifed), and reads the per-summary recalls:

- the paired difference to the best participant (system 40), per set and per topic;
- its standard error with topics as the unit (the three sets of a topic share articles and
  references, so they are not independent), and an exact sign-flip test over the 10 topics;
- how much of the difference each topic holds, and the ranks with each topic left out.

`--exact` adds the update brief + query made with `summarize(..., exact=True)` (concept coverage's
integer program; docs/design-generalize.md, sixth pass).
`--write` puts the tables in docs/benchmarks.md (section `duc-update-gap`).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

from bench.data import BENCH_DATA, ROOT
from bench.measure.duc import read_jsonl, references_of
from bench.measure.duc_update import UPDATE, UPDATE_QUERY, briefs, participants
from bench.report import machine_line, write_section
from storybrief.evaluation.official_rouge import score

SECTION = "duc-update-gap"
BEST = "40"
EXACT = UPDATE_QUERY + ", exact"


def per_summary(results, system: str) -> dict[str, float]:
    return {topic: values["ROUGE-2"] for topic, values in results[system].per_topic.items()}


def sign_flip_p(differences: np.ndarray) -> float:
    """Two-sided exact p of the mean difference under random signs (topics as units)."""
    observed = abs(differences.mean())
    flips = [abs((differences * np.array(signs)).mean()) >= observed - 1e-12
             for signs in itertools.product((1, -1), repeat=len(differences))]
    return float(np.mean(flips))


def compare(results, ours: str, automatic: list[str]) -> list[str]:
    mine, best = per_summary(results, ours), per_summary(results, BEST)
    topics = sorted({t.rsplit("-", 1)[0] for t in mine})
    by_topic = np.array([np.mean([mine[f"{t}-{s}"] - best[f"{t}-{s}"] for s in "ABC"]) for t in topics])
    total = sum(mine[k] - best[k] for k in mine)
    lines = [f"**{ours}** against system {BEST}:", "",
             "| set | StoryBrief | system 40 | difference |", "|---|---:|---:|---:|"]
    for part in ("A", "B", "C", "ABC"):
        keys = [k for k in mine if part == "ABC" or k.endswith("-" + part)]
        a, b = np.mean([mine[k] for k in keys]), np.mean([best[k] for k in keys])
        lines.append(f"| {part if part != 'ABC' else 'A+B+C'} | {a:.4f} | {b:.4f} | {a - b:+.4f} |")
    se = by_topic.std(ddof=1) / np.sqrt(len(by_topic))
    lines += ["", f"- Paired over the 10 topics (each topic's mean over its three sets): {by_topic.mean():+.4f}, "
              f"s.e. {se:.4f}; exact sign-flip p = {sign_flip_p(by_topic):.2f}; StoryBrief ahead on "
              f"{int((by_topic > 0).sum())} of 10 topics."]
    shares = sorted(zip(topics, by_topic * 3), key=lambda x: x[1])
    worst = shares[0]
    lines.append(f"- Summed over the 30 summaries the difference is {total:+.3f}; topic {worst[0]} alone holds "
                 f"{worst[1]:+.3f} of it ({worst[1] / total:.0%}). Per topic (sum of its three sets): "
                 + ", ".join(f"{t} {v:+.3f}" for t, v in shares) + ".")
    ranks = []
    for left in topics:
        kept = {s: np.mean([v for k, v in per_summary(results, s).items() if not k.startswith(left)])
                for s in [*automatic, ours]}
        ranks.append(1 + sum(1 for s in automatic if kept[s] > kept[ours]))
    lines.append(f"- Rank among the {len(automatic)} automatic systems with one topic left out: "
                 + ", ".join(f"{t} → {r}" for t, r in zip(topics, ranks)) + ".")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=BENCH_DATA)
    parser.add_argument("--exact", action="store_true", help="also the exact solver's update brief + query")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    records = read_jsonl(args.data / "duc2007-update.jsonl")
    summaries, kinds = participants(read_jsonl(args.data / "duc2007-update-peers.jsonl"))
    automatic = [s for s, kind in kinds.items() if kind in ("participant", "baseline")]
    summaries = {s: summaries[s] for s in automatic}
    summaries[UPDATE], _ = briefs(records, with_update=True)
    summaries[UPDATE_QUERY], _ = briefs(records, with_update=True, query=True)
    ours = [UPDATE_QUERY, UPDATE]
    if args.exact:
        summaries[EXACT], _ = briefs(records, with_update=True, query=True, exact=True)
        ours.append(EXACT)
    references = references_of(records)
    results = score(summaries, references, resamples=100)
    lines = ["## DUC 2007 update task: the gap to the best participant (`bench/experiments/update_gap.py`)", "",
             f"Measured on {machine_line()}. Reproduce with `python -m bench.build.duc --corpus duc2007-update && "
             f"OMP_NUM_THREADS=1 python -m bench.experiments.update_gap{' --exact' if args.exact else ''}`. "
             "ROUGE-2 recall of each summary from one official ROUGE-1.5.5 run (NIST's options, jackknifed "
             "over the four references); means of those per-summary figures, so within about ±0.0005 of the "
             "bootstrap means in the `duc-update` section.", ""]
    for name in ours:
        lines += [*compare(results, name, automatic), ""]
    body = "\n".join(lines)
    print(body)
    if args.write:
        write_section(SECTION, body, args.output)
        print(f"wrote the '{SECTION}' section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
