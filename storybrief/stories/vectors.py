"""Article vectors: the words an article is grouped by, hashed into a fixed space (no vocabulary to
keep in step between runs), log term frequency times an IDF from document frequencies counted over
every article seen so far.

Every term of an article is kept (TOP_TERMS = 0; docs/design-stories-time.md compares it with
keeping the 40 heaviest, on piles whose stories run for weeks); a positive TOP_TERMS keeps only
that many. The IDF is renewed, and every row re-weighed, when the corpus has grown by IDF_REFRESH
since the last time (`refresh`).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from storybrief.brief.clean import is_junk, is_junk_sentence, normalise
from storybrief.brief.segment import split_sentences
from storybrief.text import idf
from storybrief.types import Article

N_FEATURES = 1 << 20
TOP_TERMS = 0  # terms kept per article vector, 0: all (docs/design-stories-time.md)
IDF_REFRESH = 1.1  # re-weigh every vector when the corpus has grown by this factor since the last time
LONG_LINE = 40  # words; longer lines are body text: junk is removed from them sentence by sentence
PLACEHOLDER_SHARE = 0.5  # an article whose long lines are this much junk is a placeholder, not news

STOP_WORDS = sorted(ENGLISH_STOP_WORDS | {"said", "says", "mr", "mrs", "ms", "told", "like", "just"})
WORD_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # words of two letters or more, no digits
_ANALYZER = CountVectorizer(
    stop_words=STOP_WORDS, ngram_range=(1, 1), token_pattern=WORD_PATTERN, lowercase=True
).build_analyzer()


def text_for_vectors(article: Article) -> str:
    """Title and body, normalised, junk lines (menus, share prompts, bylines) left out; a long
    line (a paragraph: a whole Multi-News article is one line) loses its junk sentences instead.
    A placeholder page (mostly junk: a web-archive notice, a social-media prompt) gives ''."""
    kept, junk_words, words = [], 0, 0
    for line in article.text.replace("\r", "\n").split("\n"):
        line = normalise(line).strip()
        if not line:
            continue
        if len(line.split()) > LONG_LINE:
            for sentence in split_sentences(line):
                size = len(sentence.split())
                words += size
                if is_junk_sentence(sentence):
                    junk_words += size
                else:
                    kept.append(sentence)
        elif not is_junk(line):
            kept.append(line)
    if words and junk_words / words >= PLACEHOLDER_SHARE:
        return ""
    title = normalise(article.title).strip()
    return "\n".join(([title] if title else []) + kept)


def term_counts(text: str) -> Counter:
    return Counter(_ANALYZER(text))


def words(article: Article) -> tuple[str, Counter]:
    """The text an article is grouped by, and its term counts (empty: nothing to group it by)."""
    text = text_for_vectors(article)
    counts = term_counts(text)
    if not counts and text:  # all of it looked like page furniture (not a placeholder): use it as it is
        text = normalise(f"{article.title}\n{article.text}").strip()
        counts = term_counts(text)
    return text, counts


def column(term: str) -> int:
    return murmurhash3_32(term, positive=True) % N_FEATURES


def tf_rows(counts: list[Counter], terms: dict[int, str]) -> sp.csr_matrix:
    """Log-tf rows (1 + log count) of hashed columns, one per term count; `terms` gains the first
    term seen in each new column (for labels)."""
    indptr, indices, data = [0], [], []
    for found in counts:
        row: dict[int, float] = {}
        for term, count in found.items():
            col = column(term)
            row[col] = row.get(col, 0.0) + count
            if col not in terms:
                terms[col] = term
        indices.extend(row)
        data.extend(1.0 + math.log(c) for c in row.values())
        indptr.append(len(indices))
    rows = sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(counts), N_FEATURES),
    )
    rows.sort_indices()
    return rows


def weigh(tf: sp.csr_matrix, weights: np.ndarray, top: int = TOP_TERMS) -> sp.csr_matrix:
    """TF-IDF rows cut to their `top` heaviest terms (0: all) and L2-normalised."""
    weighted = tf.copy()
    weighted.data = weighted.data * weights[weighted.indices]
    if top <= 0:
        return normalize(weighted.astype(np.float32), copy=False)
    n = weighted.shape[0]
    lengths = np.diff(weighted.indptr)
    rows = np.repeat(np.arange(n), lengths)
    order = np.lexsort((-weighted.data, rows))
    rank = np.arange(len(order)) - weighted.indptr[rows[order]]
    keep = order[rank < top]
    pruned = sp.csr_matrix(
        (weighted.data[keep], (rows[keep], weighted.indices[keep])), shape=weighted.shape, dtype=np.float32
    )
    return normalize(pruned, copy=False)


def refresh(
    tf: sp.csr_matrix, df: np.ndarray, vectors: sp.csr_matrix | None, weights: np.ndarray | None,
    idf_docs: int, first_new: int, top: int = TOP_TERMS,
) -> tuple[sp.csr_matrix, np.ndarray, int]:
    """(vectors, IDF, its corpus size) once the rows of `tf` from `first_new` on are new: the new
    rows weighed with the IDF in use, or every row re-weighed with a fresh IDF when there is none
    yet, the corpus has grown by IDF_REFRESH, or `vectors` does not end where the new rows start."""
    n_docs = tf.shape[0]
    if vectors is None or weights is None or n_docs > IDF_REFRESH * idf_docs or vectors.shape[0] != first_new:
        weights = idf(df, n_docs)
        return weigh(tf, weights, top), weights, n_docs
    return sp.vstack([vectors, weigh(tf[first_new:], weights, top)], format="csr"), weights, idf_docs
