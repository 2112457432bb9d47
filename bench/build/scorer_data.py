"""Shared pieces of the scorer's training and dev-evaluation scripts.

Multi-News clusters are run through the pipeline's own stages up to the representation (so
the model sees exactly what `storybrief.summarize` gives a scorer), cached on disk; per-sentence
labels are ROUGE-1/2 overlap counts with the reference, computed with the rouge-score
tokeniser and Porter stemmer that the evaluation uses.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import pickle
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import blingfire
import numpy as np
from nltk.stem import porter
from rouge_score import rouge_scorer, tokenize

from bench.data import BENCH_DATA, multinews
from bench.measure.duc import articles_of, read_jsonl
from storybrief.brief import pipeline
from storybrief.brief.represent import Representation, represent
from storybrief.errors import StoryBriefError
from storybrief.types import Article, Sentence

CACHE = Path(os.environ.get("STORYBRIEF_CACHE", "/tmp/storybrief_scorer_cache"))


def pipeline_version() -> str:
    """Hash of the stages before scoring: a cached cluster is stale once any of them changes."""
    import hashlib
    import inspect

    from storybrief import text
    from storybrief.brief import clean, dedupe, pipeline, readable, represent, segment, trim
    from storybrief.io import story

    stages = (story, text, clean, trim, dedupe, segment, readable, represent, pipeline)
    source = "".join(inspect.getsource(m) for m in stages)
    return hashlib.md5(source.encode()).hexdigest()[:10]


@dataclass
class Cluster:
    id: str
    sentences: list[Sentence]
    representation: Representation
    merged: list[Article]
    reference: str


def read_split(split: str, start: int, stop: int) -> list[dict]:
    with gzip.open(multinews(split), "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in itertools.islice(f, start, stop)]


def cluster_of(record: dict) -> Cluster | None:
    """The pipeline up to `represent`, by the pipeline's own `prepare` and `represent` (so the model
    trains on what it is used on); None for a record the pipeline refuses."""
    try:
        prepared = pipeline.prepare([Article(text=d) for d in record["documents"] if d.strip()])
    except StoryBriefError:
        return None
    sentences = prepared.sentences
    return Cluster(str(record.get("id", "")), sentences, represent(sentences), prepared.merged, record["summary"])


def clusters(split: str, start: int, stop: int) -> list[Cluster]:
    path = CACHE / f"{split}_{start}_{stop}_{pipeline_version()}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = [c for c in (cluster_of(r) for r in read_split(split, start, stop)) if c is not None]
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


CHUNK = 2000


def train_clusters(count: int) -> list[Cluster]:
    """The first `count` train records (a multiple of CHUNK), cached in chunks of CHUNK so larger
    runs reuse smaller ones. Clusters the pipeline rejects (nothing left after cleaning) are skipped."""
    if count % CHUNK:
        raise ValueError(f"train size must be a multiple of {CHUNK}")
    out: list[Cluster] = []
    for start in range(0, count, CHUNK):
        out.extend(clusters("train", start, start + CHUNK))
    return out


def duc_topics(corpus: str) -> set[str]:
    """The topic ids of a DUC corpus built by `python -m bench.build.duc` (an update set "D0703A-B"
    is topic "D0703A")."""
    return {record["id"].split("-")[0] for record in read_jsonl(BENCH_DATA / f"{corpus}.jsonl")}


def duc_clusters(corpus: str) -> list[Cluster]:
    """The topics of a DUC corpus built by `python -m bench.build.duc` that have references, as
    training clusters: all their articles (with titles and dates, as `bench.measure.duc` briefs
    them), the references joined (cached)."""
    records = [r for r in read_jsonl(BENCH_DATA / f"{corpus}.jsonl") if r["references"]]
    path = CACHE / f"train-{corpus}_{pipeline_version()}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    for record in records:
        prepared = pipeline.prepare(articles_of(record))
        out.append(Cluster(record["id"], prepared.sentences, represent(prepared.sentences), prepared.merged,
                           "\n".join(record["references"])))
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


_STEMMER = porter.PorterStemmer()


@lru_cache(maxsize=500_000)
def _stem(token: str) -> str:
    return _STEMMER.stem(token) if len(token) > 3 else token


def rouge_tokens(text: str) -> list[str]:
    """rouge-score's tokenisation (lower-case, alphanumeric runs, Porter stems of words over 3 letters)."""
    return [_stem(t) for t in tokenize.tokenize(text, None)]


def overlap_labels(cluster: Cluster) -> np.ndarray:
    """Per sentence: [unigram overlap, bigram overlap, rouge tokens] against the reference (clipped counts)."""
    reference = rouge_tokens(cluster.reference)
    ref1 = Counter(reference)
    ref2 = Counter(zip(reference, reference[1:]))
    rows = []
    for s in cluster.sentences:
        tokens = rouge_tokens(s.text)
        c1 = Counter(tokens)
        c2 = Counter(zip(tokens, tokens[1:]))
        rows.append(
            (
                sum(min(v, ref1[k]) for k, v in c1.items()),
                sum(min(v, ref2[k]) for k, v in c2.items()),
                len(tokens),
            )
        )
    return np.array(rows, dtype=float).reshape(-1, 3)


def reference_size(cluster: Cluster) -> tuple[int, int]:
    tokens = rouge_tokens(cluster.reference)
    return len(tokens), max(len(tokens) - 1, 1)


def brief_text(cluster: Cluster, scores: np.ndarray, words: int, per_word: bool = False, **select_options) -> str:
    """Select and order as the pipeline does; one sentence a line (for rougeLsum)."""
    ordered, sentences = pipeline.compose(
        cluster.sentences, scores, cluster.representation, cluster.merged, words, per_word=per_word, **select_options
    )
    return "\n".join(sentences[i].text for i in ordered)


_SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)


def split_reference(reference: str) -> str:
    text = reference.strip().lstrip("–-— ").strip()
    return "\n".join(p.strip() for p in blingfire.text_to_sentences(text).split("\n") if p.strip())


def rouge(candidate: str, reference: str) -> tuple[float, float, float]:
    """ROUGE-1, ROUGE-2, ROUGE-Lsum F1 ×100 (Porter stemmer)."""
    scores = _SCORER.score(split_reference(reference), candidate)
    return (100 * scores["rouge1"].fmeasure, 100 * scores["rouge2"].fmeasure, 100 * scores["rougeLsum"].fmeasure)
