import numpy as np
import pytest

from storybrief.brief.represent import represent
from storybrief.brief.score import SCORERS, CentroidScorer, LeadScorer, get_scorer
from storybrief.brief.support import support_counts
from storybrief.errors import StoryBriefError
from storybrief.types import Sentence

ARTICLES = [
    [
        "Heavy rain flooded the town of Marrow on Sunday, forcing 300 residents from their homes.",
        "A local baker said he had never seen such weather in his life.",
    ],
    [
        "About 300 residents left their homes in Marrow after heavy rain flooded the town on Sunday.",
        "The town's football club postponed its weekend match against a rival side.",
    ],
    [
        "Rain flooded Marrow on Sunday and 300 residents were forced from their homes.",
        "Shops in the high street will open late on Monday.",
    ],
]


@pytest.fixture
def story():
    sentences = [
        Sentence(text=t, article=a, index=i, position=i / 2)
        for a, texts in enumerate(ARTICLES)
        for i, t in enumerate(texts)
    ]
    return sentences, represent(sentences)


def test_support_counts_other_articles_with_a_paraphrase(story):
    sentences, rep = story
    counts = support_counts(rep, threshold=0.3)
    assert list(counts[[0, 2, 4]]) == [2, 2, 2]
    assert counts[1] == 0 and counts[3] == 0


def test_centroid_scorer_prefers_the_widely_reported_fact(story):
    sentences, rep = story
    scores = CentroidScorer().score(sentences, rep)
    assert scores.shape == (len(sentences),) and np.isfinite(scores).all()
    assert min(scores[[0, 2, 4]]) > max(scores[[1, 3, 5]])


def test_lead_scorer_ranks_by_position_then_article(story):
    sentences, rep = story
    order = list(np.argsort(-LeadScorer().score(sentences, rep)))
    assert order == [0, 2, 4, 1, 3, 5]


def test_registry_and_unknown_method():
    assert "centroid" in SCORERS and "lead" in SCORERS
    assert get_scorer("default").name in SCORERS
    with pytest.raises(StoryBriefError, match="unknown method"):
        get_scorer("magic")


def test_default_method_is_the_learned_scorer():
    from storybrief.brief.score import DEFAULT_METHOD, LearnedScorer

    assert DEFAULT_METHOD == "learned"
    assert isinstance(get_scorer("default"), LearnedScorer)
    assert isinstance(get_scorer("centroid"), CentroidScorer)  # the untrained baseline stays selectable


def test_model_files_ship_in_the_package_and_are_small():
    from storybrief.brief.prior import PRIOR_PATH
    from storybrief.brief.score import MODEL_PATH, ORACLE_MODEL_PATH
    from storybrief.embed import VECTORS_PATH

    for path in (MODEL_PATH, ORACLE_MODEL_PATH, VECTORS_PATH, PRIOR_PATH):
        assert path.is_file(), path
        assert path.stat().st_size < 5_000_000, f"{path.name} is {path.stat().st_size} bytes"


def test_learned_scorer_ranks_the_central_fact_above_an_off_topic_sentence(story):
    from storybrief.brief.score import LearnedScorer

    sentences, rep = story
    scores = LearnedScorer().score(sentences, rep)
    assert scores.shape == (len(sentences),) and np.isfinite(scores).all()
    # The flood (three outlets) against the football match (one outlet, off topic).
    assert scores[2] > scores[3]
    assert np.mean(scores[[0, 2, 4]]) > np.mean(scores[[1, 3, 5]])


def test_learned_scorer_loads_once():
    from storybrief.brief.score import LearnedScorer

    assert LearnedScorer().model is LearnedScorer().model


def test_learned_scorer_adds_the_weighted_oracle_model_to_the_first(story):
    from storybrief.brief.features import sentence_features
    from storybrief.brief.score import ORACLE_WEIGHT, LearnedScorer

    sentences, rep = story
    features = sentence_features(sentences, rep)
    ensemble = LearnedScorer()
    first = ensemble.model.predict(features, num_threads=1)
    oracle = ensemble.oracle_model.predict(features, num_threads=1)
    assert ORACLE_WEIGHT > 0
    np.testing.assert_allclose(ensemble.score(sentences, rep), first + ORACLE_WEIGHT * oracle, rtol=1e-9)
    # The partner is a different model, not a copy: it moves the scores.
    assert not np.allclose(oracle, first)
    np.testing.assert_allclose(LearnedScorer(oracle_path=None).score(sentences, rep), first, rtol=1e-9)
    # The oracle model predicts membership of a summary: the widely reported fact is likelier in one.
    assert np.mean(oracle[[0, 2, 4]]) > np.mean(oracle[[1, 3, 5]])


def test_missing_oracle_model_file_is_a_clear_error(tmp_path):
    from storybrief.brief.score import LearnedScorer

    with pytest.raises(StoryBriefError, match="scorer model not found"):
        LearnedScorer(oracle_path=tmp_path / "absent.txt")


def test_missing_model_file_is_a_clear_error(tmp_path):
    from storybrief.brief.score import LearnedScorer

    with pytest.raises(StoryBriefError, match="scorer model not found"):
        LearnedScorer(tmp_path / "absent.txt")


def test_default_brief_states_the_main_fact_once_and_cites_several_outlets():
    from pathlib import Path

    from storybrief import summarize

    example = Path(__file__).resolve().parents[2] / "storybrief" / "examples" / "harbour-bridge"
    brief = summarize([example], words=80)
    assert brief.method == "learned" and brief.words <= 80
    closure = [s for s in brief.sentences if "crack" in s.text.lower() and "closed" in s.text.lower()]
    assert len(closure) == 1  # four outlets paraphrase it; the brief says it once
    assert closure[0].support >= 2


def test_learned_scorer_scores_a_pool_in_huge_stories(monkeypatch):
    import storybrief.brief.score as score_module

    sentences = [
        Sentence(text=t, article=a, index=i, position=i / 2)
        for a, texts in enumerate(ARTICLES)
        for i, t in enumerate(texts)
    ]
    rep = represent(sentences)
    scorer = score_module.LearnedScorer()
    full = scorer.score(sentences, rep)
    monkeypatch.setattr(score_module, "CANDIDATE_POOL", 4)
    pooled = scorer.score(sentences, rep)
    outside = np.argsort(-CentroidScorer().score(sentences, rep), kind="stable")[4:]
    assert pooled.shape == full.shape and np.isfinite(pooled).all()
    # Sentences outside the pool rank below every pooled one.
    assert pooled[outside].max() < np.delete(pooled, outside).min()
