"""The citation-pair benchmark's pieces that need no corpus: reading DUC markup, the mirror of
attribute.py's support decision, claim filtering and the precision/recall arithmetic."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.build.citation_pairs import content_hash, duc_text, good_claim  # noqa: E402
from bench.measure.citations import precision_recall, report, today_supports  # noqa: E402
from storybrief.brief.attribute import attribute  # noqa: E402
from storybrief.brief.represent import represent  # noqa: E402
from storybrief.types import Article, Sentence  # noqa: E402

# Made-up text in the DUC/TREC markup (no DUC text).
SGML = """<DOC>
<DOCNO> XYZ19990101.0001 </DOCNO>
<BODY>
<HEADLINE> Bridge Shut After Crack Found </HEADLINE>
<TEXT>
<P>
   MARROW (XY) -- The city closed the old bridge on Tuesday
after engineers found a crack in one of its cables.
</P>
<P>
   ``We will not take risks,'' the mayor said &AMP; left.
</P>
</TEXT>
</BODY>
</DOC>"""


def test_duc_text_keeps_paragraphs_joins_wraps_and_straightens_quotes():
    text = duc_text(SGML)
    assert text.splitlines() == [
        "MARROW (XY) -- The city closed the old bridge on Tuesday after engineers found a crack in one of its cables.",
        '"We will not take risks," the mayor said & left.',
    ]
    assert "Bridge Shut" not in text  # the headline is not body text


def test_duc_text_without_paragraph_tags_splits_on_blank_lines():
    raw = "<DOC><TEXT>\nFirst paragraph runs\nover two lines.\n\nSecond one.\n</TEXT></DOC>"
    assert duc_text(raw).splitlines() == ["First paragraph runs over two lines.", "Second one."]


def _story(texts: list[str]):
    originals = [Article(t, id=str(k)) for k, t in enumerate(texts)]
    sentences = [Sentence(t, k, 0) for k, t in enumerate(texts)]
    return originals, sentences, represent(sentences)


def test_today_supports_agrees_with_attribute():
    originals, sentences, rep = _story([
        "The bridge was closed on Tuesday after engineers found a crack in a main cable.",
        "Engineers found a crack in a main cable, and the bridge was closed on Tuesday.",
        "The football club postponed its Saturday match because of the weather.",
    ])
    cited, _, _ = attribute([0], sentences, originals, originals, rep)
    assert today_supports(sentences, rep, 0, 1)["supports"] and 2 in cited[0].sources
    assert not today_supports(sentences, rep, 0, 2)["supports"] and 3 not in cited[0].sources


def test_today_supports_refuses_a_sentence_with_only_other_figures():
    originals, sentences, rep = _story([
        "The bridge carries about 40,000 vehicles a day between the centre and the suburbs.",
        "The bridge normally carries around 45,000 vehicles every day to the suburbs.",
    ])
    decision = today_supports(sentences, rep, 0, 1)
    assert decision["similarity"] >= 0.5 and not decision["supports"] and decision["disagreement"]
    cited, _, disagreements = attribute([0], sentences, originals, originals, rep)
    assert cited[0].sources == [1] and disagreements


def test_good_claim_wants_a_finished_statement_not_a_quotation():
    assert good_claim(Sentence("The city closed the old bridge on Tuesday after engineers found a crack.", 0, 0))
    assert not good_claim(Sentence('"We will not take any risks with the bridge at all," the mayor said.', 0, 0))
    assert not good_claim(Sentence("Will the city close the old bridge for the rest of the winter season?", 0, 0))
    assert not good_claim(Sentence("The city closed the old bridge on Tuesday after engineers found", 0, 0))
    assert not good_claim(Sentence("The bridge is shut.", 0, 0))  # too short to be a brief's claim


def test_content_hash_depends_on_both_sentences_and_their_order():
    assert content_hash("a b", "c d") == content_hash("a b", "c d")
    assert content_hash("a b", "c d") != content_hash("c d", "a b")
    assert content_hash("a b", "c d") != content_hash("a b", "c e")


def test_precision_recall_and_partly_counted_both_ways():
    assert precision_recall([True, True, False, False], [True, False, True, False]) == {
        "tp": 1, "fp": 1, "fn": 1, "tn": 1, "precision": 0.5, "recall": 0.5,
    }
    pairs = [{"pair": f"p{k}", "corpus": "c", "stratum": "s"} for k in range(3)]
    labels = {"p0": {"label": "supports"}, "p1": {"label": "partly"}, "p2": {"label": "does_not"}}
    decided = {"p0": {"supports": True}, "p1": {"supports": True}, "p2": {"supports": False}}
    row = next(line for line in report(pairs, labels, decided) if line.startswith("all ") and "|" in line)
    # partly as positive: both credits right; as negative: the partly pair is a false positive.
    assert "1.000 1.000 (2 0 0)" in row and "0.500 1.000 (1 1 0)" in row
