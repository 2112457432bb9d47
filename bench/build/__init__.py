"""Builders of benchmark data that cannot be committed: each writes into `bench.build.data_dir()`."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Where derived benchmark data lives: $STORYBRIEF_BENCH_DATA, else bench/.data (git-ignored)."""
    return Path(os.environ.get("STORYBRIEF_BENCH_DATA") or ROOT / "bench" / ".data")
