"""Citations against the labelled pairs, agreement between the labelling passes, and lexical
evidence on Multi-News val (docs/benchmarks.md, section citations).

    python -m bench.build.citation_pairs          # rebuild bench/.data/ (text and stories) first
    python -m bench.measure.citations             # print
    python -m bench.measure.citations --write     # and write the section of docs/benchmarks.md

Agreement: raw and Cohen's kappa between labels_a.jsonl and labels_b.jsonl, three-way and
supports-vs-rest. Decisions against labels.jsonl (the reconciled labels): the lexical rule used
before the support model, the model cross-validated (folds by story) and the model as shipped
(in-sample: it was fitted on these pairs). Lexical evidence: `storybrief evaluate --citations`
on the first --clusters clusters of Multi-News val.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.build.citation_pairs import PAIRS, STORIES  # noqa: E402
from bench.data import BENCH_DATA, multinews  # noqa: E402
from storybrief.brief.attribute import DISAGREEMENT_SIMILARITY, figures  # noqa: E402
from storybrief.brief.represent import Representation  # noqa: E402
from storybrief.brief.support import LEXICAL_COVERAGE, LEXICAL_COVERAGE_SIMILARITY, PARAPHRASE, coverage  # noqa: E402
from storybrief.evaluation import citations as checks  # noqa: E402
from storybrief.types import Sentence  # noqa: E402

HERE = Path(__file__).resolve().parents[1] / "citations"
DUC2006 = BENCH_DATA / "duc2006.jsonl"  # python -m bench.build.duc
# Recorded once (the code it describes is gone); written into the section as it stands.
BEFORE = (
    'Before this change (main at c0e8909 with the pairs rebuilt by their offsets; same labels, same '
    'machine): the decision was the support model at 0.8 or the lexical rule, figures agreeing, '
    'never under TF-IDF cosine 0.2. Cross-validated P/R with `supports`+`partly` positive: 0.847 / '
    '0.573 (default), 0.854 / 0.625 (`--semantic`); `supports` alone 0.373 / 0.757 (default). '
    'Citations without lexical evidence: 7 of 108 (6.5 %) in 199 Multi-News val briefs and 15 of '
    '271 (5.5 %) in the 50 DUC 2006 briefs (default); 7 of 43 (16.3 %) and 44 of 395 (11.1 %) in 50 '
    'of each (`--semantic`). Attribute 0.9-1.9 ms per brief on main against 0.8-1.1 ms on this '
    'branch, runs interleaved (brief_prepared 5-11 ms on both: the shared machine\'s load). Brief '
    'text is byte-identical on Multi-News val[0:300] (attribution does not feed selection), so R1 '
    'is unchanged. The issue\'s targets (P >= 0.95, R >= 0.80) are not reached in either mode; each '
    'labelling pass read as a decision against the reconciled labels is the reference.'
)
LABELS = checks.LABELS


def today_supports(sentences: list[Sentence], representation: Representation, i: int, j: int) -> dict:
    """The lexical rule the pairs were chosen around (the attribution rule before the support model):
    cosine >= 0.35 and (cosine >= PARAPHRASE or coverage >= 0.6), and not only other figures."""
    similarity = float(representation.cosines([i], [j])[0, 0])
    cover = coverage(representation, i, j)
    reports = similarity >= LEXICAL_COVERAGE_SIMILARITY and (
        similarity >= PARAPHRASE or cover >= LEXICAL_COVERAGE)
    mine, theirs = figures(sentences[i].text), figures(sentences[j].text)
    other_figures = bool(mine and theirs and not mine & theirs)
    return {
        "similarity": similarity,
        "coverage": cover,
        "supports": reports and not other_figures,
        "disagreement": other_figures and similarity >= LEXICAL_COVERAGE_SIMILARITY
        and (reports or similarity >= DISAGREEMENT_SIMILARITY),
    }


def read_labels(path: Path) -> dict[str, str]:
    return {row["pair"]: row["label"] for row in checks.read_jsonl(path)}


def kappa(a: list, b: list) -> tuple[float, float]:
    """Raw agreement and Cohen's kappa of two labellings of the same items."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[k] * count_b[k] for k in set(a) | set(b)) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(a: dict[str, str], b: dict[str, str]) -> dict:
    pairs = sorted(set(a) & set(b))
    first, second = [a[p] for p in pairs], [b[p] for p in pairs]
    raw3, kappa3 = kappa(first, second)
    raw2, kappa2 = kappa([x == "supports" for x in first], [x == "supports" for x in second])
    return {
        "pairs": len(pairs),
        "three_way": {"raw": raw3, "kappa": kappa3},
        "supports_vs_rest": {"raw": raw2, "kappa": kappa2},
        "confusion": {f"{x}/{y}": n for (x, y), n in sorted(Counter(zip(first, second)).items())},
    }


