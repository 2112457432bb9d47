"""Stories as plain text, Markdown, or JSON lines (one story a line, as `--out` writes them).

A story shows its label and span, its timeline (oldest event first, each with its date, headline
and the outlets that report it), its brief and, after a `--state` rerun, what is new since the
previous run (the update brief)."""

from __future__ import annotations

import json
import re

from storybrief.render import escape_markdown, render_markdown, render_text
from storybrief.stories.records import Event, Story
from storybrief.types import Brief


def span(story: Story) -> str:
    if not story.start:
        return "undated"
    start, end = story.start[:16].replace("T", " "), story.end[:16].replace("T", " ")
    return start if start == end else f"{start} to {end}"


def event_line(event: Event) -> str:
    """One event as plain text: date, headline, and its outlets (with the event's size when it has
    more articles than the headline's sources)."""
    cited = ", ".join(event.outlets or event.sources)
    more = f"; {len(event.articles)} articles" if len(event.articles) > len(event.sources) else ""
    return f"{event.date or 'undated':<10}  {event.headline} [{cited}{more}]"


def since(update: dict) -> str:
    return f"since {update['since'][:10]}" if update.get("since") else "since the previous run"


def story_line(story: Story) -> str:
    return json.dumps(story.to_dict(), ensure_ascii=False)


def render_stories_json(stories: list[Story]) -> str:
    return "".join(story_line(s) + "\n" for s in stories)


def render_stories_text(stories: list[Story]) -> str:
    blocks = []
    for story in stories:
        head = f"{story.id}  {story.label}\n{len(story.articles)} article{'s' if len(story.articles) != 1 else ''}" \
               f" from {', '.join(story.sources)}; {span(story)}"
        if story.related:
            head += f"\nRelated stories: {', '.join(story.related)}"
        body = render_text(story.brief) if story.brief else "(no brief)\n"
        if story.timeline and story.size > 1:
            head += "\n\nTimeline:\n" + "\n".join("  " + event_line(e) for e in story.timeline)
        if story.update is not None:
            news = Brief.from_dict(story.update)
            body += f"\nNew {since(story.update)}:\n" + (render_text(news) if news.sentences else "(nothing new)\n")
        blocks.append(f"{head}\n\n{body}")
    return ("\n" + "=" * 72 + "\n\n").join(blocks)


def render_stories_markdown(stories: list[Story]) -> str:
    blocks = []
    for story in stories:
        head = (f"## {escape_markdown(story.label)}\n\n`{story.id}` · {len(story.articles)} articles from "
                f"{escape_markdown(', '.join(story.sources))} · {span(story)}\n")
        if story.related:
            head += f"\nRelated stories: {', '.join(f'`{r}`' for r in story.related)}\n"
        body = footnotes(render_markdown(story.brief), story.id) if story.brief else "*(no brief)*\n"
        if story.timeline and story.size > 1:
            head += "\n**Timeline**\n\n" + "\n".join(event_markdown(e) for e in story.timeline) + "\n"
        if story.update is not None:
            news = Brief.from_dict(story.update)
            body += (f"\n**New {since(story.update)}**\n\n"
                     + (footnotes(render_markdown(news), f"{story.id}-new") if news.sentences else "*(nothing new)*\n"))
        blocks.append(f"{head}\n{body}")
    return "\n".join(blocks)


def footnotes(markdown: str, prefix: str) -> str:
    """Footnote names must be unique across the page: prefix them (with the story id)."""
    return re.sub(r"\[\^(\d+)\]", lambda m: f"[^{prefix}-{m.group(1)}]", markdown)


def event_markdown(event: Event) -> str:
    cited = escape_markdown(", ".join(event.outlets or event.sources))
    more = f"; {len(event.articles)} articles" if len(event.articles) > len(event.sources) else ""
    return f"- **{event.date or 'undated'}** {escape_markdown(event.headline)} ({cited}{more})"
