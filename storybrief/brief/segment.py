"""Split cleaned articles into sentences.

blingfire does the splitting (about 80× faster than pysbd on Multi-News, see docs/design.md);
two repairs cover what it gets wrong on news text: a split inside an open quotation is undone,
and a sentence boundary followed by a lower-case word (Multi-News is lower-cased in places)
is split when the word before the full stop is not an abbreviation.
"""

from __future__ import annotations

import re

import blingfire

from storybrief.brief.clean import without_junk_prefix
from storybrief.brief.trim import trim
from storybrief.text import MIN_WORDS, SENTENCE_END
from storybrief.types import Article, Sentence

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "pres", "rev", "hon", "no", "vs", "etc", "inc", "corp", "co", "ltd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "d.c", "approx", "dept", "est", "fig", "al",
}
# ". lower" boundaries blingfire leaves joined; the word before must not be an abbreviation.
_LOWER_BOUNDARY = re.compile(r"(?<=[a-z0-9)\"'][.!?])(?:[\"'])?\s+(?=[a-z])")
MAX_WORDS = 80
# A short quotation with no speaker ("Let us be patient.") means nothing out of its article.
MIN_BARE_QUOTE_WORDS = 8
_BARE_QUOTE = re.compile(r'^"[^"]+"[.!?]?$|^"[^"]+[.!?]"$')


def is_unfinished(text: str) -> bool:
    """The text stops without ending its sentence. As an article's last sentence, it was cut off
    there (a truncated copy, a paywall): Multi-News truncates every article this way."""
    return not SENTENCE_END.search(text)


def is_bare_quote(text: str) -> bool:
    """The whole sentence is one quotation: whose words they are is in another sentence."""
    return bool(_BARE_QUOTE.match(text))


def is_self_contained(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and not (is_bare_quote(text) and len(text.split()) < MIN_BARE_QUOTE_WORDS)


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        pieces = [p.strip() for p in blingfire.text_to_sentences(paragraph).split("\n") if p.strip()]
        pieces = _rejoin_open_quotes(pieces)
        for piece in pieces:
            sentences.extend(_split_lowercase(piece))
    return sentences


def _rejoin_open_quotes(pieces: list[str]) -> list[str]:
    """Undo splits inside a quotation: `He said: "This is it.` | `We are done."`."""
    out: list[str] = []
    for piece in pieces:
        if out and out[-1].count('"') % 2 == 1 and piece.count('"') % 2 == 1 and len(out[-1].split()) < MAX_WORDS:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _split_lowercase(sentence: str) -> list[str]:
    parts, start = [], 0
    for match in _LOWER_BOUNDARY.finditer(sentence):
        before = sentence[start:match.start()].rstrip("\"'")
        last = before.rsplit(None, 1)[-1].rstrip(".!?").lower() if before.split() else ""
        if last in ABBREVIATIONS or len(last) == 1 or "." in last and len(last) <= 5:
            continue
        if before.count('"') % 2 == 1:  # inside a quotation
            continue
        parts.append(sentence[start:match.start()].strip())
        start = match.end()
    parts.append(sentence[start:].strip())
    return [p for p in parts if p]


def segment(articles: list[Article]) -> list[Sentence]:
    """Every usable sentence of every article, in article order.

    Fragments under MIN_WORDS words, short bare quotations and junk run into the body text are
    left out; very long
    "sentences" (lists, run-ons from missing punctuation) are kept but capped at MAX_WORDS words
    by the selector's budget, not cut here.
    """
    sentences: list[Sentence] = []
    for a, article in enumerate(articles):
        texts = [t for t in _trimmed_sentences(article.text) if is_self_contained(t)]
        for i, text in enumerate(texts):
            sentences.append(Sentence(text=text, article=a, index=i, position=i / max(len(texts), 1)))
    return sentences


def _trimmed_sentences(text: str) -> list[str]:
    """The article's sentences with junk prefixes cut (or junk sentences gone) and trimmed."""
    return [after for _, after in trimmed_pairs(text) if after is not None]


def trimmed_pairs(text: str, rules: frozenset[str] | None = None) -> list[tuple[str, str | None]]:
    """Each sentence left once junk prefixes are cut, with what trimming leaves of it (None: dropped)."""
    out: list[tuple[str, str | None]] = []
    first = True
    for paragraph in text.split("\n"):
        in_quote = False  # a quotation may run over several sentences of a paragraph
        for sentence in split_sentences(paragraph):
            inside, in_quote = in_quote, in_quote ^ (sentence.count('"') % 2 == 1)
            # Junk run into a sentence is cut off the front when the body follows it, else the sentence goes.
            kept = without_junk_prefix(sentence)
            if kept is not None:
                # Datelines, photo credits and dangling connectives cost budget and say nothing.
                out.append((kept, trim(kept, first=first, quoted=inside, rules=rules)))
            first = False
    return out
