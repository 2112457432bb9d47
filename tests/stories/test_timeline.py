"""A story's timeline: events of close dates and one sub-topic, each with a cited headline."""

from __future__ import annotations

from running_story import LIBRARIES

from storybrief.brief.pipeline import summarize
from storybrief.stories import timeline as timeline_module
from storybrief.stories.timeline import group_events, timeline
from storybrief.types import Article, Brief


def articles(records=LIBRARIES) -> list[Article]:
    return [Article(id=i, source=s, published=p, text=t) for i, s, p, t in records]


def test_developments_become_dated_events_with_their_articles():
    events = timeline(articles())
    assert [e.date for e in events] == ["2025-04-01", "2025-04-09", "2025-04-16"]
    assert [e.articles for e in events] == [
        ["plan-1", "plan-2", "plan-3"], ["march-1", "march-2"], ["vote-1", "vote-2"],
    ]


def test_each_headline_is_a_sentence_of_its_event_cited_to_the_articles_that_report_it():
    by_id = {a.id: a for a in articles()}
    for event in timeline(articles()):
        assert event.sources and set(event.sources) <= set(event.articles)
        assert event.headline in by_id[event.sources[0]].text  # quoted from its first source
        assert event.outlets == list(dict.fromkeys(by_id[i].source for i in event.sources))
    events = timeline(articles())
    assert "librar" in events[0].headline.lower() and "march" in events[1].headline.lower()
    assert "vote" in events[2].headline.lower()


def test_the_headline_most_articles_report_is_cited_to_all_of_them():
    lead = "Brackenfold council proposed closing four branch libraries to save 1.2 million pounds."
    same_day = [Article(id=f"p{k}", source=f"Outlet {k}", published="2025-04-01T09:00:00Z", text=lead + " " + rest)
                for k, rest in enumerate(["Staff were told on Monday.", "Opposition councillors objected to the plan.",
                                          "A consultation runs until May."])]
    (event,) = timeline(same_day)
    assert event.headline == lead and sorted(event.sources) == ["p0", "p1", "p2"]


def test_a_copy_joins_its_originals_event_without_being_grouped_itself():
    copy = Article(id="vote-1-copy", source="Wire Weekly", published="2025-04-20T09:00:00Z", text=LIBRARIES[5][3])
    events = timeline(articles() + [copy], copies={"vote-1": ["vote-1-copy"]})
    assert len(events) == 3 and events[2].articles == ["vote-1", "vote-2", "vote-1-copy"]


def test_time_apart_splits_even_the_same_sub_topic():
    later = Article(id="plan-4", source="Radio Brack", published="2025-05-20T07:00:00Z", text=LIBRARIES[2][3])
    events = timeline(articles() + [later])
    assert events[-1].articles == ["plan-4"] and events[-1].date == "2025-05-20"


def test_undated_articles_join_the_closest_event_or_come_last():
    undated = [Article(id="march-x", source="Blog", text=LIBRARIES[4][3]),
               Article(id="zoo", source="Blog", text="The Brackenfold zoo welcomed twin red panda cubs, its keepers "
                       "said. The cubs were born in the panda house and are doing well. Visitors can see them from "
                       "June.")]
    events = timeline(articles() + undated)
    assert "march-x" in events[1].articles
    assert events[-1].articles == ["zoo"] and events[-1].date == ""


def test_similarity_decides_without_dates():
    undated = [Article(id=a.id, source=a.source, text=a.text) for a in articles()]
    groups = [sorted(undated[k].id for k in members) for members in group_events(undated)]
    # The march shares few words with the rest of the story: an event of its own; the proposal's
    # three reports stay together (the vote, which names the budget and the libraries again,
    # may join them when no date keeps it apart).
    assert ["march-1", "march-2"] in groups
    assert any({"plan-1", "plan-2", "plan-3"} <= set(group) for group in groups)


def test_a_low_similarity_bar_makes_one_event_of_close_days(monkeypatch):
    two_days = [a for a in articles() if a.id.startswith("plan")]
    monkeypatch.setattr(timeline_module, "EVENT_SIMILARITY", 0.0)
    assert len(group_events(two_days)) == 1
    monkeypatch.setattr(timeline_module, "EVENT_SIMILARITY", 1.01)
    assert len(group_events(two_days)) == 3


def test_an_article_without_sentences_gets_its_title():
    events = timeline([Article(id="x", title="Library vote tonight", text="Advertisement\nShare this\nMenu")])
    assert [(e.headline, e.sources, e.articles) for e in events] == [("Library vote tonight", ["x"], ["x"])]


def test_no_articles_no_events():
    assert timeline([]) == []


def test_a_story_of_one_event_takes_its_headline_from_its_brief():
    plan = articles()[:3]
    brief = summarize(plan, words=60)
    (event,) = timeline(plan, brief=brief)
    assert event.headline in [s.text for s in brief.sentences]
    cited = next(s for s in brief.sentences if s.text == event.headline)
    assert sorted(event.sources) == sorted(brief.sources[n - 1].article_id for n in cited.sources)
    # A brief read back from its dict does not name its articles: the event is scored instead.
    (again,) = timeline(plan, brief=Brief.from_dict(brief.to_dict()))
    assert again == timeline(plan)[0]
