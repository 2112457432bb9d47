from itertools import combinations

import numpy as np
import pytest

from storybrief.brief.represent import represent
from storybrief.brief.select import select, tree_knapsack
from storybrief.errors import BudgetError
from storybrief.types import Sentence

TEXTS = [
    "The bridge was closed on Tuesday after engineers found a crack in a girder.",  # 14 words
    "Engineers found a crack in a girder and the bridge was closed on Tuesday.",  # paraphrase of 0
    "Commuters were told to use the ferry while the bridge stays shut.",  # 12
    "The mayor promised a full inspection report within two weeks.",  # 10
    "Local shops fear a loss of trade.",  # 7
]


@pytest.fixture
def story():
    sentences = [Sentence(text=t, article=i % 2, index=i) for i, t in enumerate(TEXTS)]
    return sentences, represent(sentences)


def test_budget_is_never_exceeded_and_filled_with_shorter_sentences(story):
    sentences, rep = story
    scores = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    chosen = select(sentences, scores, rep, words=22)
    assert sum(sentences[i].words for i in chosen) <= 22
    # 14 + 12 would not fit; the walk goes on and fills with the 7-word sentence.
    assert chosen == [0, 4]


def test_redundant_paraphrase_is_skipped(story):
    sentences, rep = story
    chosen = select(sentences, np.array([5.0, 4.9, 1, 1, 1]), rep, words=200)
    assert 0 in chosen and 1 not in chosen
    assert set(chosen) == {0, 2, 3, 4}


def test_budget_below_every_sentence_is_an_error(story):
    sentences, rep = story
    with pytest.raises(BudgetError, match="shortest has 7"):
        select(sentences, np.ones(5), rep, words=6)


def test_exact_budget_fits(story):
    sentences, rep = story
    assert select(sentences, np.array([1, 1, 1, 1, 5.0]), rep, words=7) == [4]


def test_per_word_scores_choose_the_most_valuable_set_that_fits(story):
    sentences, rep = story
    # Values per word; 14×5 + 7×1 = 77 (greedy) loses to 12×4 + 10×3 = 78 in 22 words.
    scores = np.array([5.0, 4.5, 4.0, 3.0, 1.0])
    assert select(sentences, scores, rep, words=22) == [0, 4]
    chosen = select(sentences, scores, rep, words=22, per_word=True)
    assert sorted(chosen) == [2, 3]
    assert sum(sentences[i].words for i in chosen) <= 22


def test_per_word_selection_skips_redundant_sentences_and_keeps_the_budget(story):
    sentences, rep = story
    chosen = select(sentences, np.array([5.0, 4.9, 1, 1, 1]), rep, words=200, per_word=True)
    assert 0 in chosen and 1 not in chosen
    assert set(chosen) == {0, 2, 3, 4}
    for budget in range(7, 60, 3):
        chosen = select(sentences, np.array([0.2, -0.1, 0.5, 0.3, 0.9]), rep, words=budget, per_word=True)
        assert chosen and sum(sentences[i].words for i in chosen) <= budget


@pytest.mark.parametrize("per_word", [False, True], ids=["greedy", "knapsack"])
def test_a_sentence_that_is_all_quotation_is_chosen_only_when_nothing_else_fits(per_word):
    texts = TEXTS[2:] + ['"We will not reopen the bridge until every girder has been checked twice."']
    sentences = [Sentence(text=t, article=i % 2, index=i) for i, t in enumerate(texts)]
    rep = represent(sentences)
    scores = np.array([1.0, 1.0, 1.0, 9.0])  # the quotation scores best
    roomy = select(sentences, scores, rep, words=100, per_word=per_word)
    assert set(roomy) == {0, 1, 2, 3}  # room for all: it is still chosen
    tight = select(sentences, scores, rep, words=14, per_word=per_word)
    assert 3 not in tight and tight  # room for it or for others: the others
    only = [Sentence(text=texts[3], article=0, index=0)]
    assert select(only, np.array([1.0]), represent(only), words=20, per_word=per_word) == [0]


def test_knapsack_finds_the_best_set_within_capacity():
    from storybrief.brief.select import knapsack

    values, weights = np.array([6.0, 5.0, 5.0, 0.0]), np.array([10, 6, 6, 1])
    # 6+6 words hold 10.0 > 6.0 (the single most valuable item); a worthless item is not taken.
    assert knapsack(values, weights, 12) == [1, 2]
    assert knapsack(values, weights, 10) == [0]
    assert knapsack(values, weights, 5) == []


