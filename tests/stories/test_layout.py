"""The stories package's import order: each module imports only modules above it in ORDER (so no
cycle can form), and every import is at the top of its module."""

import ast
from pathlib import Path

import storybrief.stories

ORDER = ["records", "vectors", "copies", "neighbours", "agglomerate", "sagas", "corpus", "labels", "timeline", "briefs",
         "state", "index", "pile", "render"]
FOLDER = Path(storybrief.stories.__file__).parent


def stories_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storybrief.stories."):
            yield node, node.module.split(".")[2]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("storybrief.stories."):
                    yield node, alias.name.split(".")[2]


def test_every_module_is_in_the_order():
    assert sorted(p.stem for p in FOLDER.glob("*.py") if p.stem != "__init__") == sorted(ORDER)


def test_modules_import_only_modules_above_them_at_the_top():
    for name in ORDER:
        tree = ast.parse((FOLDER / f"{name}.py").read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        for node, imported in stories_imports(tree):
            assert ORDER.index(imported) < ORDER.index(name), f"{name} imports {imported}, which is not above it"
            assert id(node) in top_level, f"{name} imports {imported} inside a function or block"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storybrief"):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                assert not private, f"{name} imports private names {private} from {node.module}"
