from storybrief.brief.order import is_quote, order
from storybrief.brief.represent import represent
from storybrief.types import Article, Sentence


def _story(rows):
    sentences = [Sentence(text=t, article=a, index=i, position=p) for t, a, i, p in rows]
    return sentences, represent(sentences)


def test_leads_come_first_then_later_material():
    sentences, rep = _story(
        [
            ("Officials later said the repair would cost two million euros.", 0, 5, 0.8),
            ("The harbour bridge was closed on Tuesday after a crack was found.", 1, 0, 0.0),
            ("The ferry added crossings for stranded commuters on Wednesday.", 0, 2, 0.4),
        ]
    )
    assert order([0, 1, 2], sentences, [Article("a"), Article("b")], rep) == [1, 2, 0]


def test_quote_follows_the_statement_it_supports():
    sentences, rep = _story(
        [
            ('"Nobody crosses that bridge until it is safe," the mayor said.', 0, 0, 0.0),
            ("The mayor said the bridge would stay closed until it is safe to cross.", 1, 1, 0.3),
            ("Traffic on the ring road backed up for six kilometres.", 1, 0, 0.0),
        ]
    )
    result = order([0, 1, 2], sentences, [Article("a"), Article("b")], rep)
    assert result.index(0) == result.index(1) + 1
    assert result[0] != 0


def test_a_quote_follows_the_statement_that_names_its_speaker():
    sentences, rep = _story(
        [
            ("The harbour bridge was closed on Tuesday after a crack was found in a girder.", 0, 0, 0.0),
            ("The bridge carries about 40,000 vehicles a day to the northern suburbs.", 0, 3, 0.6),
            ('"Nobody crosses that bridge until I am certain it is safe," Brandt told reporters.', 0, 2, 0.4),
            ("Mayor Ilse Brandt said an assessment could take at least two weeks.", 1, 1, 0.5),
        ]
    )
    result = order([0, 1, 2, 3], sentences, [Article("a"), Article("b")], rep)
    assert result.index(2) == result.index(3) + 1  # after Brandt is introduced, not after the bridge's traffic
    # Without the naming statement the quote goes with the statement it is most similar to.
    assert order([0, 1, 2], sentences, [Article("a"), Article("b")], rep).index(2) > 0


def test_is_quote():
    assert is_quote('"We will rebuild," she said.')
    assert is_quote('The mayor said: "We will rebuild the bridge and we will do it this year."')
    assert not is_quote('The mayor called it "a disaster" on Monday evening in the town hall.')


def test_the_newest_days_lead_opens_then_the_rest_reads_in_date_order():
    sentences, rep = _story(
        [
            ("The council approved the new budget for the harbour district on Friday.", 0, 0, 0.0),
            ("The harbour district budget was first proposed by the mayor in March.", 1, 0, 0.0),
            ("Harbour traders asked the mayor for lower fees at a meeting in April.", 2, 0, 0.0),
        ]
    )
    articles = [
        Article("a", published="2024-05-10"),
        Article("b", published="2024-03-02"),
        Article("c", published="2024-04-11"),
    ]
    assert order([0, 1, 2], sentences, articles, rep) == [0, 1, 2]
    # The same facts with the dates swapped round: the newest is now the March sentence's article.
    articles = [
        Article("a", published="2024-03-02"),
        Article("b", published="2024-05-10"),
        Article("c", published="2024-04-11"),
    ]
    assert order([0, 1, 2], sentences, articles, rep) == [1, 0, 2]


def test_undated_articles_follow_dated_ones_then_keep_input_order():
    sentences, rep = _story(
        [
            ("A new ferry timetable starts on Monday for the island routes.", 0, 0, 0.0),
            ("Island residents asked for an earlier morning crossing to the mainland.", 1, 0, 0.0),
            ("The ferry company said extra crossings would cost nine million euros.", 2, 0, 0.0),
        ]
    )
    articles = [Article("a"), Article("b", published="2024-01-01"), Article("c")]
    assert order([2, 0, 1], sentences, articles, rep) == [1, 0, 2]


def test_position_outranks_the_date_of_the_article():
    sentences, rep = _story(
        [
            ("Background: the bridge opened in 1931 and was last repaired in 1998.", 0, 6, 0.9),
            ("The bridge reopened to traffic on Monday after two weeks of repairs.", 1, 0, 0.0),
        ]
    )
    articles = [Article("a", published="2020-01-01"), Article("b", published="2024-01-01")]
    assert order([0, 1], sentences, articles, rep) == [1, 0]


def test_an_unrelated_quote_stays_after_a_statement_of_its_own_article():
    sentences, rep = _story(
        [
            ("The ferry company added two crossings a day for stranded commuters.", 0, 0, 0.0),
            ("Engineers found a crack in a main girder of the harbour bridge.", 1, 0, 0.0),
            ('"Glorious weather for sailing," a passenger told reporters on deck.', 0, 3, 0.6),
        ]
    )
    result = order([0, 1, 2], sentences, [Article("a"), Article("b")], rep)
    assert result[0] != 2 and result.index(2) == result.index(0) + 1


def test_only_quotes_are_kept_in_their_own_order():
    sentences, rep = _story(
        [
            ('"We will rebuild the bridge this year," the mayor said.', 0, 2, 0.5),
            ('"Nobody crosses until it is safe," the engineer said.', 1, 0, 0.0),
        ]
    )
    assert order([0, 1], sentences, [Article("a"), Article("b")], rep) == [1, 0]


def test_the_brief_opens_with_a_statement_of_news_not_a_quote_pronoun_or_question():
    sentences, rep = _story(
        [
            ("He said the crossing would stay closed for at least a week.", 0, 0, 0.0),
            ("Will the island ferry run again before the summer season starts?", 1, 0, 0.0),
            ("The island ferry ran aground in thick fog on Tuesday morning.", 2, 1, 0.2),
        ]
    )
    result = order([0, 1, 2], sentences, [Article("a"), Article("b"), Article("c")], rep)
    assert result[0] == 2


def test_a_bundle_stays_together_in_article_order():
    sentences, rep = _story(
        [
            ("Kremlin spokesman Dmitry Peskov spoke to reporters on Saturday.", 0, 3, 0.5),
            ("He said the two presidents would talk by phone next week.", 0, 4, 0.6),
            ("The Kremlin said Putin was ready to meet the new president.", 1, 0, 0.0),
        ]
    )
    result = order([1, 0, 2], sentences, [Article("a"), Article("b")], rep, blocks=[(0, 1), (2,)])
    assert result == [2, 0, 1]


def test_undated_articles_that_share_no_paraphrase_are_told_one_thread_after_another():
    sentences, rep = _story(
        [
            ("The Kremlin said Putin was ready to meet the new US president within months.", 0, 0, 0.0),
            ("Putin was ready to meet the new US president within months, the Kremlin said.", 1, 0, 0.0),
            ("In November the two leaders agreed by phone to normalise relations.", 2, 0, 0.0),
            ("The Kremlin spokesman said preparations for a meeting would take time.", 0, 3, 0.3),
            ("The November call was the first contact since the election result.", 2, 2, 0.4),
        ]
    )
    result = order([0, 2, 3, 4], sentences, [Article("a"), Article("b"), Article("c")], rep)
    assert result == [0, 3, 2, 4]  # the opener's thread first, the other thread after it, not interleaved
