import numpy as np
import pytest

from storybrief.errors import StoryBriefError
from storybrief.represent import represent
from storybrief.score import SCORERS, CentroidScorer, LeadScorer, get_scorer, support_counts
from storybrief.types import Sentence

ARTICLES = [
    ["Heavy rain flooded the town of Marrow on Sunday, forcing 300 residents from their homes.",
     "A local baker said he had never seen such weather in his life."],
    ["About 300 residents left their homes in Marrow after heavy rain flooded the town on Sunday.",
     "The town's football club postponed its weekend match against a rival side."],
    ["Rain flooded Marrow on Sunday and 300 residents were forced from their homes.",
     "Shops in the high street will open late on Monday."],
]


@pytest.fixture
def story():
    sentences = [Sentence(text=t, article=a, index=i, position=i / 2) for a, texts in enumerate(ARTICLES) for i, t in enumerate(texts)]
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
