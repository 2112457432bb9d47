"""The `storybrief` command: a thin shell over the library that turns input problems into
one-line errors and non-zero exits. `app` holds the commands, one module a family of them."""

from __future__ import annotations

import sys

from storybrief.cli import brief, evaluate, serve, stories  # noqa: F401  (each module registers its commands)
from storybrief.cli.app import app, example_path, stderr

__all__ = ["app", "example_path", "run"]

# `storybrief --help` lists the commands in the order a reader meets them, not the modules' import order.
COMMAND_ORDER = ("summarize", "batch", "stories", "serve", "watch", "evaluate")
app.registered_commands.sort(key=lambda command: COMMAND_ORDER.index(command.callback.__name__))


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)
