"""What a sentence needs from the sentences around it, so a brief can read on its own.

A sentence lifted out of its article can lean on what stood before it: a pronoun or a "he
said" whose person was named there, an "And"/"But" that continues it, a quotation opened or
closed in a neighbouring sentence, a quote with no speaker. These rules detect such openings;
the pipeline then keeps the sentence only with the sentence it leans on, with the name put
back, or not at all (docs/design-readable.md gives each rule with its reason and figures).
The same rules measure briefs in `storybrief evaluate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from storybrief.text import FIRST_PERSON
from storybrief.types import Sentence

# Double quotation marks as they appear in cleaned text and in other systems' output (TeX-style
# `` and '' in DUC-era text, curly quotes in scraped pages). Single quotes are apostrophes too
# often to count.
QUOTE_MARK = re.compile(r'``|\'\'|["“”]')
# Words that take their meaning from an earlier sentence when they open one.
PRONOUNS = frozenset("he she they it his her their its him them these those this that such".split())
# Words and phrases that continue the sentence before. Trimming (trim.py) already cuts "And",
# "But" and "However," where the rest stands alone; these are what is left.
CONNECTIVES = (
    "and", "but", "so", "or", "nor", "yet", "also", "however", "meanwhile", "still", "then", "instead",
    "moreover", "furthermore", "besides", "thus", "therefore", "hence", "nevertheless", "nonetheless",
    "otherwise", "likewise", "similarly", "plus", "again", "in addition", "as a result", "in turn",
    "even so", "by contrast", "in contrast", "on the other hand", "at the same time", "in fact", "indeed",
    "after that", "afterward", "afterwards", "the latter", "the former", "the same",
)
# After these a pronoun or connective opens a self-contained sentence: "This week ...",
# "That year ...", "So far ...", "Yet another ...", "It is unclear whether ...".
STANDS_ALONE_AFTER = {
    "this": "week|weekend|month|year|morning|afternoon|evening|summer|spring|fall|autumn|winter|season|time"
            "|is a developing",
    "that": "week|weekend|month|year|morning|afternoon|evening|day|night",
    "so": "far|-called|called|much|many",
    "yet": "another",
    "still": "image|photos?|life",
    "it": (r"(?:is|was|'s|has been|had been|remains|remained|will be|would be|could be|may be|might be|seems|seemed"
           r"|appears|appeared)\s+(?:not\s+)?(?:\w+\s+){0,2}?(?:that|to|whether|if|how|why|when|who|what|where|unclear"
           r"|unknown|uncertain|too early|raining|snowing)\b"),
}
SPEECH_VERBS = (
    "said|says|say|added|adds|told|tells|explained|explains|continued|continues|noted|notes|wrote|writes|argued|argues"
    "|insisted|insists|recalled|recalls|warned|warns|stressed|stresses|asked|asks|replied|replies|acknowledged"
    "|acknowledges|admitted|admits|went on|declared|announced|suggested|said in a statement|joked|tweeted|posted"
)
_SUBJECTS = "he|she|they"
# "..., he said." / "…," she added / "," they told reporters: the speaker is a pronoun whose person
# was named in another sentence. Also the inverted "…," said he.
PRONOUN_ATTRIBUTION = re.compile(
    rf"(?:[,?!;]\s*(?:''|[\"”])?|''|[\"”])\s*(?:{_SUBJECTS})\s+(?:{SPEECH_VERBS})\b"
    rf"|(?:[,?!]\s*(?:''|[\"”])|''|[\"”])\s*(?:{SPEECH_VERBS})\s+(?:{_SUBJECTS})\b",
    re.I,
)
_LEADING = re.compile(r"^[\s(\[–—-]*")


def quote_marks(text: str) -> int:
    """How many double quotation marks the text holds."""
    if "`" not in text and "''" not in text:  # the common case, counted in C
        return text.count('"') + text.count("“") + text.count("”")
    return len(QUOTE_MARK.findall(text))


def unbalanced(text: str) -> bool:
    """A quotation opens or closes in another sentence: an odd number of double quotation marks."""
    if '"' not in text and "“" not in text and "”" not in text and "`" not in text and "''" not in text:
        return False  # most sentences quote no one
    return quote_marks(text) % 2 == 1


def opens_with_quote(text: str) -> bool:
    stripped = _LEADING.sub("", text)
    return stripped.startswith(('"', "“", "``", "''"))


# STANDS_ALONE_AFTER and the connectives of several words, compiled once.
_STANDS_ALONE = {word: re.compile(rf"\s*(?:{follow})\b", re.I) for word, follow in STANDS_ALONE_AFTER.items()}
_SINGLE_CONNECTIVES = frozenset(c for c in CONNECTIVES if " " not in c)
_PHRASE_FIRST_WORDS = frozenset(c.split()[0] for c in CONNECTIVES if " " in c)
_PHRASE_CONNECTIVE = re.compile(
    r"(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in CONNECTIVES if " " in c) + r")\b", re.I
)
_FIRST_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# "There is only one explanation for such actions", "It was the latest of these attacks": a noun
# pointed back at by "such"/"these"/"those" in the opening words, not a pronoun's place but the
# same need of the sentence before.
_REFERENCE = re.compile(
    r"(?:there|it|this|that|here)\s+(?:is|was|are|were|'s)\b(?:\s+\w+){0,5}?\s+(?:such|these|those)\s+(?!as\b)[a-z]"
    # "The Kremlin denies that, saying ...": an early verb's object pointing back.
    r"|(?:\S+\s+){1,4}?(?:denies|denied|rejects|rejected|confirms|confirmed|disputes|disputed|dismisses|dismissed"
    r"|welcomes|welcomed|condemns|condemned)\s+(?:that|this|it|them)\s*[,.;]",
    re.I,
)
_PRONOUN_SUBJECT = re.compile(r"\b(?:he|she|they)\b", re.I)


def _stands_alone(word: str, rest: str) -> bool:
    follow = _STANDS_ALONE.get(word)
    return follow is not None and bool(follow.match(rest))


def opening(text: str) -> str | None:
    """What the sentence's first words lean on, if anything:

    - "quote": it opens inside someone's quotation, the speaker left for another sentence
      (the whole sentence is a quotation, or it has no "said"-style attribution at all);
    - "attribution": the quotation's speaker is a pronoun ("…," he said);
    - "pronoun", "first_person", "connective": its first word or phrase (outside quotation marks);
    - None: it reads on its own.
    """
    stripped = _LEADING.sub("", text)
    if stripped.startswith(('"', "“", "``", "''")):
        if PRONOUN_ATTRIBUTION.search(stripped):
            return "attribution"
        marks = quote_marks(stripped)
        # A quotation and its named speaker ("…," Peskov said) stands; a quotation alone does not.
        after = QUOTE_MARK.split(stripped, maxsplit=2)
        outside = after[2] if marks >= 2 and len(after) > 2 else ""
        return None if len(outside.split()) >= 2 else "quote"
    if _REFERENCE.match(stripped):
        return "pronoun"
    found = _FIRST_WORD.match(stripped)
    if found:
        first = found.group(0).lower()
        rest = stripped[found.end():]
        if first in _PHRASE_FIRST_WORDS and _PHRASE_CONNECTIVE.match(stripped):
            return "connective"
        if first in _SINGLE_CONNECTIVES and not _stands_alone(first, rest):
            return "connective"
        if first in PRONOUNS and not _stands_alone(first, rest):
            if first in ("that", "this", "these", "those", "such") and rest[:1] == "'":
                return None
            return "pronoun"
        # A first-person opening is inside someone's quotation (or a column): outside quotation
        # marks, the speaker is in another sentence.
        if first in FIRST_PERSON:
            return "first_person"
    # ("…, he said" needs a pronoun subject: most sentences have none, and this test is cheap.)
    if _PRONOUN_SUBJECT.search(stripped) and PRONOUN_ATTRIBUTION.search(stripped):
        return "attribution"
    return None


def is_question(text: str) -> bool:
    return text.rstrip(" \"'”’)").endswith("?")


# Sentences that give background rather than news: they open on what happened before ("In 1998,",
# "Since the war", "For years"), or say what someone has long been or where they were born. Only
# the opening counts: a lead compares with the past all the time ("the largest drop since 1990",
# "last week's vote") and is still the news.
BACKGROUND = re.compile(
    r"^[\s\"'(]*(?:in (?:19|20)\d\d\b|since\b|for (?:years|decades|months)\b|previously\b|historically\b"
    r"|back in\b|in the past\b|years ago\b|decades ago\b|earlier this (?:year|month)\b|last (?:year|month),)"
    r"|\bwas born\b|\b(?:has|have|had) long been\b",
    re.I,
)


def is_background(text: str) -> bool:
    return bool(BACKGROUND.search(text))


def states_news(text: str) -> bool:
    """Fit to open a brief: a statement, not a quotation, a question, background or a sentence
    leaning on one before it."""
    return opening(text) is None and not opens_with_quote(text) and not is_question(text) and not is_background(text)


# --- taking a sentence with what it leans on ---------------------------------------------------

Bundle = tuple[int, ...]  # sentences taken together, indices into the story's sentences, in article order

# A bundle (a sentence with the sentences it needs) longer than this is not worth its budget and
# reads as a paragraph: the sentence is left out instead.
MAX_BUNDLE_SENTENCES = 5
MAX_BUNDLE_WORDS = 150
# A quotation opened in one sentence is looked for closing within this many sentences.
QUOTE_SENTENCES = 4


class _View(Sequence):
    """A read-only sequence whose items are worked out when first asked for."""

    def __init__(self, size: int, item: Callable[[int], object]):
        self._size, self._item = size, item

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._item(k) for k in range(*i.indices(self._size))]
        return self._item(i)


class Context:
    """What each sentence of a story needs from the sentences around it, worked out on demand (a
    brief looks at a few dozen candidates of a story of hundreds of sentences).

    `bundles[i]`: the sentences (indices into `sentences`, itself included, in article order) a
    brief must take with sentence i; None when it cannot be taken so. A sentence that leans on the
    one before it (`opening`) needs that one, which may need its own; the sentences of a quotation
    that runs over several sentences need each other. A sentence with no sentence before it to
    lean on, a quotation that never closes, or a bundle over MAX_BUNDLE_SENTENCES or
    MAX_BUNDLE_WORDS is not taken. A speaker named by a pronoun ("He added...", "..., she said")
    whose name the article gives unambiguously (`named`) leans on nothing: the brief names them.

    `alone[i]`: a sentence whose only need is the sentence it leans on may still be taken by itself
    (select.py values it less: it then reads as a dangling opening); a quotation never is.
    """

    def __init__(self, sentences: list[Sentence]):
        self.sentences = sentences
        self._before = [-1] * len(sentences)  # the sentence before it in its article, when there is one
        self._after = [-1] * len(sentences)  # and the sentence after it
        self._peers: dict[int, list[int]] = {}  # the sentences of its quotation over sentences
        self._fragment: set[int] = set()  # part of a quotation that never closes
        self._kind: dict[int, str | None] = {}
        self._bundle: dict[int, Bundle | None] = {}
        self._named: dict[int, str] = {}
        self._articles: dict[int, list[int]] = {}
        for i, s in enumerate(sentences):
            self._articles.setdefault(s.article, []).append(i)
        for members in self._articles.values():
            members.sort(key=lambda i: sentences[i].index)
            for previous, i in zip(members, members[1:]):
                if sentences[previous].index == sentences[i].index - 1:
                    self._before[i], self._after[previous] = previous, i
            fragments: list[int] = []
            for span in _quote_spans([sentences[i] for i in members], fragments):
                group = [members[p] for p in span]
                for i in group:
                    self._peers[i] = group
            self._fragment.update(members[p] for p in fragments)
        self._known: dict[tuple[int, str], int | None] = {}  # (article, surname): where it is first given in full
        self.bundles: Sequence[Bundle | None] = _View(len(sentences), self.bundle)
        self.alone: Sequence[bool] = _View(len(sentences), self.may_go_alone)

    def kind(self, i: int) -> str | None:
        """`opening` of sentence i, None when it is a pronoun speaker the brief can name."""
        if i not in self._kind:
            kind = opening(self.sentences[i].text)
            if kind is not None and self.named(i) != self.sentences[i].text:
                kind = opening(self.named(i))
            self._kind[i] = kind
        return self._kind[i]

    def bundle(self, i: int) -> Bundle | None:
        if i not in self._bundle:
            self._bundle[i] = self._find_bundle(i)
        return self._bundle[i]

    def _find_bundle(self, i: int) -> Bundle | None:
        seen, stack = {i}, [i]
        while stack:
            j = stack.pop()
            if j in self._fragment:
                return None
            needs = list(self._peers.get(j, ()))
            if self.sentences[j].text.rstrip().endswith(":"):  # it introduces what the next sentence says
                if self._after[j] < 0:
                    return None
                needs.append(self._after[j])
            if self.kind(j) is not None:
                if self._before[j] < 0:
                    return None
                needs.append(self._before[j])
            for k in needs:
                if k not in seen:
                    seen.add(k)
                    stack.append(k)
            if len(seen) > MAX_BUNDLE_SENTENCES:
                return None
        if len(seen) > 1 and sum(self.sentences[j].words for j in seen) > MAX_BUNDLE_WORDS:
            return None
        return tuple(sorted(seen, key=lambda j: self.sentences[j].index))

    def may_go_alone(self, i: int) -> bool:
        if self.sentences[i].text.rstrip().endswith(":"):
            return False
        kind = self.kind(i)
        # A quotation with no speaker never goes alone: out of its article it is nobody's words.
        return kind is not None and kind != "quote" and i not in self._peers and i not in self._fragment

    def named(self, i: int) -> str:
        """Sentence i's text, with a speaker named by a pronoun given the surname its article last
        quoted where that is unambiguous (see SPEAKER_LOOKBACK); otherwise as it stands."""
        if i in self._named:
            return self._named[i]
        text = self.sentences[i].text
        self._named[i] = text
        match = _MAY_NAME_A_SPEAKER.search(text) and _PRONOUN_SPEAKER.search(text)
        if not match:
            return text
        article = self.sentences[i].article
        members = self._articles[article]
        pos = members.index(i)
        for j in reversed(members[max(0, pos - SPEAKER_LOOKBACK):pos]):
            found = {name for name in speakers(self.sentences[j].text) if self._named_in_full(article, name, pos)}
            if found:
                if len(found) == 1:
                    self._named[i] = _named(text, match, found.pop(), self.sentences[j].text)
                break
        return self._named[i]

    def _named_in_full(self, article: int, name: str, pos: int) -> bool:
        """Whether the article gives `name` as a person's surname in full ("Dmitry Peskov") in its
        sentences up to position `pos` (`persons`)."""
        key = (article, name)
        if key not in self._known:
            members = self._articles[article]
            texts = (self.sentences[i].text for i in members)
            self._known[key] = next((k for k, text in enumerate(texts) if name in text and name in persons(text)), None)
        first = self._known[key]
        return first is not None and first <= pos

    def with_names(self, chosen: Iterable[int]) -> list[Sentence]:
        """The story's sentences, the chosen ones with their pronoun speakers named."""
        out = list(self.sentences)
        for i in chosen:
            text = self.named(i)
            if text != out[i].text:
                out[i] = replace(out[i], text=text)
        return out


