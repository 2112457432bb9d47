"""The issue-13 prototype (bench/experiments/grouping_time.py) and the gold-set metric
(bench/measure/grouping.py): the behaviours to port into storybrief/stories/ (decay instead of a
window, sagas as related links, stable ids), on invented articles."""

from __future__ import annotations

import math

import pytest

from bench.experiments.grouping_time import DAY, Sagas, TimeStoryIndex, agglomerate_time, by_day, decay_factor
from bench.measure.grouping import bcubed
from storybrief.stories.copies import signature
from storybrief.types import Article

NAN = math.nan

QUAKE = [
    "A strong earthquake shook the coastal city of Varn on {day}, cracking walls in the old harbour district. "
    "Rescue teams searched collapsed warehouses near the port while aftershocks rattled the seafront. "
    "The regional seismology institute measured the tremor at magnitude 6.1 beneath the bay.",
    "Residents of Varn spent the night outdoors after the earthquake damaged the harbour district. "
    "The seismology institute warned of further aftershocks and engineers inspected the port cranes. "
    "Rescue teams pulled two dock workers alive from a collapsed warehouse.",
    "Varn's harbour district was the worst hit by the earthquake, the mayor said, as rescue teams "
    "cleared rubble from warehouses along the port. Aftershocks continued through the morning and the "
    "seismology institute kept its warning for the bay in place.",
]
# Months later: the inquiry into the same quake (one saga, a different story).
INQUIRY = [
    "An inquiry into the Varn earthquake found that the harbour warehouses ignored building codes. "
    "The report on the collapse of the port buildings blames inspectors who approved the warehouses. "
    "Families of dock workers asked the seismology institute to publish its aftershock data. "
    "Rescue teams had searched the collapsed warehouses near the port for days after the earthquake.",
    "Inspectors approved unsafe warehouses in Varn's harbour district before the earthquake, the inquiry said. "
    "The report calls for the port buildings to be rebuilt to the building codes and for new inspectors. "
    "Dock workers' families welcomed the inquiry's findings on the collapse. "
    "The earthquake cracked walls across the harbour district and aftershocks rattled the seafront.",
]
ORCHARD = [
    "A late frost destroyed most of the apple blossom in the Vell valley, growers said. "
    "Farmers expect this year's apple harvest to be less than half of a normal year.",
    "Apple growers in the Vell valley are counting the cost of a spring frost that killed the blossom. "
    "Cider makers warned that apple prices could rise sharply in the autumn harvest.",
]


def articles(prefix: str, texts: list[str], day: int) -> list[Article]:
    stamp = f"2026-03-{day:02d}T09:00:00Z" if day <= 31 else f"2026-05-{day - 61:02d}T09:00:00Z"
    return [
        Article(id=f"{prefix}{k}", text=t.format(day="Monday"), source=f"outlet{k}", published=stamp)
        for k, t in enumerate(texts)
    ]


def test_decay_falls_smoothly_and_leaves_undated_pairs_alone():
    assert decay_factor(0.0, 7.0, "hyperbolic") == 1.0
    assert decay_factor(NAN, 7.0, "hyperbolic") == 1.0
    week, month = decay_factor(7 * DAY, 7.0, "hyperbolic"), decay_factor(30 * DAY, 7.0, "hyperbolic")
    assert week == pytest.approx(0.5)
    assert 0.0 < month < week < 1.0
    assert decay_factor(30 * DAY, 7.0, "exp") < decay_factor(7 * DAY, 7.0, "exp")


def test_time_gap_between_groups_stops_a_merge_that_the_words_allow():
    edges = {(0, 1): 0.3}
    # Same day, and undated: merged. A month apart: the decay takes the linkage under the threshold.
    assert (
        len(set(agglomerate_time([1, 1], [0.0, 0.0], [0.0, 0.0], [False, False], edges, 0.16, 40, 7, "hyperbolic")))
        == 1
    )
    assert (
        len(set(agglomerate_time([1, 1], [NAN, NAN], [NAN, NAN], [False, False], edges, 0.16, 40, 7, "hyperbolic")))
        == 1
    )
    apart = agglomerate_time([1, 1], [0.0, 30 * DAY], [0.0, 30 * DAY], [False, False], edges, 0.16, 40, 7, "hyperbolic")
    assert len(set(apart)) == 2


