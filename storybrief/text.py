"""Shared text primitives: named tokenisers, the end of a sentence, month names, the shortest
sentence, the IDF weight, ids made from text, One definition each."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Container

import numpy as np

# Tokenisers, by what they keep.
WORD = re.compile(r"\w+")  # word characters, any case: shingles, trigrams
CASED_WORD = re.compile(r"[\w'-]+")  # as written, with inner apostrophes and hyphens: surface cues
ROUGE_WORD = re.compile(r"[a-z0-9]+")  # lower-cased letters and digits, as ROUGE tokenises
LOWER_WORD = re.compile(
    r"[a-z0-9][a-z0-9'-]*[a-z0-9]|[a-z0-9]"
)  # lower-cased text: the word vectors' and prior's words
CLITIC_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")  # lower-cased, a clitic kept on ("mayor's"): query terms

# The text ends its sentence: a terminal mark, then closing quotes or brackets.
# Plurals and verb endings off, so "attacks"/"attacked" and "attack" meet (ROUGE compares Porter
# stems); cruder than Porter but far cheaper: one substitution over the text. The look-ahead: every
# suffix starts with e, i or s, so the look-behind is tried only there (the same matches).
CRUDE_SUFFIX = re.compile(r"(?=[eis])(?<=\w{3})(?:ing|ed|es|(?<!s)s)\b")
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
# A month name or its abbreviation, as a regular-expression fragment (case-insensitive use), and
# the stems it starts with.
MONTH_STEM = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
MONTH = rf"{MONTH_STEM}[a-z]*\.?"
# First- and second-person words: a sentence holding them speaks as someone (a quotation, a column).
FIRST_PERSON = frozenset("i we my our us me you your".split())
# The characters re.IGNORECASE takes for an ASCII letter that str.lower() does not make that letter
# (sre's equivalences ı, İ ~ i, ſ ~ s; the Kelvin sign ~ k).
IGNORECASE_FOLD = str.maketrans({"\u0131": "i", "\u0130": "i", "\u017f": "s", "\u212a": "k"})
# Fewer words than this is a fragment, never a sentence (and no trim may leave fewer).
MIN_WORDS = 4


def crude_stems(text: str) -> list[str]:
    """The text's words as concept coverage counts them: ROUGE's tokens of the lower-cased text
    with CRUDE_SUFFIX taken off."""
    return ROUGE_WORD.findall(CRUDE_SUFFIX.sub("", text.lower()))


def ignorecase_lower(text: str) -> str:
    """The text lower-cased after IGNORECASE_FOLD: wherever a case-blind regex matches an ASCII word,
    this holds the word itself (so a plain substring test can rule the regex out)."""
    return (text if text.isascii() else text.translate(IGNORECASE_FOLD)).lower()


def idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's TfidfVectorizer computes it."""
    return (np.log((1 + n_documents) / (1 + document_frequency)) + 1).astype(np.float32)


def text_id(text: str) -> str:
    """A stable article id made from its text, for articles that come without one."""
    return "a" + hashlib.sha1(text.encode()).hexdigest()[:12]


def unique_id(base: str, taken: Container[str], mine: object = None,
              key: Callable[[object], object] | None = None) -> tuple[str, bool]:
    """An article id not yet `taken`: `base`, else the first free one of `base~2`, `base~3`...; and
    False. With `mine` (what tells the article apart, e.g. its text), the walk stops at an id whose
    holder is the same article again (`taken[id]`, through `key` if given, equals `mine`): that id
    and True."""
    candidate, n = base, 1
    while candidate in taken:
        if mine is not None and (key(taken[candidate]) if key else taken[candidate]) == mine:
            return candidate, True
        n += 1
        candidate = f"{base}~{n}"
    return candidate, False


def id_of(line: str, number: int) -> str:
    """The `id` of a JSONL line, or its line number when the line has none or is not JSON."""
    try:
        return str(json.loads(line).get("id", number))
    except (ValueError, AttributeError):
        return str(number)