def context(sentences: list[Sentence]) -> Context:
    return Context(sentences)


def bundles(sentences: list[Sentence]) -> list[Bundle | None]:
    """Every sentence's bundle (see `Context`)."""
    found = Context(sentences)
    return [found.bundle(i) for i in range(len(sentences))]


def _quote_spans(article: list[Sentence], unusable: list[int]) -> list[list[int]]:
    """Runs of positions of one article's sentences that one quotation spans, from the sentence
    that opens it to the one that closes it. A quotation still open at a new paragraph goes on
    when the paragraph opens with a quotation mark (the news convention for a quotation over
    several paragraphs); otherwise, or when no closing mark comes within QUOTE_SENTENCES
    sentences, or at the article's end, its opening sentence is a fragment (`unusable`)."""
    spans: list[list[int]] = []
    start: int | None = None
    for pos, s in enumerate(article):
        odd = unbalanced(s.text)
        if start is not None and s.paragraph != article[pos - 1].paragraph:
            if opens_with_quote(s.text):
                odd = not odd  # that mark reopens the quotation going on, it does not close it
            else:
                unusable.append(start)
                start = None
        if start is None:
            if odd:
                start = pos
            continue
        if odd:
            spans.append(list(range(start, pos + 1)))
            start = None
        elif pos - start + 1 >= QUOTE_SENTENCES:
            unusable.append(start)
            start = None
    if start is not None:
        unusable.append(start)
    return spans


