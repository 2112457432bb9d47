"""`storybrief evaluate --citations`: are the outlets a brief cites really reporting its sentences?

Two measures (docs/design-citations.md says why these):

- On a labelled set of (claim, candidate) sentence pairs (bench/citations/: pair ids, labels
  *supports / partly / does_not*, and a stories file rebuilt from the corpora), the precision and
  recall of the support decision, with `supports` as the positive class and once more with
  `partly` counted positive too, of attribution's decision (the model at its threshold, over the
  floor, not refused). The shipped model was fitted on these very pairs, so its figures on them
  are in-sample; the report also gives grouped cross-validated figures (folds by story, the model
  refitted and its threshold chosen on the other folds), the cross-validated curve, and the
  lexical rule used before, on the same pairs. Pairs are found again by their sentences' offsets
  in the corpus documents (`locate`), whatever today's segmentation makes of them.
- On any corpus of clusters (`{id, documents}` lines), the share of citations of an outlet other
  than the sentence's own for which that outlet has no sentence even lexically close (TF-IDF
  cosine < 0.25 with every one of its sentences), and the share of citations without evidence.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from storybrief.batch import parse_record, read_lines
from storybrief.brief.attribute import refused
from storybrief.brief.pipeline import prepare, summarize
from storybrief.brief.represent import NEIGHBOUR_FLOOR, Representation, represent, vectorise
from storybrief.brief.segment import segment
from storybrief.brief.support import (
    PAIR_FEATURES,
    SEMANTIC_FEATURES,
    SEMANTIC_MODEL,
    SUPPORT_FLOOR,
    PairReader,
    SupportModel,
    coverage,
    lexical_rule,
    load_support_model,
)
from storybrief.embed import load_encoder
from storybrief.errors import InputError, StoryBriefError
from storybrief.types import EVALUATION_WORDS, Article, Brief, Sentence

LABELS = ("supports", "partly", "does_not")
# What the support model is fitted to recognise: the candidate states the claim's fact or part of
# it. Attribution then refuses a candidate that states it with other figures, names or dates
# (attribute.differences), the commonest kind of `partly`. Why not `supports` alone: the labelled
# pairs are all hard cases, and a model fitted to their few `supports` refuses plain paraphrases
# (docs/design-citations.md).
POSITIVE = ("supports", "partly")
FOLDS = 5
REPEATS = 3  # shuffles of the folds whose out-of-fold probabilities are averaged to choose a threshold
REGULARISATION = 0.3  # logistic regression's C: 26 features on 440 pairs
# The operating point (choose_threshold): issue 14's precision target, and the least recall kept
# while it is not reached (under half the outlets that report a fact cited is no multi-source brief).
PRECISION_TARGET, MIN_RECALL = 0.95, 0.5
THRESHOLDS = tuple(round(0.5 + 0.05 * k, 2) for k in range(10))  # 0.50 ... 0.95


@dataclass
class LabelledPair:
    pair: dict
    label: str
    sentences: list[Sentence]
    representation: Representation
    i: int
    j: int


def read_jsonl(path: str | Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise InputError(f"{path}: not JSON lines ({exc})") from exc


def content_hash(claim: str, candidate: str) -> str:
    return hashlib.sha1(f"{claim}\n{candidate}".encode()).hexdigest()


_ENTITY_OR_CHAR = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);|.", re.S)


def fold(text: str) -> tuple[str, list[int]]:
    """The text's letters and digits, lower-cased, and the offset in `text` each comes from. HTML
    entities count as the character they stand for ("&amp;" as "&"). Two renderings of one sentence
    (other case, spacing, quote marks, entities decoded or not) fold the same."""
    letters, offsets = [], []
    for match in _ENTITY_OR_CHAR.finditer(text):
        piece = match.group(0)
        for c in (html.unescape(piece) if len(piece) > 1 else piece).lower():
            if c.isalnum():
                letters.append(c)
                offsets.append(match.start())
    return "".join(letters), offsets


def words_hash(text: str) -> str:
    """SHA-1 of a sentence's folded letters: what a pair's sentence is checked against, whatever
    cleaning and segmentation make of its case, spacing and punctuation."""
    return hashlib.sha1(fold(text)[0].encode()).hexdigest()


def find_span(text: str, wanted: str) -> tuple[int, int] | None:
    """(start, end) in `text` of the first stretch that folds to `wanted` (itself folded), widened
    over the marks either side up to a space or a letter (an opening quote, a full stop): it folds
    to `wanted` still."""
    letters, offsets = fold(text)
    at = letters.find(wanted) if wanted else -1
    if at < 0:
        return None
    start, end = offsets[at], offsets[at + len(wanted) - 1] + 1
    while start > 0 and not (text[start - 1].isspace() or text[start - 1].isalnum()):
        start -= 1
    while end < len(text) and not (text[end].isspace() or text[end].isalnum()):
        end += 1
    return start, end


def anchor(sentence: str, document: str) -> dict | None:
    """Where a sentence stands in its corpus document (as the stories file holds it): character
    offsets and the hash of its folded letters. None if the document does not hold it."""
    span = find_span(document, fold(sentence)[0])
    if span is None:
        return None
    return {"start": span[0], "end": span[1], "words_sha1": words_hash(sentence)}


def _story_sentences(
    articles: list[Article], sides: list[dict]
) -> tuple[list[Sentence], Representation, list[str], list[int | None], list[str]]:
    """The story as the pipeline prepares it, with each side (a pair's claim or candidate) found in
    it by its offsets in the corpus document: the story's sentence that folds the same, or, when
    segmentation now cuts that stretch otherwise, the stretch itself from the cleaned article, added
    as one more sentence of its article. (sentences, representation, article ids, position of each
    side or None, problems)."""
    prepared = prepare(articles)
    sentences = list(prepared.sentences)
    ids = [a.id for a in prepared.merged]
    raw = {a.id: a.text for a in articles}
    folded = [fold(s.text)[0] for s in sentences]
    positions: list[int | None] = []
    problems = []
    for side in sides:
        document = raw.get(side["article"])
        if "start" not in side:  # a pair without offsets: named by its index under today's segmentation
            found = [
                k for k, s in enumerate(sentences) if ids[s.article] == side["article"] and s.index == side["index"]
            ]
            positions.append(found[0] if found else None)
            if not found:
                problems.append("sentence not found")
            continue
        if document is None or side["article"] not in ids:
            positions.append(None)
            problems.append(f"article {side['article']} not in the story")
            continue
        wanted = fold(document[side["start"]: side["end"]])[0]
        if hashlib.sha1(wanted.encode()).hexdigest() != side["words_sha1"]:
            positions.append(None)
            problems.append(f"article {side['article']} does not hold the sentence at {side['start']}:{side['end']}")
            continue
        a = ids.index(side["article"])
        same = [k for k, s in enumerate(sentences) if s.article == a and folded[k] == wanted]
        if same:
            positions.append(same[0])
            continue
        span = find_span(prepared.merged[a].text, wanted)
        if span is None:
            positions.append(None)
            problems.append(f"cleaning no longer keeps the sentence at {side['start']}:{side['end']}")
            continue
        text = " ".join(prepared.merged[a].text[span[0]: span[1]].split())
        text = text[:1].upper() + text[1:]  # as segmentation opens a sentence of lower-cased text
        sentences.append(Sentence(text=text, article=a, index=side["index"]))
        folded.append(wanted)
        positions.append(len(sentences) - 1)
    return sentences, represent(sentences), ids, positions, problems


def locate(
    pairs: list[dict], labels: dict[str, str] | None, stories: dict[str, list[Article]]
) -> list[LabelledPair]:
    """Every labelled pair (every pair when `labels` is None) found again in its rebuilt story by its
    sentences' offsets in the corpus documents, each checked by the hash of its folded letters."""
    wanted = [p for p in pairs if labels is None or p["pair"] in labels]
    by_story: dict[str, list[dict]] = {}
    for p in wanted:
        by_story.setdefault(f"{p['corpus']}:{p['story']}", []).append(p)
    located, problems = [], []
    for key, story_pairs in by_story.items():
        articles = stories.get(key)
        if articles is None:
            problems.extend(f"{p['pair']}: story {key} not in the stories file" for p in story_pairs)
            continue
        sides = [p[side] for p in story_pairs for side in ("claim", "candidate")]
        sentences, representation, _, positions, found = _story_sentences(articles, sides)
        for n, p in enumerate(story_pairs):
            i, j = positions[2 * n], positions[2 * n + 1]
            if i is None or j is None:
                problems.append(f"{p['pair']}: " + "; ".join(found[:1]))
            elif "start" not in p["claim"] and content_hash(sentences[i].text, sentences[j].text) != p["sha1"]:
                problems.append(f"{p['pair']}: text differs from when the pair was chosen (segmentation changed?)")
            else:
                label = labels[p["pair"]] if labels is not None else ""
                located.append(LabelledPair(p, label, sentences, representation, i, j))
    if problems:
        raise InputError(f"{len(problems)} labelled pair(s) not rebuilt, first: {sorted(problems)[0]}")
    order = {p["pair"]: n for n, p in enumerate(wanted)}
    return sorted(located, key=lambda lp: order[lp.pair["pair"]])


def read_labelled(pairs_path: str | Path, labels_path: str | Path, stories_path: str | Path) -> list[LabelledPair]:
    pairs = read_jsonl(pairs_path)
    labels = {row["pair"]: row["label"] for row in read_jsonl(labels_path)}
    bad = sorted(set(labels.values()) - set(LABELS))
    if bad:
        raise InputError(f"{labels_path}: unknown label(s) {bad}; use {', '.join(LABELS)}")
    stories = {
        row["id"]: [Article(text=a["text"], id=a["id"]) for a in row["articles"]] for row in read_jsonl(stories_path)
    }
    return locate(pairs, labels, stories)


def pair_features(located: list[LabelledPair], reader: PairReader | None = None) -> np.ndarray:
    reader = reader or PairReader()
    reader.encode_ahead([p.sentences[k].text for p in located for k in (p.i, p.j)])
    rows = []
    for p in located:
        rep, i, j = p.representation, p.i, p.j
        cosine = float(rep.cosines([i], [j])[0, 0])
        claim, candidate = p.sentences[i].text, p.sentences[j].text
        rows.append(reader.features(claim, candidate, cosine, coverage(rep, i, j), coverage(rep, j, i)))
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(reader.names))