def test_concepts_are_content_words_and_word_pairs_with_plurals_folded():
    from storybrief.brief.select import concepts

    found = concepts("The attacks on the ports")
    assert {"attack", "port", "attack on", "the port"} <= found
    assert "the" not in found and "on the" not in found  # stop words alone, or in pairs, say nothing
    assert concepts("Attacked ports") & concepts("the attacks on a port") >= {"attack", "port"}


COVERED_STORY = [
    "Floods closed the harbour bridge and the coastal railway line on Monday morning, the city council said.",  # 18
    # 18 words:
    "The coastal railway line and the harbour bridge were closed by floods on Monday morning, "
    "council officials confirmed.",
    "Volunteers handed out blankets and hot meals to hundreds of stranded commuters at three evacuation centres.",  # 16
]


def test_per_word_selection_passes_over_a_sentence_whose_content_is_already_covered():
    sentences = [Sentence(text=t, article=i, index=0) for i, t in enumerate(COVERED_STORY)]
    rep = represent(sentences)
    scores = np.array([5.0, 4.0, 3.0])
    # On its own the second sentence is worth more than the third (score × words) ...
    assert scores[1] * sentences[1].words > scores[2] * sentences[2].words
    # ... but after the first it adds little; with room for one more, the new content wins.
    # (redundancy=1.0 switches the cosine test off: coverage alone must do it.)
    budget = 45
    assert sentences[0].words + sentences[1].words + sentences[2].words > budget
    chosen = select(sentences, scores, rep, words=budget, redundancy=1.0, per_word=True)
    assert chosen == [0, 2]


