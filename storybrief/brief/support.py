"""Cross-source support: how many other articles report a sentence, and how strongly.

Both the features and the attribution of sources read it, so it sits below them in the pipeline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storybrief.brief.represent import Representation
from storybrief.embed import SentenceEncoder, WordVectors, load_encoder, load_vectors
from storybrief.errors import StoryBriefError
from storybrief.shipped import MODELS
from storybrief.text import LOWER_WORD, ignorecase_lower
from storybrief.types import Sentence

PARAPHRASE = 0.5  # cosine at which another article's sentence counts as reporting the same fact


def support_counts(representation: Representation, threshold: float = PARAPHRASE) -> np.ndarray:
    """For each sentence, how many *other* articles hold a sentence at least `threshold` similar."""
    row, article, _ = best_per_article(representation, threshold)
    counts = np.bincount(row, minlength=representation.neighbours.shape[0]).astype(np.int64)
    if representation.sampled_articles is not None:  # counted in a sample of the articles: scale up
        counts = np.rint(counts * sample_scale(representation)).astype(np.int64)
    return counts


DENSE_SUPPORT_CELLS = 4_000_000  # sentences x articles up to which the dense table is used (16 MB)


def soft_support(representation: Representation) -> np.ndarray:
    """Sum over other articles of the best similarity there: graded cross-source evidence."""
    neighbours = representation.neighbours.tocoo()
    if neighbours.nnz == 0:
        return np.zeros(neighbours.shape[0])
    n_articles = int(representation.articles.max()) + 1
    if neighbours.shape[0] * n_articles <= DENSE_SUPPORT_CELLS:
        best = np.zeros((neighbours.shape[0], n_articles), dtype=np.float32)
        np.maximum.at(best, (neighbours.row, representation.articles[neighbours.col]), neighbours.data)
        support = best.sum(axis=1)
    else:
        # A big story: the dense sentences x articles table would take gigabytes (70k x 5,000
        # floats), so take each (sentence, article) best from the sorted sparse pairs instead.
        # Same values, summed in another order (float rounding aside).
        row, _, best = best_per_article(representation)
        support = np.bincount(row, weights=best, minlength=neighbours.shape[0]).astype(np.float32)
    if representation.sampled_articles is not None:  # summed over a sample of the articles: scale up
        support = (support * sample_scale(representation)).astype(np.float32)
    return support


def sample_scale(representation: Representation) -> np.ndarray:
    """Per sentence, other articles in the story / other articles in the sample it was compared with."""
    sample = representation.sampled_articles
    n_articles = int(representation.articles.max()) + 1
    others_in_sample = len(sample) - np.isin(representation.articles, sample)
    return (n_articles - 1) / np.maximum(others_in_sample, 1)


def best_per_article(
    representation: Representation, threshold: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sentence, other article, best similarity there) for every pair with a neighbour >= threshold,
    from the sparse graph alone: memory follows the neighbour count, not sentences x articles."""
    neighbours = representation.neighbours.tocoo()
    keep = neighbours.data >= threshold
    row = neighbours.row[keep].astype(np.int64)
    article = representation.articles[neighbours.col[keep]].astype(np.int64)
    value = neighbours.data[keep]
    if row.size == 0:
        return row, article, value
    key = row * (int(representation.articles.max()) + 1) + article
    order = np.argsort(key, kind="stable")
    key, value = key[order], value[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    best = np.maximum.reduceat(value, starts)
    return row[order][starts], article[order][starts], best


# ---------------------------------------------------------------- one sentence supporting another
#
# Attribution asks of every (claim, candidate) pair whether the candidate, a sentence of another
# article, states the claim's fact. A logistic regression over the pair's lexical, number and
# static-vector features answers it (bench/build/support_model.py trains it; its figures and why
# this shape: docs/design-citations.md). The model is a JSON file of coefficients: no pickle.

SUPPORT_MODEL = MODELS / "support.json"
# `--semantic`: the same features and all-MiniLM-L6-v2's cosine of the two sentences (embed.SentenceEncoder).
SEMANTIC_MODEL = MODELS / "support_semantic.json"
REBUILD = "rebuild it with `python -m bench.build.support_model`"
# TF-IDF cosine under which a candidate is never read as support: over the issue's "lexically
# close" line (represent.NEIGHBOUR_FLOOR, 0.25) with a margin, so that every citation's evidence
# is lexically close also as `evaluate --citations` measures it (its TF-IDF is fitted on the brief
# and each source's own sentences, not on the story's, so at 0.25 some fell just under the line
# there: docs/design-citations.md). Paraphrases in other words fall under it: the price of a
# citation a reader can check by its words.
SUPPORT_FLOOR = 0.3
PAIR_FEATURES = (
    "cosine", "coverage", "reverse_coverage", "vector_cosine", "numbers_found", "numbers_conflict", "claim_numbers",
    "content_coverage", "content_reverse_coverage", "bigram_coverage", "soft_coverage", "soft_reverse_coverage",
    "length_ratio", "negation_mismatch", "hedge_mismatch", "core_coverage", "core_soft_coverage", "aside_share",
    # Same words, other facts: whose names, which figures, who does what (issue 14; design-citations.md).
    "names_found", "names_extra", "numbers_extra", "subject_found", "reverse_subject_found",
    "claim_length",
)
SEMANTIC_FEATURES = (*PAIR_FEATURES, "sentence_cosine")
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozen": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100",
    "thousand": "1000", "million": "1000000", "billion": "1000000000", "half": "0.5",
}
_ONE_OF = re.compile(r"\bone of\b")
_PAIR_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|neither|nobody|nothing|cannot|without|denied|denies|deny|refused|refuses|"
    r"failed|fails)\b|n't\b", re.I)
