"""`storybrief stories`: group a pile of articles into stories, each with its brief, timeline and update."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from storybrief.cli.app import app, check_format, check_words, fail, stderr
from storybrief.errors import StoryBriefError
from storybrief.types import DEFAULT_WORDS

# A process pool costs about a second to start (each worker imports the pipeline): worth it only
# when there are many briefs to make.
POOL_FROM_STORIES = 200


def brief_engine(workers: int, stories: int):
    """The engine that makes story briefs: `workers` processes, or (0) one per core when there are
    at least POOL_FROM_STORIES stories, else this process."""
    from storybrief.engines import LocalEngine, SerialEngine, default_workers

    if workers < 0:
        fail(f"--workers must be 0 (automatic) or more, not {workers}")
    if workers == 0:
        workers = default_workers() if stories >= POOL_FROM_STORIES else 1
    return LocalEngine(workers) if workers > 1 else SerialEngine()


@app.command()
def stories(
    inputs: list[str] = typer.Argument(
        ...,
        metavar="INPUT...",
        help="Folders of text/HTML files, articles JSONL (.gz allowed), RSS/Atom feed files, or '-'.",
    ),
    out: Optional[Path] = typer.Option(
        None,
        "--out",
        "-o",
        help="Write one JSON line per story here ({id, label, articles, sources, start, end, copies, brief, timeline, "
        "update, related}).",
    ),
    words: int = typer.Option(DEFAULT_WORDS, "--words", "-w", help="Word budget of each brief."),
    format: str = typer.Option(
        "text", "--format", "-f", help="Output format on stdout: text, markdown or json (one line per story)."
    ),
    threshold: Optional[float] = typer.Option(
        None,
        "--threshold",
        "-t",
        help="Similarity (0 to 1) needed to put articles in one story (default: the tuned value).",
    ),
    window: Optional[float] = typer.Option(
        None,
        "--window-days",
        help="Deprecated: time now lowers the chance of a join smoothly (7-day decay). When given (> 0), also a hard "
        "cap: dated articles further apart are not linked directly (0: no cap, the default).",
    ),
    state: Optional[Path] = typer.Option(
        None,
        "--state",
        help="Folder that keeps the stories between runs: new articles join known stories, ids stay, and a story that "
        "gained articles says what is new since the previous run.",
    ),
    brief: bool = typer.Option(True, "--brief/--no-brief", help="Brief each story (slower for many stories)."),
    workers: int = typer.Option(
        0,
        "--workers",
        help="Processes that make the briefs (0: one per core when there are many to make, else this one).",
    ),
) -> None:
    """Group articles from many feeds into stories and brief each one."""
    from storybrief.io.pile import read_pile
    from storybrief.stories import StoryIndex
    from storybrief.stories.render import render_stories_json, render_stories_markdown, render_stories_text

    check_words(words)
    check_format(format)
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        fail(f"--threshold must be between 0 and 1, not {threshold}")
    if window is not None and window < 0:
        fail(f"--window-days must be 0 or more, not {window}")
    try:
        pile = read_pile(inputs)
        index = StoryIndex.load(state, threshold=threshold, window_days=window) if state else StoryIndex()
        if not state:
            index.threshold = index.threshold if threshold is None else threshold
            index.window_days = index.window_days if window is None else window
        known = set(index.stories)
        assigned = index.add(pile.articles)
        found = index.all_stories(brief=False)
        if brief:
            columns = [
                TextColumn("briefing stories"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
            ]
            with (
                brief_engine(workers, len(found)) as engine,
                Progress(
                    *columns, console=stderr, transient=True, disable=not stderr.is_terminal or len(found) < 20
                ) as progress,
            ):
                task = progress.add_task("briefing", total=len(found))
                for story, (_, made) in zip(found, index.briefs([s.id for s in found], words, engine)):
                    story.brief = made
                    index.add_news(story)  # its timeline, and what is new since the previous run
                    progress.advance(task)
        if state:
            index.save(state)
    except StoryBriefError as exc:
        fail(str(exc))
    for note in pile.notes + index.notes:
        stderr.print(f"note: {note}", highlight=False, markup=False, soft_wrap=True)
    placed = sum(1 for s in assigned if s is not None)
    opened = len(set(index.stories) - known)
    stderr.print(
        f"{placed} article{'s' * (placed != 1)} in {len(found)} stor{'ies' if len(found) != 1 else 'y'} ({opened} new)",
        highlight=False,
    )
    if out is not None:
        try:
            out.write_text(render_stories_json(found), encoding="utf-8")
        except OSError as exc:
            fail(f"{out}: cannot write ({exc.strerror or exc})")
        stderr.print(f"stories written to {out}", highlight=False)
        return
    render = {"text": render_stories_text, "markdown": render_stories_markdown, "json": render_stories_json}[format]
    sys.stdout.write(render(found))

