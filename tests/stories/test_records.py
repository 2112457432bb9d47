from storybrief.stories.records import Event, Story
from storybrief.types import Brief


def test_a_story_counts_its_articles_and_gives_every_field_as_a_dict():
    story = Story(id="s00001", label="Ferry strike", articles=["a", "b", "c"], sources=["Herald"], copies={"a": ["c"]})
    assert story.size == 3
    assert story.to_dict() == {"id": "s00001", "label": "Ferry strike", "articles": ["a", "b", "c"],
                               "sources": ["Herald"], "start": "", "end": "", "copies": {"a": ["c"]}, "brief": None,
                               "timeline": None, "update": None, "related": []}
    brief = Brief(sentences=[], sources=[], words=0, method="test")
    story.brief = brief
    assert story.to_dict()["brief"] == brief.to_dict()


def test_an_event_round_trips_through_its_dict():
    event = Event(date="2025-03-03", headline="Ferry crews walked off the job.", sources=["a", "c"],
                  articles=["a", "b", "c"], outlets=["Herald", "Courier"])
    assert event.to_dict() == {"date": "2025-03-03", "headline": "Ferry crews walked off the job.",
                               "sources": ["a", "c"], "articles": ["a", "b", "c"], "outlets": ["Herald", "Courier"]}
    assert Event.from_dict(event.to_dict()) == event
    story = Story(id="s1", label="Ferry", articles=["a", "b", "c"], sources=["Herald"], timeline=[event])
    assert story.to_dict()["timeline"] == [event.to_dict()]
