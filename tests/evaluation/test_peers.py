from __future__ import annotations

import numpy as np
import pytest
from story_clusters import CLUSTERS

from storybrief.brief.pipeline import summarize
from storybrief.errors import StoryBriefError
from storybrief.evaluation.evaluate import candidate_sentences, parse_cluster
from storybrief.evaluation.peers import (
    PEERS,
    LeadPeer,
    MissingExtraError,
    OraclePeer,
    SumyTokenizer,
    fit_budget,
    get_peer,
    require,
)
from storybrief.types import Sentence


def sentences_of(record: dict) -> tuple[list[Sentence], str, object]:
    cluster = parse_cluster(__import__("json").dumps(record), 1, "test")
    return candidate_sentences(cluster.articles), cluster.reference, cluster


# --- the budget rule ----------------------------------------------------------------------------


def test_fit_budget_takes_rank_order_skips_what_does_not_fit_and_goes_on():
    lengths = [10, 30, 5, 8, 20]
    # 10 fits (left 15), 30 does not, 20 does not, 8 fits (left 7), 5 fits (left 2).
    assert fit_budget([0, 1, 4, 3, 2], lengths, 25) == [0, 3, 2]


def test_fit_budget_never_exceeds_and_is_greedy_on_random_rankings():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 30))
        lengths = rng.integers(1, 60, size=n).tolist()
        ranking = rng.permutation(n).tolist()
        words = int(rng.integers(0, 200))
        chosen = fit_budget(ranking, lengths, words)
        assert sum(lengths[i] for i in chosen) <= words
        # Greedy: every sentence left out did not fit in what was left when its turn came.
        left = words
        for i in ranking:
            if i in chosen:
                left -= lengths[i]
            else:
                assert lengths[i] > left
        assert chosen == [i for i in ranking if i in chosen]


def test_fit_budget_ignores_repeated_indices():
    assert fit_budget([1, 1, 0], [3, 3], 10) == [1, 0]


# --- peers --------------------------------------------------------------------------------------


def test_lead_peer_is_round_robin_over_articles():
    sentences = [Sentence(f"sentence {a} {i} of the story", article=a, index=i) for a in range(3) for i in range(3)]
    ranked = LeadPeer().rank(sentences)
    assert [(sentences[i].index, sentences[i].article) for i in ranked[:4]] == [(0, 0), (0, 1), (0, 2), (1, 0)]


@pytest.mark.parametrize("name", ["lead", "lexrank", "textrank", "lsa", "sumbasic", "summa"])
def test_every_ranking_peer_ranks_each_sentence_once(name):
    sentences, _, _ = sentences_of(CLUSTERS[0])
    ranked = get_peer(name, 100).rank(sentences)
    assert sorted(ranked) == list(range(len(sentences)))


def test_sumy_peers_need_no_nltk_data(tmp_path, monkeypatch):
    nltk = pytest.importorskip("nltk")
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])  # an empty data folder: no punkt model
    sentences, _, _ = sentences_of(CLUSTERS[1])
    for name in ("lexrank", "textrank", "lsa", "sumbasic"):
        assert len(get_peer(name, 100).rank(sentences)) == len(sentences)


def test_sumy_tokenizer_keeps_words_and_drops_numbers_and_punctuation():
    words = SumyTokenizer().to_words("The ferry's 212 passengers - all safe, officials said.")
    assert words == ("The", "ferry's", "passengers", "all", "safe", "officials", "said")


@pytest.mark.parametrize("name", ["lexrank", "textrank", "lsa", "sumbasic"])
def test_sumy_ranking_agrees_with_sumys_own_top_k(name):
    """The full ranking's top k is what the unmodified sumy summarizer returns for k sentences."""
    import importlib

    from storybrief.evaluation.peers import SumyPeer

    peer = get_peer(name, 100)
    module, cls = SumyPeer.SUMMARIZERS[name]
    original = getattr(importlib.import_module(module), cls)(
        importlib.import_module("sumy.nlp.stemmers").Stemmer("english")
    )
    original.stop_words = importlib.import_module("sumy.utils").get_stop_words("english")
    sentences, _, _ = sentences_of(CLUSTERS[2])
    document = peer.document(sentences)
    for k in (1, 3, 5):
        theirs = {str(s) for s in original(document, k)}
        ours = {sentences[i].text for i in peer.rank(sentences)[:k]}
        assert ours == theirs