def lexical_supports(features: np.ndarray) -> np.ndarray:
    """The decision of the rule used alone before the support model: the lexical rule, refused when
    both sentences state numbers and share none."""
    return lexical_rule(features) & ~(features[:, PAIR_FEATURES.index("numbers_conflict")] > 0)


def fit_model(features: np.ndarray, positive: np.ndarray, threshold: float = 0.5) -> SupportModel:
    """A standardised logistic regression (C = REGULARISATION), as SupportModel holds it."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    model = LogisticRegression(C=REGULARISATION, max_iter=3000).fit((features - mean) / scale, positive)
    return SupportModel(mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0]), threshold)


def cross_validated(
    features: np.ndarray, positive: np.ndarray, groups: list[str], folds: int = FOLDS, seed: int = 0
) -> np.ndarray:
    """Out-of-fold probabilities: each pair scored by a model fitted on the folds without its story
    (`seed` shuffles which stories share a fold)."""
    from sklearn.model_selection import GroupKFold

    names = sorted(set(groups))
    order = dict(zip(names, np.random.default_rng(seed).permutation(len(names)))) if seed else None
    keys = [order[g] for g in groups] if order else groups
    probability = np.zeros(len(positive))
    for train, test in GroupKFold(min(folds, len(names))).split(features, positive, keys):
        probability[test] = fit_model(features[train], positive[train]).probability(features[test])
    return probability


def choose_threshold(probability: np.ndarray, positive: np.ndarray, allowed: np.ndarray) -> float:
    """The operating point, read off a cross-validated curve: among thresholds that keep recall
    >= MIN_RECALL, the lowest whose precision reaches PRECISION_TARGET, or else the one of highest
    precision (false credit is what readers complain about most; docs/design-citations.md)."""
    best, best_precision = THRESHOLDS[0], -1.0
    for threshold in THRESHOLDS:
        m = precision_recall(positive, (probability >= threshold) & allowed)
        if m["tp"] == 0 or m["recall"] < MIN_RECALL:
            continue
        if m["precision"] >= PRECISION_TARGET:
            return threshold
        if m["precision"] > best_precision + 1e-9:
            best, best_precision = threshold, m["precision"]
    return best


def threshold_by_cv(features: np.ndarray, positive: np.ndarray, groups: list[str], allowed: np.ndarray) -> float:
    """choose_threshold on out-of-fold probabilities averaged over REPEATS shuffles of the folds."""
    probability = np.mean([cross_validated(features, positive, groups, seed=r) for r in range(REPEATS)], axis=0)
    return choose_threshold(probability, positive, allowed)


def nested_decisions(
    features: np.ndarray, positive: np.ndarray, groups: list[str], allowed: np.ndarray, folds: int = FOLDS
) -> np.ndarray:
    """Held-out decisions with nothing chosen on the held-out stories: for each fold of stories, the
    threshold is chosen by cross-validation inside the other folds, and the model fitted on them."""
    from sklearn.model_selection import GroupKFold

    decided = np.zeros(len(positive), bool)
    for train, test in GroupKFold(folds).split(features, positive, groups):
        inner = [groups[k] for k in train]
        threshold = threshold_by_cv(features[train], positive[train], inner, allowed[train])
        model = fit_model(features[train], positive[train], threshold)
        decided[test] = (model.probability(features[test]) >= threshold) & allowed[test]
    return decided


def precision_recall(gold: Iterable[bool], predicted: Iterable[bool]) -> dict:
    gold, predicted = np.asarray(list(gold), bool), np.asarray(list(predicted), bool)
    tp, fp, fn = int((gold & predicted).sum()), int((~gold & predicted).sum()), int((gold & ~predicted).sum())
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": int(len(gold)) - tp - fp - fn,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
    }


def reader_and_model(semantic: bool = False) -> tuple[PairReader, SupportModel]:
    if semantic:
        return PairReader(encoder=load_encoder()), load_support_model(SEMANTIC_MODEL, SEMANTIC_FEATURES)
    return PairReader(), load_support_model()


def allowed_pairs(located: list[LabelledPair], features: np.ndarray) -> np.ndarray:
    """The pairs attribution may credit at all: TF-IDF cosine at least SUPPORT_FLOOR, and the two
    sentences not differing in figures, dates or names, nor the candidate putting another figure
    where the claim has one (attribute.refused; a difference is listed as a disagreement)."""
    cosine = features[:, PAIR_FEATURES.index("cosine")]
    differ = np.array([
        refused(p.sentences[p.i].text, p.sentences[p.j].text, float(c)) for p, c in zip(located, cosine)
    ], dtype=bool)
    return (cosine >= SUPPORT_FLOOR) & ~differ


def labelled_report(located: list[LabelledPair], model: SupportModel | None = None, semantic: bool = False) -> dict:
    """Precision and recall of each decision on the labelled pairs, overall and per corpus/stratum,
    and the cross-validated precision/recall curve of attribution's decision."""
    reader, shipped = (
        reader_and_model(semantic)
        if model is None
        else (PairReader(encoder=load_encoder() if semantic else None), model)
    )
    model = shipped
    features = pair_features(located, reader)
    labels = np.array([p.label for p in located])
    strict = labels == "supports"
    positive = np.isin(labels, POSITIVE)
    groups = [f"{p.pair['corpus']}:{p.pair['story']}" for p in located]
    allowed = allowed_pairs(located, features)
    decisions = {
        "lexical rule (before)": lexical_supports(features),
        "cross-validated (threshold chosen in each fold)": nested_decisions(features, positive, groups, allowed),
        "as shipped (in-sample)": (model.probability(features) >= model.threshold) & allowed,
    }
    corpora = np.array([p.pair["corpus"] for p in located])
    held_out = np.zeros(len(located), bool)
    for corpus in sorted(set(corpora)):  # fitted, and its threshold chosen, on the other corpus only
        train = corpora != corpus
        if len(set(positive[train].tolist())) == 2:
            inner = [g for g, t in zip(groups, train) if t]
            threshold = threshold_by_cv(features[train], positive[train], inner, allowed[train])
            fitted = fit_model(features[train], positive[train], threshold)
            held_out[~train] = fitted.probability(features[~train]) >= threshold
    decisions["fitted on the other corpus"] = held_out & allowed
    subsets = {"all": np.ones(len(located), bool)}
    for key in ("corpus", "stratum"):
        for value in sorted({p.pair.get(key, "?") for p in located}):
            subsets[value] = np.array([p.pair.get(key, "?") == value for p in located])
    rows = []
    for name, decided in decisions.items():
        for subset, mask in subsets.items():
            rows.append(
                {
                    "decision": name,
                    "subset": subset,
                    "pairs": int(mask.sum()),
                    "supports": precision_recall(strict[mask], decided[mask]),
                    "supports_or_partly": precision_recall((strict | (labels == "partly"))[mask], decided[mask]),
                }
            )
    probability = np.mean([cross_validated(features, positive, groups, seed=r) for r in range(REPEATS)], axis=0)
    curve = [
        {"threshold": t, "supports": precision_recall(strict, (probability >= t) & allowed),
         "supports_or_partly": precision_recall(positive, (probability >= t) & allowed)}
        for t in THRESHOLDS
    ]
    return {"pairs": len(located), "labels": dict(Counter(labels.tolist())), "rows": rows, "curve": curve,
            "threshold": model.threshold}