# A name: a capitalised word after a sentence's first (lower-cased text has none: the name features
# are then neutral, 1 found and 0 extra).
_CAPITALISED = re.compile(r"(?<=[\s(\"'“‘-])[A-Z][\w'’-]*")
_HEDGE = re.compile(
    r"\b(?:may|might|could|expected|likely|possibly|reportedly|allegedly|suspect\w*|believed|would)\b", re.I)
# A descriptive aside (", who ...,", " - a ... -", "(which ...)") and a closing attribution ("...,
# police said"): what a claim says besides its own news. Coverage of the rest (the core) tells a
# candidate that shares only the background from one that states the news.
_ASIDE = re.compile(
    r"(,|\s[—–-]{1,2}|\()\s*(?:which|who|whose|where|when|a|an|the|after|before|killing|including)\b[^,—–()]*"
    r"(?:,|[—–-]{1,2}\s|\)|(?=[.!?]\s*$))", re.I)
_CLOSING_ATTRIBUTION = re.compile(
    r",?\s*(?:according to [^,.]*|(?:\w+\s){0,6}(?:said|says|told|reported|reports|announced)(?: \w+){0,4})"
    r"\s*[.!?]?\s*$", re.I)


def pair_numbers(text: str) -> set[str]:
    """Numbers a sentence states, digits or number words (twelve = 12), commas dropped."""
    found = {n.replace(",", "") for n in _PAIR_NUMBER.findall(text)}
    words = _ONE_OF.sub(" ", text.lower())  # "one of its cables" states no figure
    return found | {_NUMBER_WORDS[w] for w in LOWER_WORD.findall(words) if w in _NUMBER_WORDS}


def content_words(text: str) -> list[str]:
    return [w for w in LOWER_WORD.findall(text.lower()) if len(w) > 1 and w not in ENGLISH_STOP_WORDS]


def sentence_names(text: str) -> set[str]:
    """Capitalised words after the first, lower-cased, stop words left out: people, places, bodies."""
    return {w.lower() for w in _CAPITALISED.findall(text[1:]) if w.lower() not in ENGLISH_STOP_WORDS}


# What `_CLOSING_ATTRIBUTION` must find in the text (`ignorecase_lower`): without one of these, it
# cannot match, and its search tries its word loop at every position, so it is run only on text
# holding one.
_CLOSING_WORDS = ("according to", "said", "says", "told", "reported", "reports", "announced")


def may_close_with_attribution(text: str) -> bool:
    """False only where `_CLOSING_ATTRIBUTION` cannot match `text`."""
    folded = ignorecase_lower(text)
    return any(word in folded for word in _CLOSING_WORDS)


def claim_core(text: str) -> str:
    """The claim without its descriptive asides and closing attribution."""
    text = _ASIDE.sub(" ", text)
    return _CLOSING_ATTRIBUTION.sub(".", text) if may_close_with_attribution(text) else text


