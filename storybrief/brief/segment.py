"""Split cleaned articles into sentences.

blingfire does the splitting (about 80× faster than pysbd on Multi-News, see docs/design.md);
two repairs cover what it gets wrong on news text: a split inside an open quotation is undone,
and a sentence boundary followed by a lower-case word (Multi-News is lower-cased in places)
is split when the word before the full stop is not an abbreviation.
"""

from __future__ import annotations

import ctypes
import re
import threading

import blingfire

from storybrief.brief.clean import without_junk_prefix
from storybrief.brief.trim import trim
from storybrief.text import MIN_WORDS, SENTENCE_END
from storybrief.types import Article, Sentence

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "cmdr",
    "adm",
    "maj",
    "pres",
    "rev",
    "hon",
    "no",
    "vs",
    "etc",
    "inc",
    "corp",
    "co",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mt",
    "ft",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "d.c",
    "approx",
    "dept",
    "est",
    "fig",
    "al",
}
# ". lower" boundaries blingfire leaves joined; the word before must not be an abbreviation.
# Also a quotation opening after a full stop: `. "lower` (Multi-News) and `."Word` with the mark
# glued to the next word (a pairing its detokenised quotes get wrong); the mark goes with the
# sentence it opens, not the one before (else both read as quote fragments).
_LOWER_BOUNDARY = re.compile(r"(?<=[a-z0-9)\"'][.!?])(?:[\"'])?\s+(?=[a-z])")
_QUOTE_BOUNDARY = re.compile(
    r"(?<=[a-z0-9)\"'][.!?])(?:[\"'])?\s+(?=[a-z])|(?<=[a-z0-9)][.!?])(?:\s+(?=\"[a-z])|(?=\"[A-Za-z]))"
)
MAX_WORDS = 80
QUOTE_PIECES = 5  # a quotation is looked for over this many pieces of one paragraph
# A short quotation with no speaker ("Let us be patient.") means nothing out of its article.
MIN_BARE_QUOTE_WORDS = 8
_BARE_QUOTE = re.compile(r'^"[^"]+"[.!?]?$|^"[^"]+[.!?]"$')


def quote_parity(text: str) -> bool:
    """The text opens or closes a quotation it does not also close or open: an odd count of '"'."""
    return text.count('"') % 2 == 1


def is_unfinished(text: str) -> bool:
    """The text stops without ending its sentence. As an article's last sentence, it was cut off
    there (a truncated copy, a paywall): Multi-News truncates every article this way."""
    return not SENTENCE_END.search(text)


# A cut sentence keeps at least this many words when cut back to before its open quotation.
MIN_CUT_WORDS = 8


def before_open_quote(text: str) -> str:
    """A sentence cut off inside a quotation (its article stops there), cut back to before the
    quotation opens: the quotation would never close. Unchanged when its quotes pair up or when
    too little would be left (MIN_CUT_WORDS)."""
    if not quote_parity(text):
        return text
    head = text[: text.rindex('"')].rstrip(" ,;:-—–")
    return head if len(head.split()) >= MIN_CUT_WORDS and not quote_parity(head) else text


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
        pieces = [p.strip() for p in _text_to_sentences(paragraph).split("\n") if p.strip()]
        pieces = _rejoin_open_quotes(pieces)
        split = [part for piece in pieces for part in _split_lowercase(piece)]
        sentences.extend(split)
    return sentences


_TEXT_TO_SENTENCES = blingfire.blingfire.TextToSentences  # the library's C function (blingfire is pinned)
_BUFFERS = threading.local()  # one output buffer a thread, grown as needed