def lexical_evidence(brief: Brief, originals: list[Article]) -> dict:
    """Citations of an outlet other than the sentence's own, and how many of them that outlet backs
    with no sentence TF-IDF-close (cosine >= NEIGHBOUR_FLOOR) to the cited one, or with no evidence."""
    own = [[s.text for s in segment([a])] for a in originals]
    texts = [s.text for s in brief.sentences]
    flat = [t for sentences in own for t in sentences]
    if not flat or not texts:
        return {"citations": 0, "no_lexical_evidence": 0, "no_evidence": 0}
    vectors = vectorise(texts + flat)
    starts = np.cumsum([0] + [len(s) for s in own])
    citations = unsupported = missing = 0
    for k, sentence in enumerate(brief.sentences):
        for source in sentence.sources:
            if source == sentence.origin["article"]:
                continue
            citations += 1
            if source not in getattr(sentence, "evidence", {}):
                missing += 1
            rows = range(len(texts) + starts[source - 1], len(texts) + starts[source])
            best = (vectors[list(rows)] @ vectors[k].T).max() if len(rows) else 0.0
            unsupported += bool(best < NEIGHBOUR_FLOOR)
    return {"citations": citations, "no_lexical_evidence": unsupported, "no_evidence": missing}


def corpus_report(
    data: str,
    words: int = EVALUATION_WORDS,
    limit: int | None = None,
    brief: Callable[[list[Article], int], Brief] | None = None,
    progress: Callable[[int], None] | None = None,
    semantic: bool = False,
) -> dict:
    """Lexical evidence of the citations in the briefs of a corpus of clusters."""
    brief = brief or (lambda articles, budget: summarize(articles, words=budget, semantic=semantic))
    totals: Counter = Counter()
    clusters = skipped = 0
    for number, line in read_lines(data):
        if limit is not None and clusters + skipped >= limit:
            break
        try:
            _, articles = parse_record(line, number, str(data))
            originals = prepare(articles).originals
            result = brief(articles, words)
        except StoryBriefError:
            skipped += 1
            continue
        totals.update(lexical_evidence(result, originals))
        clusters += 1
        if progress is not None:
            progress(clusters + skipped)
    citations = totals["citations"]
    return {
        "clusters": clusters,
        "skipped": skipped,
        "citations": citations,
        "no_lexical_evidence": totals["no_lexical_evidence"],
        "no_evidence": totals["no_evidence"],
        "share_no_lexical_evidence": totals["no_lexical_evidence"] / citations if citations else float("nan"),
        "share_no_evidence": totals["no_evidence"] / citations if citations else float("nan"),
    }


