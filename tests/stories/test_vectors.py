import math
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from story_articles import FERRY

from storybrief.stories.vectors import (
    IDF_REFRESH,
    N_FEATURES,
    column,
    idf,
    refresh,
    term_counts,
    text_for_vectors,
    tf_rows,
    weigh,
    words,
)
from storybrief.types import Article


def test_junk_lines_are_left_out_and_the_title_leads():
    article = Article(
        title="Ferry strike",
        text="Advertisement\nFerry crews walked off the job on Monday.\nShare this article on Facebook",
    )
    assert text_for_vectors(article) == "Ferry strike\nFerry crews walked off the job on Monday."


def test_a_page_that_is_mostly_junk_is_a_placeholder():
    prompt = (
        "Tweet with a location you can add location information to your tweets, such as your city or precise "
        "location, from the web and via third-party applications. These crawls are part of an effort to archive "
        "pages as they are created and archive the pages that they refer to, so nothing is lost over time."
    )
    assert text_for_vectors(Article(text=prompt)) == ""
    # In a paragraph that is mostly news, a junk sentence is dropped and the rest kept.
    paragraph = FERRY[0][3] + " Tweet with a location you can add location information to your tweets."
    kept = text_for_vectors(Article(text=paragraph))
    assert (
        kept.split("\n")[0].startswith("Ferry crews walked off") and len(kept.split("\n")) == 4
    )  # one line a sentence
    assert "Tweet" not in kept


def test_term_counts_keep_words_not_stop_words_digits_or_single_letters():
    assert term_counts("Mr Smith said 42 ferries a b ferries") == Counter({"ferries": 2, "smith": 1})


def test_words_fall_back_to_the_whole_text_when_only_furniture_has_words():
    text, counts = words(
        Article(text="Share this article on Facebook\nIt was all over by then, and they were not there.")
    )
    assert "facebook" in counts and "Share this article" in text
    assert words(Article(text="12 34 56 !!"))[1] == Counter()


def test_rows_are_log_counts_in_hashed_columns_and_terms_remember_the_first_word():
    terms: dict[int, str] = {}
    rows = tf_rows([Counter({"ferry": 3, "strike": 1}), Counter({"ferry": 1})], terms)
    assert rows.shape == (2, N_FEATURES)
    assert rows[0, column("ferry")] == pytest.approx(1 + math.log(3))
    assert rows[0, column("strike")] == pytest.approx(1.0)
    assert rows[1].nnz == 1
    assert terms[column("ferry")] == "ferry" and 0 <= column("ferry") < N_FEATURES
    assert rows.has_sorted_indices


def test_idf_is_smoothed_and_rare_terms_weigh_more():
    weights = idf(np.array([0, 1, 3]), 3)
    assert weights.dtype == np.float32
    assert weights.tolist() == pytest.approx([math.log(4) + 1, math.log(2) + 1, 1.0])


def test_weigh_keeps_the_heaviest_terms_of_each_row_normalised():
    tf = sp.csr_matrix(np.array([[1.0, 2.0, 3.0, 0.0], [1.0, 0.0, 0.0, 0.0]], dtype=np.float32))
    weighted = weigh(tf, np.ones(4, dtype=np.float32), top=2)
    assert weighted[0].nnz == 2 and weighted[0, 0] == 0  # the lightest term of row 0 is dropped
    assert np.allclose(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel(), 1.0)
    assert weighted[1, 0] == pytest.approx(1.0)


def test_new_rows_reuse_the_idf_until_the_corpus_has_grown_enough():
    counts = [Counter({f"word{k}": 1, "common": 1}) for k in range(12)]
    tf = tf_rows(counts, {})
    df = np.asarray((tf > 0).sum(axis=0)).ravel().astype(np.int32)
    vectors, weights, docs = refresh(tf[:10], df, None, None, 0, 0)
    assert docs == 10 and vectors.shape[0] == 10
    grown = int(IDF_REFRESH * 10)  # 11 rows: not more than IDF_REFRESH times 10, the same IDF weighs the new row
    more, same, docs_after = refresh(tf[:grown], df, vectors, weights, docs, 10)
    assert same is weights and docs_after == 10 and more.shape[0] == grown
    again, renewed, docs_again = refresh(tf, df, more, same, docs_after, grown)
    assert docs_again == 12 and renewed is not same and again.shape[0] == 12
    assert (refresh(tf, df, None, None, 0, 0)[0] != again).nnz == 0  # as if weighed from scratch
