"""`storybrief evaluate`: ROUGE against references, readability, citations."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storybrief.cli.app import app, fail, stderr
from storybrief.errors import StoryBriefError
from storybrief.types import EVALUATION_WORDS


@app.command()
def evaluate(
    data: str = typer.Argument(
        ..., metavar="DATA.jsonl", help="One cluster a line: {id, documents, summary}; .gz allowed."
    ),
    words: int = typer.Option(EVALUATION_WORDS, "--words", "-w", min=1, help="Word budget, the same for every system."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Evaluate the first N clusters only."),
    method: Optional[list[str]] = typer.Option(
        None, "--method", "-m", help="StoryBrief method; repeat or comma-separate for several. Default: default."
    ),
    baselines: bool = typer.Option(
        False,
        "--baselines",
        help="Add every peer: lead, sumy LexRank/TextRank/LSA/SumBasic, summa TextRank, the oracle.",
    ),
    baseline: Optional[list[str]] = typer.Option(
        None,
        "--baseline",
        "-b",
        help="Add one peer by name, repeatable: lead, lexrank, textrank, lsa, sumbasic, summa, oracle.",
    ),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report as JSON here."),
    resamples: int = typer.Option(1000, "--resamples", min=10, help="Bootstrap resamples for the 95% intervals."),
    memory_clusters: int = typer.Option(
        10, "--memory-clusters", min=0, help="Measure peak memory on the N largest clusters (0: skip)."
    ),
    intruder: bool = typer.Option(
        False,
        "--intruder",
        help="Add one article of another cluster to each cluster; report the share of brief sentences taken from it.",
    ),
    citations: bool = typer.Option(
        False,
        "--citations",
        help="Check citations, not ROUGE: the share without lexical evidence; with --pairs/--labels, precision and "
        "recall of the support decision (DATA is then the stories file bench/build/citation_pairs.py writes).",
    ),
    pairs: Optional[Path] = typer.Option(None, "--pairs", help="With --citations: the labelled pairs' ids."),
    labels: Optional[Path] = typer.Option(None, "--labels", help="With --citations: the labels of those pairs."),
    semantic: bool = typer.Option(
        False, "--semantic", help="With --citations: the support decision of --semantic briefs."
    ),
) -> None:
    """Score briefs against reference summaries: ROUGE with 95% intervals, speed and memory."""

    if citations or pairs or labels:
        evaluate_citations(data, words, limit, pairs, labels, output, semantic)
        return

    from rich.console import Console as RichConsole

    from storybrief.evaluation.evaluate import evaluate as run_evaluation
    from storybrief.evaluation.peers import BASELINES
    from storybrief.evaluation.report import report_table

    methods = [m.strip() for item in method or ["default"] for m in item.split(",") if m.strip()]
    peers = [b.strip() for item in baseline or [] for b in item.split(",") if b.strip()]
    columns = [TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        task = progress.add_task("evaluate", total=limit)
        try:
            report = run_evaluation(
                data,
                words=words,
                limit=limit,
                methods=methods,
                baselines=BASELINES if baselines else peers,
                resamples=resamples,
                memory_clusters=memory_clusters,
                progress=lambda n: progress.update(task, completed=n),
                intruder=intruder,
            )
        except StoryBriefError as exc:
            fail(str(exc))
    for skip in report["skipped"]:
        stderr.print(
            f"{data}:{skip['line']}: id {skip['id']}: skipped: {skip['reason']}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    console = RichConsole()
    if not console.is_terminal:  # a pipe or file: do not wrap the table at 80 columns
        console = RichConsole(width=260)
    console.print(report_table(report))
    write_report(output, report)


def evaluate_citations(
    data: str,
    words: int,
    limit: Optional[int],
    pairs: Optional[Path],
    labels: Optional[Path],
    output: Optional[Path],
    semantic: bool = False,
) -> None:
    from storybrief.evaluation.citations import citation_report

    try:
        lines, report = citation_report(data, words, limit, pairs, labels, semantic)
    except StoryBriefError as exc:
        fail(str(exc))
    sys.stdout.write("\n".join(lines) + "\n")
    write_report(output, report)


def write_report(output: Optional[Path], report: dict) -> None:
    """The evaluation report as JSON, when asked for (`--output`)."""
    import json

    if output is not None:
        try:
            output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: cannot write ({exc.strerror or exc})")

