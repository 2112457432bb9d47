from storybrief.stories.records import Story
from storybrief.types import Brief


def test_a_story_counts_its_articles_and_gives_every_field_as_a_dict():
    story = Story(id="s00001", label="Ferry strike", articles=["a", "b", "c"], sources=["Herald"], copies={"a": ["c"]})
    assert story.size == 3
    assert story.to_dict() == {"id": "s00001", "label": "Ferry strike", "articles": ["a", "b", "c"], "sources": ["Herald"],
                               "start": "", "end": "", "copies": {"a": ["c"]}, "brief": None}
    brief = Brief(sentences=[], sources=[], words=0, method="test")
    story.brief = brief
    assert story.to_dict()["brief"] == brief.to_dict()
