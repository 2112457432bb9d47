"""The similarity graph: exact for ordinary stories, bounded for huge ones."""

from __future__ import annotations

import random

import numpy as np

import storybrief.brief.represent as represent_module
from storybrief.brief.represent import cross_article_neighbours, represent, vectorise
from storybrief.types import Sentence

FACTS = [
    "The river flooded the lower town after three days of heavy rain",
    "Rescue boats carried two hundred residents to the school gym",
    "The mayor declared a state of emergency on Sunday evening",
    "Power was cut to four thousand homes along the eastern bank",
    "Forecasters expect the water to fall slowly over the next week",
    "Farmers lost most of the wheat harvest in the flooded fields",
    "A bridge on the northern road was closed as a precaution",
    "Volunteers filled sandbags outside the town hall all night",
]


def story(n_articles: int, seed: int = 0, drop: float = 0.2) -> list[Sentence]:
    """Every article retells most facts with some words dropped: many cross-article paraphrases."""
    rng = random.Random(seed)
    sentences = []
    for a in range(n_articles):
        facts = rng.sample(FACTS, k=6)
        for i, fact in enumerate(facts):
            words = [w for w in fact.split() if rng.random() > drop] or fact.split()[:4]
            sentences.append(Sentence(text=" ".join(words) + ".", article=a, index=i, position=i / 6))
    return sentences


def brute_force(sentences: list[Sentence], floor: float = represent_module.NEIGHBOUR_FLOOR) -> np.ndarray:
    vectors = vectorise([s.text for s in sentences]).toarray()
    articles = np.array([s.article for s in sentences])
    similarity = vectors @ vectors.T
    similarity[(similarity < floor) | (articles[:, None] == articles[None, :])] = 0
    return similarity


def test_neighbours_are_every_cross_article_pair_above_the_floor():
    sentences = story(12)
    got = represent(sentences).neighbours.toarray()
    expected = brute_force(sentences)
    assert np.array_equal(got > 0, expected > 0)
    assert np.allclose(got, expected, atol=1e-6)
    assert np.array_equal(got, got.T)


def test_many_small_blocks_give_the_same_graph(monkeypatch):
    sentences = story(15, seed=3)
    reference = represent(sentences).neighbours
    monkeypatch.setattr(represent_module, "PROBE_ROWS", 5)
    monkeypatch.setattr(represent_module, "BLOCK_ENTRIES", 200)
    blocked = represent(sentences).neighbours
    assert (reference != blocked).nnz == 0


def test_a_huge_story_keeps_a_bounded_number_of_neighbours(monkeypatch):
    # 120 articles retelling the same 8 facts: the exact graph has a pair for most sentence pairs.
    sentences = story(120, seed=5)
    n = len(sentences)
    exact = cross_article_neighbours(vectorise([s.text for s in sentences]), np.array([s.article for s in sentences]))
    assert exact.nnz > 0.05 * n * n  # dense: this is the case the limit is for
    monkeypatch.setattr(represent_module, "LARGE_STORY", 100)
    k = 10
    monkeypatch.setattr(represent_module, "MAX_NEIGHBOURS", k)
    bounded = represent(sentences).neighbours
    assert bounded.nnz <= 2 * k * n
    assert (bounded != bounded.T).nnz == 0
    # Each sentence keeps its k best later neighbours: none dropped beats one kept.
    upper_exact = exact.tocsr()
    for i in range(0, n, 37):
        row = upper_exact[i].toarray().ravel()
        later = row[i + 1 :]
        kept = bounded[i].toarray().ravel()[i + 1 :]
        if np.count_nonzero(later) > k:
            assert np.count_nonzero(kept) == k
            assert kept[kept > 0].min() >= np.sort(later)[-k] - 1e-7
        else:
            assert np.allclose(kept, later)


def test_a_sparse_large_story_still_gets_the_exact_graph(monkeypatch):
    sentences = story(20, seed=7, drop=0.5)
    exact = represent(sentences).neighbours
    monkeypatch.setattr(represent_module, "LARGE_STORY", 10)
    monkeypatch.setattr(represent_module, "MAX_NEIGHBOURS", 10_000)
    bounded = represent(sentences).neighbours
    # The same pairs; the cosines agree up to float rounding (a small story's graph is one dense product).
    assert ((bounded != 0) != (exact != 0)).nnz == 0
    assert np.allclose(bounded.toarray(), exact.toarray(), atol=1e-6)


