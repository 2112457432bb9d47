"""How well a brief reads on its own, measured from its sentences and where each came from.

Three figures, the rules of `storybrief.brief.readable` applied to output text:

- unbalanced quotes: share of brief sentences whose double quotation marks do not pair up (a
  quotation opened or closed in a sentence the brief left out). A sentence that opens a
  quotation and the one that closes it count as paired when the second follows the first in the
  brief as it followed it in its article (with origins unknown: when it follows it in the brief);
- dangling openings: share of brief sentences that open leaning on an earlier sentence (a
  pronoun, "and/but/so", a first-person word outside quotation marks, a quotation whose speaker
  is a pronoun or absent) when the sentence before it in the brief is not the one before it in
  its article (with origins unknown, every such opening counts);
- bad first sentence: share of briefs whose first sentence is a quotation, a question,
  background or such an opening (`readable.states_news` is false).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from storybrief.brief import readable

Origin = tuple[int, int] | None  # (article, sentence index in it), None when unknown


@dataclass
class Readability:
    """Counts over many briefs; shares are the figures reported."""

    briefs: int = 0
    sentences: int = 0
    unbalanced: int = 0
    dangling: int = 0
    bad_first: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, texts: Sequence[str], origins: Sequence[Origin] | None = None) -> None:
        origins = list(origins) if origins is not None else [None] * len(texts)
        if not texts:
            return
        self.briefs += 1
        self.sentences += len(texts)
        self.bad_first += not readable.states_news(texts[0])
        self.unbalanced += len(quote_fragments(texts, origins))
        for k, text in enumerate(texts):
            kind = readable.opening(text)
            if kind is None:
                continue
            here, before = origins[k], origins[k - 1] if k else None
            if here is not None and before is not None and before == (here[0], here[1] - 1):
                continue  # its article's sentence before it is right before it in the brief
            self.dangling += 1
            self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def shares(self) -> dict[str, float]:
        sentences, briefs = max(self.sentences, 1), max(self.briefs, 1)
        return {
            "unbalanced_quotes": self.unbalanced / sentences,
            "dangling_openings": self.dangling / sentences,
            "bad_first_sentence": self.bad_first / briefs,
        }

    def to_dict(self) -> dict:
        return {**self.shares(), "briefs": self.briefs, "sentences": self.sentences,
                "dangling_kinds": dict(sorted(self.kinds.items()))}


def quote_fragments(texts: Sequence[str], origins: Sequence[Origin]) -> list[int]:
    """Positions of the sentences whose quotation opens or closes in a sentence not beside them:
    within each run of sentences that follow each other as in their article, sentences with an
    odd number of quotation marks pair up in turn (one opens, the next closes); the rest are
    fragments."""
    fragments: list[int] = []
    open_at: int | None = None
    for k, text in enumerate(texts):
        here, before = origins[k], origins[k - 1] if k else None
        continues = k > 0 and (here is None or before is None or before == (here[0], here[1] - 1))
        if not continues and open_at is not None:
            fragments.append(open_at)
            open_at = None
        if readable.unbalanced(text):
            open_at = k if open_at is None else None
    if open_at is not None:
        fragments.append(open_at)
    return fragments
