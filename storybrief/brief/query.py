"""A question the brief should answer: sentence value leans toward the query's content words.

A reader may say what they want from a story ("what did the courts decide?"; DUC's topic
statements). The scorer's value says what the story is about; the query moves it toward the
sentences that share the query's content words:

- the query's words are reduced to content words: English stop words and the words of the
  instruction itself ("describe", "discuss", "include", ...: `INSTRUCTION`) carry no topic;
- each sentence's relevance is its TF-IDF cosine with the query, both reduced to rough word
  stems (plurals and -ing/-ed forms meet), IDF fitted on the story's sentences and the query
  together, so a query word the whole story uses weighs little;
- relevance is scaled to the story's most relevant sentence (1), and a sentence's value, counted
  from `SPREADS_BELOW` standard deviations below the story's lowest, is multiplied by 1 + `WEIGHT` ×
  relevance: a relevant sentence the scorer values gains most, yet even the least valued one can
  rise (the floor); the scorer's order still decides between sentences equally close to the query
  (a learned scorer's value is per word: a multiplied value does not favour long sentences as an
  added constant would, DUC 2006 R-2 +0.002 over the additive form);
- when a long story's brief is chosen by concept coverage (`cover`), where the scores only pick
  the pool and break ties, a concept (word pair) holding a query word is worth more
  (`concept_value`, `CONCEPT_BOOST`).

Without a query nothing here runs and the brief is what it was. `WEIGHT` and `CONCEPT_BOOST`
were chosen on DUC 2006 (docs/design-query.md gives the figures).
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storybrief.brief.represent import tfidf
from storybrief.text import CLITIC_WORD

# The story's most relevant sentence is worth (1 + WEIGHT) times its value above the story's
# lowest, counted from SPREADS_BELOW standard deviations of the scores below that lowest value.
WEIGHT = 4.0
SPREADS_BELOW = 1.0
CONCEPT_BOOST = 0.3  # extra worth of a concept per query word it holds
# Words that say what to do rather than what about: in a query they are not topic.
INSTRUCTION = frozenset("""
describe description discuss discussion include including includes identify explain explanation give
provide report reported reports information info details detail specific specifically aspects aspect
tell know find list mention mentioned note noted what when where which who whom whose why how
regarding concerning related relating involving involved efforts effort issues issue
""".split())
MAX_QUERY_CHARS = 2000  # a query is a question, not a document


def stem(word: str) -> str:
    """A rough stem: enough for plurals, -ing and -ed forms to meet their base form."""
    word = word.removesuffix("'s")
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix == "s" and word.endswith("ss")):
            word = word[: len(word) - len(suffix)] + keep
            break
    # "change", "changed" and "changing" all end as "chang"
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def terms(text: str, instruction: bool = False) -> list[str]:
    """The stemmed content words of a text (and, for a query, not its instruction words)."""
    words = (w for w in CLITIC_WORD.findall(text.lower()) if len(w) > 1 and w not in ENGLISH_STOP_WORDS)
    if instruction:
        words = (w for w in words if w not in INSTRUCTION)
    return [stem(w) for w in words]


def content(query: str | None) -> list[str]:
    """The query's stemmed content words (empty: the query says nothing to lean on)."""
    return terms((query or "")[:MAX_QUERY_CHARS], instruction=True)


def relevance(texts: list[str], query: str) -> np.ndarray:
    """Each text's TF-IDF cosine with the query's content words, scaled so the highest is 1
    (all zero when no text shares a word with the query)."""
    asked = content(query)
    if not texts or not asked:
        return np.zeros(len(texts))
    vectors = tfidf([terms(t) for t in texts] + [asked])
    cosine = np.asarray((vectors[:-1] @ vectors[-1].T).todense()).ravel()
    top = float(cosine.max())
    return cosine / top if top > 0 else cosine


def focus(scores: np.ndarray, texts: list[str], query: str) -> np.ndarray:
    """The scores moved toward the sentences close to the query."""
    near = relevance(texts, query)
    low = float(np.min(scores)) if len(scores) else 0.0
    spread = float(np.std(scores)) if len(scores) > 1 else 0.0
    return scores + WEIGHT * near * (scores - low + SPREADS_BELOW * spread)


def concept_value(query: str):
    """Concept coverage's reweighing for a query: a concept (word pair) holding a query word is
    worth (1 + CONCEPT_BOOST) times as much, both words 1 + 2 × CONCEPT_BOOST."""
    asked = set(content(query))

    def value(weight: dict[str, int]) -> dict[str, float]:
        out = {}
        for concept, count in weight.items():
            hits = sum(1 for word in concept.split() if stem(word) in asked)
            out[concept] = count * (1.0 + CONCEPT_BOOST * hits)
        return out

    return value
