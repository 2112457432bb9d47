"""Peer summarizers for the evaluation: classic extractive baselines and the ROUGE oracle.

Every peer ranks the *same* sentences StoryBrief selects from (the output of its clean →
dedupe → segment stages), so a difference in ROUGE is a difference in ranking, not in sentence
splitting or boilerplate removal. A peer only ranks; `fit_budget` turns a ranking into a
summary under the one budget rule every system obeys (see `fit_budget`).

sumy and summa come from the optional `storybrief[bench]` extra and are imported only when a
peer that needs them is built, so the core install never imports them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from storybrief.errors import StoryBriefError
from storybrief.types import Sentence

BENCH_HINT = "install the bench extra: pip install 'storybrief[bench]'"


class MissingExtraError(StoryBriefError):
    """An optional dependency of the evaluation is not installed."""


def require(module: str, purpose: str):
    """Import an optional module or fail with one line naming the extra that provides it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(f"{purpose} needs the '{module.split('.')[0]}' package; {BENCH_HINT}") from exc


def word_count(text: str) -> int:
    """Words as every part of StoryBrief counts them: whitespace-separated tokens."""
    return len(text.split())


def fit_budget(ranking: Sequence[int], lengths: Sequence[int], words: int) -> list[int]:
    """The budget rule shared by every system: take sentences in rank order while they fit.

    A sentence longer than what is left is skipped and the walk goes on, so a shorter sentence
    further down can still use the rest; the total never exceeds `words`, and no sentence is cut.
    Returns the chosen indices in rank order.
    """
    chosen: list[int] = []
    seen: set[int] = set()
    left = words
    for i in ranking:
        i = int(i)
        if i in seen:
            continue
        seen.add(i)
        if lengths[i] <= left:
            chosen.append(i)
            left -= lengths[i]
            if left == 0:
                break
    return chosen


class Peer(Protocol):
    """A ranker: the indices of `sentences`, best first. It may leave sentences out."""

    name: str

    def rank(self, sentences: list[Sentence], reference: str = "") -> list[int]: ...


class LeadPeer:
    """Round-robin first sentences: every article's first sentence, then every second one, ..."""

    name = "lead"

    def rank(self, sentences: list[Sentence], reference: str = "") -> list[int]:
        return sorted(range(len(sentences)), key=lambda i: (sentences[i].index, sentences[i].article))


# --- sumy -------------------------------------------------------------------------------------

# sumy's own word filter: a token is a word when it starts with a letter and holds only letters,
# apostrophes and hyphens.
_SUMY_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*", re.UNICODE)


class SumyTokenizer:
    """A sumy tokenizer that needs no NLTK data download.

    sumy's `Tokenizer("english")` loads NLTK's punkt model, which is not installed with nltk and
    would have to be downloaded. Sentences here are StoryBrief's own (so peers see what it
    sees); words are split with a regex that keeps the tokens sumy's tokenizer would keep.
    """

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from storybrief.brief.segment import split_sentences

        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_SUMY_WORD.findall(sentence))


