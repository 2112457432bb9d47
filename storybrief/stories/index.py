"""Group a pile of articles from many outlets into stories, without knowing how many there are.

The pipeline, for a batch or for each increment of a running index:

1. Copies: MinHash over word 5-shingles (`storybrief.dedupe`) with an LSH index finds articles
   that are the same text re-published (wire copies); a copy joins its original's story and only
   the original is vectorised, so one wire story cannot pose as a cluster of its own.
2. Vectors: words, hashed into a fixed space (no vocabulary to keep in step between runs), log term frequency times an IDF from document frequencies counted over
   every article seen so far. Each article keeps only its TOP_TERMS heaviest terms: the terms
   that say what the story is. That also keeps the neighbour search near-linear, since common
   words, which would link everything to everything, are never among them.
3. Neighbours: sparse products of the new articles' vectors with all vectors, in row blocks,
   keeping pairs above FLOOR (and within WINDOW_DAYS when both articles are dated).
4. Merging: agglomerative, average linkage over the neighbour graph (each side's size capped
   at MAX_NEIGHBOURS), greedily merging the closest pair of groups while their linkage is at
   least the threshold. A pair of articles that are each among the other's MUTUAL_K most
   similar articles counts MUTUAL_BOOST times its similarity.
   Stories already known are fixed groups: new articles may join them, they never merge
   with each other, so their ids stay stable across runs.

`group(articles)` runs this once on an empty index; `StoryIndex` keeps it going across runs
and saves itself to a folder (see `storybrief.state`).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash, MinHashLSH
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from storybrief.clean import is_junk, is_junk_sentence, normalise
from storybrief.dedupe import COPY_THRESHOLD, NUM_PERM, copy_lsh, minhash, shingles
from storybrief.errors import StoryBriefError
from storybrief.feeds import normalise_date, parse_date
from storybrief.segment import split_sentences
from storybrief.types import Article, Brief

# Linkage (capped average similarity) needed to merge two groups; chosen on Multi-News train
# clusters (docs/design-stories.md has the sweep).
THRESHOLD = 0.16
FLOOR = 0.1  # neighbour pairs below this similarity are not kept: unrelated articles
TOP_TERMS = 40  # terms kept per article vector
MAX_NEIGHBOURS = 40  # neighbours kept per new article
WINDOW_DAYS = 7.0  # dated articles further apart than this are never linked directly
N_FEATURES = 1 << 20
BLOCK_ROWS = 1024
FEW_NEW = 64  # up to this many new rows, neighbours are found without transposing all vectors
IDF_REFRESH = 1.1  # re-weigh every vector when the corpus has grown by this factor since the last time
LINKAGE = "average"  # or "centroid"; see agglomerate
# Mutual nearest neighbours: a pair that is among each article's MUTUAL_K most similar articles
# (seen so far) weighs MUTUAL_BOOST times its cosine in the linkage. Such a pair is the best
# evidence the graph has that two articles report one event, while a one-sided link (a busy
# article that is merely close to many) is not; with the threshold raised to match, this gave
# +0.004 to +0.007 B-cubed F1 on Multi-News train samples (docs/design-stories.md). Streaming one
# article at a time (the service) it did not help, so an index can be made without it
# (`StoryIndex(mutual_boost=1.0)`).
MUTUAL_K = 3
MUTUAL_BOOST = 1.5
LONG_LINE = 40  # words; longer lines are body text: junk is removed from them sentence by sentence
PLACEHOLDER_SHARE = 0.5  # an article whose long lines are this much junk is a placeholder, not news

_STOP_WORDS = sorted(ENGLISH_STOP_WORDS | {"said", "says", "mr", "mrs", "ms", "told", "like", "just"})
_ANALYZER = CountVectorizer(
    stop_words=_STOP_WORDS, ngram_range=(1, 1), token_pattern=r"(?u)\b[^\W\d_]{2,}\b", lowercase=True
).build_analyzer()
_PROBE = minhash(shingles("signature scheme probe"))
SIGNATURE_SCHEME, _SIGNATURE_DTYPE = _PROBE.scheme, _PROBE.hashvalues.dtype
_PHRASES = CountVectorizer(
    stop_words=_STOP_WORDS, ngram_range=(2, 2), token_pattern=r"(?u)\b[^\W\d_]{2,}\b", lowercase=True
).build_analyzer()


@dataclass
class Story:
    """One story: the articles that report it, who published them, when, and its brief."""

    id: str
    label: str
    articles: list[str]  # every article id, copies included, oldest first when dated
    sources: list[str]  # every outlet, in the order of their first article
    start: str = ""  # ISO 8601 UTC of the first dated article, '' when none is dated
    end: str = ""
    brief: Brief | None = None
    # Re-published copies (wire stories): original article id -> ids of its copies.
    copies: dict[str, list[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.articles)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "articles": self.articles,
            "sources": self.sources,
            "start": self.start,
            "end": self.end,
            "copies": self.copies,
            "brief": self.brief.to_dict() if self.brief else None,
        }


@dataclass
class _StoryRecord:
    id: str
    rows: list[int]  # article vectors (originals, not copies) in this story
    internal: float = 0.0  # sum of the similarities of linked pairs inside it: its centroid's norm
    brief: dict | None = None
    brief_key: str = ""  # what the brief was made from; a change means it is stale


def signature(text: str) -> MinHash:
    return minhash(shingles(text))


def restore_signature(values: np.ndarray) -> MinHash:
    """A MinHash from saved hash values, in the scheme `storybrief.dedupe.minhash` uses."""
    return MinHash(
        num_perm=NUM_PERM, seed=1, hashvalues=values.astype(_SIGNATURE_DTYPE), permutations=_PROBE.permutations, scheme=SIGNATURE_SCHEME
    )


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


def column(term: str) -> int:
    return murmurhash3_32(term, positive=True) % N_FEATURES


def weigh(tf: sp.csr_matrix, idf: np.ndarray, top: int = TOP_TERMS) -> sp.csr_matrix:
    """TF-IDF rows cut to their `top` heaviest terms and L2-normalised."""
    weighted = tf.copy()
    weighted.data = weighted.data * idf[weighted.indices]
    n = weighted.shape[0]
    lengths = np.diff(weighted.indptr)
    rows = np.repeat(np.arange(n), lengths)
    order = np.lexsort((-weighted.data, rows))
    rank = np.arange(len(order)) - weighted.indptr[rows[order]]
    keep = order[rank < top]
    pruned = sp.csr_matrix((weighted.data[keep], (rows[keep], weighted.indices[keep])), shape=weighted.shape, dtype=np.float32)
    return normalize(pruned, copy=False)


def idf_of(df: np.ndarray, n_docs: int) -> np.ndarray:
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def agglomerate(
    size: list[float], internal: list[float], fixed: list[bool], edges: dict[tuple[int, int], float], threshold: float
) -> list[int]:
    """Agglomerative merging over a sparse similarity graph; returns each group's final root.

    S(A,B) sums the pair similarities between two groups in the graph (pairs below the floor
    count as 0). Average linkage (LINKAGE = "average", the default) is S(A,B) / (|A| |B|), each
    size capped at MAX_NEIGHBOURS; centroid linkage is the cosine of the group centroids,
    S(A,B) / sqrt((|A| + 2 S(A,A)) (|B| + 2 S(B,B))). Both come from edge sums alone.
    Two fixed groups (known stories) never merge.
    """
    n = len(size)
    size, internal = list(size), list(internal)
    fixed = list(fixed)
    parent = list(range(n))
    version = [0] * n
    adjacent: list[dict[int, float]] = [dict() for _ in range(n)]
    for (a, b), s in edges.items():
        adjacent[a][b] = adjacent[a].get(b, 0.0) + s
        adjacent[b][a] = adjacent[b].get(a, 0.0) + s

    def norm(a: int) -> float:
        if LINKAGE == "average":
            # Capped: an article links to at most MAX_NEIGHBOURS others, so a big story is
            # judged on (at most) that many of its members, not diluted by all of them.
            return min(size[a], float(MAX_NEIGHBOURS))
        return math.sqrt(size[a] + 2.0 * internal[a])

    heap = []
    for a in range(n):
        for b, s in adjacent[a].items():
            if a < b and not (fixed[a] and fixed[b]):
                score = s / (norm(a) * norm(b))
                if score >= threshold:
                    heap.append((-score, a, b, 0, 0))
    heapq.heapify(heap)
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if parent[a] != a or parent[b] != b or version[a] != version_a or version[b] != version_b:
            continue  # stale: one side has merged or grown since this pair was scored
        if fixed[b] or (not fixed[a] and (size[b], -b) > (size[a], -a)):
            a, b = b, a  # the known story, else the bigger group, keeps its identity
        between = adjacent[a].pop(b)
        adjacent[b].pop(a)
        internal[a] += internal[b] + between
        size[a] += size[b]
        for c, s in adjacent[b].items():
            del adjacent[c][b]
            total = adjacent[a].get(c, 0.0) + s
            adjacent[a][c] = total
            adjacent[c][a] = total
        adjacent[b] = {}
        parent[b] = a
        version[a] += 1
        for c, s in adjacent[a].items():
            if fixed[a] and fixed[c]:
                continue
            score = s / (norm(a) * norm(c))
            if score >= threshold:
                heapq.heappush(heap, (-score, min(a, c), max(a, c), version[min(a, c)], version[max(a, c)]))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return [root(i) for i in range(n)]


@dataclass(repr=False)
class StoryIndex:
    """Stories seen so far; `add` assigns new articles to them or opens new ones.

    Story ids never change once given. Save with `save(folder)`, restore with
    `StoryIndex.load(folder)` (see `storybrief.state`).
    """

    threshold: float = THRESHOLD
    window_days: float = WINDOW_DAYS
    mutual_boost: float = MUTUAL_BOOST  # 1.0: no boost (and `place` skips noting closest similarities)
    articles: dict[str, Article] = field(default_factory=dict)  # every article, copies included
    row_of: dict[str, int] = field(default_factory=dict)  # article id -> its vector (its original's for a copy)
    row_ids: list[str] = field(default_factory=list)  # article id of each vector
    row_story: list[str] = field(default_factory=list)
    copies: dict[int, list[str]] = field(default_factory=dict)  # vector -> ids of its copies
    stories: dict[str, _StoryRecord] = field(default_factory=dict)
    next_story: int = 1
    notes: list[str] = field(default_factory=list)  # what the last `add` skipped or renamed
    # Vectors: raw log-tf rows, document frequencies, and the weighted rows as of `idf_docs` documents.
    tf: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, N_FEATURES), dtype=np.float32))
    df: np.ndarray = field(default_factory=lambda: np.zeros(N_FEATURES, dtype=np.int32))
    times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    signatures: np.ndarray = field(default_factory=lambda: np.zeros((0, NUM_PERM), dtype=np.uint64))
    # Per vector row, the MUTUAL_K highest similarities to other rows found so far (≥ FLOOR),
    # highest first, 0 where fewer were found: the bar a pair must reach to be mutual.
    top_similar: np.ndarray = field(default_factory=lambda: np.zeros((0, MUTUAL_K), dtype=np.float32))
    terms: dict[int, str] = field(default_factory=dict)  # hashed column -> a term that maps to it
    _vectors: sp.csr_matrix | None = None
    _idf: np.ndarray | None = None
    idf_docs: int = 0
    _lsh: MinHashLSH | None = None

    def __repr__(self) -> str:
        return f"StoryIndex({len(self.articles)} articles, {len(self.stories)} stories, threshold={self.threshold})"

    # ----- adding -------------------------------------------------------------------------

    def add(self, articles: Iterable[Article]) -> list[str | None]:
        """Story id for each article (None for one skipped: see `notes`), in input order."""
        self.notes = []
        self._seen_again: list[str] = []
        assigned: list[str | None] = []
        fresh: list[tuple[int, Article, str, Counter]] = []  # (position, article, text, counts)
        pending_copies: list[tuple[int, str, int]] = []  # (position, article id, row or -1-fresh index)
        fresh_lsh = copy_lsh()
        fresh_signatures: list[MinHash] = []
        lsh = self._copy_index()
        in_batch: dict[str, int] = {}  # id -> position, for articles of this batch
        repeats: list[tuple[int, int]] = []  # (position, position of the same article earlier in the batch)
        for position, article in enumerate(articles):
            assigned.append(None)
            if not isinstance(article, Article):
                raise StoryBriefError(f"expected an Article, not {type(article).__name__}")
            article = replace(article, copies=list(article.copies))  # the caller's object stays as it was
            if not article.text or not article.text.strip():
                self.notes.append(f"article {article.id or '(no id)'} has no text, skipped")
                continue
            article.id = article.id or "a" + hashlib.sha1(article.text.encode()).hexdigest()[:12]
            if article.id in in_batch and self.articles[article.id].text == article.text:
                repeats.append((position, in_batch[article.id]))  # placed below, with its first occurrence
                self._seen_again.append(article.id)
                continue
            known = self._known(article)
            if known is not None:
                assigned[position] = known
                continue
            text, counts = self._words(article)
            article.published = normalise_date(article.published)
            article.source = article.source or article.id
            self.articles[article.id] = article
            in_batch[article.id] = position
            found = signature(text)
            # An article with no words to group by (a placeholder) is a story of its own, never a
            # copy: empty signatures would all look identical.
            original = self._find_copy(found, lsh, fresh_lsh, fresh_signatures) if counts else None
            if original is not None:
                pending_copies.append((position, article.id, original))
                continue
            if counts:
                fresh_lsh.insert(len(fresh), found)
            fresh_signatures.append(found)
            fresh.append((position, article, text, counts))
        if self._seen_again:
            shown = ", ".join(self._seen_again[:3]) + (", ..." if len(self._seen_again) > 3 else "")
            self.notes.append(f"{len(self._seen_again)} article(s) seen before ({shown}) kept in their stories")
        first_new_row = len(self.row_ids)
        if fresh:
            self._append_rows(fresh, fresh_signatures)
            self._assign(first_new_row)
        for k, (position, _, _, _) in enumerate(fresh):
            assigned[position] = self.row_story[first_new_row + k]
        for position, article_id, original in pending_copies:
            row = original if original >= 0 else first_new_row + (-1 - original)
            self.copies.setdefault(row, []).append(article_id)
            self.row_of[article_id] = row
            assigned[position] = self.row_story[row]
        for position, first in repeats:
            assigned[position] = assigned[first]
        return assigned

    def _words(self, article: Article) -> tuple[str, Counter]:
        """The text an article is grouped by, and its term counts."""
        text = text_for_vectors(article)
        counts = term_counts(text)
        if not counts and text:  # all of it looked like page furniture (not a placeholder): use it as it is
            text = normalise(f"{article.title}\n{article.text}").strip()
            counts = term_counts(text)
        if not counts:
            self.notes.append(f"article {article.id}: no words to group it by, kept as a story of its own")
        return text, counts

    def place(self, articles: Iterable[Article], story_ids: Iterable[str], copy_of: Iterable[str | None] | None = None) -> None:
        """Put articles whose stories were decided before into the index, without regrouping them.

        For replaying a log of past decisions (the service rebuilds its index from its database):
        article k joins story `story_ids[k]` (created when unknown; pick ids that `add` never
        makes, i.e. not "s" + digits), as a copy of article `copy_of[k]` when that one is already
        placed in the same story, else as a vector of its own. Ids must be new to the index.
        The stories' `internal` sums stay 0: only centroid linkage (not the default) reads them.
        """
        self.notes = []
        self._copy_index()  # built from the rows held before this call; new rows are inserted into it below
        articles, story_ids = list(articles), list(story_ids)
        copy_of = list(copy_of) if copy_of is not None else [None] * len(articles)
        if not len(articles) == len(story_ids) == len(copy_of):
            raise StoryBriefError("place: one story id (and one copy_of) per article")
        fresh: list[tuple[int, Article, str, Counter]] = []
        fresh_signatures: list[MinHash] = []
        fresh_story: list[str] = []
        row_in_batch: dict[str, int] = {}  # article id -> index in fresh
        pending_copies: list[tuple[str, str]] = []  # (article id, original id)
        for position, (article, story_id, original) in enumerate(zip(articles, story_ids, copy_of)):
            if not article.id or article.id in self.articles:
                raise StoryBriefError(f"place: article id {article.id!r} is missing or already in the index")
            article = replace(article, copies=list(article.copies))
            article.published = normalise_date(article.published)
            article.source = article.source or article.id
            self.articles[article.id] = article
            if story_id not in self.stories:
                self.stories[story_id] = _StoryRecord(id=story_id, rows=[])
            if original is not None:
                original_story = (self.row_story[self.row_of[original]] if original in self.row_of
                                  else fresh_story[row_in_batch[original]] if original in row_in_batch else None)
                if original_story == story_id:
                    pending_copies.append((article.id, original))
                    continue
            text, counts = self._words(article)
            row_in_batch[article.id] = len(fresh)
            fresh.append((position, article, text, counts))
            fresh_signatures.append(signature(text))
            fresh_story.append(story_id)
        first = len(self.row_ids)
        if fresh:
            self._append_rows(fresh, fresh_signatures)
            for k, story_id in enumerate(fresh_story):
                self.row_story[first + k] = story_id
                self.stories[story_id].rows.append(first + k)
            # No regrouping, but the placed rows' closest similarities are noted, so that later
            # articles are judged mutual or not against them as after an `add` (a neighbour
            # search; skipped when nothing reads them).
            if self.mutual_boost != 1.0:
                self._note_similar(*self._unique_pairs(self.neighbours(first)))
        for article_id, original in pending_copies:
            row = self.row_of[original]
            self.copies.setdefault(row, []).append(article_id)
            self.row_of[article_id] = row

    def _known(self, article: Article) -> str | None:
        """The story of an article seen before (same id, same text); renames a reused id."""
        if article.id not in self.articles:
            return None
        if self.articles[article.id].text == article.text:
            self._seen_again.append(article.id)
            return self.row_story[self.row_of[article.id]] if article.id in self.row_of else None
        base, n = article.id, 2
        while f"{base}~{n}" in self.articles:
            n += 1
        article.id = f"{base}~{n}"
        self.notes.append(f"id {base} is used by a different article, renamed {article.id}")
        return self._known(article)

    def _copy_index(self) -> MinHashLSH:
        if self._lsh is None:
            self._lsh = copy_lsh()
            for row, values in enumerate(self.signatures):
                self._lsh.insert(row, restore_signature(values))
        return self._lsh

    def _find_copy(self, signature: MinHash, lsh: MinHashLSH, fresh_lsh: MinHashLSH, fresh_signatures: list[MinHash]) -> int | None:
        """The vector this text is a copy of: a row (≥ 0) or -1 - index among this batch's new ones."""
        best, best_similarity = None, COPY_THRESHOLD
        for row in lsh.query(signature):
            similarity = restore_signature(self.signatures[row]).jaccard(signature)
            if similarity >= best_similarity:
                best, best_similarity = row, similarity
        for k in fresh_lsh.query(signature):
            similarity = fresh_signatures[k].jaccard(signature)
            if similarity >= best_similarity:
                best, best_similarity = -1 - k, similarity
        return best

    def _append_rows(self, fresh: list[tuple[int, Article, str, Counter]], signatures: list[MinHash]) -> None:
        indptr, indices, data = [0], [], []
        for _, article, _, counts in fresh:
            row: dict[int, float] = {}
            for term, count in counts.items():
                col = column(term)
                row[col] = row.get(col, 0.0) + count
                if col not in self.terms:
                    self.terms[col] = term
            indices.extend(row)
            data.extend(1.0 + math.log(c) for c in row.values())
            indptr.append(len(indices))
        rows = sp.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
            shape=(len(fresh), N_FEATURES),
        )
        rows.sort_indices()
        np.add.at(self.df, rows.indices, 1)
        self.tf = sp.vstack([self.tf, rows], format="csr") if self.tf.shape[0] else rows
        times = [parse_date(a.published) for _, a, _, _ in fresh]
        self.times = np.concatenate([self.times, [t.timestamp() if t else np.nan for t in times]])
        self.signatures = np.vstack([self.signatures, np.array([s.hashvalues for s in signatures], dtype=np.uint64)])
        self.top_similar = np.vstack([self.top_similar, np.zeros((len(fresh), MUTUAL_K), dtype=np.float32)])
        lsh = self._copy_index()
        first = len(self.row_ids)
        for k, signature in enumerate(signatures):
            lsh.insert(first + k, signature)
        for k, (_, article, _, _) in enumerate(fresh):
            self.row_of[article.id] = first + k
            self.row_ids.append(article.id)
            self.row_story.append("")
        self._refresh_vectors(first)

    def _refresh_vectors(self, first_new: int) -> None:
        """Weigh the new rows; re-weigh all when the corpus has grown enough to move the IDF."""
        n_docs = self.tf.shape[0]
        if self._vectors is None or self._idf is None or n_docs > IDF_REFRESH * self.idf_docs or self._vectors.shape[0] != first_new:
            self._idf = idf_of(self.df, n_docs)
            self.idf_docs = n_docs
            self._vectors = weigh(self.tf, self._idf)
        else:
            self._vectors = sp.vstack([self._vectors, weigh(self.tf[first_new:], self._idf)], format="csr")

    def vectors(self) -> sp.csr_matrix:
        if self._vectors is None or self._vectors.shape[0] != self.tf.shape[0]:
            self._vectors = None
            self._refresh_vectors(0)
        return self._vectors

    def neighbours(self, first_new: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs (new row i, any row j) with similarity ≥ FLOOR: at most MAX_NEIGHBOURS per
        new row, dated pairs only within the time window."""
        vectors = self.vectors()
        # A few new rows (the service adds one at a time): multiply the matrix by their columns
        # rather than transpose the whole matrix for each call. Same products.
        transposed = None if vectors.shape[0] - first_new <= FEW_NEW else vectors.T.tocsr()
        found_i, found_j, found_s = [], [], []
        window = self.window_days * 86400.0
        for start in range(first_new, vectors.shape[0], BLOCK_ROWS):
            rows = vectors[start:start + BLOCK_ROWS]
            block = (rows @ transposed).tocsr() if transposed is not None else (vectors @ rows.T).T.tocsr()
            block.data[block.data < FLOOR] = 0
            block.eliminate_zeros()
            block = block.tocoo()
            i = block.row.astype(np.int64) + start
            j = block.col.astype(np.int64)
            s = block.data
            # Pairs of two new rows come twice, (i, j) and (j, i): both stay for the per-row
            # cap; `_unique_pairs` keeps each pair once.
            keep = j != i
            if window > 0:
                ti, tj = self.times[i], self.times[j]
                keep &= ~(np.abs(ti - tj) > window)  # NaN (undated) compares False: kept
            i, j, s = i[keep], j[keep], s[keep]
            order = np.lexsort((-s, i))
            i, j, s = i[order], j[order], s[order]
            starts = np.searchsorted(i, i, side="left")
            rank = np.arange(len(i)) - starts
            keep = rank < MAX_NEIGHBOURS
            found_i.append(i[keep])
            found_j.append(j[keep])
            found_s.append(s[keep])
        if not found_i:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)

    @staticmethod
    def _unique_pairs(pairs: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each pair once, as (lower row, higher row, similarity): `neighbours` gives a pair of
        two new rows twice, (i, j) and (j, i)."""
        i, j, s = pairs
        low, high = np.minimum(i, j), np.maximum(i, j)
        _, first = np.unique(low * (int(high.max(initial=0)) + 1) + high, return_index=True)
        return low[first], high[first], s[first]

    def _note_similar(self, low: np.ndarray, high: np.ndarray, similarity: np.ndarray) -> None:
        """Fold newly found pair similarities into each row's MUTUAL_K highest (`top_similar`)."""
        if not len(low):
            return
        rows = np.concatenate([low, high])
        values = np.concatenate([similarity, similarity]).astype(np.float32)
        touched = np.unique(rows)
        rows = np.concatenate([rows, np.repeat(touched, MUTUAL_K)])
        values = np.concatenate([values, self.top_similar[touched].ravel()])
        order = np.lexsort((-values, rows))
        rows, values = rows[order], values[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        keep = rank < MUTUAL_K  # every touched row has at least MUTUAL_K entries: its old ones
        self.top_similar[rows[keep], rank[keep]] = values[keep]

    def _linkage_weights(self, low: np.ndarray, high: np.ndarray, similarity: np.ndarray) -> np.ndarray:
        """Pair similarities as the linkage counts them: mutual pairs boosted (average linkage
        only; centroid linkage needs the plain cosines)."""
        if LINKAGE != "average" or self.mutual_boost == 1.0:
            return similarity
        bar = self.top_similar[:, MUTUAL_K - 1]
        mutual = (similarity >= bar[low]) & (similarity >= bar[high])
        return np.where(mutual, similarity * self.mutual_boost, similarity)

    def _assign(self, first_new: int) -> None:
        """Merge the new rows into known stories or new ones."""
        low, high, similarity = self._unique_pairs(self.neighbours(first_new))
        self._note_similar(low, high, similarity)
        weights = self._linkage_weights(low, high, similarity)
        # Only the known stories linked to a new row take part: known stories never merge with
        # each other, so the others cannot change (and the merging stays small for a few new rows).
        # A known row is always the lower one of its pair (known rows come before new ones).
        touched = {self.row_story[j] for j in low[low < first_new].tolist()}
        known = [self.stories[key] for key in self.stories if key in touched]  # in the order stories were made
        cluster_of_story = {record.id: k for k, record in enumerate(known)}
        n_rows = len(self.row_ids)
        n_known = len(known)
        node = lambda row: cluster_of_story[self.row_story[row]] if row < first_new else n_known + row - first_new  # noqa: E731
        size = [float(len(r.rows)) for r in known] + [1.0] * (n_rows - first_new)
        internal = [r.internal for r in known] + [0.0] * (n_rows - first_new)
        fixed = [True] * n_known + [False] * (n_rows - first_new)
        edges: dict[tuple[int, int], float] = {}
        for i, j, s in zip(low.tolist(), high.tolist(), weights.tolist()):
            a, b = node(i), node(j)
            if a == b:
                continue
            key = (min(a, b), max(a, b))
            edges[key] = edges.get(key, 0.0) + s
        roots = agglomerate(size, internal, fixed, edges, self.threshold)
        # Internal similarity of every group after merging, for centroid norms in later runs.
        gained: dict[int, float] = {}
        for (a, b), s in edges.items():
            if roots[a] == roots[b]:
                gained[roots[a]] = gained.get(roots[a], 0.0) + s
        new_ids: dict[int, str] = {}
        for k in range(n_rows - first_new):
            row = first_new + k
            root = roots[n_known + k]
            if root < n_known:
                record = known[root]
            elif root in new_ids:
                record = self.stories[new_ids[root]]
            else:
                record = _StoryRecord(id=self._new_story_id(), rows=[])
                self.stories[record.id] = record
                new_ids[root] = record.id
            record.rows.append(row)
            self.row_story[row] = record.id
        for root, s in gained.items():
            record = known[root] if root < n_known else self.stories[new_ids[root]]
            record.internal += s

    def _new_story_id(self) -> str:
        story_id = f"s{self.next_story:05d}"
        self.next_story += 1
        return story_id

    # ----- reading ------------------------------------------------------------------------

    def story_articles(self, story_id: str) -> list[Article]:
        """Every article of a story, copies included, oldest first (undated ones last, in order seen)."""
        record = self.stories[story_id]
        ids = []
        for row in sorted(record.rows):
            ids.append(self.row_ids[row])
            ids.extend(self.copies.get(row, []))
        articles = [self.articles[i] for i in ids]
        dated = sorted((a for a in articles if a.published), key=lambda a: a.published)
        return dated + [a for a in articles if not a.published]

    def label(self, story_id: str) -> str:
        """The title of the article closest to the story's centroid, else its top key phrase."""
        rows = sorted(self.stories[story_id].rows)
        vectors = self.vectors()[rows]
        centroid = np.asarray(vectors.sum(axis=0)).ravel()
        titled = [k for k, row in enumerate(rows) if self.articles[self.row_ids[row]].title.strip()]
        if titled:
            closeness = vectors[titled] @ centroid
            return self.articles[self.row_ids[rows[titled[int(np.argmax(closeness))]]]].title.strip()
        return self.key_phrase(rows, centroid)

    def key_phrase(self, rows: list[int], centroid: np.ndarray) -> str:
        """The story's most telling two-word phrase (repeated, made of its heaviest words), else its top word."""
        phrases: Counter = Counter()
        for row in rows:
            phrases.update(set(_PHRASES(text_for_vectors(self.articles[self.row_ids[row]]))))
        # A phrase scores by how often the story uses it and how heavy its words are in the story.
        scored = [
            (count * sum(centroid[column(word)] for word in phrase.split()), phrase)
            for phrase, count in phrases.items() if count >= 2 or len(rows) == 1
        ]
        if scored and max(scored)[0] > 0:
            return max(scored)[1]
        top = [c for c in np.argsort(-centroid)[:5] if centroid[c] > 0 and c in self.terms]
        return self.terms[top[0]] if top else self.row_ids[rows[0]]

    def story(self, story_id: str, brief: bool = False, words: int = 150) -> Story:
        articles = self.story_articles(story_id)
        sources: list[str] = []
        for article in articles:
            if article.source not in sources:
                sources.append(article.source)
        dates = [a.published for a in articles if a.published]
        story = Story(
            id=story_id,
            label=self.label(story_id),
            articles=[a.id for a in articles],
            sources=sources,
            start=min(dates) if dates else "",
            end=max(dates) if dates else "",
            copies={self.row_ids[row]: list(self.copies[row]) for row in sorted(self.stories[story_id].rows) if self.copies.get(row)},
        )
        if brief:
            story.brief = self.brief(story_id, words)
        return story

    def all_stories(self, brief: bool = False, words: int = 150, engine=None) -> list[Story]:
        """Every story, biggest first, then by id; briefs made on `engine` (see `briefs`)."""
        ordered = sorted(self.stories.values(), key=lambda r: (-(len(r.rows) + sum(len(self.copies.get(x, [])) for x in r.rows)), r.id))
        found = [self.story(r.id, words=words) for r in ordered]
        if brief:
            for story, (_, made) in zip(found, self.briefs([s.id for s in found], words, engine)):
                story.brief = made
        return found

    def brief(self, story_id: str, words: int = 150) -> Brief | None:
        """The story's brief (`storybrief.summarize`), kept until the story gains articles."""
        return dict(self.briefs([story_id], words))[story_id]

    def briefs(self, story_ids: Iterable[str], words: int = 150, engine=None) -> Iterator[tuple[str, Brief | None]]:
        """(story id, brief or None) for each story, in order. Briefs kept from before are reused;
        the others are made on `engine` (`storybrief.engines`: a process pool spreads them over
        the cores; default: in this process) and kept. A story that cannot be briefed gets None
        and a note."""
        from storybrief.engines import SerialEngine

        jobs: list[tuple[str, str, list[dict]]] = []
        for story_id in story_ids:
            record = self.stories[story_id]
            articles = self.story_articles(story_id)
            key = f"{words}:" + hashlib.sha1("\n".join(a.id for a in articles).encode()).hexdigest()
            if record.brief is not None and record.brief_key == key:
                jobs.append((story_id, key, []))
            else:
                jobs.append((story_id, key, [_article_fields(a) for a in articles]))
        to_make = [(story_id, words, fields) for story_id, _, fields in jobs if fields]
        chunks = [to_make[k:k + BRIEF_CHUNK] for k in range(0, len(to_make), BRIEF_CHUNK)]
        made = (outcome for chunk in (engine or SerialEngine()).map(
            _brief_stories, chunks, split=lambda chunk: [[job] for job in chunk],
            lost=lambda chunk, exc: [(job[0], None, f"its worker died ({exc})") for job in chunk],
        ) for outcome in chunk)
        for story_id, key, fields in jobs:
            record = self.stories[story_id]
            if not fields:
                yield story_id, Brief.from_dict(record.brief)
                continue
            made_id, brief, error = next(made)
            assert made_id == story_id  # engines keep the order of chunks
            if brief is None:
                self.notes.append(f"story {story_id}: no brief ({error})")
                yield story_id, None
                continue
            record.brief, record.brief_key = brief, key
            yield story_id, Brief.from_dict(brief)

    def save(self, folder: str | Path) -> None:
        from storybrief.stories.state import save_index

        save_index(self, folder)

    @classmethod
    def load(cls, folder: str | Path, **settings) -> StoryIndex:
        """The index saved in `folder`, or a new empty one when the folder has none."""
        from storybrief.stories.state import load_index

        return load_index(folder, **settings)


BRIEF_CHUNK = 8  # stories per task sent to a worker: few enough to balance, enough to amortise


def _article_fields(article: Article) -> dict:
    return {"text": article.text, "id": article.id, "title": article.title, "source": article.source,
            "path": article.path, "url": article.url, "published": article.published}


def _brief_stories(chunk: list[tuple[str, int, list[dict]]]) -> list[tuple[str, dict | None, str]]:
    """(story id, brief as a dict or None, why not) for each (story id, words, article fields):
    runs in a worker process, so it reports every failure instead of raising."""
    from storybrief.pipeline import summarize

    out = []
    for story_id, words, fields in chunk:
        try:
            out.append((story_id, summarize([Article(**f) for f in fields], words=words).to_dict(), ""))
        except StoryBriefError as exc:
            out.append((story_id, None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug in one story must not lose the others
            out.append((story_id, None, f"internal error: {type(exc).__name__}: {exc}"))
    return out


def as_articles(items: Iterable[Article | dict | str | Path]) -> tuple[list[Article], list[str]]:
    """Articles from Article objects, article dicts, paths (files, folders, feeds, JSONL) or texts."""
    from storybrief.feeds import read_jsonl, read_pile, unique_ids
    from storybrief.load import is_existing_path

    articles: list[Article] = []
    notes: list[str] = []
    paths = []
    for item in items:
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, dict):
            import json

            articles.extend(read_jsonl([json.dumps(item)], "article", notes))
        elif isinstance(item, Path) or is_existing_path(item):
            paths.append(item)
        elif isinstance(item, str):
            articles.append(Article(text=item))
        else:
            raise StoryBriefError(f"cannot read an article from {type(item).__name__}")
    if paths:
        pile = read_pile(paths)
        articles.extend(pile.articles)
        notes.extend(pile.notes)
    return unique_ids(articles, notes), notes


def group(
    articles: Iterable[Article | dict | str | Path],
    threshold: float = THRESHOLD,
    window_days: float = WINDOW_DAYS,
    brief: bool = True,
    words: int = 150,
) -> list[Story]:
    """Stories in a pile of articles, biggest first, each with its brief unless `brief=False`.

    Articles are `Article` objects, dicts like a JSONL line, paths, or texts.
    """
    found, _ = as_articles(articles)
    if not found:
        raise StoryBriefError("no articles with text to group")
    index = StoryIndex(threshold=threshold, window_days=window_days)
    index.add(found)
    return index.all_stories(brief=brief, words=words)
