"""bench/measure/duc.py: participants' summaries cut to a shorter budget (no DUC text)."""

from __future__ import annotations

from bench.measure.duc import truncated


def test_a_summary_is_cut_to_its_first_words_keeping_its_lines():
    summary = "one two three four\nfive six seven\n\neight nine"
    assert truncated(summary, 6) == ["one two three four", "five six"]
    assert truncated(summary.split("\n"), 4) == ["one two three four"]


def test_a_summary_within_the_budget_is_kept_whole():
    lines = ["The bridge  closed on Monday.", "It reopens in May."]
    assert truncated(lines, 100) == ["The bridge closed on Monday.", "It reopens in May."]
    assert sum(len(line.split()) for line in truncated(lines, 5)) == 5