def blocks(chosen: list[int], bundles: list[Bundle | None], sentences: list[Sentence]) -> list[Bundle]:
    """The chosen sentences grouped into the bundles that hold them together (a sentence with what
    it leans on), each in article order, in the order their first sentence was chosen."""
    group = {i: i for i in chosen}

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i in chosen:
        for j in bundles[i] or ():
            if j in group:
                group[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for i in chosen:
        members.setdefault(root(i), []).append(i)
    return [tuple(sorted(m, key=lambda i: sentences[i].index)) for m in members.values()]


# --- putting the name back -------------------------------------------------------------------

# A speaker named by a pronoun ("He added that...", "..., she said") is usually the last person
# quoted in the article; when the nearest earlier sentence (within SPEAKER_LOOKBACK) that names
# a speaker names exactly one, the pronoun becomes that surname, in brackets: the reader sees
# the edit. Names are capitalised words, so lower-cased text (Multi-News, in places) is left as
# it is.
SPEAKER_LOOKBACK = 3
_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*"
# Two or more capitalised words: a person's name, unless one of its words names a place, a body
# or a time.
_FULL_NAME = re.compile(rf"\b{_NAME_WORD}(?:\s+(?:[A-Z]\.\s+)?{_NAME_WORD})+\b")
NOT_PERSON_WORDS = frozenset(
    "The A An This That These Those It He She They We I His Her Their Our In On At For From By With And But Or So "
    "House White Kremlin Ministry Department Office Court Party Council Times Post News Press Agency Union University "
    "College School Inc Corp Company Police Army Navy Government Administration Committee Commission Senate Congress "
    "States Nations Republic Federation Kingdom Street City County Capitol Airport Hospital Church Museum Bank Group "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December Russia Russian America American United US UK EU North South East West "
    "New York Washington London Moscow Beijing China Chinese Europe European Street Twitter Facebook Google "
    "Apple".split()
)
_SPEECH = rf"(?:{SPEECH_VERBS})"
_PRONOUN_SPEAKER = re.compile(
    rf"^(He|She)(\s+(?:also\s+|later\s+|then\s+)?{_SPEECH}\b)"
    rf"|((?:[,?!;]\s*(?:[\"”])?|[\"”])\s*)(he|she)(\s+{_SPEECH}\b)"
)


_MAY_NAME_A_SPEAKER = re.compile(r"^(?:He|She)\b|\b(?:he|she)\s")  # a cheap test before _PRONOUN_SPEAKER


def persons(text: str) -> set[str]:
    """Surnames of the people a text names in full ("Dmitry Peskov" gives "Peskov")."""
    out = set()
    for match in _FULL_NAME.finditer(text):
        words = match.group(0).split()
        if not any(w.strip(".") in NOT_PERSON_WORDS for w in words):
            out.add(words[-1])
    return out


# A capitalised word before a speech verb ("Peskov said", "Peskov, the Kremlin's spokesman, told"),
# and the words after one ("said Kremlin spokesman Dmitry Peskov"): where a speaker's name stands.
_SPEAKER_BEFORE = re.compile(rf"\b([A-Z][\w'-]+)(?:,[^,]{{0,60}},)?\s+(?:has\s+|had\s+|also\s+)?{_SPEECH}\b")
_SPEAKER_AFTER = re.compile(rf"\b{_SPEECH}((?:\s+[\w.'-]+){{1,5}})")


def speakers(text: str, known: set[str] | None = None) -> set[str]:
    """The capitalised words the text has speaking (those of `known` only, when given): "Peskov
    said", "said Kremlin spokesman Dmitry Peskov", "Peskov, the Kremlin's spokesman, told"."""
    found = {m.group(1) for m in _SPEAKER_BEFORE.finditer(text)}
    for m in _SPEAKER_AFTER.finditer(text):
        found |= {w.strip(".,") for w in m.group(1).split() if w[:1].isupper()}
    return found if known is None else found & known


def resolve_speakers(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences with every pronoun speaker named where the article makes it unambiguous."""
    return Context(sentences).with_names(range(len(sentences)))


_TITLED = re.compile(r"\b(Mr|Sir|Mrs|Ms|Miss|Dame)\.?\s+(?:[A-Z][\w'-]*\.?\s+){0,2}([A-Z][\w'-]+)\b")


def _named(text: str, match: re.Match, name: str, source: str) -> str:
    pronoun = (match.group(1) or match.group(4)).lower()
    # A title that says the speaker's sex and a pronoun that says the other: leave it.
    for title, surname in _TITLED.findall(source):
        if surname == name and (pronoun == "she") == (title in ("Mr", "Sir")):
            return text
    if match.group(1):
        return f"[{name}]{match.group(2)}{text[match.end():]}"
    return f"{text[:match.start()]}{match.group(3)}[{name}]{match.group(5)}{text[match.end():]}"
