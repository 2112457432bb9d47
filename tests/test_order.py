from storybrief.brief.order import is_quote, order
from storybrief.brief.represent import represent
from storybrief.types import Article, Sentence


def _story(rows):
    sentences = [Sentence(text=t, article=a, index=i, position=p) for t, a, i, p in rows]
    return sentences, represent(sentences)


def test_leads_come_first_then_later_material():
    sentences, rep = _story([
        ("Officials later said the repair would cost two million euros.", 0, 5, 0.8),
        ("The harbour bridge was closed on Tuesday after a crack was found.", 1, 0, 0.0),
        ("The ferry added crossings for stranded commuters on Wednesday.", 0, 2, 0.4),
    ])
    assert order([0, 1, 2], sentences, [Article("a"), Article("b")], rep) == [1, 2, 0]


def test_quote_follows_the_statement_it_supports():
    sentences, rep = _story([
        ('"Nobody crosses that bridge until it is safe," the mayor said.', 0, 0, 0.0),
        ("The mayor said the bridge would stay closed until it is safe to cross.", 1, 1, 0.3),
        ("Traffic on the ring road backed up for six kilometres.", 1, 0, 0.0),
    ])
    result = order([0, 1, 2], sentences, [Article("a"), Article("b")], rep)
    assert result.index(0) == result.index(1) + 1
    assert result[0] != 0


def test_is_quote():
    assert is_quote('"We will rebuild," she said.')
    assert is_quote('The mayor said: "We will rebuild the bridge and we will do it this year."')
    assert not is_quote('The mayor called it "a disaster" on Monday evening in the town hall.')
