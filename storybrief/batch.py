"""Brief many story clusters: JSONL in, JSONL out, one output line per good input line.

Input lines are `{"id", "documents": [text, ...]}` or `{"id", "document": "a ||||| b"}`
(the Multi-News convention); output lines are `{"id", "summary", "brief"}`. A bad line is
reported with its line number and skipped; every good line is still written.

The input is read lazily in chunks of lines and handed to an engine (storybrief.engines) that
briefs at most a window of chunks at once and gives results back in input order; each result
is written as soon as it and everything before it are done. So memory is bounded for any input
size and the output is the same bytes whatever the engine or the number of workers. With
`resume`, ids already in the output are skipped and the rest appended.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from storybrief.brief.pipeline import summarize
from storybrief.engines import Engine, SerialEngine
from storybrief.errors import InputError, StoryBriefError, internal_error
from storybrief.io.story import documents_of, json_object
from storybrief.text import id_of
from storybrief.types import DEFAULT_WORDS, Article

CHUNK_LINES = 8  # clusters per task: enough to hide the per-task overhead, few enough to balance workers
WORKER_DIED = "its worker process died while briefing it (a crash or out of memory)"

# What a worker hands back per input line: (line number, id, output JSON line or None, error or None).
Outcome = tuple[int, str, "str | None", "str | None"]


@dataclass
class Failure:
    line: int
    id: str
    message: str


@dataclass(frozen=True)
class BriefJob:
    """The work of one chunk, as a picklable callable: every line becomes an outcome, never an exception."""

    name: str
    words: int = DEFAULT_WORDS
    method: str = "default"

    def __call__(self, chunk: list[tuple[int, str]]) -> list[Outcome]:
        return [self.one(number, line) for number, line in chunk]

    def one(self, number: int, line: str) -> Outcome:
        try:
            result = brief_line(line, number, self.name, self.words, self.method)
        except StoryBriefError as exc:
            return number, id_of(line, number), None, str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug hit by one cluster must not stop the other thousands
            return number, id_of(line, number), None, internal_error(exc)
        return number, result["id"], json.dumps(result, ensure_ascii=False), None


def open_text(path: str | Path, mode: str = "r") -> IO[str]:
    """Text file, gzip-compressed when the name ends in .gz; '-' is stdin/stdout."""
    import sys

    if str(path) == "-":
        return sys.stdin if "r" in mode else sys.stdout
    path = Path(path)
    try:
        if path.suffix == ".gz":
            return io.TextIOWrapper(
                gzip.open(path, mode.replace("t", "") + "b"), encoding="utf-8", errors="strict", newline="\n"
            )
        return open(path, mode, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror or exc})") from exc


def cluster_of(record: dict, number: int, name: str) -> tuple[str, list[Article]]:
    """A record's id (its line number when it has none) and its documents as articles."""
    record_id = str(record.get("id", number))
    documents = documents_of(record, f"{name}:{number}")
    return record_id, [
        Article(text=t, id=f"{record_id}#{k + 1}", source=f"{record_id}#{k + 1}") for k, t in enumerate(documents)
    ]


def parse_record(line: str, number: int, name: str) -> tuple[str, list[Article]]:
    return cluster_of(json_object(line), number, name)


def brief_line(line: str, number: int, name: str, words: int, method: str) -> dict:
    record_id, articles = parse_record(line, number, name)
    brief = summarize(articles, words=words, method=method)
    return {"id": record_id, "summary": "\n".join(s.text for s in brief.sentences), "brief": brief.to_dict()}


