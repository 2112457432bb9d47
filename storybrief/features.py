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
from functools import lru_cache
from math import log1p
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from storybrief.represent import LARGE_STORY, SAMPLE_ARTICLES, SAMPLE_SEED, Representation
from storybrief.types import Sentence

LEAD_SENTENCES = 3  # sentences per article that make up the "lead centroid"
SUPPORT_THRESHOLD = 0.5
BLOCK_ROWS = 512

_TOKEN = re.compile(r"[\w'-]+")
_DIGIT = re.compile(r"\d")
_PRONOUN_START = re.compile(r"^[\"'(]*\s*(he|she|it|they|this|that|these|those|but|and|also|however|so|then|his|her|its|their)\b", re.I)
_FIRST_PERSON = {"i", "me", "my", "we", "us", "our", "you", "your"}
_JUNK = re.compile(r"https?:|www\.|@\w|\bclick\b|\bsubscribe\b|\bphoto\b|\bcopyright\b|\bemail\b|[|<>{}\[\]#]", re.I)
_ATTRIBUTION = re.compile(r"\b(said|says|told|according to|reports?|reported|tweeted|wrote|added)\b", re.I)

FEATURE_NAMES = [
    "index", "inv_index", "position", "is_first", "article_number", "n_articles", "article_sentences",
    "article_share", "story_sentences", "words", "chars_per_word",
    "centroid", "centroid_z", "centroid_rank", "centroid_rank_in_article", "lead_centroid", "lead_centroid_z",
    "support", "support_share", "soft_support", "soft_support_share", "max_neighbour", "neighbours",
    "shared_vocab", "shared_vocab_weighted", "content_share",
    "capitals", "digits", "quote_marks", "starts_quote", "first_person", "pronoun_start", "attribution",
    "question", "parentheses", "junk", "unfinished", "is_last", "story_words",
    "words_elsewhere", "words_in_other_articles", "bigrams_elsewhere", "bigrams_in_other_articles", "word_frequency",
    "semantic_centroid", "semantic_centroid_z", "semantic_lead", "semantic_support", "semantic_max_other", "semantic_article",
    "prior_mean", "prior_content", "prior_max", "prior_by_frequency", "prior_high", "pair_prior_mean", "pair_prior_high",
]
PRIOR_PATH = Path(__file__).parent / "models" / "word_prior.npz"
PRIOR_TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]*[a-z0-9]|[a-z0-9]")
_WORD = re.compile(r"[a-z0-9]+")
_FINISHED = re.compile(r"[.!?…][\"')\]]*\s*$")


def _rank01(values: np.ndarray) -> np.ndarray:
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
        out[members] = _rank01(values[members])
    return out


def _surface(text: str) -> tuple[float, ...]:
    tokens = _TOKEN.findall(text)
    n = max(len(tokens), 1)
    # Capitalised words past the first: names, places, organisations.
    capitals = sum(1 for t in tokens[1:] if t[:1].isupper()) / n
    digits = sum(1 for t in tokens if _DIGIT.search(t)) / n
    first_person = sum(1 for t in tokens if t.lower() in _FIRST_PERSON) / n
    stripped = text.lstrip()
    return (
        capitals,
        digits,
        min(text.count('"'), 4) / 2.0,
        float(stripped[:1] in "\"'"),
        first_person,
        float(bool(_PRONOUN_START.match(stripped))),
        float(bool(_ATTRIBUTION.search(text))),
        float("?" in text),
        float("(" in text),
        float(len(_JUNK.findall(text))),
    )


def _overlap_with_story(sentences: list[Sentence], n_articles: int) -> np.ndarray:
    """The rest of the story as a stand-in reference: what share of a sentence's words and word
    pairs (stop words included, as ROUGE counts them) the other sentences, and the other articles,
    also use; and the mean story frequency of its words."""
    from collections import Counter

    tokens = [_WORD.findall(s.text.lower()) for s in sentences]
    grams = [list(zip(t, t[1:])) for t in tokens]
    uni_story, bi_story = Counter(), Counter()
    uni_article = [Counter() for _ in range(n_articles)]
    bi_article = [Counter() for _ in range(n_articles)]
    for s, t, g in zip(sentences, tokens, grams):
        uni_story.update(t)
        bi_story.update(g)
        uni_article[s.article].update(t)
        bi_article[s.article].update(g)
    out = np.zeros((len(sentences), 5))
    for row, (s, t, g) in enumerate(zip(sentences, tokens, grams)):
        own_t, own_g = Counter(t), Counter(g)
        ua, ba = uni_article[s.article], bi_article[s.article]
        if t:
            out[row, 0] = sum(1 for w in t if uni_story[w] > own_t[w]) / len(t)
            out[row, 1] = sum(1 for w in t if uni_story[w] > ua[w]) / len(t)
            out[row, 4] = sum(log1p(uni_story[w] - own_t[w]) for w in t) / len(t)
        if g:
            out[row, 2] = sum(1 for p in g if bi_story[p] > own_g[p]) / len(g)
            out[row, 3] = sum(1 for p in g if bi_story[p] > ba[p]) / len(g)
    return out


