"""The evaluation report made readable: a terminal table (rich) and the Markdown section that
bench/measure/quality.py writes into docs/benchmarks.md, with the throughput ratios they quote."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from storybrief.evaluation.evaluate import LABELS, METRICS


def _cell(value: dict) -> str:
    return f"{value['mean'] * 100:.2f} [{value['low'] * 100:.2f}, {value['high'] * 100:.2f}]"


def table_rows(report: dict) -> list[list[str]]:
    rows = []
    for s in report["systems"]:
        readable = s["readability"]
        rows.append(
            [
                s["name"],
                *(_cell(s[m]) for m in METRICS),
                f"{s['words']:.0f}",
                *(f"{readable[k] * 100:.1f}" for k in READABILITY),
                *(
                    [f"{s['intruder']['share_two_or_more'] * 100:.1f} ({s['intruder']['share'] * 100:.1f})"]
                    if "intruder" in s
                    else []
                ),
                f"{s['clusters_per_second']:.1f}",
                f"{s['ranking_clusters_per_second']:.1f}",
                "n/a" if s["peak_memory_mib"] is None else f"{s['peak_memory_mib']:.2f}",
            ]
        )
    return rows


READABILITY = {
    "unbalanced_quotes": "unbalanced quotes %",
    "dangling_openings": "dangling openings %",
    "bad_first_sentence": "bad first sentence %",
}
INTRUDER_HEADER = "intruder % (all)"
HEADERS = [
    "system",
    *(f"{LABELS[m]} F1 [95% CI]" for m in METRICS),
    "words",
    *READABILITY.values(),
    "clusters/s",
    "after prep/s",
    "peak MiB",
]


def headers(report: dict) -> list[str]:
    if not report.get("intruder"):
        return HEADERS
    at = HEADERS.index("clusters/s")
    return [*HEADERS[:at], INTRUDER_HEADER, *HEADERS[at:]]


def report_table(report: dict):
    """The report as a rich Table."""
    from rich.table import Table

    table = Table(title=f"{report['clusters']} clusters of {report['data']}, {report['words']}-word budget")
    for n, header in enumerate(headers(report)):
        table.add_column(header, justify="left" if n == 0 else "right", no_wrap=n > 0, min_width=24 if n == 0 else None)
    for row, system in zip(table_rows(report), report["systems"]):
        style = "dim" if system["kind"] == "oracle" else ("bold" if system["kind"] == "storybrief" else None)
        table.add_row(*row, style=style)
    return table


def report_markdown(report: dict) -> str:
    """The report as a Markdown table with the notes a reader needs to trust it."""
    columns = headers(report)
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in table_rows(report))
    size = report["input"]
    notes = [
        "",
        f"{report['clusters']} clusters evaluated of the {report['split']} split (`{Path(report['data']).name}`,"
        f" first {report['clusters'] + len(report['skipped'])} lines of the file), {report['words']}-word budget"
        + (f"; skipped for every system: {_skip_summary(report['skipped'])}" if report["skipped"] else "")
        + f". Input: {size['articles_mean']:.1f} articles, {size['words_mean']:.0f} words and"
        f" {size['sentences_mean']:.1f} sentences (after cleaning) per cluster on average.",
        f"Shared preparation (clean, dedupe, segment): {report['prepare_seconds'] / report['clusters'] * 1000:.1f} ms "
        f"a cluster;"
        " `clusters/s` charges it to every system (documents in, summary out), `after prep/s` leaves it out"
        " (for StoryBrief: its total less the time inside its own preparation stages).",
        f"Peak memory: {report['memory']['method']} ({report['memory']['clusters'] or 'not measured: no'} clusters);"
        f" peak resident memory of the whole evaluation process: {report['memory']['process_peak_rss_mib']:.0f} MiB.",
        "Readability (`storybrief.evaluation.readability`): unbalanced quotes: brief sentences whose quotation opens or"
        " closes in a sentence not beside them; dangling openings: sentences opening with a pronoun, and/but/so, a"
        " first-person word or a quotation whose speaker is a pronoun or absent, not preceded by the sentence before"
        " them in their article; bad first sentence: briefs opening with a quotation, a question, background or such"
        " an opening.",
    ]
    if report.get("intruder"):
        notes.append(
            "Intruder: each cluster got one article of another cluster; the column is the share of brief sentences"
            " taken from it over the clusters that kept two or more of their own articles"
            f" ({report['systems'][0]['intruder']['clusters_two_or_more']} clusters), in brackets over all clusters."
        )
    differences = [s for s in report["systems"] if "difference" in s]
    if differences:
        notes += [
            "",
            f"Paired differences, {differences[0]['difference']['from']} minus each system (F1 × 100, 95% bootstrap"
            " interval of the per-cluster difference; an interval that excludes 0 is a difference the sample "
            "supports):",
            "",
            "| system | " + " | ".join(f"Δ {LABELS[m]}" for m in METRICS) + " |",
            "|---|" + "---:|" * len(METRICS),
        ]
        notes += [
            "| " + s["name"] + " | " + " | ".join(_signed(s["difference"][m]) for m in METRICS) + " |"
            for s in differences
        ]
        notes.append("")
    oracle = next((s for s in report["systems"] if s["kind"] == "oracle"), None)
    if oracle is not None:
        notes.append(
            "The oracle searches for the sentences with the best mean of ROUGE-1/2 F1 (greedy, and a beam search of "
            "width 10);"
            f" on {oracle['search_beaten'] * 100:.1f}% of clusters a system's summary scored higher and stands as the"
            " oracle's there, so the oracle is never below any system on a cluster."
        )
    return "\n".join(lines + notes) + "\n"


def _signed(value: dict) -> str:
    return f"{value['mean'] * 100:+.2f} [{value['low'] * 100:+.2f}, {value['high'] * 100:+.2f}]"


def _skip_summary(skipped: list[dict]) -> str:
    reasons = Counter(s["reason"] for s in skipped)
    return ", ".join(f"{n} × {reason}" for reason, n in reasons.most_common())


def throughput_ratios(report: dict, method: str = "default") -> dict[str, float]:
    """Clusters/second of a StoryBrief method divided by each other system's."""
    mine = next((s for s in report["systems"] if s.get("method") == method), None)
    if mine is None:
        return {}
    return {
        s["name"]: mine["clusters_per_second"] / s["clusters_per_second"]
        for s in report["systems"]
        if s is not mine and s["clusters_per_second"]
    }
