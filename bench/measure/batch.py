"""Batch throughput: the shared Multi-News validation split briefed by each engine.

Runs `local` at 1 and 2 workers and `dask` (a LocalCluster of worker processes) at 2 workers
over the same input, reports clusters/second and the speed-up over local-1, checks that every
run wrote the same bytes, and writes the `batch` section of docs/benchmarks.md.

    OMP_NUM_THREADS=1 python -m bench.measure.batch                  # all 5,622 clusters
    python -m bench.measure.batch --limit 300 --no-write             # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.data import ROOT, multinews
from bench.report import machine_line, write_section

VAL = multinews("val")
RUNS = [("local", 1), ("local", 2), ("dask", 2)]


def take(source: Path, target: Path, limit: int | None) -> int:
    """The first `limit` lines of the split (all when None), as plain JSONL."""
    count = 0
    with gzip.open(source, "rt", encoding="utf-8") as stream, open(target, "w", encoding="utf-8") as out:
        for line in stream:
            if limit is not None and count >= limit:
                break
            out.write(line)
            count += 1
    return count


def run(engine_name: str, workers: int, source: Path, target: Path) -> dict:
    """One `storybrief batch` run in a fresh process, as a user would start it; wall-clock time."""
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    command = [
        sys.executable,
        "-m",
        "storybrief",
        "batch",
        str(source),
        str(target),
        "--engine",
        engine_name,
        "--workers",
        str(workers),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    failed = sum(1 for line in done.stderr.splitlines() if ": id " in line)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{engine_name} x{workers} failed:\n{done.stderr[-2000:]}")
    with open(target, encoding="utf-8") as stream:
        written = sum(1 for _ in stream)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()[:16]
    return {
        "engine": engine_name,
        "workers": workers,
        "written": written,
        "failed": failed,
        "seconds": seconds,
        "sha": digest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="first N clusters only (default: all)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--note", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "val.jsonl"
        clusters = take(VAL, source, args.limit)
        rows = []
        for engine_name, workers in RUNS:
            row = run(engine_name, workers, source, Path(folder) / f"out-{engine_name}-{workers}.jsonl")
            row["rate"] = clusters / row["seconds"]
            rows.append(row)
            print(
                f"{engine_name:>6} x{workers}: {row['seconds']:7.1f} s "
                f"{row['rate']:6.1f} clusters/s, {row['written']} written, {row['failed']} failed, output {row['sha']}",
                flush=True,
            )
    base = rows[0]["seconds"]
    identical = len({r["sha"] for r in rows}) == 1
    print(f"outputs identical across runs: {identical}")
    if args.no_write:
        return
    lines = [
        "## Batch throughput (`bench/measure/batch.py`)",
        "",
        f"{dt.date.today().isoformat()}, {machine_line()}, "
        f"`OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}`.",
        f"Input: the first {clusters} clusters of the Multi-News validation split"
        if args.limit
        else f"Input: the whole Multi-News validation split ({clusters} clusters)",
        "briefed at the default 150 words; each run a fresh `storybrief batch` process, "
        "wall-clock time (imports, pool or cluster start-up included).",
        "",
        "| engine | workers | seconds | clusters/s | speed-up vs local x1 | written | failed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['engine']} | {r['workers']} | {r['seconds']:.1f} | {r['rate']:.1f} | {base / r['seconds']:.2f} "
            f"| {r['written']} | {r['failed']} |"
        )
    lines += ["", f"Output files byte-identical across the three runs: **{'yes' if identical else 'NO'}**."]
    if args.note:
        lines += ["", args.note]
    write_section("batch", "\n".join(lines))
    print("wrote docs/benchmarks.md (batch section)")


if __name__ == "__main__":
    main()
