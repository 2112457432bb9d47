"""The `storybrief` command: a thin shell over the library that turns input problems into
one-line errors and non-zero exits."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from storybrief import __version__
from storybrief.errors import StoryBriefError
from storybrief.types import DEFAULT_WORDS, EVALUATION_WORDS, MAX_BRIEF_WORDS

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


@app.command()
def serve(
    host: Optional[str] = typer.Option(
        None,
        "--host",
        show_default=False,
        help="Address to listen on. Default: $STORYBRIEF_HOST or 127.0.0.1 (0.0.0.0: every interface; set "
        "STORYBRIEF_TOKEN then).",
    ),
    port: Optional[int] = typer.Option(
        None, "--port", "-p", min=1, max=65535, show_default=False, help="Default: $STORYBRIEF_PORT or 8000."
    ),
    db: Optional[str] = typer.Option(
        None,
        "--db",
        help="SQLAlchemy URL (sqlite:///FILE, postgresql+psycopg://...). Default: $STORYBRIEF_DB or ./storybrief.db.",
    ),
    words: Optional[int] = typer.Option(
        None,
        "--words",
        "-w",
        min=1,
        max=MAX_BRIEF_WORDS,
        show_default=False,
        help=f"Word budget of each story's brief. Default: $STORYBRIEF_WORDS or {DEFAULT_WORDS}.",
    ),
    max_body: Optional[int] = typer.Option(
        None,
        "--max-body",
        min=1024,
        show_default=False,
        help="Largest request body in bytes (413 above it). Default: $STORYBRIEF_MAX_BODY or 10485760.",
    ),
    allow_fetch: Optional[bool] = typer.Option(
        None,
        "--allow-fetch/--no-allow-fetch",
        show_default=False,
        help="Let POST /articles give only a URL, fetched from public addresses. Default: $STORYBRIEF_ALLOW_FETCH or "
        "off.",
    ),
) -> None:
    """Run the HTTP service: JSON API, web page at /, schema at /openapi.json.

    Settings: flags, else STORYBRIEF_* variables."""
    from storybrief.service import missing_modules

    missing = missing_modules()
    if missing:
        fail(f"the service needs the 'service' extra (missing {', '.join(missing)}): pip install 'storybrief[service]'")
    from storybrief.service.server import serve as run_server
    from storybrief.service.settings import Settings

    try:
        settings = Settings.from_env(
            host=host, port=port, db_url=db, words=words, max_body=max_body, allow_fetch=allow_fetch
        )
        run_server(
            settings,
            warn=lambda message: stderr.print(
                message,
                style="bold red" if message.startswith("WARNING") else None,
                highlight=False,
                markup=False,
                soft_wrap=True,
            ),
        )
    except StoryBriefError as exc:
        fail(str(exc))


@app.command()
def watch(
    feeds: Path = typer.Argument(..., metavar="FEEDS", help="OPML file, or a text file with one feed address a line."),
    db: Optional[str] = typer.Option(
        None, "--db", help="SQLAlchemy URL of the service's database. Default: $STORYBRIEF_DB or ./storybrief.db."
    ),
    every: str = typer.Option(
        "15m", "--every", help="Time from the start of one cycle to the next: 15m, 1h, 90s, 1h30m."
    ),
    once: bool = typer.Option(False, "--once", help="Read every feed once and exit (for cron)."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Also read feeds and pages at private and loopback addresses (your network)."
    ),
    delay: float = typer.Option(1.0, "--delay", min=0, help="Seconds between two requests to one host."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds for one request, body included."),
    max_new: int = typer.Option(
        200, "--max-new", min=1, help="New entries stored per feed and cycle; the rest in the next cycles."
    ),
    pages: bool = typer.Option(
        True, "--pages/--no-pages", help="Fetch the page of an entry that holds only a summary."
    ),
) -> None:
    """Read RSS/Atom feeds on a schedule into the service's database: entries become articles, grouped and briefed.

    FEEDS is read again before every cycle, so feeds can be added or removed while it runs."""
    from storybrief.service import missing_modules

    missing = missing_modules()
    if missing:
        fail(f"watch needs the 'service' extra (missing {', '.join(missing)}): pip install 'storybrief[service]'")
    from datetime import datetime

    from storybrief.service.settings import Settings
    from storybrief.service.watch.feedlist import read_feed_list
    from storybrief.service.watch.watcher import Watcher, WatchOptions, open_store, parse_every

    def log(line: str) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        stderr.print(f"{stamp} {line}", highlight=False, markup=False, soft_wrap=True)

    try:
        seconds = parse_every(every)
        if seconds < 10 and not once:
            fail(f"--every {every}: at least 10 s between cycles")
        found = read_feed_list(feeds)
        for note in found.notes:
            log(note)
        store = open_store(Settings.from_env(db_url=db))
    except StoryBriefError as exc:
        fail(str(exc))
    options = WatchOptions(
        every=seconds, delay=delay, timeout=timeout, max_new=max_new, allow_private=allow_private, fetch_pages=pages
    )
    log(
        f"watching {len(found.urls)} feeds"
        + ("" if once else f", every {every}")
        + (", private addresses allowed" if allow_private else "")
    )
    try:
        Watcher(store, found.urls, options, log=log, reload=lambda: read_feed_list(feeds).urls).run(
            cycles=1 if once else None
        )
    except KeyboardInterrupt:
        log("stopped")
    finally:
        store.wait_for_briefs(timeout=120 if once else 5)
        store.close()
        store.db.dispose()


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


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)
