"""The citation-pair benchmark's pieces that need no corpus: reading DUC markup, the mirror of
attribute.py's support decision, claim filtering and the precision/recall arithmetic."""

from __future__ import annotations

from pathlib import Path

from bench.build.citation_pairs import duc_text, good_claim
from bench.measure.citations import agreement, kappa, today_supports
from storybrief.brief.attribute import attribute
from storybrief.brief.represent import represent
from storybrief.evaluation.citations import content_hash
from storybrief.types import Article, Sentence

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


def test_the_lexical_rule_the_pairs_were_chosen_around():
    _, sentences, rep = _story([
        "The bridge was closed on Tuesday after engineers found a crack in a main cable.",
        "Engineers found a crack in a main cable, and the bridge was closed on Tuesday.",
        "The football club postponed its Saturday match because of the weather.",
    ])
    assert today_supports(sentences, rep, 0, 1)["supports"]
    assert not today_supports(sentences, rep, 0, 2)["supports"]


def test_today_supports_refuses_a_sentence_with_only_other_figures():
    originals, sentences, rep = _story([
        "The bridge carries about 40,000 vehicles a day between the centre and the suburbs.",
        "The bridge normally carries around 45,000 vehicles every day to the suburbs.",
    ])
    decision = today_supports(sentences, rep, 0, 1)
    assert decision["similarity"] >= 0.5 and not decision["supports"] and decision["disagreement"]
    cited, _, disagreements = attribute([0], sentences, originals, originals, rep)
    assert cited[0].sources == [1] and disagreements


def test_agreement_is_raw_share_and_cohens_kappa():
    assert kappa(["s", "p", "d", "s"], ["s", "p", "d", "s"]) == (1.0, 1.0)
    # 2 of 4 agree; both passes say s half the time, so chance agreement is 0.5: kappa 0
    raw, k = kappa(["s", "s", "d", "d"], ["s", "d", "s", "d"])
    assert raw == 0.5 and abs(k) < 1e-9
    a = {"p1": "supports", "p2": "partly", "p3": "does_not", "p4": "partly"}
    b = {"p1": "supports", "p2": "supports", "p3": "does_not", "p4": "partly"}
    result = agreement(a, b)
    assert result["pairs"] == 4 and result["three_way"]["raw"] == 0.75 and result["supports_vs_rest"]["raw"] == 0.75
    assert result["confusion"]["partly/supports"] == 1


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


def test_the_reconciled_labels_cover_every_pair_and_keep_both_passes():
    import json

    here = Path(__file__).resolve().parents[1] / "bench" / "citations"
    rows = [json.loads(line) for line in open(here / "labels.jsonl", encoding="utf-8")]
    pairs = [json.loads(line)["pair"] for line in open(here / "pairs.jsonl", encoding="utf-8")]
    assert sorted(r["pair"] for r in rows) == sorted(pairs)
    for r in rows:
        assert r["label"] in ("supports", "partly", "does_not")
        if r["a"] == r["b"]:
            assert r["label"] == r["a"]
        else:  # every disagreement between the passes was read again and says why
            assert r["label"] in (r["a"], r["b"]) and r["note"].startswith("reconciled: ")
