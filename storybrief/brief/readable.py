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
from dataclasses import dataclass, replace

from storybrief.types import Sentence

# Double quotation marks as they appear in cleaned text and in other systems' output (TeX-style
# `` and '' in DUC-era text, curly quotes in scraped pages). Single quotes are apostrophes too
# often to count.
QUOTE_MARK = re.compile(r'``|\'\'|["“”]')
# Words that take their meaning from an earlier sentence when they open one.
PRONOUNS = frozenset("he she they it his her their its him them these those this that such".split())
# First-person and second-person words open a sentence inside someone's quotation (or a column's
# author): outside quotation marks, the speaker is in another sentence.
FIRST_PERSON = frozenset("i we my our us me you your".split())
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
    "this": "week|weekend|month|year|morning|afternoon|evening|summer|spring|fall|autumn|winter|season|time|is a developing",
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
_OPENING_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]*")
_LEADING = re.compile(r"^[\s(\[–—-]*")


def quote_marks(text: str) -> int:
    """How many double quotation marks the text holds."""
    return len(QUOTE_MARK.findall(text))


def unbalanced(text: str) -> bool:
    """A quotation opens or closes in another sentence: an odd number of double quotation marks."""
    return quote_marks(text) % 2 == 1


def opens_with_quote(text: str) -> bool:
    stripped = _LEADING.sub("", text)
    return stripped.startswith(('"', "“", "``", "''"))


def _stands_alone(word: str, rest: str) -> bool:
    follow = STANDS_ALONE_AFTER.get(word)
    return bool(follow) and bool(re.match(rf"\s*(?:{follow})\b", rest, re.I))


def opening(text: str) -> str | None:
    """What the sentence's first words lean on, if anything:

    - "quote": it opens inside someone's quotation, the speaker left for another sentence
      (the whole sentence is a quotation, or it has no "said"-style attribution at all);
    - "attribution": the quotation's speaker is a pronoun ("…," he said);
    - "pronoun", "first_person", "connective": its first word or phrase (outside quotation marks);
    - None: it reads on its own.
    """
    stripped = _LEADING.sub("", text)
    if opens_with_quote(stripped):
        if PRONOUN_ATTRIBUTION.search(stripped):
            return "attribution"
        marks = quote_marks(stripped)
        # A quotation and its named speaker ("…," Peskov said) stands; a quotation alone does not.
        after = QUOTE_MARK.split(stripped, maxsplit=2)
        outside = after[2] if marks >= 2 and len(after) > 2 else ""
        return None if len(outside.split()) >= 2 else "quote"
    words = _OPENING_WORDS.findall(stripped[:80])
    if not words:
        return None
    first = words[0].lower()
    rest = stripped[stripped.lower().find(first) + len(first):]
    lowered = " ".join(w.lower() for w in words[:4])
    for phrase in CONNECTIVES:
        if " " in phrase and (lowered + " ").startswith(phrase + " "):
            return "connective"
    if first in CONNECTIVES and not _stands_alone(first, rest):
        # "So" and "Then" also open plain sentences when followed by a comma-less clause? They
        # still point back; only the listed phrases are exempt.
        return "connective"
    if first in PRONOUNS and not _stands_alone(first, rest):
        if first in ("that", "this", "these", "those", "such") and rest[:1] == "'":
            return None
        return "pronoun"
    if first in FIRST_PERSON:
        return "first_person"
    if PRONOUN_ATTRIBUTION.search(stripped):
        return "attribution"
    return None


def is_question(text: str) -> bool:
    return text.rstrip(" \"'”’)").endswith("?")