def test_the_dense_graph_of_a_small_story_matches_the_blocked_sparse_one(monkeypatch):
    sentences = story(8, seed=3)
    articles = np.array([s.article for s in sentences])
    vectors = vectorise([s.text for s in sentences])
    dense = cross_article_neighbours(vectors, articles)
    monkeypatch.setattr(represent_module, "DENSE_ROWS", 0)
    blocked = cross_article_neighbours(vectors, articles)
    assert dense.nnz == blocked.nnz > 0
    assert np.allclose(dense.toarray(), blocked.toarray(), atol=1e-6)
    assert (articles[dense.tocoo().row] != articles[dense.tocoo().col]).all()


def test_a_story_with_many_articles_is_compared_with_a_sample_of_them(monkeypatch):
    sentences = story(80, seed=9)
    exact = represent(sentences)
    monkeypatch.setattr(represent_module, "LARGE_STORY", 100)
    monkeypatch.setattr(represent_module, "SAMPLE_ARTICLES", 20)
    sampled = represent(sentences)
    assert not sampled.complete and len(sampled.sampled_articles) == 20
    columns = sampled.neighbours.tocoo().col
    assert np.isin(sampled.articles[columns], sampled.sampled_articles).all()
    assert np.diff(sampled.neighbours.indptr).max() <= represent_module.MAX_NEIGHBOURS
    # A partial graph never shortens a citation: the row asked for is computed in full.
    for i in range(0, len(sentences), 41):
        full = exact.neighbours[i].tocoo()
        columns, values = sampled.neighbours_of(i)
        assert columns.tolist() == sorted(full.col.tolist())
        assert np.allclose(values, full.toarray().ravel()[columns], atol=1e-6)


def test_sampled_support_estimates_the_full_support(monkeypatch):
    from storybrief.brief.support import soft_support

    sentences = story(80, seed=4)
    full = soft_support(represent(sentences))
    monkeypatch.setattr(represent_module, "LARGE_STORY", 100)
    monkeypatch.setattr(represent_module, "SAMPLE_ARTICLES", 30)
    estimate = soft_support(represent(sentences))
    # 30 of 80 articles: an unbiased but noisy estimate (a real sample is 300 articles).
    assert np.corrcoef(full, estimate)[0, 1] > 0.75
    assert 0.85 < estimate.sum() / full.sum() < 1.15


def _sentences(texts_by_article):
    return [
        Sentence(text=t, article=a, index=i) for a, texts in enumerate(texts_by_article) for i, t in enumerate(texts)
    ]


def test_neighbours_link_paraphrases_across_articles_only():
    sentences = _sentences(
        [
            [
                "The bridge was closed on Tuesday after engineers found a crack.",
                "The bridge crack was found by engineers on Tuesday.",
            ],
            ["Engineers found a crack and the bridge was closed on Tuesday.", "The football team won the cup final."],
        ]
    )
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


def test_vectorise_matches_scikit_learn_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [
        "The harbour bridge reopened on Tuesday after repairs.",
        "Engineers said the bridge's cables were replaced, and the bridge reopened.",
        "It is what it is.",  # stop words only
        "Traffic returned to the bridge; commuters cheered the reopening.",
    ]
    reference = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32
    )
    expected = reference.fit_transform(texts).toarray()
    got = vectorise(texts).toarray()
    assert got.shape == expected.shape
    assert np.allclose(got, expected, atol=1e-6)
    assert not got[2].any()


def test_vectorise_of_stop_words_only_is_one_empty_column():
    assert vectorise(["It is what it is.", "and so on"]).shape == (2, 1)


def test_the_dense_copy_of_a_small_story_gives_what_the_sparse_rows_give(monkeypatch):
    sentences = story(4, seed=3)
    small = represent(sentences)
    assert small.dense is not None
    monkeypatch.setattr(represent_module, "DENSE_CELLS", 0)
    big = represent(sentences)
    assert big.dense is None  # past the limit the later stages work on the sparse rows
    rows = list(range(0, len(sentences), 2))
    for i in range(len(sentences)):
        np.testing.assert_allclose(small.similarity(i, rows), big.similarity(i, rows), atol=1e-6)


def test_the_graph_is_exactly_symmetric():
    graph = represent(story(5, seed=4)).neighbours
    assert graph.nnz and (graph != graph.T).nnz == 0
