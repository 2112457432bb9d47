"""The `storybrief` command: a thin shell over the library that turns input problems into
one-line errors and non-zero exits."""

from __future__ import annotations

import sys
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


FORMATS = ("text", "markdown", "json")


def fail(message: str, code: int = 1) -> None:
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def check_words(words: int) -> None:
    if words < 1:
        fail(f"--words must be at least 1, not {words}")


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
    words: int = typer.Option(150, "--words", "-w", help="Word budget of the brief."),
    format: str = typer.Option("text", "--format", "-f", help="Output format: text, markdown or json."),
    method: str = typer.Option("default", "--method", "-m", help="Scoring method (default, centroid, lead, ...)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the brief here instead of stdout."),
) -> None:
    """Brief one story from its articles."""
    from storybrief.pipeline import summarize as summarize_story

    check_words(words)
    if format not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    try:
        # Arguments are always paths here; only the library reads a bare string as article text.
        brief = summarize_story([Path(p) if p != "-" else p for p in paths] if paths else [example_path()], words=words, method=method)
    except StoryBriefError as exc:
        fail(str(exc))
    for warning in brief.warnings:
        stderr.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    rendered = {"text": brief.to_text, "markdown": brief.to_markdown, "json": lambda: brief.to_json() + "\n"}[format]()
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
    words: int = typer.Option(150, "--words", "-w", help="Word budget of each brief."),
    method: str = typer.Option("default", "--method", "-m"),
) -> None:
    """Brief every story cluster of a JSONL file."""
    from storybrief.batch import count_lines, run_batch

    check_words(words)
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
        stderr.print(f"{source}:{failure.line}: id {failure.id}: {failure.message}", highlight=False, markup=False, soft_wrap=True)
    stderr.print(f"{written} briefs written to {target}" + (f", {len(failures)} lines failed" if failures else ""), highlight=False, soft_wrap=True)
    if failures:
        raise typer.Exit(1)


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    run()
