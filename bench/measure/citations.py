"""Precision and recall of today's citation rule against a labelled set of sentence pairs.

    python -m bench.measure.citations                      # labels_a.jsonl
    python -m bench.measure.citations --labels bench/citations/labels_b.jsonl

Each pair in bench/citations/pairs.jsonl is a claim sentence and a candidate sentence from
another article of the same story. The script rebuilds every story with the pipeline's own stages
(bench/build/citation_pairs.py), finds both sentences again (checking their content hash), and asks
what storybrief/attribute.py decides for that pair: does the candidate's sentence make its article
a supporting source of the claim? That decision is compared with the labels, treating `supports`
as positive and `partly` once as positive and once as negative. It also prints the share of pairs
per corpus and stratum, and the rule's figures per stratum.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from storybrief.brief.attribute import COVERAGE, COVERAGE_SIMILARITY, DISAGREEMENT_SIMILARITY, coverage, figures  # noqa: E402
from storybrief.brief.represent import Representation  # noqa: E402
from storybrief.brief.support import PARAPHRASE  # noqa: E402
from storybrief.types import Sentence  # noqa: E402

HERE = Path(__file__).resolve().parents[1]
LABELS = ("supports", "partly", "does_not")


def today_supports(sentences: list[Sentence], representation: Representation, i: int, j: int) -> dict:
    """What attribute.attribute decides for claim i and candidate j (of another article): the
    candidate's article is credited through j when j is at least COVERAGE_SIMILARITY similar,
    reports the claim (cosine >= PARAPHRASE or coverage >= COVERAGE) and does not state only
    other figures than the claim. Mirrors the body of attribute's loop over i's neighbours."""
    similarity = float(representation.cosines([i], [j])[0, 0])
    cover = coverage(representation, i, j)
    reports = similarity >= COVERAGE_SIMILARITY and (similarity >= PARAPHRASE or cover >= COVERAGE)
    mine, theirs = figures(sentences[i].text), figures(sentences[j].text)
    other_figures = bool(mine and theirs and not mine & theirs)
    return {
        "similarity": similarity,
        "coverage": cover,
        "supports": reports and not other_figures,
        # attribute files a disagreement instead of a citation for these
        "disagreement": other_figures and similarity >= COVERAGE_SIMILARITY and (reports or similarity >= DISAGREEMENT_SIMILARITY),
    }


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def precision_recall(gold: list[bool], predicted: list[bool]) -> dict:
    tp = sum(g and p for g, p in zip(gold, predicted))
    fp = sum(p and not g for g, p in zip(gold, predicted))
    fn = sum(g and not p for g, p in zip(gold, predicted))
    return {
        "tp": tp, "fp": fp, "fn": fn, "tn": len(gold) - tp - fp - fn,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
    }


def decisions(pairs: list[dict]) -> dict[str, dict]:
    """The rule's decision for every pair, from freshly rebuilt stories.

    Each decision is checked against attribute.attribute itself: a pair the mirror credits must
    have its candidate's outlet among the sources attribute cites for the claim (the converse need
    not hold: another sentence of that article may be the one that earns the citation). A mismatch
    means the mirror has drifted from attribute.py and is reported as an error."""
    from bench.build.citation_pairs import locate_pairs
    from storybrief.brief.attribute import attribute, sources_of

    out, drifted = {}, []
    for pair, story, i, j in locate_pairs(pairs):
        decision = today_supports(story.sentences, story.representation, i, j)
        cited, _, _ = attribute([i], story.sentences, story.merged, story.originals, story.representation)
        _, number = sources_of(story.originals)
        decision["article_cited"] = number[story.merged[story.sentences[j].article].id] in cited[0].sources
        if decision["supports"] and not decision["article_cited"]:
            drifted.append(pair["pair"])
        out[pair["pair"]] = decision
    if drifted:
        sys.exit(f"error: today_supports credits {len(drifted)} pair(s) attribute.py does not cite (e.g. {drifted[0]}); "
                 "update today_supports to match storybrief/attribute.py")
    return out


def report(pairs: list[dict], labels: dict[str, dict], decided: dict[str, dict]) -> list[str]:
    lines = []
    total = len(pairs)
    lines.append(f"{total} pairs, {len(labels)} labelled")
    by_stratum = Counter((p["corpus"], p["stratum"]) for p in pairs)
    lines.append("share of pairs per corpus / stratum:")
    for (corpus, stratum), n in sorted(by_stratum.items()):
        lines.append(f"  {corpus:10s} {stratum:18s} {n:4d}  {100 * n / total:5.1f}%")
    for stratum, n in sorted(Counter(p["stratum"] for p in pairs).items()):
        lines.append(f"  {'all':10s} {stratum:18s} {n:4d}  {100 * n / total:5.1f}%")
    labelled = [p for p in pairs if p["pair"] in labels]
    groups: dict[str, list[dict]] = {"all": labelled}
    for key in ("corpus", "stratum"):
        for p in sorted(labelled, key=lambda p: p[key]):
            groups.setdefault(p[key], []).append(p)
    lines.append("")
    lines.append(f"{'labels':18s} {'n':>4s} " + " ".join(f"{k:>9s}" for k in LABELS) + f" {'credited':>9s}")
    for name, group in groups.items():
        counts = Counter(labels[p["pair"]]["label"] for p in group)
        credited = sum(decided[p["pair"]]["supports"] for p in group)
        lines.append(f"{name:18s} {len(group):4d} " + " ".join(f"{counts.get(k, 0):9d}" for k in LABELS) + f" {credited:9d}")
    lines.append("")
    lines.append(f"{'subset':18s} {'n':>4s} | partly = positive: {'P':>5s} {'R':>5s} (tp fp fn) | partly = negative: {'P':>5s} {'R':>5s} (tp fp fn)")
    for name, group in groups.items():
        predicted = [decided[p["pair"]]["supports"] for p in group]
        row = [f"{name:18s} {len(group):4d}"]
        for partly in (True, False):
            gold = [labels[p["pair"]]["label"] == "supports" or (partly and labels[p["pair"]]["label"] == "partly") for p in group]
            m = precision_recall(gold, predicted)
            row.append(f"{'':19s}{m['precision']:5.3f} {m['recall']:5.3f} ({m['tp']} {m['fp']} {m['fn']})")
        lines.append(" |".join(row))
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=HERE / "citations" / "pairs.jsonl")
    parser.add_argument("--labels", type=Path, default=HERE / "citations" / "labels_a.jsonl")
    parser.add_argument("--write", action="store_true", help="write the figures to docs/benchmarks.md (section citations)")
    args = parser.parse_args(argv)
    for path in (args.pairs, args.labels):
        if not path.is_file():
            sys.exit(f"error: {path} not found")
    pairs = read_jsonl(args.pairs)
    labels = {row["pair"]: row for row in read_jsonl(args.labels)}
    bad = sorted({row["label"] for row in labels.values()} - set(LABELS))
    if bad:
        sys.exit(f"error: unknown label(s) {bad} in {args.labels}; use {', '.join(LABELS)}")
    unknown = set(labels) - {p["pair"] for p in pairs}
    if unknown:
        sys.exit(f"error: {len(unknown)} labelled pair(s) not in {args.pairs}, e.g. {sorted(unknown)[0]}")
    decided = decisions(pairs)
    lines = report(pairs, labels, decided)
    print("\n".join(lines))
    if args.write:
        from bench.report import write_section

        name = args.labels.name
        body = "\n".join([
            f"## Citations against labelled pairs (`bench/measure/citations.py`, labels `{name}`)", "",
            "Today's support rule (storybrief/attribute.py) on the hard pairs of bench/citations/pairs.jsonl "
            "(how they were chosen: bench/citations/README.md). Positive = the rule credits the candidate's "
            "article through the candidate; gold positive = `supports`, with `partly` counted once as "
            "positive and once as negative. The strata sit where the rule is least sure: a stress test, "
            f"not the rule's figures on ordinary brief sentences. Reproduce with "
            f"`python -m bench.measure.citations --labels bench/citations/{name}`.", "",
            "```", *lines, "```",
        ])
        write_section("citations", body)


if __name__ == "__main__":
    main()
