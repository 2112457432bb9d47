"""Feature matrix of the learned scorer, on small hand-written stories."""

import numpy as np
import pytest

from storybrief.brief.features import FEATURE_NAMES, sentence_features
from storybrief.brief.represent import represent
from storybrief.brief.segment import segment
from storybrief.types import Article

CASED = [
    "The city council of Marlow voted on Tuesday to close the old Harbour Road bridge for repairs. "
    "Engineers found cracks in two of the bridge's steel supports last month. "
    "The closure will last at least six months, officials said. "
    "Local shops fear losing customers while the bridge is shut.",
    "Marlow's Harbour Road bridge will close for six months after engineers found cracked supports, "
    "the council decided on Tuesday. "
    '"We cannot take any risks with public safety," said council leader Anna Berg. '
    "A ferry service will run during the closure. "
    "Subscribe to our newsletter for more local news and offers from our partners.",
    "Repairs to the Harbour Road bridge in Marlow will start next week. "
    "The council approved 4.2 million pounds for the work. "
    "Drivers face a detour of about 12 kilometres while the repairs continue.",
]


def lower_tokenised(text: str) -> str:
    """Multi-News style: lower-cased, quotation marks and brackets set off by spaces."""
    return text.lower().replace('"', ' " ').replace("(", "( ").replace(")", " )").replace("  ", " ")


def features_for(texts):
    sentences = segment([Article(text=t, id=str(i)) for i, t in enumerate(texts)])
    return sentences, sentence_features(sentences, represent(sentences))


@pytest.mark.parametrize("texts", [CASED, [lower_tokenised(t) for t in CASED]], ids=["cased", "lower-tokenised"])
def test_one_finite_row_per_sentence(texts):
    sentences, x = features_for(texts)
    assert len(sentences) >= 8
    assert x.shape == (len(sentences), len(FEATURE_NAMES))
    assert np.isfinite(x).all()


def test_support_counts_other_articles_reporting_the_same_fact():
    sentences, x = features_for(CASED)
    support = x[:, FEATURE_NAMES.index("support")]
    bridge_lead = next(i for i, s in enumerate(sentences) if s.text.startswith("The city council of Marlow"))
    ferry = next(i for i, s in enumerate(sentences) if "ferry" in s.text)  # one outlet only
    assert support[bridge_lead] >= 1
    assert support[ferry] == 0


def test_capitals_feature_reads_zero_when_the_story_is_lower_cased():
    _, cased = features_for(CASED)
    _, lower = features_for([t.lower() for t in CASED])
    column = FEATURE_NAMES.index("capitals")
    assert cased[:, column].max() > 0
    assert np.all(lower[:, column] == 0)


def test_position_features_follow_the_article():
    sentences, x = features_for(CASED)
    first = x[:, FEATURE_NAMES.index("is_first")]
    assert [bool(f) for f in first] == [s.index == 0 for s in sentences]


def test_unfinished_marks_a_sentence_cut_off_mid_way():
    texts = [CASED[0] + " The mayor is expected to announce a", CASED[1]]
    sentences, x = features_for(texts)
    unfinished = x[:, FEATURE_NAMES.index("unfinished")]
    cut = next(i for i, s in enumerate(sentences) if s.text.endswith("announce a"))
    assert unfinished[cut] == 1
    assert unfinished[0] == 0


def test_empty_input_gives_empty_matrix():
    import scipy.sparse as sp

    from storybrief.brief.represent import Representation

    empty = Representation(sp.csr_matrix((0, 1)), np.zeros(1), sp.csr_matrix((0, 0)), np.zeros(0, dtype=np.int64))
    assert sentence_features([], empty).shape == (0, len(FEATURE_NAMES))


def test_feature_names_are_unique():
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_word_prior_ranks_reporting_words_above_page_furniture():
    from storybrief.brief.prior import load_prior

    prior, unknown, pairs, unknown_pair = load_prior()
    assert 0 < unknown < 1 and 0 < unknown_pair < 1
    assert prior["police"] > prior["subscribe"]
    assert len(pairs) > 1000


def test_semantic_vectors_put_paraphrases_closer_than_unrelated_sentences():
    from storybrief.embed import load_vectors

    vectors = load_vectors()
    a, b, c = vectors.sentences(
        [
            "The president met the prime minister in the capital.",
            "The head of state held talks with the premier.",
            "A recipe for chocolate cake with fresh berries.",
        ]
    )
    assert a @ b > a @ c
    assert np.allclose(np.linalg.norm(vectors.sentences(["storm floods town"]), axis=1), 1, atol=1e-3)
    assert not vectors.sentences(["zzzqqq"]).any()  # no known word: zero vector, not NaN


def _story_tokens(texts):
    import re

    sentences, _ = features_for(texts)
    word = re.compile(r"[a-z0-9]+")
    prior_token = re.compile(r"[a-z0-9][a-z0-9'-]*[a-z0-9]|[a-z0-9]")
    return (
        sentences,
        [word.findall(s.text.lower()) for s in sentences],
        [prior_token.findall(s.text.lower()) for s in sentences],
    )


