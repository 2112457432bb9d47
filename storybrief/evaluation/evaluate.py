"""Measure briefs against reference summaries: ROUGE with confidence intervals, speed, memory.

Reads `{"id", "documents", "summary"}` lines (Multi-News), briefs each cluster with one or more
StoryBrief methods and, optionally, the peer systems of `storybrief.evaluation.peers` under the same word
budget, and returns a report dict. How each figure is measured:

- ROUGE-1/2/Lsum F1 from the `rouge-score` package with Porter stemming. For ROUGE-Lsum the
  reference is split into sentences with StoryBrief's splitter and the candidate keeps its own
  sentences, both joined with newlines.
- A 95% percentile bootstrap interval of each mean, resampling clusters; the same resamples are
  used for every system (paired), so intervals of systems are comparable.
- Speed: wall-clock time of each system's own work on each cluster, summed. StoryBrief runs its
  whole pipeline from the raw documents; a peer is charged the shared preparation (clean, dedupe,
  segment: what gives it the same sentences StoryBrief sees) plus its ranking and the budget.
  A second figure leaves the preparation out: a peer's ranking alone, and StoryBrief's total
  less its own `pipeline.prepare` call, timed inside the same run. Reading the file and
  scoring ROUGE are not timed.
- The oracle (`peers.OraclePeer`) is a heuristic search; on a cluster where a system's summary
  beats it on its own objective, that summary stands as the oracle's (`ceiling`), so the oracle
  row is a true per-cluster ceiling, and the report says how often that happened.
- Peak memory: in a second pass over the largest clusters, the tracemalloc peak of each system's
  work on one cluster (Python and NumPy allocations), the maximum over those clusters.
"""

from __future__ import annotations

import os
import platform
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from storybrief import __version__
from storybrief.batch import cluster_of, read_lines
from storybrief.brief import pipeline
from storybrief.brief.clean import normalise
from storybrief.brief.score import Scorer, abilities, get_scorer
from storybrief.brief.segment import split_sentences
from storybrief.errors import InputError, StoryBriefError
from storybrief.evaluation.intruder import IntruderCount, add_intruders, intruder_of
from storybrief.evaluation.peers import BASELINES, Peer, fit_budget, get_peer, require
from storybrief.evaluation.readability import Readability
from storybrief.io.story import json_object
from storybrief.text import id_of
from storybrief.types import EVALUATION_WORDS, Article, Brief, Sentence

METRICS = ("rouge1", "rouge2", "rougeLsum")
LABELS = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeLsum": "ROUGE-Lsum"}
RESAMPLES = 1000
CONFIDENCE = 0.95
MEMORY_CLUSTERS = 10


@dataclass
class Cluster:
    id: str
    line: int
    articles: list[Article]
    reference: str  # reference summary, one sentence a line

    @property
    def words(self) -> int:
        return sum(a.words for a in self.articles)


@dataclass
class Skipped:
    line: int
    id: str
    reason: str


def reference_lines(summary: str) -> str:
    """The reference summary as sentences joined by newlines, split as StoryBrief splits articles."""
    return "\n".join(split_sentences(normalise(summary)))


def parse_cluster(line: str, number: int, name: str) -> Cluster:
    """One data line as a cluster; an `InputError` saying what is wrong with it otherwise."""
    record = json_object(line)
    summary = record.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise InputError('no reference: "summary" must be a non-empty string')
    cluster_id, articles = cluster_of(record, number, name)
    dates = record.get("dates")
    if isinstance(dates, list) and len(dates) == len(articles) and all(isinstance(d, str) for d in dates):
        for article, day in zip(articles, dates):  # dated corpora (DUC): the brief orders and dates events
            article.published = day
    reference = reference_lines(summary)
    if not reference:
        raise InputError('no reference: "summary" has no sentence')
    return Cluster(cluster_id, number, articles, reference)


def read_clusters(path: str | Path, skipped: list[Skipped], limit: int | None = None) -> Iterator[Cluster]:
    """Clusters of a JSONL(.gz) file; a bad line is recorded in `skipped` with its number and reason."""
    name = str(path)
    if name != "-" and not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    count = 0
    for number, line in read_lines(path):
        if limit is not None and count >= limit:
            return
        try:
            cluster = parse_cluster(line, number, name)
        except StoryBriefError as exc:
            skipped.append(Skipped(number, id_of(line, number), _strip_location(str(exc), name, number)))
            continue
        count += 1
        yield cluster


def _strip_location(message: str, name: str, number: int) -> str:
    prefix = f"{name}:{number}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def candidate_sentences(articles: list[Article]) -> list[Sentence]:
    """The sentences StoryBrief chooses from: the pipeline's load → clean → dedupe → segment."""
    return pipeline.prepare(articles).sentences


