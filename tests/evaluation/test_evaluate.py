from __future__ import annotations

import gzip
import json
import sys

import numpy as np
import pytest
from story_clusters import CLUSTERS, FERRY, write_jsonl
from typer.testing import CliRunner

from storybrief.cli import app
from storybrief.errors import InputError, StoryBriefError
from storybrief.evaluation.evaluate import (
    METRICS,
    Skipped,
    bootstrap_indices,
    bootstrap_interval,
    ceiling,
    evaluate,
    parse_cluster,
    read_clusters,
    reference_lines,
)
from storybrief.evaluation.report import report_markdown

rouge_score = pytest.importorskip("rouge_score", reason="evaluate needs the bench extra (rouge-score)")


@pytest.fixture
def data(tmp_path):
    return write_jsonl(tmp_path / "clusters-val.jsonl", CLUSTERS)


# --- reading ------------------------------------------------------------------------------------


def test_reference_is_one_sentence_a_line():
    assert reference_lines("The ferry ran aground. All were saved.\nThe route is shut.") == (
        "The ferry ran aground.\nAll were saved.\nThe route is shut."
    )


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "x", "documents": ["a b c d."], "summary": ', "malformed JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"id": "x", "documents": ["Some article text here."]}', "no reference"),
        ('{"id": "x", "documents": ["Some article text here."], "summary": "  "}', "no reference"),
        ('{"id": "x", "documents": "not a list", "summary": "A summary."}', "must be a list of strings"),
        ('{"id": "x", "documents": ["  "], "summary": "A summary."}', "no article text"),
    ],
)
def test_malformed_lines_say_what_is_wrong(line, message):
    with pytest.raises(InputError, match=message):
        parse_cluster(line, 1, "data.jsonl")


def test_bad_lines_are_skipped_with_their_line_number(tmp_path):
    path = write_jsonl(
        tmp_path / "d.jsonl",
        CLUSTERS,
        raw_lines={1: "{broken", 3: '{"id": "nosum", "documents": ["Text of it here."]}'},
    )
    skipped: list[Skipped] = []
    clusters = list(read_clusters(path, skipped))
    assert [c.id for c in clusters] == ["ferry", "library", "orchard"]
    assert [(s.line, s.id) for s in skipped] == [(2, "2"), (4, "nosum")]
    assert "malformed JSON" in skipped[0].reason and "no reference" in skipped[1].reason


def test_limit_counts_good_clusters_and_gzip_is_read(tmp_path):
    path = tmp_path / "d.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("not json\n" + "".join(json.dumps(r) + "\n" for r in CLUSTERS))
    skipped: list[Skipped] = []
    assert [c.id for c in read_clusters(path, skipped, limit=2)] == ["ferry", "library"]
    assert len(skipped) == 1


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        evaluate(tmp_path / "nope.jsonl")


def test_a_file_with_no_usable_cluster_is_an_error(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [], raw_lines={0: "{broken"})
    with pytest.raises(InputError, match=r"no cluster could be evaluated \(line 1: malformed JSON"):
        evaluate(path)


# --- statistics ---------------------------------------------------------------------------------


def test_bootstrap_interval_contains_the_mean_and_narrows_with_more_data():
    rng = np.random.default_rng(3)
    small, large = rng.normal(0.4, 0.1, 30), rng.normal(0.4, 0.1, 3000)
    mean, low, high = bootstrap_interval(small, bootstrap_indices(len(small), 2000, seed=1))
    assert low < mean < high
    assert mean == pytest.approx(small.mean())
    _, low_large, high_large = bootstrap_interval(large, bootstrap_indices(len(large), 500, seed=1))
    assert high_large - low_large < (high - low) / 3


def test_bootstrap_of_a_constant_is_a_point():
    assert bootstrap_interval(np.full(10, 0.25), bootstrap_indices(10, 100)) == pytest.approx((0.25, 0.25, 0.25))


def test_the_oracle_takes_a_better_systems_scores_and_says_so():
    results = {
        "oracle": ({"rouge1": 0.5, "rouge2": 0.2, "rougeLsum": 0.4}, 90),
        "a": ({"rouge1": 0.55, "rouge2": 0.2, "rougeLsum": 0.45}, 95),
        "b": ({"rouge1": 0.3, "rouge2": 0.1, "rougeLsum": 0.3}, 80),
    }
    assert ceiling(results, "oracle") is True
    assert results["oracle"] == results["a"]
    assert ceiling(results, "oracle") is False


# --- the whole evaluation -----------------------------------------------------------------------


def test_rouge_of_a_cluster_whose_reference_is_one_of_its_sentences(tmp_path):
    sentence = "The vessel was refloated on the evening tide and towed to port for repairs."
    record = {**FERRY, "summary": sentence}
    report = evaluate(
        write_jsonl(tmp_path / "d.jsonl", [record]),
        words=len(sentence.split()),
        baselines=["oracle", "lead"],
        resamples=50,
        memory_clusters=0,
    )
    oracle = next(s for s in report["systems"] if s["kind"] == "oracle")
    for metric in METRICS:
        assert oracle[metric]["mean"] == pytest.approx(1.0)
    lead = next(s for s in report["systems"] if s["name"] == "lead")
    assert 0 < lead["rouge1"]["mean"] < 1