def test_story_overlap_counts_words_and_pairs_said_elsewhere():
    """The vectorised overlap features against their definition, counted word by word."""
    from collections import Counter

    from storybrief.brief.features import overlap_with_story

    sentences, tokens, _ = _story_tokens(CASED + ["Bridge bridge bridge."])
    articles = np.array([s.article for s in sentences])
    got = overlap_with_story(tokens, articles)
    story = Counter(w for t in tokens for w in t)
    pairs = Counter(p for t in tokens for p in zip(t, t[1:]))
    for row, t in enumerate(tokens):
        own, own_pairs = Counter(t), Counter(zip(t, t[1:]))
        in_article = Counter(w for s, u in zip(sentences, tokens) if s.article == sentences[row].article for w in u)
        pairs_in_article = Counter(
            p for s, u in zip(sentences, tokens) if s.article == sentences[row].article for p in zip(u, u[1:])
        )
        assert got["words_elsewhere"][row] == pytest.approx(sum(story[w] > own[w] for w in t) / len(t))
        assert got["words_in_other_articles"][row] == pytest.approx(sum(story[w] > in_article[w] for w in t) / len(t))
        assert got["word_frequency"][row] == pytest.approx(sum(np.log1p(story[w] - own[w]) for w in t) / len(t))
        grams = list(zip(t, t[1:]))
        assert got["bigrams_elsewhere"][row] == pytest.approx(sum(pairs[p] > own_pairs[p] for p in grams) / len(grams))
        assert got["bigrams_in_other_articles"][row] == pytest.approx(
            sum(pairs[p] > pairs_in_article[p] for p in grams) / len(grams)
        )
    # A word only its own sentence repeats is not "said elsewhere".
    assert got["words_elsewhere"][-1] < 1.0


def test_prior_features_follow_the_word_and_pair_tables():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from storybrief.brief.prior import load_prior, prior_features

    prior, unknown, pair_prior, unknown_pair = load_prior()
    _, _, tokens = _story_tokens(CASED + ["Zqxv wobblefrump the of."])
    got = prior_features(tokens)
    for row, t in enumerate(tokens):
        values = [prior.get(w, unknown) for w in t]
        content = [v for v, w in zip(values, t) if w not in ENGLISH_STOP_WORDS]
        pairs = [pair_prior.get(f"{a} {b}", unknown_pair) for a, b in zip(t, t[1:])]
        assert got["prior_mean"][row] == pytest.approx(np.mean(values))
        assert got["prior_content"][row] == pytest.approx(np.mean(content))
        assert got["prior_max"][row] == pytest.approx(max(content))
        assert got["prior_high"][row] == pytest.approx(np.mean([v > 0.5 for v in values]))
        assert got["pair_prior_mean"][row] == pytest.approx(np.mean(pairs))
    assert not prior_features([[], ["the"]]).values[0].any()


def test_context_features_read_the_article_around_the_sentence():
    off_topic = (
        "The chess club of Marlow elected a new president at its annual meeting. "
        "Members praised the outgoing treasurer."
    )
    sentences, x = features_for(CASED + [off_topic])
    column = {name: x[:, FEATURE_NAMES.index(name)] for name in FEATURE_NAMES}
    articles = np.array([s.article for s in sentences])
    firsts = np.array([s.index == 0 for s in sentences])
    assert (column["previous_centroid"][firsts] == 0).all()
    assert (column["word_offset"][firsts] == 0).all() and (column["word_offset"][~firsts] > 0).all()
    # The chess article is the least central article of the story.
    chess = articles == articles.max()
    assert column["article_centrality"][chess].max() < column["article_centrality"][~chess].min()
    # The 4.2 million pounds are in one article only.
    funding = [i for i, s in enumerate(sentences) if "4.2 million" in s.text][0]
    assert column["numbers"][funding] >= 1 and column["numbers_elsewhere"][funding] == 0
    marlow = [i for i, s in enumerate(sentences) if s.article == 0 and "Marlow" in s.text][0]
    assert column["names_elsewhere"][marlow] > 0  # Marlow and Harbour Road are named by other outlets


def test_context_features_are_the_same_for_a_huge_story(monkeypatch):
    import storybrief.brief.features as features_module

    sentences, dense = features_for(CASED)
    monkeypatch.setattr(features_module, "ARTICLE_DENSE_CELLS", 0)  # the sparse path, as for thousands of articles
    assert np.allclose(sentence_features(sentences, represent(sentences)), dense, atol=1e-5)


def test_the_shipped_models_were_trained_on_these_feature_names():
    from storybrief.brief.score import MODEL_PATH, ORACLE_MODEL_PATH

    for path in (MODEL_PATH, ORACLE_MODEL_PATH):
        line = next(line for line in path.read_text().splitlines() if line.startswith("feature_names="))
        assert line.removeprefix("feature_names=").split() == FEATURE_NAMES


def test_every_feature_is_computed_by_exactly_one_named_column():
    from storybrief.brief.features import CONTEXT, OVERLAP, SEMANTIC, SURFACE
    from storybrief.brief.prior import PRIOR

    helpers = [*SURFACE, *OVERLAP, *SEMANTIC, *PRIOR, *CONTEXT]
    assert len(helpers) == len(set(helpers))
    assert set(helpers) <= set(FEATURE_NAMES)