def reference_lines(a: dict[str, str], b: dict[str, str], reconciled: dict[str, str]) -> list[str]:
    """Each labelling pass read as a decision (credit = its label is positive) against the
    reconciled labels: what one careful reader reaches on these pairs."""
    pairs = sorted(reconciled)
    lines = []
    for name, labels in (("pass A", a), ("pass B", b)):
        cells = []
        for positive in (("supports",), checks.POSITIVE):
            gold, decided = [reconciled[p] in positive for p in pairs], [labels[p] in positive for p in pairs]
            m = checks.precision_recall(gold, decided)
            cells.append(f"{m['precision']:5.3f} {m['recall']:5.3f} ({m['tp']} {m['fp']} {m['fn']})")
        lines.append(f"  {name} as a decision: supports {cells[0]} | supports+partly {cells[1]}")
    return lines


def agreement_lines(result: dict) -> list[str]:
    lines = [f"{result['pairs']} pairs labelled by both passes"]
    names = (("three_way", "three-way (supports / partly / does_not)"), ("supports_vs_rest", "supports vs rest"))
    for key, name in names:
        lines.append(f"  {name:42s} raw {result[key]['raw']:.3f}  kappa {result[key]['kappa']:.3f}")
    lines.append("  A/B label counts: " + ", ".join(f"{k} {v}" for k, v in result["confusion"].items()))
    return lines


# Versions of one AP story in DUC 2006 (copies merged by dedupe; the later one adds paragraphs):
# issue 14's fire (ten AP versions) is in DUC 2004, which is never used; these are its kind.
VERSIONS = {
    "D0636I": ("APW19991009.0094", "APW19991009.0142"),
    "D0609I": ("APW19981007.0414", "APW19981007.0587"),
    "D0618I": ("APW19990215.0138", "APW19990216.0190"),
    "D0626H": ("APW19980905.0175", "APW19980905.0195"),
}


def versions_lines(words: int = 250) -> list[str]:
    """Each version pair briefed: sentences, their sources, and where each version's evidence is."""
    from bench.build.citation_pairs import duc_topics
    from storybrief.brief.pipeline import summarize
    from storybrief.types import Article

    topics = duc_topics()
    lines = []
    for topic, ids in VERSIONS.items():
        documents = dict(topics[topic])
        articles = [Article(text=documents[d], id=d, source=d, published=d[3:11]) for d in ids]
        brief = summarize(articles, words=words)
        only = [k + 1 for k, s in enumerate(brief.sentences) if len(s.sources) == 1]
        lines.append(f"{topic} [1] {ids[0]} [2] {ids[1]}: {len(brief.sentences)} sentences, cited to one version "
                     f"only: {only or 'none'}; disagreements: {len(brief.disagreements)}")
        for d in brief.disagreements:
            lines.append(f"  sentence {d['sentence'] + 1}: {d['kind']} {d['values']}")
    return lines


