import pytest

from storybrief.brief.segment import segment
from storybrief.brief.trim import trim
from storybrief.types import Article


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "WASHINGTON (AP) — The council approved the new harbour budget on Monday.",
            "The council approved the new harbour budget on Monday.",
        ),
        (
            "Harbourtown ( ap ) — the council approved the new harbour budget on monday.",
            "The council approved the new harbour budget on monday.",
        ),
        (
            "LONDON, May 3 (Reuters) - The council approved the harbour budget.",
            "The council approved the harbour budget.",
        ),
        (
            "(CNN) The council approved the new harbour budget on Monday.",
            "The council approved the new harbour budget on Monday.",
        ),
        (
            "Riverton, ore. (kxyz) -- the council approved the harbour budget.",
            "The council approved the harbour budget.",
        ),
        # A caption cut short and AP's credit run into the dateline and the body.
        (
            "Workers repair the pier before the storm... (associated press) riverton (ap) — the council approved the "
            "budget.",
            "The council approved the budget.",
        ),
        (
            "Story highlights the council met for six hours the vote was close (cnn) the council approved the budget "
            "on monday.",
            "The council approved the budget on monday.",
        ),
    ],
)
def test_agency_datelines_are_cut_wherever_they_open_the_body(text, expected):
    assert trim(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Too many words before the bracket for a place, and no page furniture: not a dateline.
        "The mayor told reporters in the old town hall on the hill (AP) — the vote would be close.",
        # Nothing that reads as a sentence after the dateline.
        "Riverton (AP) — Not yet.",
        # A party tag before a dash is an aside, not an agency.
        "Sen. Jane Roe (D-Ore.) -- who chairs the panel -- voted against the harbour budget.",
    ],
)
def test_brackets_that_only_look_like_agency_datelines_stay(text):
    assert trim(text, first=True) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NEW ORLEANS — The council approved the harbour budget.", "The council approved the harbour budget."),
        (
            "Annapolis, md. — as the cadets graduated, the council approved the budget.",
            "As the cadets graduated, the council approved the budget.",
        ),
        (
            "Riverton -- the council approved the harbour budget on monday.",
            "The council approved the harbour budget on monday.",
        ),
    ],
)
def test_plain_datelines_are_cut_from_an_articles_first_sentence(text, expected):
    assert trim(text, first=True) == expected
    assert trim(text, first=False) == text  # further in, a "Name — ..." is not a dateline


@pytest.mark.parametrize(
    "text",
    [
        "Amash — who wept after missing the vote — became known for attending every vote.",
        "Amash — a lawyer by training — became known for attending every vote.",
        "File - in this June 2, 2015 file photo, the mayor speaks to reporters.",
        "Riverton, Ore. - March 19, 2015 - the company announced its results today.",
        "Yes — the council approved the harbour budget after all.",
    ],
)
def test_appositives_and_captions_are_not_datelines(text):
    assert trim(text, first=True, rules=frozenset({"dateline", "agency"})) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The mayor (AP Photo/Jane Doe) the council approved the harbour budget on Monday.",
            "The council approved the harbour budget on Monday.",
        ),
        (
            "Workers at the pier. (photo: Riverton Herald) the council approved the harbour budget.",
            "The council approved the harbour budget.",
        ),
        (
            "The pier at dawn (Harbour Films via AP) the council approved the harbour budget.",
            "The council approved the harbour budget.",
        ),
        (
            "Great news. — Jane Roe (@janeroe) March 25, 2017 the council approved the harbour budget.",
            "The council approved the harbour budget.",
        ),
        # A credit closing the sentence goes alone.
        (
            "Workers repair the pier before the storm on Monday. (AP Photo/Jane Doe)",
            "Workers repair the pier before the storm on Monday.",
        ),
        (
            "Workers repair the pier [Image: a pier at dawn] before the storm on Monday.",
            "Workers repair the pier before the storm on Monday.",
        ),
    ],
)
def test_photo_credits_and_the_captions_they_close_are_cut(text, expected):
    assert trim(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The photo (seen above) shows the pier before the storm hit on Monday.",
        "Residents (about 300 of them) watched the council approve the budget.",
        "The council posted the video on its website on Monday evening.",
    ],
)
def test_brackets_that_are_not_credits_stay(text):
    assert trim(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("But the council approved the harbour budget.", "The council approved the harbour budget."),
        ("And the council approved the harbour budget.", "The council approved the harbour budget."),
        ("However, the council approved the harbour budget.", "The council approved the harbour budget."),
        ("Meanwhile, the council approved the harbour budget.", "The council approved the harbour budget."),
        ("Still, the council approved the harbour budget.", "The council approved the harbour budget."),
        ("but the council approved the harbour budget.", "The council approved the harbour budget."),
    ],
)
def test_dangling_connectives_are_cut_and_the_next_word_capitalised(text, expected):
    assert trim(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "But for the rain, the council would have met outdoors.",  # "but for" = without
        "Still photos show the pier before the storm hit.",
        "Yet another storm hit the pier on Monday night.",
        "However much it costs, the council will rebuild the pier.",
        "The council said no, but the mayor approved the budget anyway.",  # "but" inside
        "Andrea Roe and the council approved the harbour budget.",  # a name, not "And"
        "But it failed.",  # too short once cut: left whole
    ],
)
def test_connectives_that_carry_meaning_or_are_not_openers_stay(text):
    assert trim(text) == text


