from storybrief.brief.attribute import attribute, figures
from storybrief.brief.represent import represent
from storybrief.types import Article, Sentence


def test_every_supporting_source_and_each_wire_copy_is_cited():
    originals = [Article("x", id="a"), Article("x", id="b"), Article("y", id="c"), Article("z", id="d")]
    # "b" was merged into "a" as a copy.
    merged = [Article("x", id="a", copies=["b"]), Article("y", id="c"), Article("z", id="d")]
    sentences = [
        Sentence("The bridge was closed on Tuesday after engineers found a crack.", 0, 0),
        Sentence("Engineers found a crack, and the bridge was closed on Tuesday.", 1, 0),
        Sentence("The football club postponed its match on Saturday.", 2, 0),
    ]
    cited, sources, _ = attribute([0, 2], sentences, merged, originals, represent(sentences))
    assert [s.id for s in sources] == [1, 2, 3, 4]
    assert cited[0].sources == [1, 2, 3] and cited[0].support == 3
    assert cited[0].origin == {"article": 1, "index": 0}
    assert cited[1].sources == [4] and cited[1].single_source


def test_same_fact_with_different_figures_is_a_disagreement():
    originals = [Article("x", id="a"), Article("y", id="b")]
    sentences = [
        Sentence("The bridge carries about 40,000 vehicles a day between the centre and the suburbs.", 0, 0),
        Sentence("The bridge normally carries around 45,000 vehicles every day to the suburbs.", 1, 0),
    ]
    cited, _, disagreements = attribute([0], sentences, originals, originals, represent(sentences))
    assert disagreements and disagreements[0]["source"] == 2
    assert disagreements[0]["figures"] == [["40000"], ["45000"]]
    assert cited[0].sources == [1]


def test_figures_ignore_years():
    assert figures("In 2016, 3,500 people and 12.5% of voters in 1999") == {"3500", "12.5"}


def test_a_longer_sentence_that_contains_the_fact_supports_it():
    originals = [Article("x", id="a"), Article("y", id="b"), Article("z", id="c")]
    sentences = [
        Sentence("The mayor said the harbour bridge will reopen in May after repairs to a cracked girder.", 0, 0),
        Sentence("While traffic chaos gripped the ring road, ferry queues grew at both terminals all week and "
                 "shopkeepers counted their losses, the mayor said the harbour bridge will reopen in May after repairs "
                 "to the cracked girder, according to officials briefed on engineering plans.", 1, 0),
        Sentence("The mayor of the harbour town opened a new school in May.", 2, 0),
    ]
    rep = represent(sentences)
    assert rep.neighbours[0, 1] < 0.5  # not a paraphrase by cosine alone
    cited, _, _ = attribute([0], sentences, originals, originals, rep)
    assert cited[0].sources == [1, 2]


def test_coverage_is_the_same_on_dense_and_sparse_rows(monkeypatch):
    import storybrief.brief.represent as represent_module
    from storybrief.brief.attribute import coverage
    from storybrief.brief.represent import represent
    from storybrief.types import Sentence

    texts = [
        "The council approved the new budget for schools on Monday night.",
        "On Monday night the council approved a budget for the schools, officials said.",
        "Teachers welcomed the decision.",
    ]
    sentences = [Sentence(text=t, article=a, index=0) for a, t in enumerate(texts)]
    dense = represent(sentences)
    assert dense.dense is not None  # made on first use, here before the limit is lowered
    monkeypatch.setattr(represent_module, "DENSE_CELLS", 0)
    sparse = represent(sentences)
    assert sparse.dense is None
    for i in range(3):
        for j in range(3):
            assert abs(coverage(dense, i, j) - coverage(sparse, i, j)) < 1e-6
    assert coverage(dense, 0, 1) > 0.5 > coverage(dense, 0, 2)


def test_an_articles_last_sentence_that_stops_mid_way_is_marked_cut():
    originals = [Article("x", id="a"), Article("y", id="b")]
    sentences = [
        Sentence("Key findings from the council report", 0, 0),  # a heading inside the article: not cut
        Sentence("The council approved the budget on Monday.", 0, 1),
        Sentence("The new budget gives the schools about", 0, 2),  # the article stops here
        Sentence("Teachers said they welcomed the decision.", 1, 0),
        Sentence("The union will meet on Friday to discuss it.", 1, 1),
    ]
    cited, _, _ = attribute([0, 1, 2, 3, 4], sentences, originals, originals, represent(sentences))
    assert [s.cut for s in cited] == [False, False, True, False, False]