def test_summa_ranks_a_sentence_sharing_no_word_last():
    sentences = [
        Sentence("Firefighters fought the warehouse fire all night.", 0, 0),
        Sentence("The warehouse fire was fought by firefighters.", 1, 0),
        Sentence("Quarterly tulip exports rose gently.", 1, 1),
        Sentence("The fire destroyed the warehouse roof.", 0, 1),
    ]
    assert get_peer("summa", 50).rank(sentences)[-1] == 2


def test_unknown_peer_is_a_clear_error():
    with pytest.raises(StoryBriefError, match="unknown baseline 'bogus'"):
        get_peer("bogus", 100)


def test_missing_extra_names_the_package_and_the_extra():
    with pytest.raises(MissingExtraError, match=r"needs the 'no_such_package_xyz' package; install the bench extra"):
        require("no_such_package_xyz.sub", "a test")


# --- the oracle ---------------------------------------------------------------------------------


def objective(rouge, reference: str, texts: list[str]) -> float:
    result = rouge.score(reference, "\n".join(texts))
    return (result["rouge1"].fmeasure + result["rouge2"].fmeasure) / 2


@pytest.mark.parametrize("words", [25, 60, 120])
@pytest.mark.parametrize("record", CLUSTERS, ids=lambda r: r["id"])
def test_oracle_is_never_below_any_system_on_the_same_cluster(record, words):
    RougeScorer = pytest.importorskip("rouge_score.rouge_scorer", reason="needs the bench extra").RougeScorer

    rouge = RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    sentences, reference, cluster = sentences_of(record)
    lengths = [s.words for s in sentences]
    oracle = fit_budget(OraclePeer(words).rank(sentences, reference), lengths, words)
    ceiling = objective(rouge, reference, [sentences[i].text for i in sorted(oracle)])
    assert sum(lengths[i] for i in oracle) <= words
    for name in PEERS:
        if name == "oracle":
            continue
        chosen = fit_budget(get_peer(name, words).rank(sentences), lengths, words)
        assert ceiling >= objective(rouge, reference, [sentences[i].text for i in sorted(chosen)]) - 1e-9, name
    if words >= min(lengths):
        brief = summarize(cluster.articles, words=words)
        assert ceiling >= objective(rouge, reference, [s.text for s in brief.sentences]) - 1e-9


def test_oracle_finds_a_sentence_equal_to_the_reference():
    pytest.importorskip("rouge_score", reason="needs the bench extra")
    sentences, _, _ = sentences_of(CLUSTERS[0])
    target = next(i for i, s in enumerate(sentences) if "lifeboats within three hours" in s.text)
    assert OraclePeer(100).rank(sentences, sentences[target].text) == [target]


def test_oracle_without_a_reference_picks_nothing():
    pytest.importorskip("rouge_score", reason="needs the bench extra")
    sentences, _, _ = sentences_of(CLUSTERS[0])
    assert OraclePeer(100).rank(sentences, "") == []


def test_sumy_tokenizer_works_with_sumys_own_parser():
    parsers = pytest.importorskip("sumy.parsers.plaintext")
    text = "The ferry ran aground in fog. Officials said all were safe.\n\nThe route is closed until Friday."
    document = parsers.PlaintextParser.from_string(text, SumyTokenizer()).document
    assert [str(s) for s in document.sentences] == [
        "The ferry ran aground in fog.",
        "Officials said all were safe.",
        "The route is closed until Friday.",
    ]
