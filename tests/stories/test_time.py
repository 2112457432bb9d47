"""Grouping that follows a story over time (issue 13, docs/design-stories-time.md): a decay on the
gap instead of a hard window, a known story's side weighted to its latest articles, neighbours
within the decay's horizon, sagas as related links, stable ids, and the state that keeps them."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from storybrief.stories import StoryIndex
from storybrief.stories.agglomerate import DAY, agglomerate, decay, horizon_days
from storybrief.stories.copies import signature
from storybrief.stories.sagas import Sagas
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
    assert decay(0.0) == 1.0
    assert decay(NAN) == 1.0
    week, month = decay(7 * DAY), decay(30 * DAY)
    assert week == pytest.approx(0.5)
    assert 0.0 < month < week < 1.0
    assert decay(horizon_days() * DAY) == pytest.approx(0.05)  # the neighbour search's horizon


def test_time_gap_between_groups_stops_a_merge_that_the_words_allow():
    edges = {(0, 1): 0.3}
    # Same day, and undated: merged. A month apart: the decay takes the linkage under the threshold.
    assert len(set(agglomerate([1, 1], [False, False], edges, 0.16, [0.0, 0.0], [0.0, 0.0], 7))) == 1
    assert len(set(agglomerate([1, 1], [False, False], edges, 0.16, [NAN, NAN], [NAN, NAN], 7))) == 1
    apart = agglomerate([1, 1], [False, False], edges, 0.16, [0.0, 30 * DAY], [0.0, 30 * DAY], 7)
    assert len(set(apart)) == 2
    assert len(set(agglomerate([1, 1], [False, False], edges, 0.16, [0.0, 30 * DAY], [0.0, 30 * DAY], 0))) == 1


def test_the_gap_is_to_the_nearest_member_so_a_running_story_keeps_growing():
    # Node 0 spans days 0..20; node 1 is on day 22: the gap is 2 days, not 22.
    roots = agglomerate([3, 1], [True, False], {(0, 1): 0.9}, 0.16, [0.0, 22 * DAY], [20 * DAY, 22 * DAY], 7)
    assert roots[1] == roots[0]


def test_sagas_merge_best_first_and_each_merge_adds_one_related_link():
    sagas = Sagas(size={"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0})
    for x, y, s in (("a", "b", 0.5), ("b", "c", 0.3), ("c", "d", 0.01)):
        sagas.connect(x, y, s, s, x, y)
    sagas.merge([("a", "b"), ("b", "c"), ("c", "d")], threshold=0.1)
    assert sagas.root("a") == sagas.root("b") == sagas.root("c") != sagas.root("d")
    assert sagas.related == {"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}


def test_a_follow_up_months_later_is_a_related_story_not_the_same_story():
    index = StoryIndex()
    quake = index.add(articles("q", QUAKE, 2))
    orchard = index.add(articles("o", ORCHARD, 3))
    inquiry = index.add(articles("i", INQUIRY, 70))
    assert len(set(quake)) == 1 and len(set(inquiry)) == 1 and len(set(orchard)) == 1
    assert inquiry[0] != quake[0]  # two months apart: another story
    assert index.related(inquiry[0]) == [quake[0]]  # ... of the same saga, linked
    assert index.related(orchard[0]) == []
    story = {s.id: s for s in index.all_stories()}[quake[0]]
    assert story.related == [inquiry[0]] and story.to_dict()["related"] == [inquiry[0]]


def test_the_same_follow_up_a_day_later_joins_the_story():
    index = StoryIndex()
    quake = index.add(articles("q", QUAKE, 2))
    inquiry = index.add(articles("i", INQUIRY, 3))
    assert set(inquiry) == {quake[0]}


def test_old_look_alike_coverage_cannot_crowd_out_recent_story_mates(monkeypatch):
    from storybrief.stories import neighbours

    monkeypatch.setattr(neighbours, "STORY_NEIGHBOURS", 2)
    index = StoryIndex()
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
    found = index.corpus.pairs(first, horizon_days())
    old_mates = (found.high == first) & (found.low < first) & found.saga
    assert old_mates.sum() == 2  # its two most similar, any time: old reports (the cap is 2)
    mate_row = first + 1
    pair = (found.low == first) & (found.high == mate_row)
    assert pair.any() and found.story[pair].all()  # its story mate is still a story pair (recent)
    # With a hard 7-day window the old reports are no story pairs at all.
    windowed = index.corpus.pairs(first, horizon_days(), window_days=7)
    assert not windowed.story[(windowed.high == first) & (windowed.low < 3)].any()


def test_story_ids_never_change_as_articles_arrive():
    index = StoryIndex()
    first = index.add(articles("q", QUAKE[:2], 2))
    index.add(articles("o", ORCHARD, 3))
    later = index.add(articles("q2", QUAKE[2:], 4) + articles("i", INQUIRY, 70))
    assert later[0] == first[0]
    assert {index.row_story[index.row_of[a]] for a in ("q0", "q1")} == {first[0]}


def test_known_story_follows_its_latest_articles():
    # Same words: with every member weighing 1 the late article would join; weighted to the
    # story's latest article, members from 60 days before count e^-2 and the linkage falls.
    from storybrief.stories.agglomerate import recency_weights

    times = np.array([0.0, 0.0, 60 * DAY, NAN])
    weights = recency_weights(times)
    assert weights[2] == 1.0 and weights[3] == 1.0
    assert weights[0] == pytest.approx(math.exp(-2))
    assert (recency_weights(times, 0.0) == 1.0).all()


def test_ids_and_related_links_survive_a_save_and_incremental_runs(tmp_path):
    folder = tmp_path / "state"
    index = StoryIndex()
    quake = index.add(articles("q", QUAKE[:2], 2))
    orchard = index.add(articles("o", ORCHARD, 3))
    index.save(folder)
    again = StoryIndex.load(folder)
    assert json.loads((folder / "state.json").read_text())["version"] == 3
    later = again.add(articles("q2", QUAKE[2:], 4) + articles("i", INQUIRY, 70))
    assert later[0] == quake[0]  # the same story id after a reload
    assert later[1] not in (quake[0], orchard[0])
    assert again.related(later[1]) == [quake[0]]
    again.save(folder)
    third = StoryIndex.load(folder)
    assert third.related(quake[0]) == [later[1]] and third.row_story == again.row_story
    # Continuing after a reload gives what one index would have given.
    same = StoryIndex()
    same.add(articles("q", QUAKE[:2], 2))
    same.add(articles("o", ORCHARD, 3))
    assert same.add(articles("q2", QUAKE[2:], 4) + articles("i", INQUIRY, 70)) == later
    assert same.sagas.related == third.sagas.related


def test_a_version_2_state_folder_still_loads(tmp_path):
    # A version 2 folder as the code before the port wrote it: no saga settings, graph or pairs,
    # the then-default 7-day window.
    folder = tmp_path / "state"
    index = StoryIndex()
    quake = index.add(articles("q", QUAKE, 2))
    index.add(articles("i", INQUIRY, 70))
    index.save(folder)
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    state["version"] = 2
    state["settings"]["window_days"] = 7.0
    for key in ("tau_days", "recency_days", "link_threshold", "saga_rebuild"):
        del state["settings"][key]
    del state["sagas"]
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    with np.load(folder / "vectors.npz") as arrays:
        kept = {name: arrays[name] for name in arrays.files if not name.startswith("saga_")}
    np.savez_compressed(folder / "vectors.npz", **kept)
    loaded = StoryIndex.load(folder)
    assert loaded.window_days == 0.0  # the old default window reads as none
    assert loaded.row_story == index.row_story and loaded.next_story == index.next_story
    assert loaded.sagas.related == index.sagas.related  # re-derived from the vectors
    assert loaded.add(articles("q3", QUAKE[:1], 3))[0] == quake[0]
    loaded.save(folder)
    assert json.loads((folder / "state.json").read_text(encoding="utf-8"))["version"] == 3


def test_a_replay_with_place_links_the_placed_stories_as_the_adds_did():
    """`place` (the service rebuilding its index from its database) records the placed rows' saga
    pairs, so the stories it replays are related as the original adds made them, one placed batch
    or one article at a time; and a later add links a new story to them."""
    index = StoryIndex()
    for batch in (articles("q", QUAKE, 2), articles("o", ORCHARD, 3), articles("i", INQUIRY, 70)):
        index.add(batch)
    assert index.sagas.related  # the quake and the inquiry are linked
    stored = [(index.articles[article_id], index.row_story[row]) for row, article_id in enumerate(index.row_ids)]
    at_once, one_by_one = StoryIndex(), StoryIndex()
    at_once.place([article for article, _ in stored], [story for _, story in stored])
    for article, story in stored:
        one_by_one.place([article], [story])
    for replay in (at_once, one_by_one):
        assert replay.sagas.related == index.sagas.related
        assert replay.stories.keys() == index.stories.keys()  # no regrouping
    more = at_once.add([Article(id="i9", text=INQUIRY[0].format(day="Monday"), source="outlet9",
                                published="2026-05-10T09:00:00Z")])
    assert more[0] == index.row_story[index.row_of["i0"]]  # days after the inquiry's articles: its story
    quake_story = index.row_story[index.row_of["q0"]]
    assert at_once.related(quake_story) == [more[0]]
