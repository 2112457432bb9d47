"""Sentence splitters compared: accuracy on hand-labelled news cases, speed on Multi-News articles.

    python -m bench.measure.segment [--clusters 200]

Prints a table and writes it to docs/benchmarks.md (section `segment`).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import time
from datetime import date

from bench.data import multinews
from bench.report import machine_line, write_section
from storybrief.brief.segment import split_sentences

# (text, the sentences it should give) — written for this benchmark, news-style traps included.
CASES = [
    ("Sen. Maria Lopez (D., Ore.) spoke on Friday. She left at noon.", 2),
    ("Dr. Adams arrived at 5 p.m. on Jan. 5. The U.S. team left.", 2),
    ('He said: "This is it. We are done." Then he left.', 2),
    ("the u.s. army said on monday it would act. officials declined to comment.", 2),
    ('A woman reads the book " the lost symbol " by the author. The launch was in sydney.', 2),
    ("Mr. Jones paid $3.5 million for it. Shares fell 2.5% on Tuesday.", 2),
    ("It was late. Was it? Yes!", 3),
    ("Gov. Andrew Cuomo, D-N.Y., spoke. No. 2 was next.", 2),
    ("The company (founded in 1999) grew fast. It employs 500 people.", 2),
    ('"We will win," he said. "It is certain."', 2),
    ("police arrested two men. a third man is still at large, police said.", 2),
    ("The vote was 5-4. Justice Kagan wrote the dissent.", 2),
]


def splitters():
    import blingfire
    import pysbd

    pysbd_segmenter = pysbd.Segmenter(language="en", clean=False)
    return {
        "blingfire (raw)": lambda t: [s for s in blingfire.text_to_sentences(t).split("\n") if s.strip()],
        "pysbd": lambda t: [s for s in pysbd_segmenter.segment(t) if s.strip()],
        "storybrief (blingfire + repairs)": split_sentences,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(multinews("val")))
    parser.add_argument("--clusters", type=int, default=200)
    args = parser.parse_args()
    documents = []
    with gzip.open(args.data, "rt") as f:
        for line in itertools.islice(f, args.clusters):
            documents.extend(json.loads(line)["documents"])
    rows = []
    for name, split in splitters().items():
        correct = sum(len(split(text)) == n for text, n in CASES)  # also warms the splitter up
        start = time.perf_counter()
        count = sum(len(split(d)) for d in documents)
        seconds = time.perf_counter() - start
        rows.append((name, correct, count, seconds))
    fastest = min(r[3] for r in rows)
    lines = [
        f"Sentence splitting: {len(CASES)} hand-labelled cases; speed on {len(documents)} articles of the first "
        f"{args.clusters} Multi-News validation clusters. Machine: {machine_line()}, {date.today()}.",
        "",
        "| splitter | cases right | sentences | seconds | time vs fastest |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {n} | {c}/{len(CASES)} | {k} | {s:.3f} | {s / fastest:.1f}× |" for n, c, k, s in rows]
    table = "\n".join(lines)
    print(table)
    write_section("segment", "## Sentence splitting (`bench/measure/segment.py`)\n\n" + table)


if __name__ == "__main__":
    main()