def test_a_connective_inside_a_quotation_is_the_speakers_and_stays():
    article = Article(
        text='The mayor said: "We will rebuild the pier this year. But we need the money first. '
        'And we will ask the state for it." But the council rejected the plan on Monday evening.'
    )
    texts = [s.text for s in segment([article])]
    # The quotation is one sentence now (segment joins a quotation split by the splitter), with
    # its connectives as the mayor said them; the narrator's "But" after it is trimmed.
    assert (
        'The mayor said: "We will rebuild the pier this year. But we need the money first. And we will ask the state '
        'for it."' in texts
    )
    assert "The council rejected the plan on Monday evening." in texts


def test_a_connective_inside_a_long_quotation_stays():
    # Too long to join into one sentence: its pieces stay apart, and trimming leaves them as said.
    filler = " ".join(["We will rebuild the old pier and the market hall this year."] * 7)
    article = Article(text=f'The mayor said: "{filler} But we need the money first. And we will ask the state for it."')
    texts = [s.text for s in segment([article])]
    assert "But we need the money first." in texts
    assert 'And we will ask the state for it."' in texts


def test_segment_trims_the_dateline_of_the_first_sentence_only():
    article = Article(
        text="RIVERTON — The council approved the harbour budget. Riverton — the town of 4,000 people — voted for it."
    )
    assert [s.text for s in segment([article])] == [
        "The council approved the harbour budget.",
        "Riverton — the town of 4,000 people — voted for it.",
    ]


def test_rules_can_be_switched_off():
    text = "But WASHINGTON (AP) — the council approved the harbour budget."
    assert trim(text, rules=frozenset()) == text
    assert trim(text, rules=frozenset({"connective"})) == "WASHINGTON (AP) — the council approved the harbour budget."


@pytest.mark.parametrize(
    "text",
    [
        "FILE - In this May 5, 2015, file photo, the mayor speaks to reporters at the harbour.",
        "File photo of a man riding a windsurfer on the lake near the harbour.",
        "This photo provided by the sheriff's office shows the suspect in a booking photo on Friday.",
        "In this image released by the studio, two actors appear in a scene from the film.",
    ],
)
def test_wire_photo_captions_are_dropped(text):
    assert trim(text) is None
    assert trim(text, rules=frozenset({"connective"})) == text


@pytest.mark.parametrize(
    "text",
    [
        "This photo of the pier went viral after the storm on Monday.",  # about a photo, no caption formula
        "The file was sent to the council before the vote on Monday.",
        "In this town, the council approved the harbour budget on Monday.",
        "Filed under local news, the story reached the council on Monday.",
    ],
)
def test_sentences_about_photos_or_files_are_not_captions(text):
    assert trim(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("-- A fourth harbour crane could be approved within a year.",
         "A fourth harbour crane could be approved within a year."),
        ("— The council approved the harbour budget on Monday.", "The council approved the harbour budget on Monday."),
        ("• 40 ferries were cancelled after the storm.", "40 ferries were cancelled after the storm."),
        ('* "We will rebuild the pier," the mayor told the council.',
         '"We will rebuild the pier," the mayor told the council.'),
    ],
)
def test_list_markers_opening_a_sentence_are_cut(text, expected):
    assert trim(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "-5 degrees was the coldest night the harbour town has seen.",  # a sign, not a marker
        "*NSYNC played the harbour festival to a crowd of thousands.",
        "-- and the ferry kept running all night long.",  # what follows is no sentence of its own
    ],
)
def test_what_only_looks_like_a_list_marker_stays(text):
    assert trim(text) == text


def test_a_round_up_item_enters_the_brief_without_its_marker():
    article = Article(text="Following are the main items in the harbour papers today:\n"
                           "-- A fourth harbour crane could be approved within a year after the port moved fast.\n"
                           "-- The ferry company will add three night sailings from March onward.")
    texts = [s.text for s in segment([article])]
    assert "A fourth harbour crane could be approved within a year after the port moved fast." in texts
    assert not any(t.startswith(("-", "—")) for t in texts)
