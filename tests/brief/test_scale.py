"""The shortcuts that make big stories fast give the same answers as the plain computation."""

from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash
from test_represent import story

import storybrief.brief.features as features_module
import storybrief.brief.score as score_module
import storybrief.brief.support as support_module
from storybrief import summarize
from storybrief.brief.clean import BOILERPLATE, BOILERPLATE_RULES, is_boilerplate
from storybrief.brief.dedupe import NUM_PERM, minhash, shingles
from storybrief.brief.represent import represent
from storybrief.brief.support import soft_support, support_counts


def dense_soft_support(representation) -> np.ndarray:
    n = representation.neighbours.shape[0]
    best = np.zeros((n, int(representation.articles.max()) + 1))
    coo = representation.neighbours.tocoo()
    for i, j, value in zip(coo.row, coo.col, coo.data):
        a = representation.articles[j]
        best[i, a] = max(best[i, a], value)
    return best.sum(axis=1)


def test_sparse_soft_support_matches_the_dense_table(monkeypatch):
    representation = represent(story(30, seed=11))
    expected = dense_soft_support(representation)
    assert np.allclose(soft_support(representation), expected, atol=1e-5)
    monkeypatch.setattr(support_module, "DENSE_SUPPORT_CELLS", 0)  # force the big-story path
    assert np.allclose(soft_support(representation), expected, atol=1e-5)


def test_support_counts_count_distinct_other_articles():
    representation = represent(story(25, seed=2))
    strong = representation.neighbours.toarray() >= support_module.PARAPHRASE
    expected = [len(set(representation.articles[np.flatnonzero(row)])) for row in strong]
    assert support_counts(representation).tolist() == expected


LINES = [
    "Share this article on Facebook",
    "SUBSCRIBE TO our newsletter today",
    "Click here to read more",
    "We use cookies to improve the site; by continuing you accept our policy",
    "Advertisement",
    "Please disable your ad blocker to continue",
    "Follow us on Twitter for updates",
    "Get the app for iOS",
    "This story has been updated with a statement from the police",
    "The council will watch now as costs rise.",
    "Email this to a friend",
    "Print this page",
    "Read more: the full report",
    "Related coverage:",
    "The mayor said she would share the report with the council next week.",
    "Officials said the app was downloaded by thousands of residents.",
    "The apprentice watched the river rise and then helped pin sandbags.",
    "Residents learned of the flood warning from the local radio station.",
    "© 2024 The Herald",
    "Sign up for the morning briefing",
    "Your browser does not support video playback",
    "JavaScript must be enabled",
    "Terms of Service",
    "All rights reserved.",
    "We may earn a commission from links",
]


def test_gated_boilerplate_rule_says_what_the_plain_regex_says():
    rng = random.Random(0)
    lines = LINES + [f"{line} {rng.choice(LINES).lower()}" for line in LINES] + [line.upper() for line in LINES]
    assert [is_boilerplate(line) for line in lines] == [bool(BOILERPLATE.search(line)) for line in lines]
    assert sum(is_boilerplate(line) for line in LINES) >= 18  # the samples do exercise the rules
    assert len(BOILERPLATE_RULES) > 30


def test_minhash_with_shared_permutations_is_the_library_signature():
    text = "the river flooded the lower town after three days of heavy rain and the mayor spoke"
    plain = MinHash(num_perm=NUM_PERM, seed=1)
    plain.update_batch(list(shingles(text)))
    assert np.array_equal(minhash(shingles(text)).hashvalues, plain.hashvalues)


def test_a_small_story_briefs_as_with_the_plain_computations(monkeypatch):
    """The bundled example, briefed with the plain all-pairs graph and dense support table
    (the definitions the fast paths replace), gives the same brief."""
    import scipy.sparse as sp

    import storybrief.brief.pipeline as pipeline
    from storybrief.brief.represent import Representation, vectorise
    from storybrief.cli import example_path

    fast = summarize([example_path()]).to_dict()

    def plain_represent(sentences):
        fast_representation = represent(sentences)
        vectors = vectorise([s.text for s in sentences])
        dense = (vectors @ vectors.T).toarray()
        articles = fast_representation.articles
        dense[(dense < 0.25) | (articles[:, None] == articles[None, :])] = 0
        return Representation(vectors, fast_representation.centroid, sp.csr_matrix(dense), articles)

    monkeypatch.setattr(pipeline, "represent", plain_represent)
    plain_soft_support = lambda r: dense_soft_support(r).astype(np.float32)  # noqa: E731
    monkeypatch.setattr(score_module, "soft_support", plain_soft_support)
    monkeypatch.setattr(features_module, "soft_support", plain_soft_support)
    assert summarize([example_path()]).to_dict() == fast


def test_gated_caption_rule_says_what_the_plain_regex_says():
    from storybrief.brief.clean import CAPTION, is_caption

    lines = [
        "The minister (left) greets the visitors.",
        "Crowds gather (Photo by Jane Doe/Getty Images)",
        "PHOTO: the bridge",
        "A worker looks on as the crane lifts the span.",
        "Image courtesy of the council",
        "(AP Photo/John Smith)",
        "Reuters/Staff",
        "The plan (announced on Monday) costs $2 million.",
        "Credit: city archive",
        "She (R) and her deputy (C) at the event",
        "(VIDEO) Watch the opening",
        "EPA/Stringer",
        "Shutterstock photo",
        "The council met on Tuesday to discuss the budget.",
        "Prices rose (by 3 per cent) over the year.",
    ]
    assert [is_caption(line) for line in lines] == [bool(CAPTION.search(line)) for line in lines]
    assert sum(is_caption(line) for line in lines) >= 10
