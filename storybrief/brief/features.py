"""One row of numbers per sentence, for the learned scorer.

Most features are computed from the story alone and are ratios or normalised within the story,
so the same model serves Multi-News clusters (lower-cased in places, tokenised) and scraped
articles (cased): where a cue depends on case, such as capitalised names, it is divided by the
story's own mean so an all-lower-case story reads 0. Two look-up tables shipped in
`storybrief/models/` bring outside knowledge: a word and word-pair prior (how often a word of the
sources reappears in a human summary, from Multi-News train) and static word vectors distilled
from all-MiniLM-L6-v2 (paraphrases that share few words).

Groups: where the sentence stands (position in its article, article size), how long it is,
how central it is (TF-IDF and semantic cosine to the story centroid and to the centroid of the
article leads), how many other outlets carry it (cross-source support, hard and soft), how much
of its wording the rest of the story repeats (the story as a stand-in reference), how
summary-worthy its words are (the prior), and surface cues of quotes, numbers, names and junk.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress
from operator import itemgetter

import numpy as np
import scipy.sparse as sp

from storybrief.brief.columns import Columns, distinct, distinct_numbers, occurrence_counts, story_words
from storybrief.brief.prior import PRIOR, prior_features
from storybrief.brief.represent import LARGE_STORY, SAMPLE_ARTICLES, SAMPLE_SEED, Representation
from storybrief.brief.segment import is_unfinished
from storybrief.brief.support import soft_support, support_counts
from storybrief.embed import load_vectors
from storybrief.text import CASED_WORD, FIRST_PERSON, LOWER_WORD, ROUGE_WORD, ignorecase_lower
from storybrief.types import Sentence

LEAD_SENTENCES = 3  # sentences per article that make up the "lead centroid"
SUPPORT_THRESHOLD = 0.5
SEMANTIC_BLOCK_ROWS = 512  # sentences compared with the others at once in vector space

_DIGIT = re.compile(r"\d")
_PRONOUN_START = re.compile(
    r"^[\"'(]*\s*(he|she|it|they|this|that|these|those|but|and|also|however|so|then|his|her|its|their)\b", re.I
)
_FIRST_CHARACTER = itemgetter(0)
# Each alternation is led by a look-ahead for the characters its branches can start with: the
# same matches, but most positions fail at once instead of trying every branch.
_JUNK = re.compile(
    r"(?=[hw@cspe|<>{}\[\]#])(?:https?:|www\.|@\w|\bclick\b|\bsubscribe\b|\bphoto\b|\bcopyright\b|\bemail\b|[|<>{}\[\]#])",
    re.I,
)
_ATTRIBUTION = re.compile(r"\b(?=[stawr])(?:said|says|told|according to|reports?|reported|tweeted|wrote|added)\b", re.I)
# What each of the two case-blind regexes above must find in the text (`ignorecase_lower`): without
# one of these words, neither can match.
_ATTRIBUTION_WORDS = ("said", "says", "told", "according to", "report", "tweeted", "wrote", "added")
_JUNK_WORDS = (
    *("http", "www.", "@", "click", "subscribe", "photo", "copyright", "email"),
    *("|", "<", ">", "{", "}", "[", "]", "#"),
)

# Columns computed in `sentence_features` itself (the helpers below name their own).
BASE = (
    "index",
    "inv_index",
    "position",
    "is_first",
    "article_number",
    "n_articles",
    "article_sentences",
    "article_share",
    "story_sentences",
    "words",
    "chars_per_word",
    "centroid",
    "centroid_z",
    "centroid_rank",
    "centroid_rank_in_article",
    "lead_centroid",
    "lead_centroid_z",
    "support",
    "support_share",
    "soft_support",
    "soft_support_share",
    "max_neighbour",
    "neighbours",
    "shared_vocab",
    "shared_vocab_weighted",
    "content_share",
)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def rank01(values: np.ndarray) -> np.ndarray:
    """Rank of each value in [0, 1], 0 = highest."""
    if len(values) <= 1:
        return np.zeros(len(values))
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks / (len(values) - 1)


def _zscore(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros(len(values))


def _normalised(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def _rank_within_groups(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.zeros(len(values))
    for g in np.unique(groups):
        members = np.flatnonzero(groups == g)
        out[members] = rank01(values[members])
    return out


SURFACE = (
    "capitals",
    "digits",
    "quote_marks",
    "starts_quote",
    "first_person",
    "pronoun_start",
    "attribution",
    "question",
    "parentheses",
    "junk",
)


def surface_cues(text: str, tokens: list[str]) -> tuple[float, ...]:
    """Cues of the sentence's surface, in SURFACE's order; `tokens` are `CASED_WORD` over its text, as written."""
    n = max(len(tokens), 1)
    # Counted by map (the loops run in C; tokens are never empty, so t[0] is t[:1]).
    # Capitalised words past the first: names, places, organisations.
    capitals = sum(map(str.isupper, map(_FIRST_CHARACTER, tokens[1:]))) / n
    digits = sum(map(bool, map(_DIGIT.search, tokens))) / n if _DIGIT.search(text) else 0.0
    first_person = sum(map(FIRST_PERSON.__contains__, map(str.lower, tokens))) / n
    stripped = text.lstrip()
    # The case-blind regexes run only on text holding one of their words (most sentences hold none).
    folded = ignorecase_lower(text)
    attribution = _holds_any(folded, _ATTRIBUTION_WORDS) and bool(_ATTRIBUTION.search(text))
    junk = len(_JUNK.findall(text)) if _holds_any(folded, _JUNK_WORDS) else 0
    return (
        capitals,
        digits,
        min(text.count('"'), 4) / 2.0,
        float(stripped[:1] in "\"'"),
        first_person,
        float(bool(_PRONOUN_START.match(stripped))),
        float(attribution),
        float("?" in text),
        float("(" in text),
        float(junk),
    )


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    for word in words:  # a plain loop: a generator's per-item cost is most of this test
        if word in text:
            return True
    return False


OVERLAP = (
    "words_elsewhere",
    "words_in_other_articles",
    "bigrams_elsewhere",
    "bigrams_in_other_articles",
    "word_frequency",
)


def overlap_with_story(tokens: list[list[str]], articles: np.ndarray) -> Columns:
    """The rest of the story as a stand-in reference: what share of a sentence's words and word
    pairs (stop words included, as ROUGE counts them) the other sentences, and the other articles,
    also use; and the mean story frequency of its words. `tokens` are each sentence's words
    (`ROUGE_WORD` over the lower-cased text)."""
    n = len(tokens)
    out = Columns(n, OVERLAP)
    words, ids, sentence, lengths = story_words(tokens)
    if not len(ids):
        return out
    article = articles[sentence]
    size = len(words)
    # Every count is per occurrence: a word said twice in a sentence counts twice, as ROUGE does.
    story = np.bincount(ids, minlength=size)[ids]
    own = occurrence_counts(sentence * size + ids)
    in_article = occurrence_counts(article * size + ids)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["words_elsewhere"] = np.bincount(sentence, weights=story > own, minlength=n) / lengths
        out["words_in_other_articles"] = np.bincount(sentence, weights=story > in_article, minlength=n) / lengths
        out["word_frequency"] = np.bincount(sentence, weights=np.log1p(story - own), minlength=n) / lengths
        # Word pairs: consecutive words of one sentence.
        follows = sentence[1:] == sentence[:-1]
        if follows.any():
            pair_keys = ids[:-1][follows] * size + ids[1:][follows]
            pair_ids = distinct_numbers(pair_keys)
            pairs = int(pair_ids.max()) + 1
            pair_sentence, pair_article = sentence[:-1][follows], article[:-1][follows]
            pair_lengths = np.maximum(lengths - 1, 0)
            pair_story = occurrence_counts(pair_ids)
            pair_own = occurrence_counts(pair_sentence * pairs + pair_ids)
            pair_in_article = occurrence_counts(pair_article * pairs + pair_ids)
            out["bigrams_elsewhere"] = (
                np.bincount(pair_sentence, weights=pair_story > pair_own, minlength=n) / pair_lengths
            )
            out["bigrams_in_other_articles"] = (
                np.bincount(pair_sentence, weights=pair_story > pair_in_article, minlength=n) / pair_lengths
            )
    out.values = np.nan_to_num(out.values, nan=0.0)
    return out


SEMANTIC = (
    "semantic_centroid",
    "semantic_centroid_z",
    "semantic_lead",
    "semantic_support",
    "semantic_max_other",
    "semantic_article",
)


def semantic_features(e: np.ndarray, articles: np.ndarray, lead: np.ndarray) -> Columns:
    """Centrality and cross-source support again, in distilled MiniLM space (paraphrases count);
    `e` holds the sentences' static vectors."""
    n = len(e)
    centroid = _normalised(e.mean(axis=0))
    lead_centroid = _normalised(e[lead].mean(axis=0)) if lead.any() else centroid
    to_centroid = e @ centroid
    out = Columns(n, SEMANTIC)
    out["semantic_centroid"], out["semantic_centroid_z"] = to_centroid, _zscore(to_centroid)
    out["semantic_lead"] = e @ lead_centroid
    # Best match in each other article, averaged over the other articles. Sentences come in
    # article order, so each article is a contiguous run of columns (reduceat); blocks bound memory.
    present = np.unique(articles)
    compared = present
    if n > LARGE_STORY and len(present) > SAMPLE_ARTICLES:
        # As represent does for huge stories: compare with a fixed sample of articles (a mean over
        # the other articles compared, so no scaling is needed); linear, not quadratic, in the story.
        compared = np.sort(np.random.default_rng(SAMPLE_SEED).choice(present, SAMPLE_ARTICLES, replace=False))
    columns = np.flatnonzero(np.isin(articles, compared))
    _, starts = np.unique(articles[columns], return_index=True)
    for first in range(0, n, SEMANTIC_BLOCK_ROWS):
        rows = np.arange(first, min(first + SEMANTIC_BLOCK_ROWS, n))
        best = np.maximum.reduceat(e[rows] @ e[columns].T, starts, axis=1)
        own = np.searchsorted(compared, articles[rows])
        mine = (own < len(compared)) & (compared[np.minimum(own, len(compared) - 1)] == articles[rows])
        best[np.flatnonzero(mine), own[mine]] = np.nan
        other_counts = len(compared) - mine.astype(int)
        if len(present) > 1:
            has_other = other_counts > 0
            out[rows[has_other], "semantic_support"] = np.nansum(best[has_other], axis=1) / other_counts[has_other]
            out[rows[has_other], "semantic_max_other"] = np.nanmax(best[has_other], axis=1)
    for a in present:  # articles left with no sentence are skipped
        members = np.flatnonzero(articles == a)
        out[members, "semantic_article"] = e[members] @ _normalised(e[members].mean(axis=0))
    return out