def test_the_gap_is_to_the_nearest_member_so_a_running_story_keeps_growing():
    # Node 0 spans days 0..20; node 1 is on day 22: the gap is 2 days, not 22.
    roots = agglomerate_time(
        [3, 1], [0.0, 22 * DAY], [20 * DAY, 22 * DAY], [True, False], {(0, 1): 0.9}, 0.16, 40, 7, "hyperbolic"
    )
    assert roots[1] == roots[0]


def test_sagas_merge_best_first_and_each_merge_adds_one_related_link():
    sagas = Sagas(size={"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0})
    for x, y, s in (("a", "b", 0.5), ("b", "c", 0.3), ("c", "d", 0.01)):
        sagas.connect(x, y, s, s, x, y)
    sagas.merge([("a", "b"), ("b", "c"), ("c", "d")], threshold=0.1, cap=40, prior=0.0)
    assert sagas.root("a") == sagas.root("b") == sagas.root("c") != sagas.root("d")
    assert sagas.related == {"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}


def test_a_follow_up_months_later_is_a_related_story_not_the_same_story():
    index = TimeStoryIndex()
    quake = index.add(articles("q", QUAKE, 2))
    orchard = index.add(articles("o", ORCHARD, 3))
    inquiry = index.add(articles("i", INQUIRY, 70))
    assert len(set(quake)) == 1 and len(set(inquiry)) == 1 and len(set(orchard)) == 1
    assert inquiry[0] != quake[0]  # two months apart: another story
    assert index.saga(inquiry[0]) == index.saga(quake[0])  # ... of the same saga
    assert index.related[inquiry[0]] == {quake[0]}
    assert index.saga(orchard[0]) != index.saga(quake[0])


def test_the_same_follow_up_a_day_later_joins_the_story():
    index = TimeStoryIndex()
    quake = index.add(articles("q", QUAKE, 2))
    inquiry = index.add(articles("i", INQUIRY, 3))
    assert set(inquiry) == {quake[0]}


def test_old_look_alike_coverage_cannot_crowd_out_recent_story_mates(monkeypatch):
    from storybrief.stories import neighbours

    monkeypatch.setattr(neighbours, "MAX_NEIGHBOURS", 2)
    index = TimeStoryIndex()
    index.add(articles("q", QUAKE, 2))  # three old reports, each closer to the new inquiry article than ...
    late = "2026-05-09T10:00:00Z"
    mate = Article(
        id="mate",
        source="x",
        published=late,  # ... its weakly worded story mate of the same day
        text="The Varn inquiry report was published on Thursday by the regional assembly, "
        "which will debate it next month.",
    )
    new = [Article(id="inquiry", text=INQUIRY[0], source="y", published=late), mate]
    first = len(index.row_ids)
    index._append_rows([(a, index._words(a)[1]) for a in new], [signature(index._words(a)[0]) for a in new])
    i, j, s, any_time, recent = index.search(first)
    from_inquiry = i == first
    assert set(j[from_inquiry & any_time].tolist()) < {0, 1, 2}  # its two most similar: old reports
    mate_row = first + 1
    assert recent[from_inquiry & (j == mate_row)].all() and (from_inquiry & (j == mate_row)).any()


def test_story_ids_never_change_as_articles_arrive():
    index = TimeStoryIndex()
    first = index.add(articles("q", QUAKE[:2], 2))
    index.add(articles("o", ORCHARD, 3))
    later = index.add(articles("q2", QUAKE[2:], 4) + articles("i", INQUIRY, 70))
    assert later[0] == first[0]
    assert {index.row_story[index.row_of[a]] for a in ("q0", "q1")} == {first[0]}


def test_stream_order_is_by_day_with_undated_articles_first():
    pile = articles("late", ORCHARD[:1], 9) + [Article(id="undated", text="x y z")] + articles("early", ORCHARD[1:], 2)
    assert [[a.id for a in batch] for batch in by_day(pile)] == [["undated"], ["early0"], ["late0"]]


def test_bcubed_on_a_known_case():
    truth = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert bcubed({k: "x" for k in truth}, truth) == pytest.approx((0.5, 1.0, 2 / 3))
    precision, recall, f1 = bcubed({"a": "x", "b": "y", "c": "z", "d": "z"}, truth)
    assert (precision, recall) == pytest.approx((1.0, 0.75))