# --- systems ----------------------------------------------------------------------------------


@dataclass
class Output:
    sentences: list[str]
    seconds: float  # documents in, summary out (a peer is charged the shared preparation)
    ranking_seconds: float  # the part after the shared preparation (see `StoryBriefSystem.run`)
    # Where each sentence comes from: (merged article, sentence index), as `pipeline.prepare` numbers them.
    origins: list[tuple[int, int]] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(s.split()) for s in self.sentences)


class StoryBriefSystem:
    """A StoryBrief method, run end to end from the raw documents."""

    kind = "storybrief"

    def __init__(self, method: str, words: int):
        self.method = method
        self.words = words
        self.scorer: Scorer = get_scorer(method)  # built once: a learned scorer loads its model here
        resolved = abilities(self.scorer)[0]
        self.name = f"storybrief {method}" + (f" ({resolved})" if resolved != method else "")

    def run(self, cluster: Cluster, shared: pipeline.Prepared | None, prepare_seconds: float) -> Output:
        # Its own preparation, timed apart from the rest of the same call.
        start = time.perf_counter()
        prepared = pipeline.prepare(cluster.articles)
        ready = time.perf_counter()
        brief = pipeline.brief_prepared(prepared, self.words, self.scorer)
        end = time.perf_counter()
        return Output([s.text for s in brief.sentences], end - start, end - ready, brief_origins(brief, prepared))


class PeerSystem:
    """A peer ranking StoryBrief's sentences, cut to the budget by `fit_budget`."""

    kind = "peer"

    def __init__(self, peer: Peer, words: int):
        self.peer = peer
        self.name = peer.name
        self.words = words
        self.oracle = getattr(peer, "needs_reference", False)
        if self.oracle:
            self.kind = "oracle"

    def run(self, cluster: Cluster, shared: pipeline.Prepared | None, prepare_seconds: float) -> Output:
        sentences = shared.sentences if shared is not None else candidate_sentences(cluster.articles)
        start = time.perf_counter()
        ranking = self.peer.rank(sentences, cluster.reference if self.oracle else "")
        chosen = fit_budget(ranking, [s.words for s in sentences], self.words)
        seconds = time.perf_counter() - start
        # Document order, as the peers' own libraries return their summaries.
        chosen = sorted(chosen)
        return Output(
            [sentences[i].text for i in chosen],
            seconds + prepare_seconds,
            seconds,
            [(sentences[i].article, sentences[i].index) for i in chosen],
        )


def brief_origins(brief: Brief, prepared: pipeline.Prepared) -> list[tuple[int, int]]:
    """(merged article, sentence index) of each brief sentence; the brief names its source number."""
    merged_of = {}
    for a, article in enumerate(prepared.merged):
        for article_id in [article.id, *article.copies]:
            merged_of[article_id] = a
    return [(merged_of[prepared.originals[s.origin["article"] - 1].id], s.origin["index"]) for s in brief.sentences]


def build_systems(methods: list[str], baselines: list[str], words: int) -> list:
    systems: list = [StoryBriefSystem(m, words) for m in methods]
    systems.extend(PeerSystem(get_peer(b, words), words) for b in baselines)
    return systems


# --- statistics -------------------------------------------------------------------------------


