from storybrief.brief.attribute import attribute, figure_phrase, figures, refused
from storybrief.brief.represent import represent
from storybrief.types import Article, Sentence

CLAIM = "The bridge was closed on Tuesday after engineers found a crack."


def test_every_supporting_source_and_each_wire_copy_that_carries_the_sentence_is_cited():
    originals = [Article(CLAIM, id="a"), Article(CLAIM + " Traffic was diverted.", id="b"), Article("y", id="c"),
                 Article("z", id="d")]
    # "b" was merged into "a" as a copy; it carries the sentence word for word.
    merged = [Article(CLAIM, id="a", copies=["b"]), Article("y", id="c"), Article("z", id="d")]
    sentences = [
        Sentence(CLAIM, 0, 0),
        Sentence("Engineers found a crack, and the bridge was closed on Tuesday.", 1, 0),
        Sentence("The football club postponed its match on Saturday.", 2, 0),
    ]
    cited, sources, _ = attribute([0, 2], sentences, merged, originals, represent(sentences))
    assert [s.id for s in sources] == [1, 2, 3, 4]
    assert cited[0].sources == [1, 2, 3] and cited[0].support == 3
    assert cited[0].origin == {"article": 1, "index": 0}
    assert cited[1].sources == [4] and cited[1].single_source
    # every citation with its evidence: the sentence of that source that reports it
    assert set(cited[0].evidence) == {1, 2, 3}
    assert cited[0].evidence[2] == {"article": 2, "index": 0, "text": CLAIM}
    assert cited[0].evidence[3]["text"].startswith("Engineers found a crack")


def test_a_wire_copy_is_not_credited_for_what_only_its_merged_version_says():
    """Issue 14's fire: a short update shares the lead with the long version, nothing more."""
    lead = "A fire swept through a crowded dance hall in the harbour district late on Friday, officials said."
    long_version = (lead + "\nBinan Atta was walking to the association when he saw the flames.\n"
                    "The dance was on the second floor of the building.\n")
    update = lead + "\nPolice have not said what caused the fire.\n"
    originals = [Article(long_version, id="long"), Article(update, id="update")]
    merged = [Article(long_version, id="long", copies=["update"])]
    sentences = [Sentence(t, 0, k) for k, t in enumerate(long_version.strip().split("\n"))]
    cited, _, _ = attribute([0, 1, 2], sentences, merged, originals, represent(sentences))
    assert cited[0].sources == [1, 2]  # the update carries the lead
    assert cited[1].sources == [1] and cited[2].sources == [1]  # and nothing else


def test_versions_with_other_figures_are_a_dated_disagreement_not_a_citation():
    first = "At least 180 people were injured in the fire, police said.\nThe hall was built in 1950.\n"
    later = "The fire injured 162 people, police said.\nThe hall was built in 1950.\n"
    originals = [Article(first, id="one", published="1998-10-30"), Article(later, id="six", published="1998-10-31")]
    merged = [Article(first, id="one", copies=["six"])]
    sentences = [Sentence(t, 0, k) for k, t in enumerate(first.strip().split("\n"))]
    cited, _, disagreements = attribute([0, 1], sentences, merged, originals, represent(sentences))
    assert cited[0].sources == [1] and cited[1].sources == [1, 2]
    [d] = disagreements
    assert d["source"] == 2 and d["kind"] == "figures" and d["sentence"] == 0
    assert d["values"] == [["At least 180 people"], ["162 people"]]
    assert d["evidence"] == {"article": 2, "index": 0, "text": "The fire injured 162 people, police said."}
    assert d["published"] == {"1": "1998-10-30", "2": "1998-10-31"}


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


def test_another_name_in_the_same_place_is_a_disagreement():
    from storybrief.brief.attribute import differences

    mine = "Police said the suspect, John Carver, was arrested at his home in Dayton on Friday."
    theirs = "Police said the suspect, Mark Carver, was arrested at his home in Dayton on Friday."
    assert differences(mine, theirs, 0.8) == {"kind": "names", "values": [["john"], ["mark"]]}
    # a name the other sentence simply leaves out is not a disagreement
    assert differences(mine, "Police said the suspect was arrested at his home in Dayton on Friday.", 0.8) is None
    # nor are names far apart in the sentence (other roles)
    assert differences("Smith met the mayor in Dayton.", "The mayor met Jones at the hall.", 0.8) is None


def test_another_date_for_the_same_event_is_a_disagreement_weekdays_are_not():
    from storybrief.brief.attribute import dates, differences

    assert dates("The plant closed on Jan. 5, 1998 and again on 7 March.") == {"5 jan", "1998", "7 mar"}
    d = differences("The plant closed on March 3 after the leak.", "The plant closed on March 5 after the leak.", 0.8)
    assert d == {"kind": "dates", "values": [["3 mar"], ["5 mar"]]}
    monday, tuesday = "The plant closed on Monday after the leak.", "The plant closed on Tuesday after the leak."
    assert differences(monday, tuesday, 0.8) is None
    # too dissimilar to be the same fact: no disagreement claimed
    assert differences("The plant closed on March 3.", "A new school opened on March 5.", 0.3) is None


def test_a_name_disagreement_is_listed_with_its_evidence_not_cited():
    originals = [Article("x", id="a"), Article("y", id="b")]
    sentences = [
        Sentence("Police said the suspect, John Carver, was arrested at his home in Dayton on Friday night.", 0, 0),
        Sentence("Police said the suspect, Mark Carver, was arrested at his home in Dayton on Friday night.", 1, 3),
    ]
    cited, _, disagreements = attribute([0], sentences, originals, originals, represent(sentences))
    assert cited[0].sources == [1]
    [d] = disagreements
    assert d["kind"] == "names" and d["evidence"] == {"article": 2, "index": 3, "text": sentences[1].text}


def _cited(claim: str, candidate: str) -> list[int]:
    originals = [Article(claim, id="a"), Article(candidate, id="b"), Article("z", id="c")]
    sentences = [Sentence(claim, 0, 0), Sentence(candidate, 1, 0),
                 Sentence("The football club postponed its match on Saturday.", 2, 0)]
    cited, _, _ = attribute([0], sentences, originals, originals, represent(sentences))
    return cited[0].sources


def test_the_same_words_with_another_figure_are_not_credited():
    claim = "The storm killed 14 people and left 200,000 homes without power across the region on Monday."
    other = "The storm killed 12 people and left 200,000 homes without power across the region on Monday."
    assert refused(claim, other, 0.9) and not refused(claim, claim, 1.0)
    assert _cited(claim, other) == [1]


def test_a_paraphrase_in_other_words_is_credited():
    claim = "The Harbour Bridge was closed on Tuesday after engineers found a crack in one of its main steel girders."
    paraphrase = "Inspectors discovered a crack in a main girder of the Harbour Bridge, which was shut on Tuesday."
    assert _cited(claim, paraphrase) == [1, 2]


def test_a_figure_is_quoted_as_the_sentence_writes_it():
    assert figure_phrase("The bridge carries around 45,000 vehicles a day.", "45000") == "around 45,000 vehicles"
    assert figure_phrase("Officials counted 45000 cars.", "45000") == "45000 cars"
    assert figure_phrase("About 1,250,000 people live there.", "1250000") == "About 1,250,000 people"
    # Not a part of a longer figure.
    assert figure_phrase("It cost 145,000 dollars.", "45000") == "45000"
    assert figure_phrase("It cost 45,0001 dollars.", "45000") == "45000"
