"""`storybrief evaluate --citations`: precision/recall arithmetic, the labelled pairs found again by
id and hash, and the share of citations without lexical evidence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from storybrief.brief.pipeline import prepare, summarize
from storybrief.brief.support import PAIR_FEATURES
from storybrief.errors import InputError
from storybrief.evaluation import citations as checks
from storybrief.types import Brief, BriefSentence, Source

STORY = [
    "The bridge was closed on Tuesday after engineers found a crack in a main cable.\n"
    "Traffic was diverted through the old town for the rest of the week.\n",
    "Engineers found a crack in a main cable, and the bridge was closed on Tuesday.\n"
    "The football club postponed its Saturday match because of the weather.\n",
]


def test_precision_recall_counts():
    m = checks.precision_recall([True, True, False, False], [True, False, True, False])
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (1, 1, 1, 1) and m["precision"] == 0.5 and m["recall"] == 0.5


def _files(tmp_path, label="supports", sha=None):
    from storybrief.brief.represent import represent

    prepared = prepare(STORY)
    ids = [a.id for a in prepared.merged]
    represent(prepared.sentences)
    i = next(k for k, s in enumerate(prepared.sentences) if s.article == 0 and s.index == 0)
    j = next(k for k, s in enumerate(prepared.sentences) if s.article == 1 and s.index == 0)
    claim, candidate = prepared.sentences[i].text, prepared.sentences[j].text
    pair = {"pair": "p1", "corpus": "t", "story": "s1", "stratum": "x",
            "claim": {"article": ids[0], "index": 0}, "candidate": {"article": ids[1], "index": 0},
            "sha1": sha or checks.content_hash(claim, candidate)}
    stories = {"id": "t:s1", "articles": [{"id": a.id, "text": a.text} for a in prepared.originals]}
    (tmp_path / "pairs.jsonl").write_text(json.dumps(pair) + "\n")
    (tmp_path / "labels.jsonl").write_text(json.dumps({"pair": "p1", "label": label}) + "\n")
    (tmp_path / "stories.jsonl").write_text(json.dumps(stories) + "\n")
    return tmp_path / "pairs.jsonl", tmp_path / "labels.jsonl", tmp_path / "stories.jsonl"


def test_labelled_pairs_are_found_again_and_decided(tmp_path):
    located = checks.read_labelled(*_files(tmp_path))
    assert len(located) == 1 and located[0].label == "supports"
    features = checks.pair_features(located)
    assert features.shape == (1, len(PAIR_FEATURES))
    assert checks.lexical_supports(features)[0]  # a plain paraphrase


def test_a_pair_whose_text_changed_is_an_error_not_a_silent_mismatch(tmp_path):
    with pytest.raises(InputError, match="text differs"):
        checks.read_labelled(*_files(tmp_path, sha="0" * 40))


def test_unknown_labels_are_refused(tmp_path):
    with pytest.raises(InputError, match="unknown label"):
        checks.read_labelled(*_files(tmp_path, label="maybe"))


def test_cross_validation_scores_each_pair_without_its_own_story():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(200, len(PAIR_FEATURES)))
    positive = features[:, 0] > 0
    groups = [f"s{k // 2}" for k in range(200)]
    probability = checks.cross_validated(features, positive, groups)
    assert probability.shape == (200,) and ((probability > 0.5) == positive).mean() > 0.8


def test_the_threshold_is_the_lowest_reaching_the_precision_target_else_the_most_precise():
    positive = np.array([True] * 8 + [False] * 2)
    allowed = np.ones(10, bool)
    # Every positive over 0.9, the two negatives at 0.85 and 0.6: 0.90 reaches precision 1.0 at full recall.
    probability = np.array([0.96] * 8 + [0.85, 0.6])
    assert checks.choose_threshold(probability, positive, allowed) == 0.9
    # Positives spread over the curve and a negative on top: no threshold reaches the target with
    # recall >= MIN_RECALL, so the most precise one that keeps that recall.
    probability = np.array([0.97, 0.9, 0.85, 0.8, 0.75, 0.7, 0.55, 0.52, 0.98, 0.6])
    chosen = checks.choose_threshold(probability, positive, allowed)
    m = checks.precision_recall(positive, probability >= chosen)
    assert m["recall"] >= checks.MIN_RECALL and m["precision"] < checks.PRECISION_TARGET
    for t in checks.THRESHOLDS:
        other = checks.precision_recall(positive, probability >= t)
        assert other["recall"] < checks.MIN_RECALL or other["precision"] <= m["precision"]


def test_nested_decisions_choose_nothing_on_the_stories_they_decide():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(120, len(PAIR_FEATURES)))
    positive = features[:, 0] + 0.3 * rng.normal(size=120) > 0
    groups = [f"s{k // 3}" for k in range(120)]
    allowed = np.ones(120, bool)
    allowed[:10] = False
    decided = checks.nested_decisions(features, positive, groups, allowed)
    assert decided.shape == (120,) and not decided[:10].any()
    assert checks.precision_recall(positive, decided)["precision"] > 0.8


def _brief(sources, evidence, origin=1):
    sentence = BriefSentence("The bridge was closed on Tuesday after engineers found a crack.", sources, len(sources),
                             {"article": origin, "index": 0}, evidence=evidence)
    return Brief([sentence], [Source(n, "", "", 10) for n in (1, 2)], 11, "test")


def test_a_citation_to_an_outlet_with_nothing_close_counts_as_without_lexical_evidence():
    other = "The football club postponed its Saturday match because of the weather.\n"
    originals = prepare(STORY[:1] + [other]).originals
    brief = _brief([1, 2], {1: {"article": 1, "index": 0, "text": "x"}})
    counts = checks.lexical_evidence(brief, originals)
    assert counts == {"citations": 1, "no_lexical_evidence": 1, "no_evidence": 1}
    close = prepare(STORY).originals
    counts = checks.lexical_evidence(_brief([1, 2], {1: {}, 2: {}}), close)
    assert counts == {"citations": 1, "no_lexical_evidence": 0, "no_evidence": 0}


def test_corpus_report_over_clusters(tmp_path):
    data = tmp_path / "clusters.jsonl"
    lines = [json.dumps({"id": "c1", "documents": STORY}), json.dumps({"id": "c2", "documents": []})]
    data.write_text("\n".join(lines) + "\n")
    report = checks.corpus_report(str(data), words=40)
    assert report["clusters"] == 1 and report["skipped"] == 1
    assert report["no_evidence"] == 0 and report["citations"] >= 1


def test_every_citation_of_a_brief_has_evidence_from_that_source():
    brief = summarize(STORY, words=40)
    for sentence in brief.sentences:
        assert set(sentence.sources) == set(sentence.evidence)
        for source, e in sentence.evidence.items():
            assert e["article"] == source and e["text"]


def _anchored(tmp_path, documents, claim, candidate):
    """A pair named by its sentences' offsets in the raw documents, as bench/citations/pairs.jsonl names them."""
    sides = {}
    for name, doc, text in (("claim", "a", claim), ("candidate", "b", candidate)):
        where = checks.anchor(text, documents[doc])
        assert where is not None
        sides[name] = {"article": doc, "index": 99, **where}
    pair = {"pair": "p1", "corpus": "t", "story": "s1", "stratum": "x", **sides,
            "sha1": checks.content_hash(claim, candidate)}
    stories = {"id": "t:s1", "articles": [{"id": k, "text": v} for k, v in documents.items()]}
    (tmp_path / "pairs.jsonl").write_text(json.dumps(pair) + "\n")
    (tmp_path / "labels.jsonl").write_text(json.dumps({"pair": "p1", "label": "supports"}) + "\n")
    (tmp_path / "stories.jsonl").write_text(json.dumps(stories) + "\n")
    return tmp_path / "pairs.jsonl", tmp_path / "labels.jsonl", tmp_path / "stories.jsonl"


