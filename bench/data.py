"""Where the benchmarks find their data: one variable each, with a documented default.

- `STORYBRIEF_DATA`: the shared Multi-News splits (`multinews-{train,val}.jsonl.gz`); default
  `../shared/data` beside the repository.
- `STORYBRIEF_BENCH_DATA`: what `bench/build/` derives at bench time from fetched snapshots (DUC,
  ECB+); default `bench/.data/` (git-ignored: DUC text is not redistributable).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("STORYBRIEF_DATA", ROOT.parent / "shared" / "data"))
BENCH_DATA = Path(os.environ.get("STORYBRIEF_BENCH_DATA", ROOT / "bench" / ".data"))


def multinews(split: str) -> Path:
    """The path of a Multi-News split ('train' or 'val')."""
    return DATA / f"multinews-{split}.jsonl.gz"
