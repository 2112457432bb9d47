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
    brief = summarize("Heavy rain flooded the town on Sunday. About 300 residents left their homes. Rescue crews used boats.", words=50)
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
    doc1 = ("The city council voted on monday to close the old library on main street. officials said the building "
            "was no longer safe. \" we had no choice , \" the mayor said.")
    doc2 = ("The old library on main street will close after a council vote on monday , officials said. "
            "residents said they would miss the building. A new library is planned for 2026.")
    brief = summarize(f"{doc1} ||||| {doc2}", words=40)
    assert brief.words <= 40 and len(brief.sentences) >= 2
    assert any(s.support == 2 for s in brief.sentences)
    assert all(" ," not in s.text and '" we' not in s.text for s in brief.sentences)


@pytest.mark.skipif(not SHARED_EXAMPLE.is_dir(), reason="needs ../shared/examples (present in CI)")
def test_shared_example_at_120_words():
    brief = summarize(SHARED_EXAMPLE, words=120)
    assert brief.words <= 120 and len(brief.sentences) >= 3
    text = brief.to_text()
    for junk in ("Show Comments", "SHARE THIS ARTICLE", "Advertisement", "You are here", "Press TV", "Portuguese", "(Photos by", "Roku"):
        assert junk not in text
    assert all(s.sources for s in brief.sentences)
    assert any({1, 2, 3} <= set(s.sources) for s in brief.sentences)
    # That Putin is ready to meet Trump is reported by the first three outlets: cited to all three.
    # (At 150 words: whether it also makes the 120-word cut changes with each retrain of the
    # scorer, seed 14 of the same model included, while the other Kremlin quotes are chosen.)
    ready = [s for s in summarize(SHARED_EXAMPLE, words=150).sentences if "ready" in s.text and "meet" in s.text]
    assert ready and any({1, 2, 3} <= set(s.sources) for s in ready)


def test_a_story_of_placeholder_pages_says_so():
    placeholder = ("Tweet with a location you can add location information to your tweets, such as your city or "
                   "precise location, from the web and via third-party applications.")
    with pytest.raises(InputError, match="boilerplate"):
        summarize([placeholder, placeholder + " You always have the option to delete your tweet location history."])
    with pytest.raises(InputError, match="no complete sentences"):
        summarize(["Yes. No. Fine.", "Maybe so. Not now."])