def speed_lines(clusters: int, semantic: bool) -> list[str]:
    """Milliseconds per 250-word brief: brief_prepared (represent to attribute) and attribute in it,
    over the first `clusters` of Multi-News val, prepared once beforehand."""
    import time

    from bench.build.scorer_data import read_split
    from storybrief.brief import attribute as attribute_stage
    from storybrief.brief import pipeline
    from storybrief.brief.score import get_scorer
    from storybrief.errors import StoryBriefError

    prepared = []
    for record in read_split("val", 0, clusters):
        try:
            prepared.append(pipeline.prepare(record["documents"]))
        except StoryBriefError:
            continue
    scorer, spent = get_scorer("default"), [0.0]
    original = attribute_stage.attribute

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    pipeline.attribute_stage.attribute = timed
    try:
        pipeline.brief_prepared(prepared[0], 250, scorer, semantic=semantic)  # models loaded before timing
        spent[0] = 0.0
        start = time.perf_counter()
        for p in prepared:
            pipeline.brief_prepared(p, 250, scorer, semantic=semantic)
        total = time.perf_counter() - start
    finally:
        pipeline.attribute_stage.attribute = original
    n = len(prepared)
    return [f"{'semantic' if semantic else 'default'}: {n} clusters, brief_prepared {1000 * total / n:.1f} ms, "
            f"attribute {1000 * spent[0] / n:.1f} ms per brief"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=HERE / "labels.jsonl")
    parser.add_argument("--clusters", type=int, default=200, help="Multi-News val clusters, lexical-evidence share")
    parser.add_argument("--write", action="store_true", help="write the figures to docs/benchmarks.md")
    parser.add_argument("--semantic", action="store_true", help="also the --semantic mode (needs the semantic extra)")
    parser.add_argument("--semantic-clusters", type=int, default=50)
    args = parser.parse_args(argv)
    for path in (PAIRS, args.labels, STORIES, DUC2006):
        if not path.is_file():
            sys.exit(f"error: {path} not found (run python -m bench.build.citation_pairs)")
    pass_a, pass_b = read_labels(HERE / "labels_a.jsonl"), read_labels(HERE / "labels_b.jsonl")
    agreed = agreement(pass_a, pass_b)
    located = checks.read_labelled(PAIRS, args.labels, STORIES)
    labelled = checks.labelled_report(located)
    corpus = checks.corpus_report(str(multinews("val")), words=250, limit=args.clusters)
    duc = checks.corpus_report(str(DUC2006), words=250)
    lines = ["Agreement between the two labelling passes:", *agreement_lines(agreed),
             "Each pass against the reconciled labels (P R (tp fp fn)):",
             *reference_lines(pass_a, pass_b, read_labels(args.labels)), "",
             f"Support decisions against {args.labels.name} (default mode):", *checks.labelled_lines(labelled), "",
             f"Lexical evidence, Multi-News val first {args.clusters} clusters, 250-word briefs (default mode):",
             *checks.corpus_lines(corpus), "",
             "Lexical evidence, DUC 2006 (50 topics), 250-word briefs (default mode):", *checks.corpus_lines(duc), "",
             "AP versions in DUC 2006, 250-word briefs:", *versions_lines(), "",
             "Speed (default mode):", *speed_lines(args.clusters, False)]
    if args.semantic:
        semantic = checks.labelled_report(located, semantic=True)
        corpus = checks.corpus_report(str(multinews("val")), words=250, limit=args.semantic_clusters, semantic=True)
        duc = checks.corpus_report(str(DUC2006), words=250, limit=args.semantic_clusters, semantic=True)
        lines += ["", f"Support decisions against {args.labels.name} (--semantic):", *checks.labelled_lines(semantic),
                  "", f"Lexical evidence, Multi-News val first {args.semantic_clusters} clusters (--semantic):",
                  *checks.corpus_lines(corpus), "",
                  f"Lexical evidence, DUC 2006 first {args.semantic_clusters} topics (--semantic):",
                  *checks.corpus_lines(duc), "", "Speed (--semantic):", *speed_lines(args.semantic_clusters, True)]
    print("\n".join(lines))
    if args.write:
        from bench.report import write_section

        body = "\n".join([
            "## Citations (`python -m bench.measure.citations`)", "",
            "The labelled pairs of bench/citations/ (440 hard (claim, candidate) pairs from Multi-News val[3000:] and "
            "DUC 2006, chosen where the old lexical rule is least sure: a stress test, not the rule's figures on "
            "ordinary brief sentences). P/R with `supports` positive, and with `partly` counted positive too. The "
            "shipped support model was fitted on these pairs, so quote its cross-validated row (folds by story, "
            "the threshold chosen inside the training folds). "
            "Design: docs/design-citations.md. Same figures: `storybrief evaluate bench/.data/citation_stories.jsonl "
            "--citations --pairs bench/citations/pairs.jsonl --labels bench/citations/labels.jsonl`; the corpus "
            "share: `storybrief evaluate multinews-val.jsonl.gz --citations -n 200`.", "",
            BEFORE, "",
            "```", *lines, "```",
        ])
        write_section("citations", body)


if __name__ == "__main__":
    main()