def labelled_lines(report: dict) -> list[str]:
    lines = [f"{report['pairs']} labelled pairs: " + ", ".join(f"{k} {v}" for k, v in sorted(report["labels"].items()))]
    lines.append(
        f"{'decision':48s} {'subset':18s} {'n':>4s} | supports: {'P':>5s} {'R':>5s} (tp fp fn) "
        f"| supports+partly: {'P':>5s} {'R':>5s} (tp fp fn)"
    )

    def cells(row: dict) -> list[str]:
        return [f"{m['precision']:5.3f} {m['recall']:5.3f} ({m['tp']} {m['fp']} {m['fn']})"
                for m in (row["supports"], row["supports_or_partly"])]

    for row in report["rows"]:
        shown = cells(row)
        lines.append(
            f"{row['decision']:48s} {row['subset']:18s} {row['pairs']:4d} | {'':10s}{shown[0]:>22s} "
            f"| {'':17s}{shown[1]:>22s}"
        )
    if report.get("curve"):
        lines.append(f"cross-validated curve of the decision (out-of-fold probabilities, {REPEATS} fold shuffles "
                     f"averaged; shipped threshold {report['threshold']:.2f}):")
        for point in report["curve"]:
            shown = cells(point)
            lines.append(f"  threshold {point['threshold']:.2f}{'':60s} | {'':10s}{shown[0]:>22s} "
                         f"| {'':17s}{shown[1]:>22s}")
    return lines