def test_every_system_obeys_the_budget_and_the_oracle_tops_each_cluster(data):
    words = 40
    report = evaluate(
        data,
        words=words,
        methods=["default", "lead"],
        baselines=True,
        resamples=200,
        memory_clusters=2,
        per_cluster=True,
    )
    assert report["clusters"] == len(CLUSTERS) and report["ids"] == [c["id"] for c in CLUSTERS]
    oracle = next(s for s in report["systems"] if s["kind"] == "oracle")
    best = [(a + b) / 2 for a, b in zip(oracle["per_cluster"]["rouge1"], oracle["per_cluster"]["rouge2"])]
    names = set()
    for system in report["systems"]:
        names.add(system["name"])
        assert max(system["per_cluster"]["words"]) <= words
        for metric in METRICS:
            value = system[metric]
            assert value["low"] <= value["mean"] <= value["high"]
        mine = [(a + b) / 2 for a, b in zip(system["per_cluster"]["rouge1"], system["per_cluster"]["rouge2"])]
        assert all(o >= m - 1e-12 for o, m in zip(best, mine)), system["name"]
        assert system["clusters_per_second"] > 0 and system["peak_memory_mib"] > 0
    assert {
        "lead",
        "lexrank (sumy)",
        "textrank (sumy)",
        "lsa (sumy)",
        "sumbasic (sumy)",
        "textrank (summa)",
        "oracle",
    } <= names
    assert "storybrief lead" in names and any(n.startswith("storybrief default") for n in names)
    assert "| oracle |" in report_markdown(report)


def test_peers_are_charged_the_shared_preparation(data):
    report = evaluate(data, words=60, baselines=["lead"], resamples=20, memory_clusters=0)
    lead = next(s for s in report["systems"] if s["name"] == "lead")
    assert lead["seconds"] == pytest.approx(lead["ranking_seconds"] + report["prepare_seconds"])


def test_unknown_method_is_a_clear_error(data):
    with pytest.raises(StoryBriefError, match="unknown method 'bogus'"):
        evaluate(data, methods=["bogus"])


# --- the command --------------------------------------------------------------------------------


def test_cli_evaluate_end_to_end(data, tmp_path):
    output = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(data),
            "--words",
            "50",
            "--baseline",
            "lead,oracle",
            "--resamples",
            "50",
            "--memory-clusters",
            "1",
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "ROUGE-2" in result.output and "oracle" in result.output
    report = json.loads(output.read_text())
    assert report["clusters"] == 3 and report["words"] == 50
    assert [s["name"] for s in report["systems"]][1:] == ["lead", "oracle"]


def test_cli_evaluate_reports_skipped_lines_and_missing_files(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", CLUSTERS[:1], raw_lines={0: "{broken"})
    result = CliRunner().invoke(
        app, ["evaluate", str(path), "--words", "50", "--resamples", "20", "--memory-clusters", "0"]
    )
    assert result.exit_code == 0
    assert f"{path}:1: id 1: skipped: malformed JSON" in result.output
    missing = CliRunner().invoke(app, ["evaluate", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 1 and "error:" in missing.output and "no such file" in missing.output


def test_cli_evaluate_without_rouge_score_says_which_extra_to_install(data, monkeypatch):
    for name in list(sys.modules):
        if name == "rouge_score" or name.startswith("rouge_score."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "rouge_score", None)
    result = CliRunner().invoke(app, ["evaluate", str(data)])
    assert result.exit_code == 1
    assert "needs the 'rouge_score' package; install the bench extra" in result.output
    assert "Traceback" not in result.output


def test_storybrief_time_after_preparation_is_measured_inside_its_own_call(data):
    from storybrief.evaluation.evaluate import StoryBriefSystem, candidate_sentences, parse_cluster

    cluster = parse_cluster(json.dumps(CLUSTERS[0]), 1, "test")
    output = StoryBriefSystem("default", 60).run(cluster, candidate_sentences(cluster.articles), prepare_seconds=10.0)
    assert 0 < output.ranking_seconds < output.seconds < 10.0  # not derived from the prepare time passed in


def test_paired_differences_are_against_the_first_system_and_contain_their_mean(data):
    report = evaluate(
        data,
        words=40,
        methods=["default"],
        baselines=["lead", "oracle"],
        resamples=200,
        memory_clusters=0,
        per_cluster=True,
    )
    first, *others = report["systems"]
    assert "difference" not in first
    for system in others:
        difference = system["difference"]
        assert difference["from"] == first["name"]
        for metric in METRICS:
            expected = np.mean(first["per_cluster"][metric]) - np.mean(system["per_cluster"][metric])
            assert difference[metric]["mean"] == pytest.approx(expected)
            assert difference[metric]["low"] <= difference[metric]["mean"] <= difference[metric]["high"]
    assert "minus each system" in report_markdown(report)
