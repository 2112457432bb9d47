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
    for s in brief.sentences:
        lines.append(f"{shown(s)} [{', '.join(map(str, s.sources))}]")
        if evidence:
            lines.extend(_evidence_lines(s, "    "))
    lines.append("")
    lines.append("Sources:")
    lines.extend(f"  [{s.id}] {_label(s)}" for s in brief.sources)
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
    for s in brief.sentences:
        marks = "".join(f"[^{n}]" for n in s.sources)
        flag = " *(one source)*" if s.single_source and len(brief.sources) > 1 else ""
        lines.append(f"- {escape_markdown(shown(s))} {marks}{flag}")
        if evidence:
            lines.extend(_evidence_lines(s, "    - ", escape_markdown))
    if brief.disagreements:
        lines.append("")
        lines.append("**Where sources differ**")
        lines.append("")
        for d in brief.disagreements:
            lines.append(f"- On \"{escape_markdown(brief.sentences[d['sentence']].text[:80])}…\": "
                         f"{escape_markdown(differs(brief, d))}: {escape_markdown(d['text'])} [^{d['source']}]")
    lines.append("")
    for s in brief.sources:
        lines.append(f"[^{s.id}]: {escape_markdown(_label(s))}")
    return "\n".join(lines) + "\n"
