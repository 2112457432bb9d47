"""The `storybrief` command's Typer app, its console and the checks every command shares: input
problems become one-line errors and non-zero exits (`fail`)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from storybrief import __version__

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Brief a news story from many articles, every sentence cited."
)
stderr = Console(stderr=True)

FORMATS = ("text", "markdown", "json")


def fail(message: str, code: int = 1) -> None:
    # The message is plain text (file names, URLs): escape it so "[service]" is not read as markup.
    stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def check_words(words: int) -> None:
    if words < 1:
        fail(f"--words must be at least 1, not {words}")


def check_format(format: str) -> None:
    if format not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")


def example_path() -> Path:
    from storybrief.shipped import EXAMPLE_STORY

    return EXAMPLE_STORY


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storybrief {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """StoryBrief."""