class SumyPeer:
    """One sumy summarizer, asked for its full ranking rather than its top-k in document order.

    sumy summarizers compute a rating for every sentence and then keep the top `count` in
    document order; a small subclass hook returns all sentences by rating instead, so the
    budget rule, not sumy's sentence count, decides the length.
    """

    SUMMARIZERS = {
        "lexrank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
        "textrank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
        "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
        "sumbasic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    }

    def __init__(self, algorithm: str):
        if algorithm not in self.SUMMARIZERS:
            raise StoryBriefError(f"unknown sumy summarizer {algorithm!r}; choose from: {', '.join(self.SUMMARIZERS)}")
        module, cls = self.SUMMARIZERS[algorithm]
        base = getattr(require(module, f"the {algorithm} baseline"), cls)
        stemmers = require("sumy.nlp.stemmers", "the sumy baselines")
        utils = require("sumy.utils", "the sumy baselines")
        dom = require("sumy.models.dom", "the sumy baselines")

        class Ranking(base):  # type: ignore[misc, valid-type]
            @staticmethod
            def _get_best_sentences(sentences, count, rating, *args, **kwargs):
                # Rate each sentence once, in document order: LSA's rating is a stateful iterator.
                if isinstance(rating, dict):
                    ratings = [rating[s] for s in sentences]
                else:
                    ratings = [rating(s, *args, **kwargs) for s in sentences]
                ratings = [float("-inf") if r != r else r for r in ratings]  # NaN ranks last
                order = sorted(range(len(sentences)), key=lambda o: (-ratings[o], o))
                return tuple(sentences[o] for o in order)

        self.name = f"{algorithm} (sumy)"
        self._summarizer = Ranking(stemmers.Stemmer("english"))
        self._summarizer.stop_words = utils.get_stop_words("english")
        self._dom = dom
        self._tokenizer = SumyTokenizer()

    def document(self, sentences: list[Sentence]):
        """A sumy document of our sentences, one paragraph per article."""
        dom, paragraphs, current, article = self._dom, [], [], None
        for s in sentences:
            if article is not None and s.article != article:
                paragraphs.append(dom.Paragraph(current))
                current = []
            current.append(dom.Sentence(s.text, self._tokenizer))
            article = s.article
        if current:
            paragraphs.append(dom.Paragraph(current))
        return dom.ObjectDocumentModel(paragraphs)

    def rank(self, sentences: list[Sentence], reference: str = "") -> list[int]:
        if not sentences:
            return []
        import numpy as np

        document = self.document(sentences)
        position = {id(s): i for i, s in enumerate(document.sentences)}
        # LexRank's power method divides by a zero norm when no two sentences share a word;
        # sumy then rates sentences NaN, which rank last, in document order, here.
        with np.errstate(invalid="ignore", divide="ignore"):
            ranked = self._summarizer(document, len(sentences))
        return [position[id(s)] for s in ranked]


# --- summa ------------------------------------------------------------------------------------


class SummaTextRankPeer:
    """summa's TextRank, run on our sentences.

    `summa.summarizer.summarize` splits the text with its own regex; to rank the same sentences
    as every other system, this runs summa's own steps (its word filters, graph, edge weights and
    weighted PageRank) on our sentence list. Sentences summa's filters leave empty, or that share
    no word with any other, get no score and rank last, in document order, as in summa.
    """

    name = "textrank (summa)"

    def __init__(self):
        self._summarizer = require("summa.summarizer", "the summa TextRank baseline")
        self._cleaner = require("summa.preprocessing.textcleaner", "the summa TextRank baseline")

    def rank(self, sentences: list[Sentence], reference: str = "") -> list[int]:
        if not sentences:
            return []
        summa, cleaner = self._summarizer, self._cleaner
        texts = [s.text for s in sentences]
        cleaner.init_textcleanner("english", None)
        units = cleaner.merge_syntactic_units(texts, cleaner.filter_words(texts))
        graph = summa._build_graph([u.token for u in units])
        summa._set_graph_edge_weights(graph)
        summa._remove_unreachable_nodes(graph)
        scores = summa._pagerank(graph) if graph.nodes() else {}
        best = {u.index: scores.get(u.token, 0.0) for u in units}
        return sorted(range(len(sentences)), key=lambda i: (-best.get(i, -1.0), i))


# --- oracle -----------------------------------------------------------------------------------


class OraclePeer:
    """The greedy extractive oracle: the ceiling an extractive system could reach.

    Searches for the sentences with the best mean of ROUGE-1 and ROUGE-2 F1 against the reference
    (rouge-score's tokenizer with Porter stemming, as in the evaluation) that fit the budget. The
    usual oracle is greedy (Nallapati et al., 2017): add the sentence that raises the score most
    until none does. Greedy commits to the best single sentence and so misses, say, a better pair
    of shorter ones; a beam search (the `width` best selections of each size, each grown by every
    sentence that fits) finds those, and the better of the two results is kept. Bigrams of the
    summary are counted within sentences here; the evaluation, which scores whole summaries with
    rouge-score, also makes sure no system beats the oracle on a cluster (`evaluate.ceiling`).
    """

    name = "oracle"
    needs_reference = True
    WIDTH = 10

    def __init__(self, words: int, width: int = WIDTH):
        self.words = words
        self.width = width
        tokenizers = require("rouge_score.tokenizers", "the ROUGE oracle")
        self._tokenize = tokenizers.DefaultTokenizer(use_stemmer=True).tokenize

    def grams(self, text: str) -> tuple[Counter, Counter]:
        tokens = self._tokenize(text)
        return Counter(tokens), Counter(zip(tokens, tokens[1:]))

    def rank(self, sentences: list[Sentence], reference: str = "") -> list[int]:
        if not sentences or not reference.strip():
            return []
        ref = list(self.grams(reference))  # rouge-score reads the reference as one text, newlines included
        grams = [self.grams(s.text) for s in sentences]
        lengths = [s.words for s in sentences]
        greedy, greedy_score = self._beam(grams, lengths, ref, width=1, improving=True)
        if self.width <= 1:
            return greedy
        beam, beam_score = self._beam(grams, lengths, ref, width=self.width, improving=False)
        return beam if beam_score > greedy_score else greedy

    def _beam(self, grams, lengths, ref, width: int, improving: bool) -> tuple[list[int], float]:
        """Best selection found growing the `width` best selections one sentence at a time.

        With `improving`, a selection only grows by sentences that raise its score (width 1 is
        then the classic greedy oracle); otherwise the best children are kept even when lower,
        since a lower pair can lead to a better triple.
        """
        beam = [((), _Overlap(ref), self.words)]
        seen: set[frozenset] = set()
        best: tuple[int, ...] = ()
        best_score = 0.0
        while beam:
            children = []
            for chosen, state, left in beam:
                current = state.score()
                for i, g in enumerate(grams):
                    if lengths[i] > left or i in chosen:
                        continue
                    key = frozenset((*chosen, i))
                    if key in seen:
                        continue
                    seen.add(key)
                    score = state.gain(g)
                    if improving and score <= current:
                        continue
                    children.append((score, chosen, state, left, i))
            children.sort(key=lambda c: -c[0])
            beam = []
            for score, chosen, state, left, i in children[:width]:
                grown = state.copy()
                grown.add(grams[i])
                beam.append(((*chosen, i), grown, left - lengths[i]))
                if score > best_score:
                    best, best_score = (*chosen, i), score
        return list(best), best_score


class _Overlap:
    """Clipped n-gram overlap of a growing summary with the reference, for ROUGE-1/2 F1."""

    def __init__(self, reference: list[Counter]):
        self.reference = reference
        self.have: list[Counter] = [Counter(), Counter()]
        self.overlap = [0, 0]
        self.total = [0, 0]
        self.size = [sum(r.values()) for r in reference]

    def _delta(self, n: int, grams: Counter) -> int:
        have, ref = self.have[n], self.reference[n]
        return sum(min(have[g] + c, ref[g]) - min(have[g], ref[g]) for g, c in grams.items() if g in ref)

    def gain(self, grams: tuple[Counter, Counter]) -> float:
        """The score the summary would have with these grams added."""
        return sum(_f1(self.overlap[n] + self._delta(n, grams[n]), self.total[n] + sum(grams[n].values()), self.size[n])
                   for n in (0, 1)) / 2

    def add(self, grams: tuple[Counter, Counter]) -> None:
        for n in (0, 1):
            self.overlap[n] += self._delta(n, grams[n])
            self.total[n] += sum(grams[n].values())
            self.have[n].update(grams[n])

    def score(self) -> float:
        return sum(_f1(self.overlap[n], self.total[n], self.size[n]) for n in (0, 1)) / 2

    def copy(self) -> _Overlap:
        other = _Overlap.__new__(_Overlap)
        other.reference, other.size = self.reference, self.size
        other.have = [Counter(h) for h in self.have]
        other.overlap, other.total = list(self.overlap), list(self.total)
        return other


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


PEERS: dict[str, Callable[[int], Peer]] = {
    "lead": lambda words: LeadPeer(),
    "lexrank": lambda words: SumyPeer("lexrank"),
    "textrank": lambda words: SumyPeer("textrank"),
    "lsa": lambda words: SumyPeer("lsa"),
    "sumbasic": lambda words: SumyPeer("sumbasic"),
    "summa": lambda words: SummaTextRankPeer(),
    "oracle": lambda words: OraclePeer(words),
}
BASELINES = list(PEERS)


def get_peer(name: str, words: int) -> Peer:
    if name not in PEERS:
        raise StoryBriefError(f"unknown baseline {name!r}; choose from: {', '.join(PEERS)}")
    return PEERS[name](words)
