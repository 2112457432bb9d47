"""The package's shape: imports only point down the layers of docs/design.md's map, no cycles
(imports inside functions included), and no private name imported from another module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "storybrief"

# Bottom first. A module may import modules of earlier layers only; the modules of one layer never
# import each other. Inside `brief`, a stage may import only earlier stages (pipeline order).
LAYERS = [
    ["storybrief.errors"],
    ["storybrief.render"],
    ["storybrief.types"],
    ["storybrief.text", "storybrief.shipped"],
    ["storybrief.embed", "storybrief.engines"],
    ["storybrief.io"],
    ["storybrief.brief"],
    ["storybrief.stories"],
    ["storybrief.batch"],
    ["storybrief.evaluation"],
    ["storybrief.service"],
    ["storybrief.cli"],
    ["storybrief.__main__"],
]
BRIEF_STAGES = [
    "clean",
    "trim",
    "dedupe",
    "segment",
    "readable",
    "topic",
    "represent",
    "support",
    "columns",
    "prior",
    "features",
    "score",
    "cover",
    "query",
    "select",
    "update",
    "order",
    "attribute",
    "pipeline",
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str | None:
    """The layer entry a module belongs to (its longest matching prefix)."""
    best = None
    for layer in LAYERS:
        for part in layer:
            if (module == part or module.startswith(part + ".")) and (best is None or len(part) > len(best)):
                best = part
    return best


def rank(part: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if part in layer)


def in_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every storybrief import, at any depth,
    outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if in_type_checking(node, parents):
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name.startswith("storybrief")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("storybrief"):
                continue
            names = [alias.name for alias in node.names]
            # `from storybrief.brief import clean` imports the module storybrief.brief.clean
            submodules = [
                n
                for n in names
                if (PACKAGE.parent / (base + "." + n).replace(".", "/")).with_suffix(".py").exists()
                or (PACKAGE.parent / (base + "." + n).replace(".", "/") / "__init__.py").exists()
            ]
            found += [(f"{base}.{n}", [], node.lineno) for n in submodules]
            rest = [n for n in names if n not in submodules]
            if rest:
                found.append((base, rest, node.lineno))
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if m != "storybrief" and part_of(m) is None] == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "storybrief"))
def test_imports_point_down(module):
    mine = part_of(module)
    wrong = []
    for target, _, line in imports_of(MODULES[module]):
        if target == "storybrief":  # the package root re-exports lazily; only __version__ is taken from it
            continue
        theirs = part_of(target)
        if theirs is None:
            wrong.append(f"line {line}: {target} is in no layer")
        elif theirs == mine:
            if mine == "storybrief.brief":
                stage, other = module.rsplit(".", 1)[-1], target.rsplit(".", 1)[-1]
                if (
                    other in BRIEF_STAGES
                    and stage in BRIEF_STAGES
                    and BRIEF_STAGES.index(other) >= BRIEF_STAGES.index(stage)
                ):
                    wrong.append(f"line {line}: stage {stage} imports the later stage {other}")
        elif rank(theirs) >= rank(mine):
            wrong.append(f"line {line}: {mine} imports {target}, which is not below it")
    assert wrong == []


def test_the_package_root_gives_only_its_version():
    for module, path in MODULES.items():
        for target, names, line in imports_of(path):
            if target == "storybrief" and module != "storybrief":
                assert set(names) <= {"__version__"}, f"{module}:{line} takes {names} from the package root"


def test_no_import_cycles():
    graph = {
        m: {t for t, _, _ in imports_of(p) if t in MODULES and t != m and t != "storybrief"} for m, p in MODULES.items()
    }
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_private_name_is_imported_from_another_module():
    private = [
        f"{module}:{line} imports {name} from {target}"
        for module, path in MODULES.items()
        for target, names, line in imports_of(path)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert private == []


# Classes held to a tighter limit than MAX_CLASS_LINES: the story index is a small stateful
# orchestrator, its work done by pure functions in the other `stories` modules.
CLASS_LIMITS = {"storybrief.stories.index.StoryIndex": 250}
MAX_MODULE_LINES, MAX_CLASS_LINES = 600, 300


def test_modules_and_classes_stay_small():
    too_big, seen = [], set()
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            too_big.append(f"{module}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                name, lines = f"{module}.{node.name}", node.end_lineno - node.lineno + 1
                seen.add(name)
                if lines > CLASS_LIMITS.get(name, MAX_CLASS_LINES):
                    too_big.append(f"{name}: {lines} lines")
    assert too_big == []
    assert set(CLASS_LIMITS) <= seen  # a limit for a class that moved or was renamed checks nothing


DESIGN = PACKAGE.parent / "docs" / "design.md"


def design_map() -> list[tuple[list[str], str]]:
    """docs/design.md's map (its first code block): each part under `storybrief/`, in order, as (the
    names on its line, e.g. ["text.py", "shipped.py"], and its description, continuation lines joined)."""
    block = DESIGN.read_text(encoding="utf-8").split("```", 2)[1]
    parts: list[tuple[list[str], str]] = []
    for line in block.splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            names, _, text = line[2:].partition("  ")
            parts.append((names.split(), text.strip()))
        elif line.startswith("   ") and parts:
            parts[-1] = (parts[-1][0], parts[-1][1] + " " + line.strip())
    return parts


def test_the_design_map_lists_the_layers_in_order():
    lines = [
        [f"storybrief.{name.removesuffix('.py').removesuffix('/')}" for name in names]
        for names, _ in design_map()
        if names != ["__init__.py"]
    ]
    assert lines == LAYERS


def test_the_design_map_names_every_module_and_the_brief_stages_in_order():
    text = {names[0]: description for names, description in design_map()}
    words = {part: re.findall(r"\w+", description) for part, description in text.items()}
    brief = [w for w in words["brief/"] if w in BRIEF_STAGES]
    assert list(dict.fromkeys(brief)) == BRIEF_STAGES
    missing = [
        module
        for module in MODULES
        if module.count(".") >= 2
        and module.split(".")[1] + "/" in words
        and module.rsplit(".", 1)[-1] not in words[module.split(".")[1] + "/"] + ["__init__"]
        and not module.startswith("storybrief.service.migrations.")
    ]
    assert missing == []
