"""`storybrief summarize` (one story) and `storybrief batch` (a JSONL file of story clusters)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from storybrief.cli.app import app, check_format, check_words, example_path, fail, stderr
from storybrief.errors import StoryBriefError
from storybrief.types import DEFAULT_WORDS


@app.command()
def summarize(
    paths: Optional[list[str]] = typer.Argument(
        None, help="Article files or folders, or '-' for stdin. None: the bundled example story."
    ),
    words: int = typer.Option(DEFAULT_WORDS, "--words", "-w", help="Word budget of the brief."),
    format: str = typer.Option("text", "--format", "-f", help="Output format: text, markdown or json."),
    method: str = typer.Option("default", "--method", "-m", help="Scoring method (default, centroid, lead, ...)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the brief here instead of stdout."),
    evidence: bool = typer.Option(
        False, "--evidence", help="Under each sentence, each cited source's sentence reporting it (JSON always has it)."
    ),
    semantic: bool = typer.Option(
        False, "--semantic", help="Citations also read all-MiniLM-L6-v2 (the semantic extra; slower)."
    ),
    query: Optional[str] = typer.Option(None, "--query", help="What the reader wants to know (the brief leans to it)."),
    exact: bool = typer.Option(False, "--exact", help="Choose a long story's sentences exactly (better; 2-3x slower)."),
) -> None:
    """Brief one story from its articles."""
    from storybrief.brief.pipeline import summarize as summarize_story

    check_words(words)
    check_format(format)
    try:
        # Arguments are always paths here; only the library reads a bare string as article text.
        brief = summarize_story(
            [Path(p) if p != "-" else p for p in paths] if paths else [example_path()],
            words=words,
            method=method,
            semantic=semantic, query=query, exact=exact,
        )
    except StoryBriefError as exc:
        fail(str(exc))
    for warning in brief.warnings:
        stderr.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    rendered = {
        "text": lambda: brief.to_text(evidence=evidence),
        "markdown": lambda: brief.to_markdown(evidence=evidence),
        "json": lambda: brief.to_json() + "\n",
    }[format]()
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def batch(
    source: str = typer.Argument(
        ..., metavar="IN.jsonl", help="One cluster a line: {id, documents} or {id, document}; .gz allowed."
    ),
    target: str = typer.Argument(
        ..., metavar="OUT.jsonl", help="One {id, summary, brief} a line, in input order; .gz allowed."
    ),
    words: int = typer.Option(DEFAULT_WORDS, "--words", "-w", help="Word budget of each brief."),
    method: str = typer.Option("default", "--method", "-m"),
    engine: EngineName = typer.Option(
        EngineName.local, "--engine", "-e", help="local: a process pool on this machine; dask: a Dask cluster."
    ),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786); none: a local Dask cluster."
    ),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-j", min=1, help="Worker processes (default: the cores available)."
    ),
    resume: bool = typer.Option(False, "--resume", help="Keep OUT, skip the ids it already holds, append the rest."),
    chunk_lines: int = typer.Option(8, "--chunk-lines", min=1, help="Clusters sent to a worker at a time."),
) -> None:
    """Brief every story cluster of a JSONL file."""
    from storybrief.batch import count_lines, run_batch
    from storybrief.engines import make_engine

    check_words(words)
    if source != "-" and not Path(source).is_file():
        fail(f"{source}: no such file")
    if resume and target == "-":
        fail("--resume needs an output file, not stdout")
    if source != "-" and target != "-" and Path(target).exists() and Path(target).resolve() == Path(source).resolve():
        fail(f"{target}: OUT is the input file; writing it would destroy the input")
    total = count_lines(source)
    try:
        # Start (connect to) the engine before OUT is touched: an unreachable scheduler writes nothing.
        runner = make_engine(engine.value, workers=workers, scheduler=scheduler)
    except StoryBriefError as exc:
        fail(str(exc))
    columns = [
        TextColumn("briefing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with (
        runner,
        Progress(
            *columns, console=stderr, transient=False, disable=not stderr.is_terminal and total is None
        ) as progress,
    ):
        task = progress.add_task("batch", total=total, rate="")

        def advance(number: int) -> None:
            elapsed = progress.tasks[0].elapsed or 0
            done = progress.tasks[0].completed + 1
            progress.update(task, advance=1, rate=f"{done / elapsed:.1f} clusters/s" if elapsed else "")

        def skip(number: int) -> None:
            if progress.tasks[0].total:
                progress.update(task, total=progress.tasks[0].total - 1)

        try:
            written, failures = run_batch(
                source,
                target,
                words=words,
                method=method,
                progress=advance,
                engine=runner,
                resume=resume,
                chunk_lines=chunk_lines,
                skipped=skip,
            )
        except StoryBriefError as exc:
            fail(str(exc))
    for failure in failures:
        stderr.print(
            f"{source}:{failure.line}: id {failure.id}: {failure.message}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    stderr.print(
        f"{written} briefs written to {target}" + (f", {len(failures)} lines failed" if failures else ""),
        highlight=False,
        soft_wrap=True,
    )
    if failures:
        raise typer.Exit(1)

