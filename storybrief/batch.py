"""Brief many story clusters: JSONL in, JSONL out, one output line per good input line.

Input lines are `{"id", "documents": [text, ...]}` or `{"id", "document": "a ||||| b"}`
(the Multi-News convention); output lines are `{"id", "summary", "brief"}`. A bad line is
reported with its line number and skipped; every good line is still written.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from storybrief.errors import InputError, StoryBriefError
from storybrief.load import documents_of
from storybrief.pipeline import DEFAULT_WORDS, summarize
from storybrief.types import Article


@dataclass
class Failure:
    line: int
    id: str
    message: str


def open_text(path: str | Path, mode: str = "r") -> IO[str]:
    """Text file, gzip-compressed when the name ends in .gz; '-' is stdin/stdout."""
    import sys

    if str(path) == "-":
        return sys.stdin if "r" in mode else sys.stdout
    path = Path(path)
    try:
        if path.suffix == ".gz":
            return io.TextIOWrapper(gzip.open(path, mode.replace("t", "") + "b"), encoding="utf-8", errors="strict", newline="\n")
        return open(path, mode, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror or exc})") from exc


def parse_record(line: str, number: int, name: str) -> tuple[str, list[Article]]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise InputError("expected a JSON object")
    record_id = str(record.get("id", number))
    documents = documents_of(record, f"{name}:{number}")
    return record_id, [Article(text=t, id=f"{record_id}#{k + 1}", source=f"{record_id}#{k + 1}") for k, t in enumerate(documents)]


def brief_line(line: str, number: int, name: str, words: int, method: str) -> dict:
    record_id, articles = parse_record(line, number, name)
    brief = summarize(articles, words=words, method=method)
    return {"id": record_id, "summary": "\n".join(s.text for s in brief.sentences), "brief": brief.to_dict()}


def read_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines; undecodable bytes become a failure of that line, not of the run."""
    with open_text(path) as stream:
        number = 0
        while True:
            try:
                line = stream.readline()
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}:{number + 1}: not UTF-8 text") from exc
            except (OSError, EOFError) as exc:
                raise InputError(f"{path}: unreadable ({exc})") from exc
            if not line:
                return
            number += 1
            if line.strip():
                yield number, line


def run_batch(
    source: str | Path, target: str | Path, words: int = DEFAULT_WORDS, method: str = "default", progress=None
) -> tuple[int, list[Failure]]:
    """Brief every line of `source` into `target`; returns (lines written, failures)."""
    failures: list[Failure] = []
    written = 0
    name = str(source)
    with open_text(target, "w") as out:
        for number, line in read_lines(source):
            try:
                result = brief_line(line, number, name, words, method)
            except StoryBriefError as exc:
                failures.append(Failure(number, _id_of(line, number), str(exc)))
            else:
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
                out.flush()
                written += 1
            if progress is not None:
                progress(number)
    return written, failures


def _id_of(line: str, number: int) -> str:
    try:
        return str(json.loads(line).get("id", number))
    except (ValueError, AttributeError):
        return str(number)


def count_lines(path: str | Path) -> int | None:
    if str(path) == "-":
        return None
    try:
        with open_text(path) as stream:
            return sum(1 for line in stream if line.strip())
    except (OSError, UnicodeDecodeError, EOFError, InputError):
        return None
