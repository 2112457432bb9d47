"""Query-focused briefs: a question moves the brief toward the sentences that answer it."""

from __future__ import annotations

import numpy as np
import pytest

from storybrief.brief import query
from storybrief.brief.pipeline import summarize
from storybrief.errors import StoryBriefError
from storybrief.types import Article

# Every outlet leads with the storm's damage; the schools and the exams are a side thread.
STORY = [
    Article(id="a1", source="Coast Daily", text="A storm with winds of 140 kilometres an hour hit the coast of Brenn "
            "on Tuesday, tearing roofs off houses and cutting power to 80,000 homes. Fallen trees blocked the coast "
            "road for most of the day. The education office closed all 42 schools in the district until Friday."),
    Article(id="a2", source="Brenn Radio", text="Power was cut to 80,000 homes after a storm tore roofs off houses "
            "along the Brenn coast on Tuesday. Crews worked through the night to clear fallen trees from the coast "
            "road. Final exams at the district's secondary schools were postponed by two weeks, the education office "
            "said."),
    Article(id="a3", source="Harbour News", text="The storm that hit Brenn on Tuesday left 80,000 homes without power "
            "and tore roofs off dozens of houses. The coast road was blocked by fallen trees until the evening. The "
            "harbour stayed closed to fishing boats."),
]
QUESTION = "What happened to the schools and their exams?"


def school(text: str) -> bool:
    return "school" in text.lower() or "exam" in text.lower()


def test_the_query_changes_which_sentences_are_taken():
    plain = summarize(STORY, words=40)
    asked = summarize(STORY, words=40, query=QUESTION)
    assert not any(school(s.text) for s in plain.sentences)  # the storm's damage fills a short plain brief
    assert any(school(s.text) for s in asked.sentences)
    assert all(s.sources for s in asked.sentences)  # still cited like any brief


def test_no_query_or_an_empty_one_is_the_plain_brief():
    plain = summarize(STORY, words=40).to_dict()
    assert summarize(STORY, words=40, query=None).to_dict() == plain
    assert summarize(STORY, words=40, query="").to_dict() == plain


def test_a_query_of_instruction_words_only_is_ignored_with_a_warning():
    brief = summarize(STORY, words=40, query="Describe and discuss what was reported.")
    plain = summarize(STORY, words=40)
    assert [s.text for s in brief.sentences] == [s.text for s in plain.sentences]
    assert any("query" in w and "ignored" in w for w in brief.warnings)


def test_a_query_that_is_not_text_is_refused():
    with pytest.raises(StoryBriefError, match="query must be text"):
        summarize(STORY, words=40, query=["schools"])


def test_relevance_matches_word_forms_and_ignores_the_instruction():
    assert query.content("Describe the exams postponed by schools.") == ["exam", "postpon", "school"]
    texts = ["The exam was postponed.", "Schools closed on Tuesday.", "The coast road was blocked."]
    near = query.relevance(texts, "Which schools postponed exams?")
    assert near.max() == pytest.approx(1.0) and near[2] == 0.0 and near[0] > 0 and near[1] > 0
    assert not query.relevance(texts, "describe").any()


def test_focus_multiplies_the_value_of_relevant_sentences():
    texts = ["The exam was postponed.", "The coast road was blocked.", "Roofs were torn off.", "Exams at last."]
    scores = np.array([2.0, 2.0, 1.0, 1.0])
    moved = query.focus(scores, texts, "exams")
    assert moved[1:3].tolist() == scores[1:3].tolist()  # not relevant: unchanged
    floor = query.SPREADS_BELOW * np.std(scores)
    near = query.relevance(texts, "exams")
    assert moved[0] == pytest.approx(2.0 + query.WEIGHT * near[0] * (2.0 - 1.0 + floor))
    assert moved[3] == pytest.approx(1.0 + query.WEIGHT * near[3] * floor)  # the least valued can rise too
    assert moved[0] > moved[3] > moved[2]


def test_concepts_holding_query_words_are_worth_more():
    value = query.concept_value("Which schools postponed exams?")
    weights = value({"school clos": 3, "coast road": 3, "exam postpon": 2})
    assert weights["coast road"] == 3
    assert weights["school clos"] == pytest.approx(3 * (1 + query.CONCEPT_BOOST))
    assert weights["exam postpon"] == pytest.approx(2 * (1 + 2 * query.CONCEPT_BOOST))


BRIDGE_STORY = [
    "Engineers closed the Harbour Bridge in Port Ellison on Tuesday after finding a crack in a steel girder. "
    "Mayor Ilse Brandt said inspectors would examine the girder and the bridge would stay shut for weeks.",
    "The city's new library opened on Saturday with a reading by the novelist Okonkwo Varley. "
    "Librarians said nine thousand books were lent in the first week and the reading room was full.",
    "The Harbour Bridge in Port Ellison was shut by engineers who found a cracked girder on Tuesday. "
    "Commuters crowded the ferry terminal while inspectors examined the bridge and its girders.",
    "Port Ellison's mayor, Ilse Brandt, said the cracked girder on the Harbour Bridge needs repairs. "
    "The bridge carries forty thousand vehicles a day; commuters were told to take the ferry.",
]


def test_the_query_keeps_an_article_the_reader_asked_about_in_the_story():
    articles = [Article(text=t, id=f"a{k}") for k, t in enumerate(BRIDGE_STORY)]
    assert summarize(articles, words=60).off_topic == [2]
    brief = summarize(articles, words=60, query="Port Ellison this week: the bridge closure and the new library")
    assert brief.off_topic == []