def _text_to_sentences(text: str) -> str:
    """`blingfire.text_to_sentences(text)`, the same string, with the output buffer reused: the
    wrapper makes a new ctypes buffer type for every new length (most of its time on short
    paragraphs). As there, the C function is given twice the input's bytes, zeroed, and the output
    is read up to its first NUL."""
    data = text.encode("utf-8")
    capacity = len(data) * 2
    buffer = getattr(_BUFFERS, "buffer", None)
    if buffer is None or len(buffer) <= capacity:
        buffer = _BUFFERS.buffer = ctypes.create_string_buffer(max(capacity + 1, 1 << 16))
    ctypes.memset(buffer, 0, capacity + 1)  # a NUL after the capacity too: `.value` stops where it would
    length = _TEXT_TO_SENTENCES(
        ctypes.c_char_p(data), ctypes.c_int(len(data)), ctypes.byref(buffer), ctypes.c_int(capacity)
    )
    if length == -1 or length > capacity:
        return ""
    return buffer.value.decode("utf-8")


def _rejoin_open_quotes(pieces: list[str]) -> list[str]:
    """Undo splits inside a quotation: `He said: "This is it.` | `Then we go.` | `We are done."`.

    A piece that opens a quotation is joined with the pieces up to the one that closes it, when
    that one comes within QUOTE_PIECES pieces and the whole stays within MAX_WORDS words; a stray
    mark with no closing one near leaves the pieces as they are (readable.py decides on them).
    """
    out: list[str] = []
    k = 0
    while k < len(pieces):
        piece = pieces[k]
        if quote_parity(piece):
            words = len(piece.split())
            for end in range(k + 1, min(k + QUOTE_PIECES, len(pieces))):
                words += len(pieces[end].split())
                if words > MAX_WORDS:
                    break
                if quote_parity(pieces[end]):
                    piece = " ".join(pieces[k : end + 1])
                    k = end
                    break
        out.append(piece)
        k += 1
    return out


def _split_lowercase(sentence: str) -> list[str]:
    parts, start = [], 0
    for match in (_QUOTE_BOUNDARY if '"' in sentence else _LOWER_BOUNDARY).finditer(sentence):
        before = sentence[start : match.start()].rstrip("\"'")
        last = before.rsplit(None, 1)[-1].rstrip(".!?").lower() if before.split() else ""
        if last in ABBREVIATIONS or len(last) == 1 or "." in last and len(last) <= 5:
            continue
        if before.count('"') % 2 == 1:  # inside a quotation
            continue
        parts.append(sentence[start : match.start()].strip())
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
        kept = [(t, p) for t, p in _trimmed_sentences(article.text) if is_self_contained(t)]
        if kept and is_unfinished(kept[-1][0]):
            kept[-1] = (before_open_quote(kept[-1][0]), kept[-1][1])
        for i, (text, paragraph) in enumerate(kept):
            position = i / max(len(kept), 1)
            sentences.append(Sentence(text=text, article=a, index=i, position=position, paragraph=paragraph))
    return sentences


def _trimmed_sentences(text: str) -> list[tuple[str, int]]:
    """The article's sentences with junk prefixes cut (or junk sentences gone) and trimmed, each
    with the number of its paragraph."""
    return [(after, paragraph) for _, after, paragraph in _trimmed(text) if after is not None]


def trimmed_pairs(text: str, rules: frozenset[str] | None = None) -> list[tuple[str, str | None]]:
    """Each sentence left once junk prefixes are cut, with what trimming leaves of it (None: dropped)."""
    return [(kept, after) for kept, after, _ in _trimmed(text, rules)]


def _trimmed(text: str, rules: frozenset[str] | None = None) -> list[tuple[str, str | None, int]]:
    out: list[tuple[str, str | None, int]] = []
    first = True
    for number, paragraph in enumerate(text.split("\n")):
        in_quote = False  # a quotation may run over several sentences of a paragraph
        for sentence in split_sentences(paragraph):
            inside, in_quote = in_quote, in_quote ^ quote_parity(sentence)
            # Junk run into a sentence is cut off the front when the body follows it, else the sentence goes.
            kept = without_junk_prefix(sentence)
            if kept is not None:
                # Datelines, photo credits and dangling connectives cost budget and say nothing.
                out.append((kept, trim(kept, first=first, quoted=inside, rules=rules), number))
            first = False
    return out