def test_a_pair_is_found_by_its_offsets_whatever_the_sentence_index_and_the_cutting_of_sentences(tmp_path):
    documents = {
        "a": "Officials met in the capital on Monday.\nThe bridge was closed on Tuesday after engineers "
             "found a crack in a main cable. Traffic was diverted through the old town for the week.\n",
        "b": "The football club postponed its Saturday match because of the weather.\n"
             "Engineers found a crack in a main cable &amp; the bridge was closed on Tuesday.\n",
    }
    # The claim as it was labelled spans two of today's sentences: it is taken from the cleaned text whole.
    claim = ("The bridge was closed on Tuesday after engineers found a crack in a main cable. Traffic was "
             "diverted through the old town for the week.")
    candidate = "Engineers found a crack in a main cable & the bridge was closed on Tuesday."
    located = checks.read_labelled(*_anchored(tmp_path, documents, claim, candidate))
    assert len(located) == 1
    p = located[0]
    assert p.sentences[p.i].text == claim and p.sentences[p.j].text == candidate
    assert p.sentences[p.i].article == 0 and p.sentences[p.j].article == 1


def test_a_pair_whose_document_no_longer_holds_its_words_is_an_error(tmp_path):
    documents = {"a": "The bridge was closed on Tuesday after engineers found a crack in a main cable.\n",
                 "b": "Engineers found a crack in a main cable, and the bridge was closed on Tuesday.\n"}
    files = _anchored(tmp_path, documents, *(d.strip() for d in documents.values()))
    stories = json.loads(files[2].read_text())
    stories["articles"][1]["text"] = stories["articles"][1]["text"].replace("a crack", "two cracks")
    files[2].write_text(json.dumps(stories) + "\n")
    with pytest.raises(InputError, match="does not hold the sentence"):
        checks.read_labelled(*files)