def test_per_word_selection_never_exceeds_the_budget_nor_repeats_a_sentence():
    rng = np.random.default_rng(3)
    vocabulary = [f"w{k}" for k in range(60)] + ["the", "of", "and"]
    texts = [" ".join(rng.choice(vocabulary, size=rng.integers(4, 30))) + "." for _ in range(40)]
    sentences = [Sentence(text=t, article=k % 5, index=k // 5) for k, t in enumerate(texts)]
    rep = represent(sentences)
    shortest = min(s.words for s in sentences)
    for budget in (shortest, 41, 97, 180, 400, 2000):
        scores = rng.normal(size=len(sentences))
        chosen = select(sentences, scores, rep, words=budget, redundancy=1.0, per_word=True)
        assert chosen and len(set(chosen)) == len(chosen)
        assert sum(sentences[i].words for i in chosen) <= budget


def test_a_budget_far_below_the_story_takes_the_most_valuable_set_regardless_of_overlap():
    # The same three sentences in a story many times their length: a 45-word brief is a small
    # share of it (below COVERAGE_SHARE), where overlap within the brief costs little, so the
    # plain knapsack of independent values applies and the two best sentences go in together.
    filler = [f"Filler sentence number {k} talks about weather and roads and nothing else here." for k in range(20)]
    sentences = [Sentence(text=t, article=i, index=0) for i, t in enumerate(COVERED_STORY + filler)]
    rep = represent(sentences)
    scores = np.array([5.0, 4.0, 3.0] + [-1.0] * len(filler))
    from storybrief.brief.select import COVERAGE_SHARE

    assert 45 < COVERAGE_SHARE * sum(s.words for s in sentences)
    assert select(sentences, scores, rep, words=45, redundancy=1.0, per_word=True) == [0, 1]


@pytest.mark.parametrize("per_word", [False, True])
def test_a_story_too_big_for_the_dense_copy_gets_the_same_choice(monkeypatch, per_word):
    import storybrief.brief.represent as represent_module

    rng = np.random.default_rng(5)
    vocabulary = [f"w{k}" for k in range(30)] + ["the", "of", "and"]
    texts = [" ".join(rng.choice(vocabulary, size=rng.integers(4, 20))) + "." for _ in range(30)]
    sentences = [Sentence(text=t, article=k % 4, index=k // 4) for k, t in enumerate(texts)]
    scores = rng.random(len(sentences))
    small = represent(sentences)
    assert small.dense is not None
    monkeypatch.setattr(represent_module, "DENSE_CELLS", 0)
    big = represent(sentences)
    assert big.dense is None
    for budget in (40, 120):
        dense_choice = select(sentences, scores, small, budget, per_word=per_word)
        assert dense_choice == select(sentences, scores, big, budget, per_word=per_word)


@pytest.mark.parametrize("per_word", [False, True])
def test_only_allowed_sentences_are_chosen(story, per_word):
    sentences, rep = story
    scores = np.array([5.0, 4.5, 4.0, 3.0, 1.0])
    allowed = np.array([False, True, True, False, True])
    chosen = select(sentences, scores, rep, words=200, per_word=per_word, allowed=allowed)
    assert chosen and all(allowed[i] for i in chosen)
    # The paraphrase of the best sentence is chosen now that the best one may not be.
    assert 1 in chosen
    assert select(sentences, scores, rep, words=200, per_word=per_word, allowed=np.zeros(5, dtype=bool)) == []


# --- bundles: a sentence with what it leans on ------------------------------------------------

LEANING = [
    "Kremlin spokesman Dmitry Peskov spoke to reporters in Moscow on Saturday.",  # 0: 11 words, article 0
    "He said the two presidents would talk by phone within the next week.",  # 1: leans on 0
    "The harbour ferry resumed its crossings after three days of storms.",  # 2: article 1
    "Fishermen stayed in port all week as the storms battered the coast.",  # 3: article 1
]


def _leaning_story():
    sentences = [
        Sentence(LEANING[0], 0, 0),
        Sentence(LEANING[1], 0, 1),
        Sentence(LEANING[2], 1, 0),
        Sentence(LEANING[3], 1, 1),
    ]
    return sentences, represent(sentences), [(0,), (0, 1), (2,), (3,)]


@pytest.mark.parametrize("per_word", [False, True])
def test_a_leaning_sentence_comes_with_the_one_it_leans_on(per_word):
    sentences, rep, bundles = _leaning_story()
    chosen = select(sentences, np.array([0.1, 5.0, 0.2, 0.3]), rep, words=26, per_word=per_word, bundles=bundles)
    assert set(chosen) == {0, 1}


@pytest.mark.parametrize("per_word", [False, True])
def test_a_sentence_that_may_not_be_taken_never_is(per_word):
    sentences, rep, _ = _leaning_story()
    chosen = select(
        sentences, np.array([0.1, 5.0, 0.2, 0.3]), rep, words=60, per_word=per_word, bundles=[(0,), None, (2,), (3,)]
    )
    assert 1 not in chosen and set(chosen) == {0, 2, 3}


def test_a_leaning_sentence_may_go_alone_when_it_is_worth_it():
    sentences, rep, bundles = _leaning_story()
    # 13 words: the sentence fits, its bundle (24 words) does not.
    chosen = select(
        sentences,
        np.array([0.0, 5.0, 0.1, 0.1]),
        rep,
        words=13,
        per_word=True,
        bundles=bundles,
        alone=[False, True, False, False],
    )
    assert chosen == [1]
    assert select(sentences, np.array([0.0, 5.0, 0.1, 0.1]), rep, words=13, per_word=True, bundles=bundles) != [1]


@pytest.mark.parametrize("per_word", [False, True])
def test_a_sentence_brought_along_must_not_repeat_the_brief(per_word):
    texts = [
        "The bridge was closed on Tuesday after engineers found a crack in a girder.",
        "He said the repairs would take at least two weeks to finish.",
        "The bridge was closed on Tuesday after engineers found a crack in a girder, officials said.",
        "Commuters were told to use the ferry while the bridge stays shut.",
    ]
    sentences = [Sentence(texts[0], 0, 0), Sentence(texts[1], 0, 1), Sentence(texts[2], 1, 0), Sentence(texts[3], 1, 1)]
    rep = represent(sentences)
    chosen = select(
        sentences, np.array([0.1, 3.0, 5.0, 1.0]), rep, words=60, per_word=per_word, bundles=[(0,), (0, 1), (2,), (3,)]
    )
    assert 2 in chosen and not {0, 1} <= set(chosen)


def test_tree_knapsack_is_exact_on_small_forests():
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 8))
        parent = [int(rng.integers(-1, k)) if k else -1 for k in range(n)]
        values, weights = rng.random(n) * 10, rng.integers(1, 8, n)
        capacity = int(rng.integers(1, 20))
        best = 0.0
        for size in range(n + 1):
            for subset in combinations(range(n), size):
                chosen = set(subset)
                if weights[list(subset)].sum() <= capacity and all(
                    parent[k] < 0 or parent[k] in chosen for k in subset
                ):
                    best = max(best, values[list(subset)].sum())
        taken = tree_knapsack(values, weights, parent, capacity)
        assert weights[taken].sum() <= capacity
        assert all(parent[k] < 0 or parent[k] in taken for k in taken)
        assert values[taken].sum() == pytest.approx(best)
