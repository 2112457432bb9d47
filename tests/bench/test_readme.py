"""bench/README.md names every script, so each has its line (what it is, what it found, where it is written up)."""

import re
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_bench_script_is_in_the_readme():
    text = (BENCH / "README.md").read_text(encoding="utf-8")
    readme = {name.removesuffix(".py") for name in re.findall(r"`([\w.]+)`", text)}
    scripts = [p for folder in ("build", "measure", "experiments") for p in (BENCH / folder).glob("*.py")]
    assert len(scripts) > 20
    assert [str(p.relative_to(BENCH)) for p in scripts if p.stem != "__init__" and p.stem not in readme] == []