def _semantic(sentences: list[Sentence], articles: np.ndarray, n_articles: int, lead: np.ndarray) -> np.ndarray:
    """Centrality and cross-source support again, in distilled MiniLM space (paraphrases count)."""
    from storybrief.embed import load_vectors

    e = load_vectors().sentences([s.text for s in sentences])
    centroid = _normalised(e.mean(axis=0))
    lead_centroid = _normalised(e[lead].mean(axis=0)) if lead.any() else centroid
    to_centroid = e @ centroid
    out = np.zeros((len(sentences), 6))
    out[:, 0], out[:, 1], out[:, 2] = to_centroid, _zscore(to_centroid), e @ lead_centroid
    # Best match in each other article, averaged over the other articles. Sentences come in
    # article order, so each article is a contiguous run of columns (reduceat); blocks bound memory.
    present = np.unique(articles)
    compared = present
    if len(sentences) > LARGE_STORY and len(present) > SAMPLE_ARTICLES:
        # As represent does for huge stories: compare with a fixed sample of articles (a mean over
        # the other articles compared, so no scaling is needed); linear, not quadratic, in the story.
        compared = np.sort(np.random.default_rng(SAMPLE_SEED).choice(present, SAMPLE_ARTICLES, replace=False))
    columns = np.flatnonzero(np.isin(articles, compared))
    _, starts = np.unique(articles[columns], return_index=True)
    for first in range(0, len(sentences), BLOCK_ROWS):
        rows = np.arange(first, min(first + BLOCK_ROWS, len(sentences)))
        best = np.maximum.reduceat(e[rows] @ e[columns].T, starts, axis=1)
        own = np.searchsorted(compared, articles[rows])
        mine = (own < len(compared)) & (compared[np.minimum(own, len(compared) - 1)] == articles[rows])
        best[np.flatnonzero(mine), own[mine]] = np.nan
        other_counts = len(compared) - mine.astype(int)
        if len(present) > 1:
            has_other = other_counts > 0
            out[rows[has_other], 3] = np.nansum(best[has_other], axis=1) / other_counts[has_other]
            out[rows[has_other], 4] = np.nanmax(best[has_other], axis=1)
    for a in present:  # articles left with no sentence are skipped
        members = np.flatnonzero(articles == a)
        out[members, 5] = e[members] @ _normalised(e[members].mean(axis=0))
    return out


@lru_cache(maxsize=2)
def load_prior(path: str | Path = PRIOR_PATH) -> tuple[dict[str, float], float, dict[str, float], float]:
    """word -> P(word in the human summary | word in the sources), the mean for unknown words,
    and the same for common word pairs ("a b")."""
    from storybrief.errors import StoryBriefError

    path = Path(path)
    if not path.is_file():
        raise StoryBriefError(f"word prior not found at {path}; reinstall storybrief or rebuild it with bench/word_prior.py")
    with np.load(path, allow_pickle=False) as data:
        prior = data["prior"].astype(float)
        pairs = data["bigram_prior"].astype(float)
        return (
            dict(zip(data["words"].tolist(), prior.tolist())), float(prior.mean()),
            dict(zip(data["bigrams"].tolist(), pairs.tolist())), float(pairs.mean()),
        )


