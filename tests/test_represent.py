import numpy as np

from storybrief.represent import represent
from storybrief.types import Sentence


def _sentences(texts_by_article):
    return [Sentence(text=t, article=a, index=i) for a, texts in enumerate(texts_by_article) for i, t in enumerate(texts)]


def test_neighbours_link_paraphrases_across_articles_only():
    sentences = _sentences([
        ["The bridge was closed on Tuesday after engineers found a crack.", "The bridge crack was found by engineers on Tuesday."],
        ["Engineers found a crack and the bridge was closed on Tuesday.", "The football team won the cup final."],
    ])
    rep = represent(sentences)
    assert rep.vectors.shape[0] == 4
    assert np.allclose(np.asarray(rep.vectors.multiply(rep.vectors).sum(axis=1)).ravel(), 1.0, atol=1e-5)
    assert rep.neighbours[0, 2] > 0.5  # paraphrase in another article
    assert rep.neighbours[0, 1] == 0  # same article: not a cross-source neighbour
    assert rep.neighbours[0, 3] == 0  # unrelated
    assert abs(np.linalg.norm(rep.centroid) - 1) < 1e-6
    assert rep.similarity(0, [1, 3])[0] > rep.similarity(0, [1, 3])[1]


def test_stop_words_only_do_not_crash():
    rep = represent(_sentences([["It is what it is and it was."], ["And so it was, as it is."]]))
    assert rep.neighbours.nnz == 0