# Sentences that give background rather than news: what happened before, what someone is known
# for. A brief should not open with one.
BACKGROUND = re.compile(
    r"\b(?:has long|have long|had long|for years|for decades|in recent years|in the past|previously|was born|"
    r"is known for|was known for|had been|earlier this (?:year|month|week)|last (?:year|month)|"
    r"since (?:19|20)\d\d|years ago|decades ago|in (?:19|20)\d\d,)",
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


@dataclass
class Context:
    """What each sentence of a story needs from the sentences around it (see `context`)."""

    bundles: list[Bundle | None]  # the sentences to take with it, itself included; None: not to be taken so
    alone: list[bool]  # it may be taken by itself all the same, leaning on a sentence the brief leaves out


def context(sentences: list[Sentence]) -> Context:
    """For each sentence, the sentences (indices into `sentences`, itself included, in article
    order) a brief must take with it, None when it cannot be taken at all; and whether it may be
    taken by itself all the same.

    A sentence that leans on the one before it (`opening`) needs that one, which may need its
    own; the sentences of a quotation that runs over several sentences need each other. A
    sentence with no sentence before it to lean on, a quotation that never closes, or a bundle
    over MAX_BUNDLE_SENTENCES or MAX_BUNDLE_WORDS is not taken. A sentence whose only need is
    the sentence it leans on may still be taken alone (select.py values it less: it then reads
    as a dangling opening); one that is part of a quotation never is.
    """
    needs: list[set[int]] = [set() for _ in sentences]
    unusable = [False] * len(sentences)
    quoted = [False] * len(sentences)  # part of a quotation over sentences, or of one that never closes
    kinds = [opening(s.text) for s in sentences]
    leans = [k is not None for k in kinds]
    by_article: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        by_article.setdefault(s.article, []).append(i)
    for members in by_article.values():
        members.sort(key=lambda i: sentences[i].index)
        for pos, i in enumerate(members):
            if leans[i]:
                before = members[pos - 1] if pos else None
                if before is None or sentences[before].index != sentences[i].index - 1:
                    unusable[i] = True
                else:
                    needs[i].add(before)
        fragments: list[int] = []
        for span in _quote_spans([sentences[i] for i in members], fragments):
            group = [members[p] for p in span]
            for i in group:
                needs[i].update(j for j in group if j != i)
                quoted[i] = True
        for p in fragments:
            unusable[members[p]] = quoted[members[p]] = True
    bundles: list[Bundle | None] = []
    for i in range(len(sentences)):
        seen, stack = {i}, [i]
        while stack:
            for j in needs[stack.pop()]:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        if any(unusable[j] for j in seen) or len(seen) > 1 and (
                len(seen) > MAX_BUNDLE_SENTENCES or sum(sentences[j].words for j in seen) > MAX_BUNDLE_WORDS):
            bundles.append(None)
        else:
            bundles.append(tuple(sorted(seen, key=lambda j: sentences[j].index)))
    # A quotation with no speaker never goes alone: out of its article it is nobody's words.
    alone = [leans[i] and kinds[i] != "quote" and not quoted[i] and bundles[i] != (i,) for i in range(len(sentences))]
    return Context(bundles, alone)


def bundles(sentences: list[Sentence]) -> list[Bundle | None]:
    """`context(sentences).bundles`."""
    return context(sentences).bundles


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
    "New York Washington London Moscow Beijing China Chinese Europe European Street Twitter Facebook Google Apple".split()
)
_SPEECH = rf"(?:{SPEECH_VERBS})"
_PRONOUN_SPEAKER = re.compile(
    rf"^(He|She)(\s+(?:also\s+|later\s+|then\s+)?{_SPEECH}\b)"
    rf"|((?:[,?!;]\s*(?:[\"”])?|[\"”])\s*)(he|she)(\s+{_SPEECH}\b)"
)


def persons(text: str) -> set[str]:
    """Surnames of the people a text names in full ("Dmitry Peskov" gives "Peskov")."""
    out = set()
    for match in _FULL_NAME.finditer(text):
        words = match.group(0).split()
        if not any(w.strip(".") in NOT_PERSON_WORDS for w in words):
            out.add(words[-1])
    return out


def speakers(text: str, known: set[str]) -> set[str]:
    """The known surnames the text has speaking: "Peskov said", "said Kremlin spokesman Dmitry
    Peskov", "Peskov, the Kremlin's spokesman, told"."""
    out = set()
    for name in known:
        if re.search(rf"\b{name}\b(?:,[^,]{{0,60}},)?\s+(?:has\s+|had\s+|also\s+)?{_SPEECH}\b", text) or re.search(
            rf"\b{_SPEECH}\s+(?:[\w.-]+\s+){{0,4}}?{name}\b", text
        ):
            out.add(name)
    return out


def resolve_speakers(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences with a speaker named by a pronoun ("He added...", "..., she said") given the
    surname the article last quoted, where that is unambiguous (see SPEAKER_LOOKBACK)."""
    out = list(sentences)
    by_article: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        by_article.setdefault(s.article, []).append(i)
    for members in by_article.values():
        if not any(_PRONOUN_SPEAKER.search(sentences[i].text) for i in members):
            continue
        known: set[str] = set()
        for i in members:
            known |= persons(sentences[i].text)
        if not known:
            continue
        for pos, i in enumerate(members):
            match = _PRONOUN_SPEAKER.search(sentences[i].text)
            if not match:
                continue
            for j in reversed(members[max(0, pos - SPEAKER_LOOKBACK):pos]):
                found = speakers(sentences[j].text, known)
                if found:
                    if len(found) == 1:
                        out[i] = replace(sentences[i], text=_named(sentences[i].text, match, found.pop(), sentences[j].text))
                    break
    return out


def _named(text: str, match: re.Match, name: str, source: str) -> str:
    pronoun = (match.group(1) or match.group(4)).lower()
    # A title that says the speaker's sex and a pronoun that says the other: leave it.
    given = r"(?:[A-Z][\w'-]*\.?\s+){0,2}"  # a first name or initial between the title and the surname
    if re.search(rf"\b(?:Mr|Sir)\.?\s+{given}{name}\b", source) and pronoun == "she" or re.search(
        rf"\b(?:Mrs|Ms|Miss|Dame)\.?\s+{given}{name}\b", source
    ) and pronoun == "he":
        return text
    if match.group(1):
        return f"[{name}]{match.group(2)}{text[match.end():]}"
    return f"{text[:match.start()]}{match.group(3)}[{name}]{match.group(5)}{text[match.end():]}"