ARTICLE_DENSE_CELLS = 4_000_000  # articles x terms up to which article vectors are built dense


CONTEXT = (
    "previous_centroid",
    "next_centroid",
    "article_centrality",
    "article_centrality_z",
    "article_first_similarity",
    "word_offset",
    "numbers",
    "numbers_elsewhere",
    "names_elsewhere",
)


# The model's columns, in the order the shipped models were trained on.
FEATURE_NAMES = [*BASE, *SURFACE, "unfinished", "is_last", "story_words", *OVERLAP, *SEMANTIC, *PRIOR, *CONTEXT]


def context_features(
    vectors: sp.csr_matrix,
    row_of: np.ndarray,
    articles: np.ndarray,
    centroid: np.ndarray,
    story_centroid: np.ndarray,
    words: np.ndarray,
    texts: list[str],
    tokens: list[list[str]],
) -> Columns:
    """Where the sentence sits among its neighbours and how on-topic its article is; figures and
    names that other articles repeat (cross-source evidence finer than whole-sentence similarity).
    Sentences come in article order (each article a contiguous run), as `segment` gives them;
    `row_of` is the sentence of each stored entry of `vectors`."""
    n = len(texts)
    out = Columns(n, CONTEXT)
    same_previous = np.r_[False, articles[1:] == articles[:-1]]
    same_next = np.r_[articles[:-1] == articles[1:], False]
    out["previous_centroid"] = np.where(same_previous, np.r_[0.0, centroid[:-1]], 0.0)
    out["next_centroid"] = np.where(same_next, np.r_[centroid[1:], 0.0], 0.0)

    n_articles, n_terms = int(articles.max()) + 1, vectors.shape[1]
    starts = np.r_[0, np.flatnonzero(~same_previous[1:]) + 1]  # each article's first sentence
    first = starts[np.cumsum(~same_previous) - 1]
    if n_articles * n_terms <= ARTICLE_DENSE_CELLS:
        cells = articles[row_of] * n_terms + vectors.indices
        article_vectors = np.bincount(cells, weights=vectors.data, minlength=n_articles * n_terms).reshape(
            n_articles, n_terms
        )
        norms = np.linalg.norm(article_vectors, axis=1)
        is_first = (first == np.arange(n))[row_of]
        lead_of = np.bincount(cells[is_first], weights=vectors.data[is_first], minlength=n_articles * n_terms).reshape(
            n_articles, n_terms
        )
        out["article_first_similarity"] = np.bincount(
            row_of, weights=vectors.data * lead_of[articles[row_of], vectors.indices], minlength=n
        )
    else:  # a huge story: the same, sparse
        membership = sp.csr_matrix((np.ones(n), (articles, np.arange(n))), shape=(n_articles, n))
        article_vectors = membership @ vectors
        norms = np.sqrt(np.asarray(article_vectors.multiply(article_vectors).sum(axis=1)).ravel())
        out["article_first_similarity"] = np.asarray(vectors.multiply(vectors[first]).sum(axis=1)).ravel()
    article_centrality = np.asarray(article_vectors @ story_centroid).ravel() / np.where(norms > 0, norms, 1.0)
    out["article_centrality"] = article_centrality[articles]
    out["article_centrality_z"] = _zscore(article_centrality)[articles]
    before = np.cumsum(words) - words
    out["word_offset"] = np.log1p(before - before[first])

    numbers = [set(_NUMBER.findall(text)) for text in texts]
    names = [set(compress(ts[1:], map(str.isupper, map(_FIRST_CHARACTER, ts[1:])))) for ts in tokens]
    for column, items in (("numbers_elsewhere", numbers), ("names_elsewhere", names)):
        per_article: dict[int, set[str]] = {}
        for a, found in zip(articles.tolist(), items):
            per_article.setdefault(a, set()).update(found)
        articles_using = Counter(x for found in per_article.values() for x in found)
        for row, found in enumerate(items):
            if found:  # in how many other articles, on average, its figures (names) appear
                out[row, column] = sum(articles_using[x] - 1 for x in found) / len(found)
    out["numbers"] = [len(found) for found in numbers]
    return out


