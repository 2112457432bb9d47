import numpy as np
import scipy.sparse as sp
from story_articles import CHESS, FERRY, article

from storybrief.stories.labels import describe, key_phrase, label, oldest_first
from storybrief.stories.vectors import column, tf_rows, weigh, words
from storybrief.text import idf
from storybrief.types import Article


def weighed(articles):
    terms: dict[int, str] = {}
    tf = tf_rows([words(a)[1] for a in articles], terms)
    df = np.asarray((tf > 0).sum(axis=0)).ravel()
    return weigh(tf, idf(df, len(articles))), terms


def test_the_title_closest_to_the_centroid_labels_the_story():
    vectors = sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.8, 0.6]]))
    articles = [Article(text="x", title=title) for title in ("One", "Two", "Three")]
    assert label(articles, vectors, {}) == "Three"  # closest to the centroid (2.4, 1.4)
    articles[2].title = "  "
    assert label(articles, vectors, {}) == "Two"  # only titled articles compete


def test_an_untitled_article_is_titled_by_its_headline_line():
    vectors = sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.8, 0.6]]))
    body = "The council met on Monday. It voted to close the bridge for repairs."
    articles = [
        Article(text=body, title="One"),
        Article(text=body, title="Two"),
        Article(text="Council votes to shut the old bridge\n" + body),  # no title given: its first line is one
    ]
    assert label(articles, vectors, {}) == "Council votes to shut the old bridge"
    articles[2] = Article(text=body + "\nMore on the vote later.")  # a first line that is a sentence, not a headline
    assert label(articles, vectors, {}) == "Two"


def test_without_titles_a_repeated_telling_phrase_labels_the_story():
    ferry = [article(r) for r in FERRY]
    vectors, terms = weighed(ferry)
    centroid = np.asarray(vectors.sum(axis=0)).ravel()
    phrase = key_phrase(ferry, centroid, terms)
    assert phrase == label(ferry, vectors, terms)
    assert len(phrase.split()) == 2 and sum(phrase in a.text.lower() for a in ferry) >= 2
    assert all(centroid[column(word)] > 0 for word in phrase.split())


def test_without_a_repeated_phrase_the_heaviest_word_labels_the_story():
    two = [Article(text="Ferry crews walked out over pay.", id="a"), Article(text="Ferry strike, ferry talks.", id="b")]
    vectors, terms = weighed(two)
    centroid = np.asarray(vectors.sum(axis=0)).ravel()
    assert key_phrase(two, centroid, terms) == "ferry" == terms[int(np.argmax(centroid))]
    assert key_phrase(two, np.zeros_like(centroid), terms) == "a"  # nothing weighs: the first article's id


def test_a_story_shows_its_outlets_once_in_order_and_its_time_span():
    articles = oldest_first(
        [article(FERRY[2]), Article(text="x", id="undated", source="Bay Courier"), article(FERRY[0]), article(CHESS[0])]
    )
    assert [a.id for a in articles] == ["ferry-1", "chess-1", "ferry-3", "undated"]
    story = describe("s00001", "Ferry strike", articles, {"ferry-1": ["copy"]})
    assert story.sources == ["Coastal Herald", "Radio Ellison", "Bay Courier"]
    assert (story.start, story.end) == ("2025-03-03T08:00:00Z", "2025-03-04T07:15:00Z")
    assert story.articles == ["ferry-1", "chess-1", "ferry-3", "undated"] and story.copies == {"ferry-1": ["copy"]}
    assert describe("s2", "x", [Article(text="x", id="a")], {}).start == ""
