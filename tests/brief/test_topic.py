"""topic.py: articles that do not belong with the others are set aside."""

from __future__ import annotations

from storybrief.brief.segment import segment
from storybrief.brief.topic import off_topic, similarities
from storybrief.types import Article

BRIDGE = [
    "Engineers closed the Harbour Bridge in Port Ellison on Tuesday after finding a crack in a steel girder. "
    "Mayor Ilse Brandt said inspectors would examine the girder and the bridge would stay shut for weeks.",
    "The Harbour Bridge in Port Ellison was shut by engineers who found a cracked girder on Tuesday. "
    "Commuters crowded the ferry terminal while inspectors examined the bridge and its girders.",
    "Port Ellison's mayor, Ilse Brandt, said the cracked girder on the Harbour Bridge needs repairs. "
    "The bridge carries forty thousand vehicles a day; commuters were told to take the ferry.",
]
FROG = ("Biologists described a bright green tree frog from the rainforests of Borneo in a journal paper. "
        "The amphibian sings at dusk and lays eggs on leaves above forest streams.")


def _story(texts):
    articles = [Article(text=t, id=f"a{k}") for k, t in enumerate(texts)]
    return articles, segment(articles)


def test_an_article_from_another_story_is_set_aside():
    articles, sentences = _story([BRIDGE[0], FROG, BRIDGE[1], BRIDGE[2]])
    assert off_topic(articles, sentences) == [1]


def test_articles_of_one_story_are_all_kept():
    articles, sentences = _story(BRIDGE)
    assert off_topic(articles, sentences) == []


def test_two_articles_never_set_one_aside():
    # Which of two unrelated articles is the story? Nothing tells, so both stay (documented choice).
    articles, sentences = _story([BRIDGE[0], FROG])
    assert off_topic(articles, sentences) == []
    articles, sentences = _story([BRIDGE[0]])
    assert off_topic(articles, sentences) == []


def test_nothing_is_set_aside_when_no_two_articles_share_a_story():
    chess = ("The chess olympiad in Tromso ended with a surprise win for the Uzbek team on tiebreaks. "
             "Grandmasters praised the young players who beat the favourites in the final round.")
    articles, sentences = _story([BRIDGE[0], FROG, chess])
    assert off_topic(articles, sentences) == []


def test_an_article_with_no_sentence_left_does_not_count():
    articles, sentences = _story([BRIDGE[0], FROG, BRIDGE[1]])
    articles.append(Article(text="Share this", id="furniture"))
    assert off_topic(articles, sentences) == [1]


def test_similarity_weights_rare_words_over_common_ones():
    # Each pair shares four content words: common ones in the first, rare ones in the second.
    common = similarities([Article("People said the weather was good this year in the town."),
                           Article("People said the harvest was good this year near the river.")])[0, 1]
    rare = similarities([Article("Engineers found a crack in the Harbour Bridge girder on Tuesday."),
                         Article("A girder crack closed the Harbour Bridge to all traffic.")])[0, 1]
    assert rare > common


# Another side of the town's week, sharing almost no word with the bridge articles.
LIBRARY = ("The city's new library opened on Saturday with a reading by the novelist Okonkwo Varley. "
           "Librarians said nine thousand books were lent in the first week and the reading room was full.")
TOWN_QUERY = "Port Ellison this week: the bridge closure and the new library"


def test_a_query_keeps_the_articles_close_to_it():
    articles, sentences = _story([BRIDGE[0], LIBRARY, BRIDGE[1], BRIDGE[2]])
    assert off_topic(articles, sentences) == [1]
    # The reader asked about the library too: that article is part of what they want briefed.
    assert off_topic(articles, sentences, query=TOWN_QUERY) == []


def test_a_query_does_not_keep_an_article_far_from_it():
    articles, sentences = _story([BRIDGE[0], FROG, BRIDGE[1], BRIDGE[2]])
    assert off_topic(articles, sentences, query=TOWN_QUERY) == [1]
    assert off_topic(articles, sentences, query="   ") == [1]
