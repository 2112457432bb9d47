"""Every import in the bench scripts names a module that exists, including the imports inside
functions that only run with an option (`--write` once imported a `report` module that was gone)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(p for p in (ROOT / "bench").rglob("*.py") if ".data" not in p.parts)


def guarded(tree: ast.AST) -> set[int]:
    """The import nodes of a `try` that catches ImportError and of its handlers: a layout that may be
    missing on purpose (scorer_speed imports older revisions of the package)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError") for h in node.handlers
        ):
            statements = node.body + [stmt for handler in node.handlers for stmt in handler.body]
            out.update(id(n) for stmt in statements for n in ast.walk(stmt))
    return out


def imported_modules(path: Path) -> set[str]:
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = guarded(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_a_bench_script_imports_exists(path: Path):
    ours = {name for name in imported_modules(path) if name.split(".")[0] in ("bench", "storybrief", "report")}
    missing = [name for name in sorted(ours) if importlib.util.find_spec(name) is None]
    assert not missing, f"{path.name} imports modules that do not exist: {missing}"
