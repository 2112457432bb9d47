"""The support decision: pair features, the shipped model, the lexical rule beside it."""

from __future__ import annotations

import numpy as np

from storybrief.brief.represent import represent
from storybrief.brief.support import (
    PAIR_FEATURES,
    PairReader,
    SupportJudge,
    claim_core,
    load_support_model,
    pair_numbers,
)
from storybrief.types import Sentence


def test_numbers_in_digits_and_words_are_one_figure():
    assert pair_numbers("Twelve people and 1,200 cars; three of them") == {"12", "1200", "3"}


def test_claim_core_leaves_out_asides_and_the_closing_attribution():
    core = claim_core("The probe, which reached Mars in 2004, will not fly past the moon again, officials said.")
    assert "Mars" not in core and "officials" not in core and "moon" in core


def test_features_see_shared_figures_and_conflicting_ones():
    reader = PairReader()
    claim = "The storm killed 14 people."
    agree = dict(zip(PAIR_FEATURES, reader.features(claim, "Fourteen people died in the storm.", 0.3, 0.4, 0.4)))
    differ = dict(zip(PAIR_FEATURES, reader.features(claim, "The storm killed 12 people.", 0.8, 0.8, 0.8)))
    assert agree["numbers_found"] == 1.0 and agree["numbers_conflict"] == 0.0
    assert differ["numbers_found"] == 0.0 and differ["numbers_conflict"] == 1.0


def _judge(texts):
    sentences = [Sentence(t, k, 0) for k, t in enumerate(texts)]
    return SupportJudge(sentences, represent(sentences))


def test_a_paraphrase_in_other_words_is_more_likely_support_than_a_shared_topic():
    judge = _judge([
        "The Harbour Bridge was closed on Tuesday after engineers found a crack in one of its main steel girders.",
        "Inspectors discovered a crack in a main girder of the Harbour Bridge, which was shut on Tuesday.",
        "The Harbour Bridge was opened in 1932 and carries eight lanes of traffic over the harbour.",
    ])
    probability, supported = judge.decide(0, [1, 2])
    assert probability[0] > probability[1]
    assert supported[0] and not supported[1]


def test_nothing_shared_is_never_support():
    judge = _judge(["The council approved the budget.", "Rain is expected on Sunday in the hills."])
    probability, supported = judge.decide(0, [1])
    assert probability[0] == 0.0 and not supported[0]


def test_the_shipped_model_reads_its_own_features():
    model = load_support_model()
    assert model.coef.shape == (len(PAIR_FEATURES),) and 0 < model.threshold < 1
    assert np.isfinite(model.probability(np.zeros(len(PAIR_FEATURES)))).all()


def test_features_see_another_subject_and_other_names_in_the_same_words():
    reader = PairReader()
    claim = "Prozac has Food and Drug Administration approval for depression and bulimia."
    same = dict(zip(PAIR_FEATURES, reader.features(
        claim, "The Food and Drug Administration approved Prozac for depression and bulimia.", 0.6, 0.6, 0.6)))
    other = dict(zip(PAIR_FEATURES, reader.features(
        claim, "The drug Zoloft has Food and Drug Administration approval for depression.", 0.6, 0.6, 0.6)))
    assert same["subject_found"] == 1.0 and other["subject_found"] == 0.0
    assert same["names_extra"] == 0.0 and other["names_extra"] > 0.0
    assert same["names_found"] == 1.0


def test_a_negation_on_one_side_only_is_seen():
    reader = PairReader()
    row = dict(zip(PAIR_FEATURES, reader.features(
        "Three residents tested positive for the virus.", "None tested positive for the virus.", 0.5, 0.5, 0.5)))
    assert row["negation_mismatch"] == 1.0
