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
from rich.markup import escape
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
    # The message is plain text (file names, URLs): escape it so "[service]" is not read as markup.
    stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
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
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface; set STORYBRIEF_TOKEN then)."),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535),
    db: Optional[str] = typer.Option(None, "--db", help="SQLAlchemy URL (sqlite:///FILE, postgresql+psycopg://...). Default: $STORYBRIEF_DB or ./storybrief.db."),
    words: int = typer.Option(150, "--words", "-w", min=1, max=2000, help="Word budget of each story's brief."),
    max_body: int = typer.Option(10 * 1024 * 1024, "--max-body", min=1024, help="Largest request body in bytes (413 above it)."),
    allow_fetch: bool = typer.Option(False, "--allow-fetch", help="Let POST /articles give only a URL, fetched from public addresses."),
) -> None:
    """Run the HTTP service: JSON API, web page at /, API docs at /docs."""
    from storybrief.service import missing_modules

    missing = missing_modules()
    if missing:
        fail(f"the service needs the 'service' extra (missing {', '.join(missing)}): pip install 'storybrief[service]'")
    from storybrief.service.server import serve as run_server

    try:
        run_server(host=host, port=port, db_url=db, words=words, max_body=max_body, allow_fetch=allow_fetch,
                   warn=lambda message: stderr.print(message, style="bold red" if message.startswith("WARNING") else None,
                                                     highlight=False, markup=False, soft_wrap=True))
    except StoryBriefError as exc:
        fail(str(exc))


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    run()