def read_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines; undecodable bytes become a failure of that line, not of the run."""
    with open_text(path) as stream:
        yield from numbered_lines(stream, path)


def numbered_lines(stream: IO[str], path: str | Path) -> Iterator[tuple[int, str]]:
    number = 0
    while True:
        try:
            line = stream.readline()
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:{number + 1}: not UTF-8 text") from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: unreadable ({exc})") from exc
        if not line:
            return
        number += 1
        if line.strip():
            yield number, line


def chunked(lines: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for item in lines:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_batch(
    source: str | Path,
    target: str | Path,
    words: int = DEFAULT_WORDS,
    method: str = "default",
    progress: Callable[[int], None] | None = None,
    engine: Engine | None = None,
    resume: bool = False,
    chunk_lines: int = CHUNK_LINES,
    skipped: Callable[[int], None] | None = None,
    job: Callable[[list[tuple[int, str]]], list[Outcome]] | None = None,
) -> tuple[int, list[Failure]]:
    """Brief every line of `source` into `target`; returns (lines written, failures).

    `engine` runs the work (default: in this process). `resume` keeps what `target` already
    holds, skips input lines with those ids (calling `skipped(line number)`), and appends.
    `progress(line number)` is called for every line briefed or failed, in input order.
    """
    engine = engine or SerialEngine()
    job = job or BriefJob(str(source), words, method)
    failures: list[Failure] = []
    written = 0
    done = completed_ids(target) if resume else set()
    with open_text(source) as stream:  # opened before the output, so a bad input truncates nothing
        lines: Iterable[tuple[int, str]] = numbered_lines(stream, source)
        if done:
            lines = _skip_done(lines, done, skipped)
        with open_text(target, "a" if resume else "w") as out:

            def split(chunk: list) -> list[list]:
                return [[item] for item in chunk]

            def lost(chunk: list, exc: BaseException) -> list[Outcome]:
                return [(number, id_of(line, number), None, WORKER_DIED) for number, line in chunk]

            for outcomes in engine.map(job, chunked(lines, chunk_lines), split=split, lost=lost):
                for number, record_id, output, error in outcomes:
                    if output is None:
                        failures.append(Failure(number, record_id, error or "failed"))
                    else:
                        out.write(output + "\n")
                        written += 1
                    if progress is not None:
                        progress(number)
                out.flush()
    return written, failures


def _skip_done(
    lines: Iterable[tuple[int, str]], done: set[str], skipped: Callable[[int], None] | None
) -> Iterator[tuple[int, str]]:
    for number, line in lines:
        if id_of(line, number) in done:
            if skipped is not None:
                skipped(number)
            continue
        yield number, line


def completed_ids(target: str | Path) -> set[str]:
    """Ids already briefed in `target`, for --resume. A run killed mid-write can leave a cut-off
    last line (or, gzipped, a cut-off stream): it is dropped and the file rewritten cleanly, so
    appending continues from whole lines only."""
    if str(target) == "-":
        raise InputError("--resume needs an output file, not stdout")
    path = Path(target)
    if not path.exists():
        return set()
    if path.suffix == ".gz":
        return _completed_ids_gz(path)
    with open(path, "rb") as stream:
        data = stream.read()
    end = data.rfind(b"\n") + 1  # whole lines only; anything after the last newline was cut off
    ids = _ids_in(data[:end].decode("utf-8", errors="replace").splitlines(), path)
    if end < len(data):
        with open(path, "r+b") as stream:
            stream.truncate(end)
    return ids


def _completed_ids_gz(path: Path) -> set[str]:
    lines: list[str] = []
    damaged = False
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as stream:
            for line in stream:
                if not line.endswith("\n"):
                    damaged = True
                    break
                lines.append(line)
    except (EOFError, OSError, zlib.error, UnicodeDecodeError):
        damaged = True  # a stream cut off mid-member: keep the whole lines read before it
    ids = _ids_in(lines, path)
    if damaged:
        temporary = path.with_name(path.name + ".resume-tmp")
        with gzip.open(temporary, "wt", encoding="utf-8", newline="\n") as out:
            out.writelines(lines)
        os.replace(temporary, path)
    return ids


def _ids_in(lines: list[str], path: Path) -> set[str]:
    ids: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            ids.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}: not a brief line, so this is not a batch output to resume") from exc
    return ids


def count_lines(path: str | Path) -> int | None:
    if str(path) == "-":
        return None
    try:
        with open_text(path) as stream:
            return sum(1 for line in stream if line.strip())
    except (OSError, UnicodeDecodeError, EOFError, InputError):
        return None