class PairReader:
    """Features of (claim, candidate) pairs, with each sentence's words and vectors read once."""

    def __init__(self, vectors: WordVectors | None = None, encoder: SentenceEncoder | None = None):
        self.vectors = vectors or load_vectors()
        self.encoder = encoder  # given: SEMANTIC_FEATURES (a sentence encoder's cosine last)
        self._cache: dict[str, tuple] = {}
        self._encoded: dict[str, np.ndarray] = {}  # one reader per brief: the cache dies with it

    @property
    def names(self) -> tuple[str, ...]:
        return SEMANTIC_FEATURES if self.encoder is not None else PAIR_FEATURES

    def encode_ahead(self, texts: list[str]) -> None:
        """Encode many sentences in one batch before their pairs are read (the encoder caches them)."""
        if self.encoder is not None:
            todo = [t for t in dict.fromkeys(texts) if t not in self._encoded]
            if todo:
                self._encoded.update(zip(todo, self.encoder.encode(todo)))

    def _read(self, text: str) -> tuple:
        cached = self._cache.get(text)
        if cached is None:
            words = content_words(text)
            unique = sorted(set(words))
            ids = [self.vectors.index[w] for w in unique if w in self.vectors.index]
            table = self.vectors.table[ids] if ids else np.zeros((0, self.vectors.dims), dtype=np.float32)
            norms = np.linalg.norm(table, axis=1, keepdims=True)
            cached = (
                words, set(unique), set(zip(words, words[1:])), pair_numbers(text),
                self.vectors.sentences([text])[0], table / np.where(norms > 0, norms, 1.0),
                bool(_NEGATION.search(text)), bool(_HEDGE.search(text)), sentence_names(text),
            )
            self._cache[text] = cached
        return cached

    @staticmethod
    def _soft(mine: np.ndarray, theirs: np.ndarray) -> tuple[float, float]:
        """Mean over each side's words of its best vector cosine with a word of the other side."""
        if not len(mine) or not len(theirs):
            return 0.0, 0.0
        cosines = np.clip(mine @ theirs.T, 0.0, 1.0)
        return float(cosines.max(axis=1).mean()), float(cosines.max(axis=0).mean())

    def features(self, claim: str, candidate: str, cosine: float, cover: float, reverse_cover: float) -> list[float]:
        words_i, set_i, bigrams_i, numbers_i, vector_i, table_i, negation_i, hedge_i, names_i = self._read(claim)
        words_j, set_j, bigrams_j, numbers_j, vector_j, table_j, negation_j, hedge_j, names_j = self._read(candidate)
        soft, reverse_soft = self._soft(table_i, table_j)
        core, core_words = self._core(claim)
        core_list, core_set, _, _, _, core_table, _, _, _ = self._read(core)
        # The subject, roughly: the first content word of the claim's core and of the candidate. A
        # candidate about another subject with the same words ("Zoloft is approved for ..." against
        # "Prozac has approval for ...") is told by it where bags of words are not.
        subject_i, subject_j = (core_list or words_i or [""])[0], (words_j or [""])[0]
        core_soft, _ = self._soft(core_table, table_j)
        shared = len(set_i & set_j)
        return [
            cosine, cover, reverse_cover, float(vector_i @ vector_j),
            len(numbers_i & numbers_j) / len(numbers_i) if numbers_i else 1.0,
            float(bool(numbers_i and numbers_j and not numbers_i & numbers_j)),
            float(bool(numbers_i)),
            shared / max(len(set_i), 1), shared / max(len(set_j), 1),
            len(bigrams_i & bigrams_j) / max(len(bigrams_i), 1),
            soft, reverse_soft,
            float(np.log((len(words_j) + 1) / (len(words_i) + 1))),
            float(negation_i != negation_j), float(hedge_i != hedge_j),
            len(core_set & set_j) / max(len(core_set), 1), core_soft,
            1.0 - core_words / max(len(words_i), 1),
            len(names_i & (names_j | set_j)) / len(names_i) if names_i else 1.0,
            len(names_j - names_i - set_i) / len(names_j) if names_j else 0.0,
            len(numbers_j - numbers_i) / len(numbers_j) if numbers_j else 0.0,
            float(subject_i in set_j), float(subject_j in set_i),
            float(np.log(len(words_i) + 1)),
        ] + ([self._sentence_cosine(claim, candidate)] if self.encoder is not None else [])

    def _sentence_cosine(self, claim: str, candidate: str) -> float:
        self.encode_ahead([claim, candidate])
        return float(self._encoded[claim] @ self._encoded[candidate])

    def _core(self, claim: str) -> tuple[str, int]:
        key = "\0core\0" + claim
        if key not in self._cache:
            core = claim_core(claim)
            self._cache[key] = (core, len(content_words(core)))
        return self._cache[key]


