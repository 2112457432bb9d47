"""Benchmarks share docs/benchmarks.md: each script owns a section between BEGIN/END markers."""

from __future__ import annotations

import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nEvery figure here is printed by a script in `bench/`; rerun it to refresh its section.\n"


def write_section(name: str, body: str, path: Path = BENCHMARKS) -> None:
    """Replace (or append) section `name` (its body carries its own heading), leaving the others alone."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    updated = (
        pattern.sub(lambda _: block, current) if pattern.search(current) else current.rstrip() + "\n\n" + block + "\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")


def machine_line() -> str:
    """One line naming the machine a figure was measured on, the same in every section:
    CPU, cores, load at the start (a busy machine makes timings noisy), Python, OS."""
    import os

    from storybrief.evaluation.evaluate import machine

    info = machine()
    load = f", load average {os.getloadavg()[0]:.1f} at start" if hasattr(os, "getloadavg") else ""
    return f"{info['cpu']}, {info['cores']} cores{load}, Python {info['python']}, {info['system']}"
