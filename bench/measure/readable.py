"""Readability and off-topic articles, corpus by corpus: `storybrief evaluate` on clean clusters and
with `--intruder`, in one table.

    python -m bench.build.duc                      # once, for the DUC rows
    OMP_NUM_THREADS=1 python -m bench.measure.readable --limit 1000

Rows: Multi-News val (the first `--limit` lines) at 250 and 100 words, DUC 2006 and the DUC 2007
main task at 250, the DUC 2007 update task's document sets at 100 (DUC rows only when
bench/.data/ is built). For a DUC corpus the evaluation file is written into bench/.data/
(`CORPUS-evaluate.jsonl`: the topic's documents and their `dates`, the first reference as
`summary`; git-ignored), so its ROUGE column is rouge-score F1 against one reference, not the
official figure (`bench.measure.duc` has that). Writes the section `readable` of
docs/benchmarks.md.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.data import BENCH_DATA, multinews  # noqa: E402
from bench.report import BENCHMARKS, machine_line, write_section  # noqa: E402
from storybrief.evaluation.evaluate import evaluate  # noqa: E402

SECTION = "readable"
DUC = {"duc2006": 250, "duc2007": 250, "duc2007-update": 100}


def duc_file(corpus: str) -> Path | None:
    """The corpus as `evaluate` reads it (built from bench/.data/CORPUS.jsonl), or None when not built."""
    source = BENCH_DATA / f"{corpus}.jsonl"
    if not source.is_file():
        return None
    target = BENCH_DATA / f"{corpus}-evaluate.jsonl"
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            if not record["references"]:
                continue
            out.write(json.dumps({"id": record["id"], "documents": record["documents"], "dates": record["dates"],
                                  "summary": record["references"][0]}) + "\n")
    return target


def row(name: str, words: int, clean: dict, intruded: dict) -> str:
    s, t = clean["systems"][0], intruded["systems"][0]
    r = s["readability"]
    return (
        f"| {name} | {words} | {clean['clusters']} | {s['rouge1']['mean'] * 100:.2f} | {s['rouge2']['mean'] * 100:.2f}"
        f" | {r['unbalanced_quotes'] * 100:.1f} | {r['dangling_openings'] * 100:.1f}"
        f" | {r['bad_first_sentence'] * 100:.1f}"
        f" | {t['intruder']['share_two_or_more'] * 100:.1f} ({t['intruder']['clusters_two_or_more']})"
        f" | {t['intruder']['share'] * 100:.1f} | {t['intruder']['briefs_taking'] * 100:.1f}"
        f" | {t['rouge1']['mean'] * 100:.2f} | {s['clusters_per_second']:.1f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=1000, help="Multi-News val clusters (the first N)")
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    runs = [("Multi-News val", multinews("val"), words, args.limit) for words in (250, 100)]
    for corpus, words in DUC.items():
        path = duc_file(corpus)
        if path is not None:
            runs.append((corpus.replace("duc", "DUC ").replace("-update", " update"), path, words, None))
    rows = []
    for name, path, words, limit in runs:
        common = dict(words=words, limit=limit, resamples=200, memory_clusters=0)
        clean = evaluate(path, **common)
        intruded = evaluate(path, intruder=True, **common)
        rows.append(row(name, words, clean, intruded))
        print(rows[-1], flush=True)
    command = f"OMP_NUM_THREADS=1 python -m bench.measure.readable --limit {args.limit}"
    body = "\n".join([
        "## Readable briefs and off-topic articles (`storybrief evaluate`, clean and `--intruder`)",
        "",
        f"Measured {date.today().isoformat()} on {machine_line()}. Reproduce with `{command}` (DUC rows after"
        " `python -m bench.build.duc`). The default method; ROUGE F1 × 100 from rouge-score (for DUC against the"
        " first reference only: the official figures are in the DUC sections). Readability"
        " (`storybrief.evaluation.readability`, docs/design-readable.md): quote fragments, dangling openings (a"
        " pronoun, and/but/so, a first-person word or a quotation whose speaker is a pronoun or absent, not preceded by"
        " its article's sentence before it), briefs whose first sentence is a quotation, a question, background or"
        " such an opening. Intruder: one article of another cluster added to each cluster (seeded); the share of"
        " brief sentences taken from it over the clusters that keep two or more of their own articles (how many in"
        " brackets), over all clusters, and the share of briefs taking any; then ROUGE-1 of those briefs.",
        "",
        "| corpus | words | clusters | ROUGE-1 | ROUGE-2 | quote fragments % | dangling openings % | bad first % "
        "| intruder % (2+ own articles) | intruder % (all) | briefs taking it % | ROUGE-1 with intruder | clusters/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])
    print(body)
    if not args.no_write:
        write_section(SECTION, body, args.output)
        print(f"wrote the '{SECTION}' section of {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
