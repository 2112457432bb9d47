import pytest

from storybrief.brief.segment import segment, split_sentences
from storybrief.types import Article


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Sen. Maria Lopez (D., Ore.) spoke on Friday. She left at noon.",
            ["Sen. Maria Lopez (D., Ore.) spoke on Friday.", "She left at noon."],
        ),
        (
            "Dr. Adams arrived at 5 p.m. on Jan. 5. The U.S. team left later.",
            ["Dr. Adams arrived at 5 p.m. on Jan. 5.", "The U.S. team left later."],
        ),
        (
            'He said: "This is it. We are done." Then he left the room.',
            ['He said: "This is it. We are done."', "Then he left the room."],
        ),
        (
            "the u.s. army said on monday it would act. officials declined to comment on the plan.",
            ["the u.s. army said on monday it would act.", "officials declined to comment on the plan."],
        ),
        (
            "Mr. Jones paid $3.5 million for the house. Shares fell 2.5% on Tuesday.",
            ["Mr. Jones paid $3.5 million for the house.", "Shares fell 2.5% on Tuesday."],
        ),
        (
            "Was it late? Yes, it was very late! Nobody came to the door.",
            ["Was it late?", "Yes, it was very late!", "Nobody came to the door."],
        ),
        ('"We will win," the coach said. "It is certain."', ['"We will win," the coach said.', '"It is certain."']),
    ],
)
def test_sentence_boundaries(text, expected):
    assert split_sentences(text) == expected


def test_paragraphs_never_run_together():
    assert split_sentences("First paragraph has no full stop\nSecond paragraph is here.") == [
        "First paragraph has no full stop",
        "Second paragraph is here.",
    ]


def test_segment_records_positions_and_drops_fragments_and_junk():
    article = Article(
        text="The bridge closed on Tuesday after a crack was found. Too short. "
        "Breaking news emails get breaking news alerts and special reports. Engineers will inspect it on Wednesday "
        "morning."
    )
    other = Article(text="Traffic was diverted onto the ring road for the whole day.")
    sentences = segment([article, other])
    assert [s.text for s in sentences] == [
        "The bridge closed on Tuesday after a crack was found.",
        "Engineers will inspect it on Wednesday morning.",
        "Traffic was diverted onto the ring road for the whole day.",
    ]
    assert [(s.article, s.index) for s in sentences] == [(0, 0), (0, 1), (1, 0)]
    assert sentences[1].position == 0.5 and sentences[0].words == 10


@pytest.mark.parametrize(
    "text, kept",
    [
        ('"Let us be patient."', False),
        ('"Let us be patient".', False),
        ('"We will rebuild every house in this town, whatever it costs."', True),
        ('"Let us wait," she said.', True),
        ("Too short.", False),
    ],
)
def test_bare_short_quotes_and_fragments_are_not_self_contained(text, kept):
    from storybrief.brief.segment import is_self_contained

    assert is_self_contained(text) is kept


# --- quotations ---------------------------------------------------------------------------------


def test_a_quotation_split_over_pieces_is_joined_into_one_sentence():
    text = (
        'Medvedev wrote that "we do not know yet how they will act. But we hope for the best. And we are ready to '
        'help."'
    )
    assert split_sentences(text) == [text]


def test_a_stray_quotation_mark_does_not_swallow_the_paragraph():
    # No closing mark within QUOTE_PIECES pieces: the pieces stay sentences of their own.
    text = 'The mayor said " it was late. ' + " ".join(f"Sentence number {n} of the report follows." for n in range(6))
    assert len(split_sentences(text)) == 7


def test_a_quotation_opening_after_a_full_stop_starts_its_own_sentence():
    assert split_sentences('investors fear greece may not pay. "the government will deal with it," said kenny.') == [
        "investors fear greece may not pay.",
        '"the government will deal with it," said kenny.',
    ]
    assert split_sentences(
        'He is among the best producers of the decade."Shonda is one of the greatest," said Ted.'
    ) == ["He is among the best producers of the decade.", '"Shonda is one of the greatest," said Ted.']


def test_an_article_cut_off_inside_a_quotation_ends_before_the_quotation_opens():
    article = Article(
        text='The council met on Friday. Officials said on Monday that the vote had been "a close and difficult'
    )
    assert [s.text for s in segment([article])][-1] == "Officials said on Monday that the vote had been"


def test_sentences_know_their_paragraph():
    article = Article(text="The council met on Friday evening.\n\nThe budget passed by one vote.")
    assert [s.paragraph for s in segment([article])] == [0, 2]
