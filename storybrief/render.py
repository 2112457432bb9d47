"""A brief as plain text, Markdown with footnote-style citations, or JSON (see Brief.to_json)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the records render themselves through this module, so it must not import them at run time
    from storybrief.types import Brief, BriefSentence, Source


def _label(source: Source) -> str:
    name = source.title or source.name or source.path or f"source {source.id}"
    if source.path and source.path != "-" and source.title:
        return f"{name} ({source.path})"
    return name


def shown(sentence: BriefSentence) -> str:
    """The sentence as a reader sees it: a sentence its source cut off ends in an ellipsis."""
    return sentence.text + "…" if sentence.cut else sentence.text


def dated(brief: Brief) -> list[str]:
    """Each sentence's day as a reader is told it: where the day changes (briefs that tell events
    of different days; see attribute.py), else ''."""
    out, last = [], ""
    for s in brief.sentences:
        out.append(_day(s.date) if s.date and s.date != last else "")
        last = s.date or last
    return out


def _day(iso: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day.strftime('%b')} {day.year}"


def off_topic_line(brief: Brief) -> str:
    """The articles set aside as off topic, by source number and label; '' when none."""
    if not brief.off_topic:
        return ""
    labels = {s.id: _label(s) for s in brief.sources}
    return "Set aside as off topic (no sentence taken): " + "; ".join(f"[{n}] {labels.get(n, '')}".rstrip() for n in brief.off_topic)


def render_text(brief: Brief) -> str:
    days = dated(brief)
    lines = [f"{f'({d}) ' if d else ''}{shown(s)} [{', '.join(map(str, s.sources))}]" for s, d in zip(brief.sentences, days)]
    lines.append("")
    lines.append("Sources:")
    lines.extend(f"  [{s.id}] {_label(s)}" for s in brief.sources)
    if brief.off_topic:
        lines.append(off_topic_line(brief))
    single = [k + 1 for k, s in enumerate(brief.sentences) if s.single_source]
    if single and len(brief.sources) > 1:
        lines.append(f"Reported by one source only: sentence{'s' if len(single) > 1 else ''} {', '.join(map(str, single))}")
    for d in brief.disagreements:
        lines.append(f"Sources differ on sentence {d['sentence'] + 1}: [{d['source']}] says: {d['text']}")
    return "\n".join(lines) + "\n"


def escape_markdown(text: str) -> str:
    # Article text is untrusted: keep it from turning into links, HTML or emphasis.
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(brief: Brief) -> str:
    lines = []
    for s, day in zip(brief.sentences, dated(brief)):
        marks = "".join(f"[^{n}]" for n in s.sources)
        flag = " *(one source)*" if s.single_source and len(brief.sources) > 1 else ""
        when = f"**{day}:** " if day else ""
        lines.append(f"- {when}{escape_markdown(shown(s))} {marks}{flag}")
    if brief.disagreements:
        lines.append("")
        lines.append("**Where sources differ**")
        lines.append("")
        for d in brief.disagreements:
            lines.append(f"- On \"{escape_markdown(brief.sentences[d['sentence']].text[:80])}…\": "
                         f"{escape_markdown(d['text'])} [^{d['source']}]")
    if brief.off_topic:
        lines.append("")
        lines.append(f"*{escape_markdown(off_topic_line(brief))}*")
    lines.append("")
    for s in brief.sources:
        lines.append(f"[^{s.id}]: {escape_markdown(_label(s))}")
    return "\n".join(lines) + "\n"
