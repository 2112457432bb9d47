"""Skipping a test that cannot run here, except under CI."""

from __future__ import annotations

import os

import pytest


def skip_or_fail(reason: str) -> None:
    """Skip a test that cannot run here; under CI (CI=true) fail it instead, so a missing database
    server or browser cannot turn the run green by skipping."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)
