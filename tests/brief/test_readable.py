"""readable.py: what a sentence leans on, bundles, and putting a speaker's name back."""

from __future__ import annotations

import pytest

from storybrief.brief import readable
from storybrief.brief.readable import blocks, context, opening, resolve_speakers, states_news, unbalanced
from storybrief.types import Sentence


@pytest.mark.parametrize(
    "text, kind",
    [
        ("He said the bridge would reopen in May.", "pronoun"),
        ("They were taken to the island clinic for checks.", "pronoun"),
        ("It faces a deadline in April to reach the senate.", "pronoun"),
        ("This angered the harbour traders, who had asked for a delay.", "pronoun"),
        ("Their boat was towed to port on the evening tide.", "pronoun"),
        ("There is only one explanation for such actions: the interests of the harbour.", "pronoun"),
        ("There are many ferries on the coast this summer.", None),
        ("The Kremlin denies that, saying the claims are an excuse for losing.", "pronoun"),
        ("The Kremlin denies that it took part in the talks.", None),
        ("We are ready to do our share of the work.", "first_person"),
        ("And the council voted against the plan once more.", "connective"),
        ("So the ferry company offered every passenger a refund.", "connective"),
        ("As a result, the route will stay shut until June.", "connective"),
        ('"We will rebuild the pier this year," he said.', "attribution"),
        ("The plan is dead for now, she told reporters on Monday.", "attribution"),
        ('"It is the most satisfying job in the world."', "quote"),
        ('"We are ready to work with the new administration and to talk."', "quote"),
        # Standing on their own:
        ("The council approved the harbour budget on Friday.", None),
        ('"This will not be in coming weeks," said Kremlin spokesman Dmitry Peskov.', None),
        ("This week the council approved the harbour budget.", None),
        ("That year the harbour froze over for a month.", None),
        ("So far no one has claimed the prize money.", None),
        ("It is unclear whether the ferry will sail again this year.", None),
        ("It was not clear when the bridge would reopen to traffic.", None),
        ("Peskov said he expected the two leaders to talk soon.", None),
        ('Mayor Ilse Brandt said: "We will rebuild it."', None),
    ],
)
def test_opening_says_what_a_sentence_leans_on(text, kind):
    assert opening(text) == kind


def test_unbalanced_counts_double_quotation_marks_of_every_style():
    assert unbalanced('He said: "We will rebuild the pier.')
    assert unbalanced("``We will rebuild the pier.")
    assert not unbalanced('He said: "We will rebuild the pier."')
    assert not unbalanced("He called it ``a disaster'' on Monday.")
    assert not unbalanced("The mayor's plan won't pass, officials said.")  # apostrophes are not quotation marks


@pytest.mark.parametrize(
    "text, fit",
    [
        ("The harbour bridge was closed on Tuesday after engineers found a crack.", True),
        ('"Nobody crosses that bridge until it is safe," the mayor said.', False),
        ("Will the bridge reopen before the summer season?", False),
        ("He said the repair would take two weeks.", False),
        ("The bridge has long been the town's busiest crossing.", False),  # background
        ("In 1998, the bridge was repaired for the second time since it opened.", False),
        ("Violent crime fell 10 percent last year, the largest drop since 1990, officials said.", True),
    ],
)
def test_states_news_is_what_may_open_a_brief(text, fit):
    assert states_news(text) is fit


def _article(texts, article=0, paragraphs=None):
    paragraphs = paragraphs or [0] * len(texts)
    return [
        Sentence(text=t, article=article, index=i, position=i / len(texts), paragraph=paragraphs[i])
        for i, t in enumerate(texts)
    ]


def test_a_leaning_sentence_is_bundled_with_the_one_before_it():
    sentences = _article(
        [
            "Dmitry Peskov spoke to reporters in Moscow on Saturday morning.",
            "He said the two presidents would talk by phone next week.",
            "He added that no meeting date had been set yet.",
            "The White House did not comment on the call.",
        ]
    )
    found = context(sentences)
    assert list(found.bundles) == [(0,), (0, 1), (0, 1, 2), (3,)]
    assert list(found.alone) == [False, True, True, False]


def test_a_leaning_sentence_with_nothing_before_it_is_not_taken_with_anything():
    found = context(_article(["He said the two presidents would talk by phone next week.", "The talks start in May."]))
    assert found.bundles[0] is None and found.alone[0]


