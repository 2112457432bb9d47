"""The `storybrief` command: a thin shell over the library that turns input problems into
one-line errors and non-zero exits."""

from __future__ import annotations

import sys
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from storybrief import __version__
from storybrief.errors import StoryBriefError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Brief a news story from many articles, every sentence cited.")
stderr = Console(stderr=True)


class Format(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def fail(message: str, code: int = 1) -> None:
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def example_path() -> Path:
    return Path(str(resources.files("storybrief") / "examples" / "harbour-bridge"))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storybrief {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """StoryBrief."""


@app.command()
def summarize(
    paths: Optional[list[str]] = typer.Argument(None, help="Article files or folders, or '-' for stdin. None: the bundled example story."),
    words: int = typer.Option(150, "--words", "-w", min=1, help="Word budget of the brief."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    method: str = typer.Option("default", "--method", "-m", help="Scoring method (default, centroid, lead, ...)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the brief here instead of stdout."),
) -> None:
    """Brief one story from its articles."""
    from storybrief.pipeline import summarize as summarize_story

    try:
        brief = summarize_story(paths or [example_path()], words=words, method=method)
    except StoryBriefError as exc:
        fail(str(exc))
    rendered = {Format.text: brief.to_text, Format.markdown: brief.to_markdown, Format.json: lambda: brief.to_json() + "\n"}[format]()
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")


@app.command()
def batch(
    source: str = typer.Argument(..., metavar="IN.jsonl", help="One cluster a line: {id, documents} or {id, document}; .gz allowed."),
    target: str = typer.Argument(..., metavar="OUT.jsonl", help="One {id, summary, brief} a line; .gz allowed."),
    words: int = typer.Option(150, "--words", "-w", min=1),
    method: str = typer.Option("default", "--method", "-m"),
) -> None:
    """Brief every story cluster of a JSONL file."""
    from storybrief.batch import count_lines, run_batch

    if source != "-" and not Path(source).is_file():
        fail(f"{source}: no such file")
    total = count_lines(source)
    columns = [TextColumn("briefing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=stderr, transient=False, disable=not stderr.is_terminal and total is None) as progress:
        task = progress.add_task("batch", total=total, rate="")

        def advance(number: int) -> None:
            elapsed = progress.tasks[0].elapsed or 0
            done = progress.tasks[0].completed + 1
            progress.update(task, advance=1, rate=f"{done / elapsed:.1f}/s" if elapsed else "")

        try:
            written, failures = run_batch(source, target, words=words, method=method, progress=advance)
        except StoryBriefError as exc:
            fail(str(exc))
    for failure in failures:
        stderr.print(f"{source}:{failure.line}: id {failure.id}: {failure.message}", highlight=False, markup=False)
    stderr.print(f"{written} briefs written to {target}" + (f", {len(failures)} lines failed" if failures else ""), highlight=False)
    if failures:
        raise typer.Exit(1)


@app.command()
def evaluate(
    data: str = typer.Argument(..., metavar="DATA.jsonl", help="One cluster a line: {id, documents, summary}; .gz allowed."),
    words: int = typer.Option(250, "--words", "-w", min=1, help="Word budget, the same for every system."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Evaluate the first N clusters only."),
    method: Optional[list[str]] = typer.Option(None, "--method", "-m", help="StoryBrief method; repeat or comma-separate for several. Default: default."),
    baselines: bool = typer.Option(False, "--baselines", help="Add every peer: lead, sumy LexRank/TextRank/LSA/SumBasic, summa TextRank, the oracle."),
    baseline: Optional[list[str]] = typer.Option(None, "--baseline", "-b", help="Add one peer by name, repeatable: lead, lexrank, textrank, lsa, sumbasic, summa, oracle."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report as JSON here."),
    resamples: int = typer.Option(1000, "--resamples", min=10, help="Bootstrap resamples for the 95% intervals."),
    memory_clusters: int = typer.Option(10, "--memory-clusters", min=0, help="Measure peak memory on the N largest clusters (0: skip)."),
) -> None:
    """Score briefs against reference summaries: ROUGE with 95% intervals, speed and memory."""
    import json

    from rich.console import Console as RichConsole

    from storybrief.evaluate import evaluate as run_evaluation
    from storybrief.evaluate import report_table
    from storybrief.peers import BASELINES

    methods = [m.strip() for item in method or ["default"] for m in item.split(",") if m.strip()]
    peers = [b.strip() for item in baseline or [] for b in item.split(",") if b.strip()]
    columns = [TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        task = progress.add_task("evaluate", total=limit)
        try:
            report = run_evaluation(
                data, words=words, limit=limit, methods=methods,
                baselines=BASELINES if baselines else peers, resamples=resamples,
                memory_clusters=memory_clusters, progress=lambda n: progress.update(task, completed=n),
            )
        except StoryBriefError as exc:
            fail(str(exc))
    for skip in report["skipped"]:
        stderr.print(f"{data}:{skip['line']}: id {skip['id']}: skipped: {skip['reason']}", highlight=False, markup=False, soft_wrap=True)
    console = RichConsole()
    if not console.is_terminal:  # a pipe or file: do not wrap the table at 80 columns
        console = RichConsole(width=200)
    console.print(report_table(report))
    if output is not None:
        try:
            output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: cannot write ({exc.strerror or exc})")


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    run()
