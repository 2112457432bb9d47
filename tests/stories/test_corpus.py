import numpy as np
from story_articles import CHESS, FERRY

from storybrief.stories.copies import signature
from storybrief.stories.corpus import Corpus
from storybrief.stories.neighbours import MUTUAL_K
from storybrief.stories.vectors import column, term_counts


def add(corpus, records, published=None):
    corpus.append(
        [term_counts(r[3]) for r in records], published or [r[2] for r in records], [signature(r[3]) for r in records]
    )


def test_appended_rows_count_documents_times_and_signatures():
    corpus = Corpus()
    add(corpus, FERRY[:2], published=["2025-03-03T08:00:00Z", ""])
    assert len(corpus) == 2
    assert corpus.df[column("ferry")] == 2 and corpus.terms[column("ferry")] == "ferry"
    assert corpus.times[0] == 1740988800.0 and np.isnan(corpus.times[1])  # undated: NaN
    assert corpus.signatures.shape == (2, 128) and corpus.top_similar.shape == (2, MUTUAL_K)
    assert not corpus.top_similar.any()
    assert list(corpus.copy_index().query(signature(FERRY[1][3]))) == [1]  # new rows join the copy index


def test_vectors_follow_the_rows_and_the_idf_is_renewed_as_the_corpus_grows():
    corpus = Corpus()
    add(corpus, FERRY)
    assert corpus.idf_docs == 3 and corpus.vectors().shape[0] == 3
    add(corpus, CHESS)
    assert corpus.idf_docs == 5  # grown by more than 10 %: every row re-weighed
    lengths = np.asarray(corpus.vectors().multiply(corpus.vectors()).sum(axis=1)).ravel()
    assert np.allclose(lengths, 1.0)
    rebuilt = Corpus(corpus.tf, corpus.df, corpus.terms)  # as after loading: weighed on first use
    assert (rebuilt.vectors() != corpus.vectors()).nnz == 0


def test_pairs_link_articles_of_one_story_not_of_two():
    corpus = Corpus()
    add(corpus, FERRY + CHESS)
    found = corpus.pairs(0, 30.0)
    low, high, similarity = found.low[found.story], found.high[found.story], found.similarity[found.story]
    linked = set(zip(low.tolist(), high.tolist()))
    assert {(0, 1), (0, 2), (1, 2), (3, 4)} <= linked
    assert not any(a < 3 <= b for a, b in linked)  # no ferry article is linked to a chess one
    assert set(low.tolist() + high.tolist()) == set(range(5))  # every article has a neighbour
    assert (similarity >= 0.1).all()
