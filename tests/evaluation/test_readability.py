"""evaluation/readability.py and evaluation/intruder.py."""

from __future__ import annotations

import json

import pytest
from story_clusters import CLUSTERS, write_jsonl

from storybrief.evaluation.intruder import INTRUDER_PREFIX, IntruderCount, add_intruders, intruder_of
from storybrief.evaluation.readability import Readability, quote_fragments
from storybrief.types import Article


def test_a_quotation_over_two_sentences_is_whole_when_they_follow_each_other_as_in_their_article():
    texts = ['The mayor said: "We will rebuild the pier.', 'Nobody will stop us."']
    assert quote_fragments(texts, [(0, 4), (0, 5)]) == []
    assert quote_fragments(texts, [(0, 4), (1, 5)]) == [0, 1]  # another article's sentence: both are fragments
    assert quote_fragments(texts[:1], [(0, 4)]) == [0]
    assert quote_fragments(texts, [None, None]) == []  # origins unknown: neighbours in the brief pair up


def test_readability_shares():
    measured = Readability()
    measured.add(
        ["The bridge closed on Tuesday.", "He said it would reopen in May.", "It was built in 1931.",
         'Mayor Brandt said: "We will rebuild."'],
        [(0, 0), (0, 1), (1, 6), (2, 0)],
    )
    measured.add(['"Nobody crosses that bridge," she said.', "The ferry added crossings."], [(0, 3), (1, 0)])
    shares = measured.shares()
    # "He said" follows its article's sentence before it; "It was built" does not; the quote's speaker is a pronoun.
    assert measured.dangling == 2 and shares["dangling_openings"] == pytest.approx(2 / 6)
    assert shares["unbalanced_quotes"] == 0
    assert shares["bad_first_sentence"] == pytest.approx(1 / 2)
    assert measured.to_dict()["dangling_kinds"] == {"attribution": 1, "pronoun": 1}


def test_intruders_come_from_another_cluster_at_a_seeded_place():
    clusters = [[Article(f"c{c} a{a}", id=f"c{c}#{a}") for a in range(3)] for c in range(4)]
    first, again = add_intruders(clusters, seed=1), add_intruders(clusters, seed=1)
    assert [[a.id for a in c] for c in first] == [[a.id for a in c] for c in again]
    for k, (before, after) in enumerate(zip(clusters, first)):
        guest = [a for a in after if a.id.startswith(INTRUDER_PREFIX)]
        assert len(after) == len(before) + 1 and len(guest) == 1
        assert not guest[0].id.startswith(f"{INTRUDER_PREFIX}c{k}#")
        assert intruder_of(after) == after.index(guest[0])


def test_intruder_share_counts_clusters_with_two_own_articles_apart():
    count = IntruderCount()
    count.add([0, 1, 2, 1], intruder=1, own_articles=3)
    count.add([0, 0], intruder=None, own_articles=2)
    count.add([1, 0], intruder=0, own_articles=1)
    out = count.to_dict()
    assert out["share"] == pytest.approx(3 / 8) and out["briefs_taking"] == pytest.approx(2 / 3)
    assert out["share_two_or_more"] == pytest.approx(2 / 6) and out["clusters_two_or_more"] == 2


def test_evaluate_reports_readability_and_intruders(tmp_path):
    pytest.importorskip("rouge_score")
    from storybrief.evaluation.evaluate import evaluate
    from storybrief.evaluation.report import report_markdown

    data = write_jsonl(tmp_path / "clusters-val.jsonl", CLUSTERS)
    report = evaluate(data, words=60, baselines=["lead"], resamples=20, memory_clusters=0, intruder=True)
    for system in report["systems"]:
        assert set(system["readability"]) >= {"unbalanced_quotes", "dangling_openings", "bad_first_sentence"}
        assert 0 <= system["intruder"]["share"] <= 1
    assert report["intruder"] is True
    text = report_markdown(report)
    assert "intruder % (all)" in text and "dangling openings %" in text
    json.dumps(report)
    plain = evaluate(data, words=60, resamples=20, memory_clusters=0)
    assert "intruder" not in plain["systems"][0] and "intruder %" not in report_markdown(plain)


def test_cli_evaluate_intruder(tmp_path):
    pytest.importorskip("rouge_score")
    from typer.testing import CliRunner

    from storybrief.cli import app

    data = write_jsonl(tmp_path / "clusters-val.jsonl", CLUSTERS)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["evaluate", str(data), "-w", "60", "--intruder", "--memory-clusters", "0",
                                      "--resamples", "20", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "intruder" in result.output
    assert json.loads(out.read_text())["systems"][0]["intruder"]["clusters_two_or_more"] == 3


def test_evaluate_reads_the_dates_of_a_dated_corpus(tmp_path):
    from storybrief.evaluation.evaluate import parse_cluster

    line = json.dumps({"id": "t", "documents": ["The ferry ran aground on Tuesday.", "All were saved by lifeboats."],
                       "dates": ["2006-01-02", "2006-01-03"], "summary": "A ferry ran aground."})
    assert [a.published for a in parse_cluster(line, 1, "x").articles] == ["2006-01-02", "2006-01-03"]
    undated = json.dumps({"id": "t", "documents": ["The ferry ran aground on Tuesday."], "summary": "A ferry ran."})
    assert parse_cluster(undated, 1, "x").articles[0].published == ""
