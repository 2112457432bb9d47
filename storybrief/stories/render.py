"""Stories as plain text, Markdown, or JSON lines (one story a line, as `--out` writes them)."""

from __future__ import annotations

import json
import re

from storybrief.render import escape_markdown, render_markdown, render_text
from storybrief.stories.records import Story


def span(story: Story) -> str:
    if not story.start:
        return "undated"
    start, end = story.start[:16].replace("T", " "), story.end[:16].replace("T", " ")
    return start if start == end else f"{start} to {end}"


def story_line(story: Story) -> str:
    return json.dumps(story.to_dict(), ensure_ascii=False)


def render_stories_json(stories: list[Story]) -> str:
    return "".join(story_line(s) + "\n" for s in stories)


def render_stories_text(stories: list[Story]) -> str:
    blocks = []
    for story in stories:
        head = f"{story.id}  {story.label}\n{len(story.articles)} article{'s' if len(story.articles) != 1 else ''}" \
               f" from {', '.join(story.sources)}; {span(story)}"
        body = render_text(story.brief) if story.brief else "(no brief)\n"
        blocks.append(f"{head}\n\n{body}")
    return ("\n" + "=" * 72 + "\n\n").join(blocks)


def render_stories_markdown(stories: list[Story]) -> str:
    blocks = []
    for story in stories:
        head = (f"## {escape_markdown(story.label)}\n\n`{story.id}` · {len(story.articles)} articles from "
                f"{escape_markdown(', '.join(story.sources))} · {span(story)}\n")
        body = render_markdown(story.brief) if story.brief else "*(no brief)*\n"
        # Footnote names must be unique across the page: prefix them with the story id.
        body = re.sub(r"\[\^(\d+)\]", lambda m: f"[^{story.id}-{m.group(1)}]", body)
        blocks.append(f"{head}\n{body}")
    return "\n".join(blocks)
