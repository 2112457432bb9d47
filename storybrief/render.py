"""A brief as plain text, Markdown with footnote-style citations, or JSON (see Brief.to_json)."""

from __future__ import annotations

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


def render_text(brief: Brief) -> str:
    lines = [f"{shown(s)} [{', '.join(map(str, s.sources))}]" for s in brief.sentences]
    lines.append("")
    lines.append("Sources:")
    lines.extend(f"  [{s.id}] {_label(s)}" for s in brief.sources)
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
    for s in brief.sentences:
        marks = "".join(f"[^{n}]" for n in s.sources)
        flag = " *(one source)*" if s.single_source and len(brief.sources) > 1 else ""
        lines.append(f"- {escape_markdown(shown(s))} {marks}{flag}")
    if brief.disagreements:
        lines.append("")
        lines.append("**Where sources differ**")
        lines.append("")
        for d in brief.disagreements:
            lines.append(f"- On \"{escape_markdown(brief.sentences[d['sentence']].text[:80])}…\": "
                         f"{escape_markdown(d['text'])} [^{d['source']}]")
    lines.append("")
    for s in brief.sources:
        lines.append(f"[^{s.id}]: {escape_markdown(_label(s))}")
    return "\n".join(lines) + "\n"
