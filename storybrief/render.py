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
    listed = "; ".join(f"[{n}] {labels.get(n, '')}".rstrip() for n in brief.off_topic)
    return f"Set aside as off topic (no sentence taken): {listed}"


def differs(brief: Brief, d: dict) -> str:
    """A disagreement in words: "[6] says 162 injured, [1] says about 180 injured" (with dates when
    the versions are dated); a record without `values` (older stored briefs) shows the other text."""
    if "values" not in d:
        return f"[{d['source']}] says: {d['text']}"
    mine, theirs = (", ".join(v) for v in d["values"])
    dated = d.get("published", {})
    origin = d.get("claim_source", brief.sentences[d["sentence"]].origin["article"])

    def who(source: int) -> str:
        return f"[{source}]" + (f" ({dated[str(source)]})" if str(source) in dated else "")

    return f"{who(d['source'])} says {theirs}, {who(origin)} says {mine} ({d['kind']})"


def _evidence_lines(sentence: BriefSentence, prefix: str, escape=lambda t: t) -> list[str]:
    lines = []
    for source in sentence.sources:
        e = sentence.evidence.get(source)
        if e is None:
            continue
        lines.append(f"{prefix}[{source}] sentence {e['index'] + 1}: {escape(e['text'])}")
    return lines


def render_text(brief: Brief, evidence: bool = False) -> str:
    lines = []
    for s, day in zip(brief.sentences, dated(brief)):
        lines.append(f"{f'({day}) ' if day else ''}{shown(s)} [{', '.join(map(str, s.sources))}]")
        if evidence:
            lines.extend(_evidence_lines(s, "    "))
    lines.append("")
    lines.append("Sources:")
    lines.extend(f"  [{s.id}] {_label(s)}" for s in brief.sources)
    if brief.off_topic:
        lines.append(off_topic_line(brief))
    single = [k + 1 for k, s in enumerate(brief.sentences) if s.single_source]
    if single and len(brief.sources) > 1:
        plural = "s" if len(single) > 1 else ""
        lines.append(f"Reported by one source only: sentence{plural} {', '.join(map(str, single))}")
    for d in brief.disagreements:
        lines.append(f"Sources differ on sentence {d['sentence'] + 1}: {differs(brief, d)}: {d['text']}")
    return "\n".join(lines) + "\n"


def escape_markdown(text: str) -> str:
    # Article text is untrusted: keep it from turning into links, HTML or emphasis.
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(brief: Brief, evidence: bool = False) -> str:
    lines = []
    for s, day in zip(brief.sentences, dated(brief)):
        marks = "".join(f"[^{n}]" for n in s.sources)
        flag = " *(one source)*" if s.single_source and len(brief.sources) > 1 else ""
        when = f"**{day}:** " if day else ""
        lines.append(f"- {when}{escape_markdown(shown(s))} {marks}{flag}")
        if evidence:
            lines.extend(_evidence_lines(s, "    - ", escape_markdown))
    if brief.disagreements:
        lines.append("")
        lines.append("**Where sources differ**")
        lines.append("")
        for d in brief.disagreements:
            lines.append(f"- On \"{escape_markdown(brief.sentences[d['sentence']].text[:80])}…\": "
                         f"{escape_markdown(differs(brief, d))}: {escape_markdown(d['text'])} [^{d['source']}]")
    if brief.off_topic:
        lines.append("")
        lines.append(f"*{escape_markdown(off_topic_line(brief))}*")
    lines.append("")
    for s in brief.sources:
        lines.append(f"[^{s.id}]: {escape_markdown(_label(s))}")
    return "\n".join(lines) + "\n"
