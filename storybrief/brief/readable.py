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


def bundles(sentences: list[Sentence]) -> list[Bundle | None]:
    """For each sentence, the sentences (indices into `sentences`, itself included, in article
    order) a brief must take with it; None when it cannot be taken at all.

    A sentence that leans on the one before it (`opening`) needs that one, which may need its
    own; the sentences of a quotation that runs over several sentences need each other. A
    sentence with no sentence before it to lean on, a quotation that never closes, or a bundle
    over MAX_BUNDLE_SENTENCES or MAX_BUNDLE_WORDS is not taken.
    """
    needs: list[set[int]] = [set() for _ in sentences]
    unusable = [False] * len(sentences)
    by_article: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        by_article.setdefault(s.article, []).append(i)
    for members in by_article.values():
        members.sort(key=lambda i: sentences[i].index)
        for pos, i in enumerate(members):
            if opening(sentences[i].text) is not None:
                before = members[pos - 1] if pos else None
                if before is None or sentences[before].index != sentences[i].index - 1:
                    unusable[i] = True
                else:
                    needs[i].add(before)
        for span in _quote_spans([sentences[i] for i in members], unusable_at := []):
            group = [members[p] for p in span]
            for i in group:
                needs[i].update(j for j in group if j != i)
        for p in unusable_at:
            unusable[members[p]] = True
    out: list[Bundle | None] = []
    for i in range(len(sentences)):
        seen, stack = {i}, [i]
        while stack:
            for j in needs[stack.pop()]:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        if any(unusable[j] for j in seen) or len(seen) > 1 and (
                len(seen) > MAX_BUNDLE_SENTENCES or sum(sentences[j].words for j in seen) > MAX_BUNDLE_WORDS):
            out.append(None)
        else:
            out.append(tuple(sorted(seen, key=lambda j: sentences[j].index)))
    return out


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