def bootstrap_indices(n: int, resamples: int = RESAMPLES, seed: int = 0) -> np.ndarray:
    """`resamples` rows of `n` cluster indices drawn with replacement; shared by all systems."""
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def bootstrap_interval(
    values: np.ndarray, indices: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float, float]:
    """Mean and percentile bootstrap interval of the mean."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan"), float("nan")
    means = values[indices].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(values.mean()), float(low), float(high)


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "threads": {
            k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ
        },
    }


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


# --- the run ----------------------------------------------------------------------------------


def evaluate(
    path: str | Path,
    words: int = EVALUATION_WORDS,
    limit: int | None = None,
    methods: list[str] | None = None,
    baselines: list[str] | bool = False,
    resamples: int = RESAMPLES,
    seed: int = 0,
    memory_clusters: int = MEMORY_CLUSTERS,
    progress: Callable[[int], None] | None = None,
    per_cluster: bool = False,
    intruder: bool = False,
) -> dict:
    """Evaluate StoryBrief `methods` (and peers) on a JSONL(.gz) file; returns the report dict.

    `baselines` is True for every peer, or a list of peer names (see `storybrief.evaluation.peers.PEERS`).
    A cluster that any system cannot brief is skipped for all of them, so every system is scored
    on the same clusters. `per_cluster` adds each system's scores cluster by cluster.
    `intruder`: each cluster gets an article of another cluster (`evaluation.intruder`), and
    the report says how much of each system's briefs came from it.
    """
    if not isinstance(words, int) or words < 1:
        raise StoryBriefError(f"words must be a positive whole number, not {words!r}")
    if limit is not None and limit < 1:
        raise StoryBriefError(f"limit must be at least 1, not {limit}")
    rouge = require("rouge_score.rouge_scorer", "evaluate").RougeScorer(list(METRICS), use_stemmer=True)
    methods = list(dict.fromkeys(methods or ["default"]))
    peers = BASELINES if baselines is True else list(dict.fromkeys(baselines or []))
    systems = build_systems(methods, peers, words)
    oracle = next((s.name for s in systems if s.kind == "oracle"), None)
    fallbacks = 0
    ids: list[str] = []

    skipped: list[Skipped] = []
    readability = {s.name: Readability() for s in systems}
    intruders = {s.name: IntruderCount() for s in systems}
    scores = {s.name: {m: [] for m in METRICS} for s in systems}
    lengths: dict[str, list[int]] = {s.name: [] for s in systems}
    seconds = dict.fromkeys((s.name for s in systems), 0.0)
    ranking_seconds = dict.fromkeys((s.name for s in systems), 0.0)
    input_words: list[int] = []
    sentence_counts: list[int] = []
    article_counts: list[int] = []
    prepare_seconds = 0.0
    largest: list[tuple[int, int, Cluster]] = []
    evaluated = 0
    clusters: Iterable[Cluster] = read_clusters(path, skipped, limit)
    if intruder:
        clusters = list(clusters)
        clusters = [
            replace(c, articles=a) for c, a in zip(clusters, add_intruders([c.articles for c in clusters], seed))
        ]
    for cluster in clusters:
        try:
            start = time.perf_counter()
            shared = pipeline.prepare(cluster.articles)
            sentences = shared.sentences
            prepared = time.perf_counter() - start
            outputs = [system.run(cluster, shared, prepared) for system in systems]
        except StoryBriefError as exc:
            skipped.append(Skipped(cluster.line, cluster.id, str(exc)))
            continue
        results = {}
        for system, output in zip(systems, outputs):
            if output.words > words:  # a bug, not an input problem: every system must obey the budget
                raise AssertionError(
                    f"{system.name} wrote {output.words} words on cluster {cluster.id}, over the budget of {words}"
                )
            result = rouge.score(cluster.reference, "\n".join(output.sentences))
            results[system.name] = ({m: result[m].fmeasure for m in METRICS}, output.words)
            readability[system.name].add(output.sentences, output.origins)
            if intruder:
                guest = intruder_of(shared.merged)
                own = len({s.article for s in sentences if s.article != guest})
                intruders[system.name].add([a for a, _ in output.origins], guest, own)
            seconds[system.name] += output.seconds
            ranking_seconds[system.name] += output.ranking_seconds
        if oracle is not None:
            fallbacks += ceiling(results, oracle)
        for name, (result, length) in results.items():
            for metric in METRICS:
                scores[name][metric].append(result[metric])
            lengths[name].append(length)
        ids.append(cluster.id)
        prepare_seconds += prepared
        input_words.append(cluster.words)
        sentence_counts.append(len(sentences))
        article_counts.append(len(cluster.articles))
        evaluated += 1
        largest = sorted([*largest, (cluster.words, -evaluated, cluster)], key=lambda t: t[:2], reverse=True)[
            :memory_clusters
        ]
        if progress is not None:
            progress(evaluated)
    if not evaluated:
        reasons = "; ".join(f"line {s.line}: {s.reason}" for s in skipped[:3])
        raise InputError(f"{path}: no cluster could be evaluated" + (f" ({reasons})" if reasons else ""))

    peaks = peak_memory(systems, [c for _, _, c in largest])
    indices = bootstrap_indices(evaluated, resamples, seed)
    report_systems = []
    for system in systems:
        entry = {"name": system.name, "kind": system.kind}
        if isinstance(system, StoryBriefSystem):
            entry["method"] = system.method
        for metric in METRICS:
            mean, low, high = bootstrap_interval(np.array(scores[system.name][metric]), indices)
            entry[metric] = {"mean": mean, "low": low, "high": high}
        entry["words"] = float(np.mean(lengths[system.name]))
        entry["seconds"] = seconds[system.name]
        entry["clusters_per_second"] = _rate(evaluated, seconds[system.name])
        entry["ranking_seconds"] = ranking_seconds[system.name]
        entry["ranking_clusters_per_second"] = _rate(evaluated, ranking_seconds[system.name])
        entry["peak_memory_mib"] = peaks[system.name]
        entry["readability"] = readability[system.name].to_dict()
        if intruder:
            entry["intruder"] = intruders[system.name].to_dict()
        if system.name == oracle:
            entry["search_beaten"] = fallbacks / evaluated
        if system is not systems[0]:
            # Paired: the first system's score minus this one's on each cluster, resampled alike.
            entry["difference"] = {
                "from": systems[0].name,
                **{
                    metric: dict(
                        zip(
                            ("mean", "low", "high"),
                            bootstrap_interval(
                                np.array(scores[systems[0].name][metric]) - np.array(scores[system.name][metric]),
                                indices,
                            ),
                        )
                    )
                    for metric in METRICS
                },
            }
        if per_cluster:
            entry["per_cluster"] = {**scores[system.name], "words": lengths[system.name]}
        report_systems.append(entry)
    return {
        "data": str(path),
        "split": _split_of(path),
        "clusters": evaluated,
        "limit": limit,
        "words": words,
        "intruder": intruder,
        "skipped": [vars(s) for s in skipped],
        **({"ids": ids} if per_cluster else {}),
        "systems": report_systems,
        "prepare_seconds": prepare_seconds,
        "input": {
            "words_mean": float(np.mean(input_words)),
            "sentences_mean": float(np.mean(sentence_counts)),
            "articles_mean": float(np.mean(article_counts)),
        },
        "rouge": {
            "package": f"rouge-score {_version('rouge-score')}",
            "stemmer": "porter",
            "measure": "F1",
            "lsum": "reference split with StoryBrief's sentence splitter; sentences joined by newlines",
        },
        "bootstrap": {
            "resamples": resamples,
            "confidence": CONFIDENCE,
            "seed": seed,
            "method": "percentile, clusters resampled with replacement, same resamples for every system",
        },
        "timing": (
            "clusters_per_second: documents in, summary out, per system, summed over clusters; a peer is charged "
            "the shared clean/dedupe/segment step that gives it StoryBrief's sentences. ranking_clusters_per_second: "
            "the work after that step (StoryBrief: its total less its own pipeline.prepare call)"
        ),
        "memory": {
            "method": "tracemalloc peak per cluster (Python and NumPy allocations), max over the largest clusters",
            "clusters": len(largest),
            "process_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        },
        "machine": machine(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": {
            "storybrief": __version__,
            **{p: _version(p) for p in ("sumy", "summa", "rouge-score", "numpy", "scikit-learn")},
        },
    }


def peak_memory(systems: list, clusters: list[Cluster]) -> dict[str, float | None]:
    """Peak traced memory (MiB) of each system's work on one cluster, the max over `clusters`.

    Run apart from the timed pass because tracing slows Python code several times over.
    """
    if not clusters:
        return dict.fromkeys((s.name for s in systems), None)
    peaks = dict.fromkeys((s.name for s in systems), 0.0)
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    try:
        for cluster in clusters:
            for system in systems:
                tracemalloc.reset_peak()
                base = tracemalloc.get_traced_memory()[0]
                try:
                    # A peer's work includes the shared preparation; StoryBrief prepares for itself.
                    system.run(cluster, None, 0.0)
                except StoryBriefError:
                    continue
                peak = (tracemalloc.get_traced_memory()[1] - base) / 2**20
                peaks[system.name] = max(peaks[system.name], peak)
    finally:
        if not already:
            tracemalloc.stop()
    return peaks


def _rate(clusters: int, seconds: float) -> float:
    return clusters / seconds if seconds > 0 else float("inf")


def objective(result: dict[str, float]) -> float:
    """What the oracle maximises: the mean of ROUGE-1 and ROUGE-2 F1."""
    return (result["rouge1"] + result["rouge2"]) / 2


def ceiling(results: dict[str, tuple[dict[str, float], int]], oracle: str) -> bool:
    """Make the oracle's scores on a cluster at least every system's; True when its search was beaten.

    The oracle's greedy search is a heuristic: on a rare cluster another system's summary scores
    higher on the oracle's own objective. That summary is then the best extractive summary known
    for the cluster, so it stands as the oracle's, and the report counts how often this happened.
    """
    best = max((name for name in results if name != oracle), key=lambda n: objective(results[n][0]), default=None)
    if best is None or objective(results[best][0]) <= objective(results[oracle][0]):
        return False
    results[oracle] = results[best]
    return True


def _split_of(path: str | Path) -> str:
    name = Path(str(path)).name.lower()
    for split in ("train", "val", "validation", "dev", "test"):
        if split in name.replace(".", "-").replace("_", "-").split("-"):
            return split
    return "unknown"