def corpus_lines(report: dict) -> list[str]:
    return [
        f"{report['clusters']} clusters ({report['skipped']} skipped), "
        f"{report['citations']} citations of another outlet",
        f"without lexical evidence (no sentence of the cited outlet at TF-IDF cosine >= {NEIGHBOUR_FLOOR}): "
        f"{report['no_lexical_evidence']} ({100 * report['share_no_lexical_evidence']:.1f} %)",
        f"without evidence: {report['no_evidence']} ({100 * report['share_no_evidence']:.1f} %)",
    ]


def citation_report(
    data: str,
    words: int,
    limit: int | None,
    pairs: str | Path | None,
    labels: str | Path | None,
    semantic: bool = False,
) -> tuple[list[str], dict]:
    """`storybrief evaluate --citations`: on the labelled pairs when given (`pairs` with `labels`),
    else the share of citations without lexical evidence over a corpus; (report lines, report)."""
    if (pairs is None) != (labels is None):
        raise InputError("--pairs and --labels go together (the labelled set's ids and its labels)")
    if labels is not None:
        report = labelled_report(read_labelled(pairs, labels, data), semantic=semantic)
        return labelled_lines(report), report
    report = corpus_report(data, words=words, limit=limit, semantic=semantic)
    return corpus_lines(report), report
