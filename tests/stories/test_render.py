import json

from story_articles import FERRY, article

from storybrief import summarize
from storybrief.stories.records import Event, Story
from storybrief.stories.render import render_stories_json, render_stories_markdown, render_stories_text, span


def stories():
    brief = summarize([article(r) for r in FERRY], words=50)
    return [
        Story(id="s00001", label="Ferry *strike* [island]", articles=["ferry-1", "ferry-2"],
              sources=["Coastal Herald", "Bay_Courier"],
              start="2025-03-03T08:00:00Z", end="2025-03-04T07:15:00Z", brief=brief),
        Story(id="s00002", label="Quiet", articles=["x"], sources=["Radio"]),
    ]


def test_span_shows_minutes_and_one_time_once():
    first, second = stories()
    assert span(first) == "2025-03-03 08:00 to 2025-03-04 07:15"
    assert span(second) == "undated"
    second.start = second.end = "2025-03-05T12:00:30Z"
    assert span(second) == "2025-03-05 12:00"


def test_text_heads_each_story_and_separates_them():
    text = render_stories_text(stories())
    first, second = text.split("\n" + "=" * 72 + "\n\n")
    assert first.startswith(
        "s00001  Ferry *strike* [island]\n2 articles from Coastal Herald, Bay_Courier; 2025-03-03 08:00 to"
    )
    assert second == "s00002  Quiet\n1 article from Radio; undated\n\n(no brief)\n"


def test_markdown_escapes_labels_and_gives_each_story_its_own_footnotes():
    markdown = render_stories_markdown(stories())
    assert "## Ferry \\*strike\\* \\[island\\]" in markdown and "Bay\\_Courier" in markdown
    assert "[^s00001-1]" in markdown and "[^1]" not in markdown
    assert markdown.rstrip().endswith("*(no brief)*")


def test_json_is_one_story_a_line():
    lines = render_stories_json(stories()).splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["s00001", "s00002"]
    assert json.loads(lines[0])["brief"]["words"] <= 50 and json.loads(lines[1])["brief"] is None


def with_news():
    story = stories()[0]
    story.timeline = [
        Event("2025-03-03", "Ferry crews walked off the job on *Monday*.", ["ferry-1"], ["ferry-1"],
              ["Coastal Herald"]),
        Event("2025-03-04", "Talks resume.", ["ferry-2"], ["ferry-2", "ferry-3"], ["Bay_Courier"]),
    ]
    news = summarize([article(FERRY[2])], words=30)
    story.update = {"since": "2025-03-03T11:30:00Z", **news.to_dict()}
    return story, news


def test_text_shows_the_timeline_oldest_first_and_what_is_new():
    story, news = with_news()
    text = render_stories_text([story])
    assert ("Timeline:\n  2025-03-03  Ferry crews walked off the job on *Monday*. [Coastal Herald]\n"
            "  2025-03-04  Talks resume. [Bay_Courier; 2 articles]\n") in text
    assert text.index("Timeline:") < text.index(story.brief.sentences[0].text) < text.index("New since 2025-03-03:")
    source = news.sources[0]
    assert text.rstrip().endswith(f"[1] {source.title or source.name or source.path}".rstrip())
    story.update = {"since": "", **summarize([article(FERRY[2])], words=30).to_dict(), "sentences": []}
    assert "New since the previous run:\n(nothing new)" in render_stories_text([story])


def test_markdown_escapes_headlines_and_numbers_the_news_footnotes_apart():
    story, _ = with_news()
    markdown = render_stories_markdown([story])
    assert "- **2025-03-03** Ferry crews walked off the job on \\*Monday\\*. (Coastal Herald)" in markdown
    assert "(Bay\\_Courier; 2 articles)" in markdown
    assert "**New since 2025-03-03**" in markdown and "[^s00001-new-1]" in markdown and "[^s00001-1]" in markdown