def _prior_features(sentences: list[Sentence]) -> np.ndarray:
    """How summary-worthy a sentence's words are, by the prior learned from Multi-News train
    (Hong & Nenkova 2014): over all words, over content words, the best word, the prior weighted
    by the word's frequency in this story, and the share of words more likely in than out."""
    from collections import Counter

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    prior, unknown, pair_prior, unknown_pair = load_prior()
    tokens = [PRIOR_TOKEN.findall(s.text.lower()) for s in sentences]
    story = Counter(t for ts in tokens for t in ts)
    out = np.zeros((len(sentences), 7))
    for row, ts in enumerate(tokens):
        if not ts:
            continue
        values = [prior.get(t, unknown) for t in ts]
        content = [(v, t) for v, t in zip(values, ts) if t not in ENGLISH_STOP_WORDS]
        out[row, 0] = sum(values) / len(values)
        out[row, 4] = sum(1 for v in values if v > 0.5) / len(values)
        if content:
            out[row, 1] = sum(v for v, _ in content) / len(content)
            out[row, 2] = max(v for v, _ in content)
            out[row, 3] = sum(v * log1p(story[t] - 1) for v, t in content) / len(content)
        if len(ts) > 1:
            pair_values = [pair_prior.get(f"{a} {b}", unknown_pair) for a, b in zip(ts, ts[1:])]
            out[row, 5] = sum(pair_values) / len(pair_values)
            out[row, 6] = sum(1 for v in pair_values if v > 0.5) / len(pair_values)
    return out


def sentence_features(sentences: list[Sentence], representation: Representation) -> np.ndarray:
    """Feature matrix, shape (len(sentences), len(FEATURE_NAMES)), all finite."""
    from storybrief.score import soft_support, support_counts

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

    centroid = np.asarray(vectors @ representation.centroid).ravel()
    lead = index < LEAD_SENTENCES
    lead_centroid = _normalised(np.asarray(vectors[np.flatnonzero(lead)].mean(axis=0)).ravel()) if lead.any() else representation.centroid
    lead_similarity = np.asarray(vectors @ lead_centroid).ravel()

    neighbours = representation.neighbours.tocsr()
    others = max(n_articles - 1, 1)
    # The scorers' own support measures: sparse, and scaled up when the graph was sampled.
    support = support_counts(representation, SUPPORT_THRESHOLD).astype(float)
    soft = soft_support(representation).astype(float)
    max_neighbour = np.asarray(neighbours.max(axis=1).todense()).ravel() if neighbours.nnz else np.zeros(n)
    neighbour_count = np.diff(neighbours.indptr).astype(float)

    # How many articles use each term; a sentence made of words every outlet uses is on topic.
    present = vectors.copy()
    present.data = np.ones_like(present.data)
    membership = sp.csr_matrix((np.ones(n), (articles, np.arange(n))), shape=(n_articles, n))
    article_df = np.asarray(((membership @ present) > 0).sum(axis=0)).ravel() / n_articles
    terms = np.diff(present.indptr).astype(float)
    shared_vocab = np.asarray(present @ article_df).ravel() / np.maximum(terms, 1)
    shared_weighted = np.asarray(vectors @ article_df).ravel() / np.maximum(np.asarray(vectors.sum(axis=1)).ravel(), 1e-9)

    surface = np.array([_surface(s.text) for s in sentences], dtype=float)
    capitals_mean = surface[:, 0].mean()
    surface[:, 0] = surface[:, 0] / capitals_mean if capitals_mean > 1e-9 else 0.0

    columns = [
        np.log1p(index), 1.0 / (1.0 + index), np.array([s.position for s in sentences]), (index == 0).astype(float),
        np.log1p(articles.astype(float)), np.full(n, float(n_articles)), np.log1p(per_article[articles]),
        article_words[articles] / max(article_words.sum(), 1.0), np.full(n, np.log1p(n)), words, chars / np.maximum(words, 1),
        centroid, _zscore(centroid), _rank01(centroid), _rank_within_groups(centroid, articles), lead_similarity, _zscore(lead_similarity),
        support, support / others, soft, soft / others, max_neighbour, np.log1p(neighbour_count),
        shared_vocab, shared_weighted, terms / np.maximum(words, 1),
    ]
    # Multi-News articles are cut off mid-sentence; a scraped page may end on a teaser.
    unfinished = np.array([0.0 if _FINISHED.search(s.text) else 1.0 for s in sentences])
    last = (index == per_article[articles] - 1).astype(float)
    overlap = _overlap_with_story(sentences, n_articles)
    semantic = _semantic(sentences, articles, n_articles, lead)
    prior = _prior_features(sentences)
    matrix = np.column_stack(
        columns + [surface, unfinished, last, np.full(n, np.log1p(words.sum())), overlap, semantic, prior]
    ).astype(np.float32)
    return np.nan_to_num(matrix, nan=0.0, posinf=0.0, neginf=0.0)
