from pathlib import Path

import pytest

from storybrief import summarize
from storybrief.errors import BudgetError, InputError, StoryBriefError

SHARED_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "putin-trump-meeting"


def test_brief_of_a_small_story(flood_story):
    brief = summarize(flood_story, words=80)
    assert 0 < brief.words <= 80 and brief.budget == 80
    assert len(brief.sentences) >= 2
    assert [s.id for s in brief.sources] == [1, 2, 3, 4]
    text = brief.text
    for junk in ("Share", "Comments", "Advertisement"):
        assert junk not in text
    # The evacuation is reported by the wire, its copy and the local paper: all three cited.
    evacuation = next(s for s in brief.sentences if "300 residents" in s.text)
    assert {1, 2, 3} <= set(evacuation.sources)
    # Nothing said twice: the paraphrase of the evacuation is not also chosen.
    assert sum("300 residents" in s.text for s in brief.sentences) == 1


def test_every_sentence_is_cited_and_comes_from_the_input(flood_story):
    brief = summarize(flood_story, words=120)
    corpus = " ".join(a.text for a in flood_story)
    for s in brief.sentences:
        assert s.sources and s.origin["article"] in s.sources and s.support == len(s.sources)
        assert s.text in corpus


def test_methods_and_custom_scorer(flood_story):
    import numpy as np

    class Shortest:
        name = "shortest"

        def score(self, sentences, representation):
            return -np.array([s.words for s in sentences], dtype=float)

    brief = summarize(flood_story, words=40, scorer=Shortest())
    assert brief.method == "shortest"
    assert summarize(flood_story, words=40, method="lead").method == "lead"
    with pytest.raises(StoryBriefError):
        summarize(flood_story, method="nope")


def test_one_article_is_still_briefed_with_a_warning():
    brief = summarize(
        "Heavy rain flooded the town on Sunday. About 300 residents left their homes. Rescue crews used boats.",
        words=50,
    )
    assert len(brief.sentences) == 3 and all(s.sources == [1] for s in brief.sentences)
    assert any("one article only" in w for w in brief.warnings)


def test_non_english_is_briefed_with_a_warning():
    brief = summarize(
        "Der Stadtrat hat am Dienstag beschlossen, die alte Bibliothek in der Hauptstraße zu schließen. "
        "Die Bewohner sagten, sie seien von der Entscheidung sehr enttäuscht. "
        "Der Bürgermeister will im nächsten Jahr ein neues Gebäude am Markt bauen lassen.",
        words=50,
    )
    assert brief.sentences and any("English" in w for w in brief.warnings)


@pytest.mark.parametrize("words", [0, -5, 2.5, True])
def test_invalid_budget(words, flood_story):
    with pytest.raises(StoryBriefError, match="words"):
        summarize(flood_story, words=words)


def test_budget_smaller_than_any_sentence(flood_story):
    with pytest.raises(BudgetError):
        summarize(flood_story, words=3)


def test_input_without_prose():
    with pytest.raises(InputError):
        summarize(["Advertisement\nShow Comments", "Share"])


def test_multinews_text_lowercased_and_tokenised():
    # As in Multi-News: lower-cased in places, sentence starts included, quotes and commas spaced out.
    doc1 = (
        "The city council voted on monday to close the old library on main street. officials said the building "
        'was no longer safe. " we had no choice , " the mayor said.'
    )
    doc2 = (
        "The old library on main street will close after a council vote on monday , officials said. "
        "residents said they would miss the building. A new library is planned for 2026."
    )
    brief = summarize(f"{doc1} ||||| {doc2}", words=40)
    assert brief.words <= 40 and len(brief.sentences) >= 2
    assert any(s.support == 2 for s in brief.sentences)
    assert all(" ," not in s.text and '" we' not in s.text for s in brief.sentences)


@pytest.mark.skipif(not SHARED_EXAMPLE.is_dir(), reason="needs ../shared/examples (present in CI)")
def test_shared_example_at_120_words():
    brief = summarize(SHARED_EXAMPLE, words=120)
    assert brief.words <= 120 and len(brief.sentences) >= 3
    text = brief.to_text()
    for junk in (
        "Show Comments",
        "SHARE THIS ARTICLE",
        "Advertisement",
        "You are here",
        "Press TV",
        "Portuguese",
        "(Photos by",
        "Roku",
    ):
        assert junk not in text
    assert all(s.sources for s in brief.sentences)
    assert any({1, 2, 3} <= set(s.sources) for s in brief.sentences)
    # That Putin is ready to meet Trump is reported by the first three outlets: cited to all three.
    # (At 150 words: whether it also makes the 120-word cut changes with each retrain of the
    # scorer, seed 14 of the same model included, while the other Kremlin quotes are chosen.)
    ready = [s for s in summarize(SHARED_EXAMPLE, words=150).sentences if "ready" in s.text and "meet" in s.text]
    assert ready and any({1, 2, 3} <= set(s.sources) for s in ready)