def sentence_features(sentences: list[Sentence], representation: Representation) -> np.ndarray:
    """Feature matrix, shape (len(sentences), len(FEATURE_NAMES)), all finite."""
    n = len(sentences)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    vectors = representation.vectors
    articles = representation.articles
    n_articles = int(articles.max()) + 1
    index = np.array([s.index for s in sentences], dtype=float)
    words = np.array([s.words for s in sentences], dtype=float)
    chars = np.array([len(s.text) for s in sentences], dtype=float)
    per_article = np.bincount(articles, minlength=n_articles).astype(float)
    article_words = np.bincount(articles, weights=words, minlength=n_articles)

    # Row-wise sums over the CSR arrays directly (np.bincount over each nonzero's row) rather
    # than sparse products and masks, whose per-call overhead is most of the cost on a story of
    # a few dozen sentences.
    row_of = np.repeat(np.arange(n), np.diff(vectors.indptr))
    columns_of, data = vectors.indices, vectors.data

    centroid = np.asarray(vectors @ representation.centroid).ravel()
    lead = index < LEAD_SENTENCES
    lead_rows = lead[row_of]
    lead_centroid = (
        _normalised(np.bincount(columns_of[lead_rows], weights=data[lead_rows], minlength=vectors.shape[1]))
        if lead.any()
        else representation.centroid
    )
    lead_similarity = np.asarray(vectors @ lead_centroid).ravel()

    neighbours = representation.neighbours.tocsr()
    others = max(n_articles - 1, 1)
    # The scorers' own support measures: sparse, and scaled up when the graph was sampled.
    support = support_counts(representation, SUPPORT_THRESHOLD).astype(float)
    soft = soft_support(representation).astype(float)
    neighbour_count = np.diff(neighbours.indptr).astype(float)
    max_neighbour = np.zeros(n)
    if neighbours.nnz:
        linked = neighbour_count > 0
        max_neighbour[linked] = np.maximum.reduceat(neighbours.data, neighbours.indptr[:-1][linked])

    # How many articles use each term; a sentence made of words every outlet uses is on topic.
    n_terms = vectors.shape[1]
    article_term = distinct(articles[row_of] * n_terms + columns_of)
    article_df = np.bincount(article_term % n_terms, minlength=n_terms) / n_articles
    terms = np.diff(vectors.indptr).astype(float)
    shared_vocab = np.bincount(row_of, weights=article_df[columns_of], minlength=n) / np.maximum(terms, 1)
    shared_weighted = np.bincount(row_of, weights=data * article_df[columns_of], minlength=n) / np.maximum(
        np.bincount(row_of, weights=data, minlength=n), 1e-9
    )

    texts = [s.text for s in sentences]
    cased = [CASED_WORD.findall(text) for text in texts]
    surface = np.array([surface_cues(text, tokens) for text, tokens in zip(texts, cased)], dtype=float)
    capitals = SURFACE.index("capitals")
    capitals_mean = surface[:, capitals].mean()
    surface[:, capitals] = surface[:, capitals] / capitals_mean if capitals_mean > 1e-9 else 0.0

    named = {
        "index": np.log1p(index),
        "inv_index": 1.0 / (1.0 + index),
        "position": np.array([s.position for s in sentences]),
        "is_first": (index == 0).astype(float),
        "article_number": np.log1p(articles.astype(float)),
        "n_articles": np.full(n, float(n_articles)),
        "article_sentences": np.log1p(per_article[articles]),
        "article_share": article_words[articles] / max(article_words.sum(), 1.0),
        "story_sentences": np.full(n, np.log1p(n)),
        "words": words,
        "chars_per_word": chars / np.maximum(words, 1),
        "centroid": centroid,
        "centroid_z": _zscore(centroid),
        "centroid_rank": rank01(centroid),
        "centroid_rank_in_article": _rank_within_groups(centroid, articles),
        "lead_centroid": lead_similarity,
        "lead_centroid_z": _zscore(lead_similarity),
        "support": support,
        "support_share": support / others,
        "soft_support": soft,
        "soft_support_share": soft / others,
        "max_neighbour": max_neighbour,
        "neighbours": np.log1p(neighbour_count),
        "shared_vocab": shared_vocab,
        "shared_vocab_weighted": shared_weighted,
        "content_share": terms / np.maximum(words, 1),
    }
    named.update(zip(SURFACE, surface.T))
    # Multi-News articles are cut off mid-sentence; a scraped page may end on a teaser.
    named["unfinished"] = np.array([float(is_unfinished(s.text)) for s in sentences])
    named["is_last"] = (index == per_article[articles] - 1).astype(float)
    named["story_words"] = np.full(n, np.log1p(words.sum()))

    lower = [s.text.lower() for s in sentences]
    # One tokenisation for the prior and the word vectors.
    prior_tokens = [LOWER_WORD.findall(text) for text in lower]
    blocks = [
        overlap_with_story([ROUGE_WORD.findall(text) for text in lower], articles),
        semantic_features(load_vectors().from_tokens(prior_tokens), articles, lead),
        prior_features(prior_tokens),
        context_features(vectors, row_of, articles, centroid, representation.centroid, words, texts, cased),
    ]
    for block in blocks:
        named.update(zip(block.names, block.values.T))
    matrix = np.column_stack([named[name] for name in FEATURE_NAMES]).astype(np.float32)
    return np.nan_to_num(matrix, nan=0.0, posinf=0.0, neginf=0.0)
