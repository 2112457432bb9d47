"""How much StoryBrief's DUC 2006 ROUGE depends on how the LDC documents are turned into text.

    OMP_NUM_THREADS=1 python -m bench.experiments.duc_prep [--method default]

Briefs the 50 DUC 2006 topics (250 words) from the same documents prepared several ways and scores
all the variants in one official ROUGE-1.5.5 run (docs/design-eval-duc.md has the table). Reads
bench/.data/duc2006.jsonl (python -m bench.build.duc) and, for the raw variants, the snapshot.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
from bench.build import duc
from bench.data import BENCH_DATA
from bench.measure.duc import references_of
from storybrief.brief import pipeline
from storybrief.brief.score import get_scorer
from storybrief.evaluation.official_rouge import score
from storybrief.types import Article


def raw_text(markup: str, mode: str) -> str:
    body = re.sub(r"<ANNOTATION>.*?</ANNOTATION>", " ", duc.tag(markup, "TEXT"), flags=re.S)
    if mode == "wraps":  # the LDC file's own line breaks kept, tags and control codes dropped
        return duc.LDC_CODE.sub(" ", re.sub(r"<[^>]+>", "\n", body))
    paragraphs = re.findall(r"<P>(.*?)</P>", body, re.S) or [body]
    if mode == "ldc_quotes":  # as built, but ``…'' left as they are
        return "\n".join(" ".join(duc.LDC_CODE.sub(" ", p).split()) for p in paragraphs)
    if mode == "one_line":  # as built, every document on one line
        return " ".join(duc.undo_ldc(p) for p in paragraphs)
    raise ValueError(mode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", default="default")
    parser.add_argument(
        "--source", type=Path, default=Path(os.environ.get("STORYBRIEF_DUC_SOURCE") or duc.DEFAULT_SOURCE)
    )
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in (BENCH_DATA / "duc2006.jsonl").open(encoding="utf-8")]
    snapshot = duc.Snapshot(args.source)

    def raw(record: dict, mode: str) -> list[Article]:
        names = [f"DUC_data/DUC2006/duc2006_docs/{record['id']}/{d}" for d in record["doc_ids"]]
        blobs = snapshot.read_many(names)
        return [Article(text=raw_text(duc.decode(blobs[n]), mode)) for n in names]

    def built(record: dict) -> list[Article]:
        return [Article(text=t) for t in record["documents"]]

    variants = {
        "as built (date order)": built,
        "documents in id order": lambda r: [Article(text=t) for _, t in sorted(zip(r["doc_ids"], r["documents"]))],
        "NYT ' _ ' dash kept": lambda r: [Article(text=t.replace(" — ", " _ ")) for t in r["documents"]],
        "headline as the first line": lambda r: [
            Article(text=f"{h}\n{t}") for t, h in zip(r["documents"], r["titles"])
        ],
        "LDC's ASCII quotes kept": lambda r: raw(r, "ldc_quotes"),
        "each document on one line": lambda r: raw(r, "one_line"),
        "LDC line breaks kept": lambda r: raw(r, "wraps"),
    }
    scorer = get_scorer(args.method)
    summaries = {}
    for name, articles_of in variants.items():
        briefs = {r["id"]: pipeline.summarize(articles_of(r), words=250, scorer=scorer) for r in records}
        summaries[name] = {topic: [s.text for s in brief.sentences] for topic, brief in briefs.items()}
        print(f"briefed: {name}", file=sys.stderr)
    references = references_of(records)
    scores = score(summaries, references)
    print(f"| text given to StoryBrief ({args.method}) | ROUGE-2 | ROUGE-SU4 | mean sentence words |")
    print("|---|---:|---:|---:|")
    for name in variants:
        sentences = [s for brief in summaries[name].values() for s in brief]
        words = sum(len(s.split()) for s in sentences) / len(sentences)
        r2, su4 = scores[name].recall("ROUGE-2"), scores[name].recall("ROUGE-SU4")
        print(f"| {name} | {r2:.4f} | {su4:.4f} | {words:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