def test_a_story_of_placeholder_pages_says_so():
    placeholder = (
        "Tweet with a location you can add location information to your tweets, such as your city or "
        "precise location, from the web and via third-party applications."
    )
    with pytest.raises(InputError, match="boilerplate"):
        summarize([placeholder, placeholder + " You always have the option to delete your tweet location history."])
    with pytest.raises(InputError, match="no complete sentences"):
        summarize(["Yes. No. Fine.", "Maybe so. Not now."])


# --- readable briefs, off-topic articles, dates -------------------------------------------------

HARBOUR = [
    "Engineers closed the Harbour Bridge in Port Ellison on Tuesday after finding a crack in a steel girder. "
    "Mayor Ilse Brandt told reporters the bridge would stay shut for at least two weeks. "
    "\"Nobody crosses that bridge until it is safe. We will not take any risk with people's lives. "
    'The engineers will tell us when," she said. '
    "He added that the ferry would run extra crossings.",
    "The Harbour Bridge in Port Ellison was shut by engineers who found a cracked girder on Tuesday. "
    "Commuters crowded the ferry terminal as the bridge stayed closed to all traffic. "
    "They were told to expect delays for the rest of the month.",
    "Port Ellison's mayor, Ilse Brandt, said the cracked girder on the Harbour Bridge needs urgent repairs. "
    "It carries forty thousand vehicles a day across the harbour. "
    "The council will meet on Friday to approve money for the repair of the girder.",
]
FROG = (
    "Biologists described a bright green tree frog from the rainforests of Borneo in a journal paper. "
    "The amphibian sings at dusk and lays its eggs on leaves above forest streams."
)


@pytest.mark.parametrize("words", [40, 70, 120])
def test_a_brief_reads_on_its_own(words):
    from storybrief.brief.readable import states_news
    from storybrief.evaluation.readability import Readability

    brief = summarize(HARBOUR, words=words)
    texts = [s.text for s in brief.sentences]
    measured = Readability()
    measured.add(texts, [(s.origin["article"], s.origin["index"]) for s in brief.sentences])
    assert measured.unbalanced == 0 and measured.bad_first == 0
    assert states_news(texts[0])
    # The three-sentence quotation comes whole or not at all.
    assert not any(t.startswith("We will not take") or t.startswith("The engineers will tell") for t in texts)


def test_an_off_topic_article_gives_no_sentence_and_is_listed():
    brief = summarize([HARBOUR[0], FROG, HARBOUR[1], HARBOUR[2]], words=120)
    assert brief.off_topic == [2]
    assert all(2 not in s.sources for s in brief.sentences)
    assert "Set aside as off topic" in brief.to_text()
    assert summarize(HARBOUR, words=120).off_topic == []


def test_sentences_of_different_days_say_their_day_and_the_newest_lead_opens():
    from storybrief.types import Article

    articles = [
        Article(text=HARBOUR[1], id="b", published="2024-03-05T09:00:00Z"),
        Article(
            text="The Harbour Bridge in Port Ellison reopened to traffic on Monday after repairs to the cracked "
            "girder. "
            "Engineers said the new girder was stronger than the old one.",
            id="r",
            published="2024-03-25T08:00:00Z",
        ),
        Article(text=HARBOUR[2], id="c", published="2024-03-06T10:00:00Z"),
    ]
    brief = summarize(articles, words=80)
    assert "reopened" in brief.sentences[0].text and brief.sentences[0].date == "2024-03-25"
    assert all(s.date for s in brief.sentences)
    later = [s.date for s in brief.sentences[1:]]
    assert later == sorted(later)  # the rest in date order
    assert brief.to_text().startswith("(25 Mar 2024) ")


@pytest.mark.skipif(not SHARED_EXAMPLE.is_dir(), reason="needs ../shared/examples (present in CI)")
@pytest.mark.parametrize("words", [150, 250])
def test_shared_example_reads_as_a_story(words):
    from storybrief.brief.readable import opening, states_news, unbalanced

    brief = summarize(SHARED_EXAMPLE, words=words)
    texts = [s.text for s in brief.sentences]
    assert states_news(texts[0])
    assert not any(unbalanced(t) for t in texts)  # no quotation split over sentences
    assert not any(opening(t) == "attribution" for t in texts)  # no "he said" after another speaker
    # The November call (source 4) is told in one run, not interleaved with January's events.
    november = [k for k, s in enumerate(brief.sentences) if s.origin["article"] == 4]
    assert november == list(range(november[0], november[0] + len(november))) if november else True
