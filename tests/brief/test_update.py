"""Update briefs: the new articles briefed for a reader who has read the earlier brief."""

from __future__ import annotations

import numpy as np
import pytest

from storybrief.brief import cover
from storybrief.brief.pipeline import summarize
from storybrief.brief.update import OLD_CONCEPT, REPEATED, Earlier, closest, concept_value, discount, repeats_brief
from storybrief.types import Article, Sentence

BACKGROUND = ("The Vell river burst its banks on Monday night and flooded the lower town of Marren, "
              "forcing 300 people from their homes.")
EARLIER = [
    Article(id="o1", source="Marren Post", text=BACKGROUND + " Firefighters used boats to reach families trapped on "
            "upper floors. The regional council opened two schools as shelters for the night. Forecasters said more "
            "rain would fall until Wednesday."),
    Article(id="o2", source="Valley News", text="Floodwater from the Vell river swept through the lower town of Marren "
            "on Monday night, and 300 residents had to leave their homes. Rescue crews in boats reached families on "
            "upper floors. Two schools were opened as shelters by the regional council."),
]
NEW = [
    Article(id="n1", source="Marren Post", text="The water began to recede on Thursday and the first residents of "
            "Marren returned to clear mud from their houses. " + BACKGROUND + " The mayor announced a relief fund of "
            "two million euros for families who lost belongings. Engineers will inspect the old stone bridge before "
            "it reopens to traffic."),
    Article(id="n2", source="Valley News", text="Residents of Marren started returning home on Thursday as the "
            "floodwater receded, shovelling mud out of kitchens and cellars. The town's mayor set up a two million "
            "euro relief fund for flooded families. The Vell river burst its banks on Monday night, flooding the lower "
            "town and forcing 300 people from their homes."),
]


def test_the_update_leaves_out_what_the_reader_has_read_and_keeps_the_new_facts():
    first = summarize(EARLIER, words=60)
    plain = summarize(NEW, words=60)
    update = summarize(NEW, words=60, earlier=EARLIER, earlier_brief=first)
    # Without the earlier brief the background sentence is chosen (every new article carries it) ...
    assert any("burst its banks" in s.text for s in plain.sentences)
    # ... for the reader of the first brief it is old news, and the new facts take its place.
    assert update.sentences and not any("burst its banks" in s.text or "300" in s.text for s in update.sentences)
    assert any("Thursday" in s.text for s in update.sentences)
    assert any("relief fund" in s.text for s in update.sentences)
    # Cited like any brief: every sentence names the new articles that report it.
    assert all(s.sources and set(s.sources) <= {1, 2} for s in update.sentences)
    assert [s.article_id for s in update.sources] == ["n1", "n2"]


def test_nothing_new_gives_an_empty_update_with_a_warning():
    first = summarize(EARLIER, words=60)
    update = summarize(EARLIER, words=60, earlier=EARLIER, earlier_brief=first)
    assert update.sentences == [] and update.words == 0
    assert "nothing new since the earlier brief" in update.warnings


def test_an_update_with_nothing_read_before_is_the_plain_brief():
    assert summarize(NEW, words=60, earlier=[], earlier_brief=[]).to_dict() == summarize(NEW, words=60).to_dict()


def test_the_earlier_brief_alone_is_enough_to_leave_its_sentences_out():
    first = summarize(EARLIER, words=60)
    said = [s.text for s in first.sentences]
    update = summarize(EARLIER + NEW, words=80, earlier_brief=said)
    assert update.sentences
    assert not {s.text for s in update.sentences} & set(said)


def test_closer_to_what_was_read_scores_lower():
    sentences = [Sentence(BACKGROUND, 0, 0), Sentence("The mayor announced a relief fund of two million euros.", 0, 1),
                 Sentence("Engineers will inspect the old stone bridge before it reopens.", 0, 2)]
    earlier = Earlier(sentences=["The Vell river burst its banks on Monday night, flooding Marren and forcing 300 "
                                 "people from their homes.", "The mayor of Marren spoke to reporters."])
    old = closest([s.text for s in sentences], earlier.sentences)
    assert old[0] >= REPEATED > old[1] > old[2] >= 0
    scores, allowed = discount(np.array([2.0, 1.0, 1.0]), sentences, earlier)
    assert allowed.tolist() == [False, True, True]  # nearly an earlier sentence: old news
    assert scores[1] < scores[2] <= 1.0  # sharing words with what was read costs something


def test_a_sentence_repeating_the_earlier_brief_by_its_trigrams_is_out():
    brief = ["Two schools were opened as shelters by the regional council on Monday night."]
    sentences = [Sentence("Officials said two schools were opened as shelters by the regional council.", 0, 0),
                 Sentence("A third shelter opened in the sports hall on Friday.", 0, 1)]
    assert repeats_brief(sentences, brief).tolist() == [True, False]
    assert repeats_brief(sentences, []).tolist() == [False, False]


def test_concepts_the_earlier_articles_used_are_worth_less():
    earlier = Earlier(sentences=["The river burst its banks on Monday.", "The river burst its banks again.",
                                 "Schools were shut."], articles=[0, 1, 1])
    weights = concept_value(earlier)({"river burst": 4, "relief fund": 4, "school were": 2})
    assert weights["relief fund"] == 4  # only the new articles say it
    assert weights["river burst"] == pytest.approx(4 * 4 / (4 + OLD_CONCEPT * 2))
    assert weights["river burst"] < weights["relief fund"] and 0 < weights["school were"] < 2


def test_concept_coverage_of_an_update_prefers_the_facts_the_reader_has_not_met():
    # Each article tells the flood (8 articles the reader read told it) and the relief fund (new); 14 words fit one.
    flood, fund = "The Vell river burst its banks and flooded the lower town", "The mayor announced a relief fund"
    sentences = [Sentence(text=t, article=a, index=i)
                 for a in range(4) for i, t in enumerate([f"{flood} of Marren.", f"{fund} for flooded families."])]
    scores = np.ones(8)
    plain = cover.cover(sentences, scores, 14)
    assert plain and all("burst" in sentences[i].text for i in plain)
    read = Earlier(sentences=[f"{flood} on Monday night, witness {k} said." for k in range(8)], articles=list(range(8)))
    update = cover.cover(sentences, scores, 14, value=concept_value(read))
    assert update and all("relief fund" in sentences[i].text for i in update)
