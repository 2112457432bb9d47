"""The stream of bench/experiments/grouping_time.py (one add a day). The gold-set metric is tested
in tests/bench/test_scoring.py, the grouping's own behaviours (ported from the prototype) in
tests/stories/test_time.py."""

from __future__ import annotations

import pytest

from bench.experiments.grouping_time import by_day, run
from storybrief.types import Article

ORCHARD = [
    "A late frost destroyed most of the apple blossom in the Vell valley, growers said. "
    "Farmers expect this year's apple harvest to be less than half of a normal year.",
    "Apple growers in the Vell valley are counting the cost of a spring frost that killed the blossom. "
    "Cider makers warned that apple prices could rise sharply in the autumn harvest.",
]


def articles(prefix: str, texts: list[str], day: int) -> list[Article]:
    return [Article(id=f"{prefix}{k}", text=t, source=f"outlet{k}", published=f"2026-03-{day:02d}T09:00:00Z")
            for k, t in enumerate(texts)]


def test_stream_order_is_by_day_with_undated_articles_first():
    pile = articles("late", ORCHARD[:1], 9) + [Article(id="undated", text="x y z")] + articles("early", ORCHARD[1:], 2)
    assert [[a.id for a in batch] for batch in by_day(pile)] == [["undated"], ["early0"], ["late0"]]


def test_run_streams_into_the_package_index_and_reports_sagas():
    stories, sagas = run(articles("a", ORCHARD, 2) + articles("b", ORCHARD[:1], 2))
    assert set(stories) == {"a0", "a1", "b0"}
    assert len(set(sagas.values())) <= len(set(stories.values()))
    with pytest.raises(SystemExit, match="unknown setting"):
        run(articles("a", ORCHARD, 2), decay="exp")  # the prototype's other decays were not ported