def test_a_chain_over_the_limit_is_not_taken_as_a_bundle(monkeypatch):
    monkeypatch.setattr(readable, "MAX_BUNDLE_SENTENCES", 2)
    found = context(
        _article(
            [
                "Dmitry Peskov spoke to reporters in Moscow on Saturday morning.",
                "He said the two presidents would talk by phone next week.",
                "He added that no meeting date had been set yet.",
            ]
        )
    )
    assert found.bundles[1] == (0, 1) and found.bundles[2] is None


def test_a_quotation_over_sentences_is_one_bundle_and_never_goes_alone():
    sentences = _article(
        [
            'The mayor said: "We will rebuild the pier this year.',
            "We have the money and the builders.",
            'Nobody will stop us now," she told the council.',
            "The council meets again on Friday.",
        ]
    )
    found = context(sentences)
    assert found.bundles[:3] == [(0, 1, 2)] * 3
    assert found.alone[:3] == [False, False, False]
    assert found.bundles[3] == (3,)


def test_a_quotation_that_never_closes_is_not_taken():
    sentences = _article(
        [
            "The council met on Friday to vote on the budget for the harbour.",
            'The mayor said: "We will rebuild the pier this year.',
            "Nothing more was said about the pier or the budget at the meeting.",
            "Traders left before the vote was taken by the council.",
            "The budget passed by one vote late in the evening.",
            "The council will meet again next month.",
        ]
    )
    assert context(sentences).bundles[1] is None


def test_a_quotation_goes_on_into_a_paragraph_that_opens_with_a_quotation_mark():
    sentences = _article(
        ['The mayor said: "We will rebuild the pier this year.', '"Nobody will stop us," she added.'], paragraphs=[0, 1]
    )
    assert list(context(sentences).bundles) == [(0, 1), (0, 1)]
    # A new paragraph without the mark: the quotation was never closed.
    sentences = _article(
        ['The mayor said: "We will rebuild the pier this year.', "The council met on Friday."], paragraphs=[0, 1]
    )
    assert context(sentences).bundles[0] is None


def test_a_quotation_without_speaker_goes_only_with_the_sentence_before():
    found = context(_article(["The mayor spoke to the council on Friday.", '"We will rebuild the pier this year."']))
    assert found.bundles[1] == (0, 1) and not found.alone[1]


def test_a_sentence_that_introduces_the_next_one_goes_with_it():
    sentences = _article([
        "In a letter to the council, the mayor set out why the pier must be rebuilt:",
        "The old pier is unsafe and the ferry needs a berth before the summer.",
        "The council will vote on Friday.",
    ])
    found = context(sentences)
    assert found.bundles[0] == (0, 1) and not found.alone[0]
    # With nothing after it, it is not taken.
    assert context(sentences[:1]).bundles[0] is None


def test_blocks_group_chosen_sentences_by_their_bundles():
    sentences = _article(
        [
            "Dmitry Peskov spoke to reporters in Moscow on Saturday morning.",
            "He said the two presidents would talk by phone next week.",
            "The White House did not comment on the call.",
        ]
    )
    bundles = context(sentences).bundles
    assert blocks([1, 0, 2], bundles, sentences) == [(0, 1), (2,)]


def test_a_pronoun_speaker_gets_the_name_the_article_last_quoted():
    sentences = _article(
        [
            '"This will not be in coming weeks," said Kremlin spokesman Dmitry Peskov on Saturday.',
            "The new president took the oath of office on Friday in Washington.",
            "He added that no talks between the two capitals were under way.",
            '"It is a protocol thing that has to be done," he said.',
        ]
    )
    texts = [s.text for s in resolve_speakers(sentences)]
    assert texts[2] == "[Peskov] added that no talks between the two capitals were under way."
    assert texts[3] == '"It is a protocol thing that has to be done," [Peskov] said.'
    assert opening(texts[2]) is None and opening(texts[3]) is None


def test_a_speaker_is_not_named_when_two_were_quoted_or_the_title_says_otherwise():
    two = _article(
        [
            "Mayor Ilse Brandt said the bridge would reopen, and engineer Tomas Berg said it would not.",
            "He added that the repair would take two weeks.",
        ]
    )
    assert resolve_speakers(two)[1].text == "He added that the repair would take two weeks."
    title = _article(["Mr. Tomas Berg said the bridge would stay shut.", '"It is not safe," she said.'])
    assert resolve_speakers(title)[1].text == '"It is not safe," she said.'
    lower = _article(["engineer tomas berg said the bridge would stay shut.", "he added that it was not safe."])
    assert resolve_speakers(lower)[1].text == "he added that it was not safe."