@dataclass(frozen=True)
class SupportModel:
    """A logistic regression on standardised pair features: P(candidate supports claim)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = (np.atleast_2d(features) - self.mean) / self.scale @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        features = SEMANTIC_FEATURES if len(self.coef) == len(SEMANTIC_FEATURES) else PAIR_FEATURES
        return {
            "features": list(features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "coef": self.coef.tolist(), "intercept": self.intercept, "threshold": self.threshold,
        }


@lru_cache(maxsize=4)
def load_support_model(path: str | Path = SUPPORT_MODEL, features: tuple[str, ...] = PAIR_FEATURES) -> SupportModel:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoryBriefError(f"support model not readable at {path} ({exc}); {REBUILD}") from exc
    if data.get("features") != list(features):
        raise StoryBriefError(f"support model at {path} was trained on other features; {REBUILD}")
    return SupportModel(
        np.asarray(data["mean"], dtype=np.float64), np.asarray(data["scale"], dtype=np.float64),
        np.asarray(data["coef"], dtype=np.float64), float(data["intercept"]), float(data["threshold"]),
    )


def coverage(representation: Representation, i: int, j: int) -> float:
    """Share of sentence i's TF-IDF weight (squared, as rows are L2-normalised) on words sentence j uses."""
    if representation.dense is not None:
        mine = representation.dense[i]
        return float(np.square(mine[(mine != 0) & (representation.dense[j] != 0)]).sum())
    # The two rows' entries read straight from the CSR arrays (what `vectors[i]` would copy into a
    # new matrix) and matched through a set (np.isin sorts): the same entries summed in the same order.
    vectors = representation.vectors
    start, stop = vectors.indptr[i], vectors.indptr[i + 1]
    theirs = set(vectors.indices[vectors.indptr[j] : vectors.indptr[j + 1]].tolist())
    present = np.fromiter(map(theirs.__contains__, vectors.indices[start:stop].tolist()), bool, stop - start)
    return float(np.square(vectors.data[start:stop][present]).sum())


class SupportJudge:
    """Decides, for sentences of one story, whether a candidate sentence states a claim's fact."""

    def __init__(self, sentences: list[Sentence], representation: Representation,
                 model: SupportModel | None = None, reader: PairReader | None = None, semantic: bool = False):
        self.sentences, self.representation = sentences, representation
        if semantic:
            self.model = model or load_support_model(SEMANTIC_MODEL, SEMANTIC_FEATURES)
            self.reader = reader or PairReader(encoder=load_encoder())
        else:
            self.model = model or load_support_model()
            self.reader = reader or PairReader()

    def features(self, i: int, j: int, cosine: float | None = None) -> list[float]:
        if cosine is None:
            cosine = float(self.representation.cosines([i], [j])[0, 0])
        return self.reader.features(
            self.sentences[i].text, self.sentences[j].text, cosine,
            coverage(self.representation, i, j), coverage(self.representation, j, i),
        )

    def decide(
        self, i: int, candidates: list[int], cosines: list[float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(probability, supports) for each candidate: the model's probability that the candidate
        states claim i's fact (0 under SUPPORT_FLOOR, where it is not read), and whether that is at
        least the model's threshold. The model alone decides: the old lexical rule credited shared
        background at cosine 0.5 (docs/design-citations.md), and its cosine and coverage are features."""
        if not candidates:
            return np.zeros(0), np.zeros(0, bool)
        cosines = cosines if cosines is not None else list(self.representation.cosines([i], candidates)[0])
        probability = np.zeros(len(candidates))
        read = [k for k in range(len(candidates)) if cosines[k] >= SUPPORT_FLOOR]
        if read:
            self.reader.encode_ahead([self.sentences[i].text, *(self.sentences[candidates[k]].text for k in read)])
            rows = np.array([self.features(i, candidates[k], cosines[k]) for k in read])
            probability[read] = self.model.probability(rows)
        return probability, probability >= self.model.threshold

    def supports(self, i: int, j: int) -> bool:
        return bool(self.decide(i, [j])[1][0])


# The rule before the model, measured beside it (evaluate --citations): a paraphrase by TF-IDF
# cosine, or a longer sentence holding most of the claim's weighted words.
LEXICAL_COVERAGE, LEXICAL_COVERAGE_SIMILARITY = 0.6, 0.35


def lexical_rule(features: np.ndarray) -> np.ndarray:
    features = np.atleast_2d(features)
    cosine, cover = features[:, PAIR_FEATURES.index("cosine")], features[:, PAIR_FEATURES.index("coverage")]
    return (cosine >= LEXICAL_COVERAGE_SIMILARITY) & ((cosine >= PARAPHRASE) | (cover >= LEXICAL_COVERAGE))
