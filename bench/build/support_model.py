"""Fit the support model (storybrief/models/support.json) on the labelled citation pairs.

    python -m bench.build.citation_pairs     # first: rebuilds bench/.data/citation_stories.jsonl
    python -m bench.build.support_model      # fits, prints grouped cross-validated figures, writes the model

A logistic regression (standardised features, C = 0.3) on the pair features of
storybrief/brief/support.py, positive = labelled `supports` or `partly` (evaluation.citations.
POSITIVE; bench/citations/labels.jsonl, the reconciled labels). The threshold is chosen on the
grouped cross-validated precision/recall curve of attribution's decision (evaluation.citations.
choose_threshold: precision first). The model is fitted on all the labelled pairs, so its figures
on them are in-sample: the figures to quote are the cross-validated ones this script prints (folds
by story, never a story in both train and test, the threshold chosen inside the training folds),
the same `storybrief evaluate --citations` reports. docs/design-citations.md says why the labelled
set and not silver pairs.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from bench.build.citation_pairs import PAIRS, STORIES  # noqa: E402
from storybrief.brief.support import SEMANTIC_MODEL, SUPPORT_MODEL, PairReader  # noqa: E402
from storybrief.embed import load_encoder  # noqa: E402
from storybrief.evaluation.citations import (  # noqa: E402
    POSITIVE,
    allowed_pairs,
    fit_model,
    labelled_lines,
    labelled_report,
    pair_features,
    read_labelled,
    threshold_by_cv,
)

LABELS = Path(__file__).resolve().parents[1] / "citations" / "labels.jsonl"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--stories", type=Path, default=STORIES)
    parser.add_argument("--semantic", action="store_true", help="the --semantic model (needs the semantic extra)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or (SEMANTIC_MODEL if args.semantic else SUPPORT_MODEL)
    located = read_labelled(PAIRS, args.labels, args.stories)
    features = pair_features(located, PairReader(encoder=load_encoder() if args.semantic else None))
    positive = np.array([p.label in POSITIVE for p in located])
    groups = [f"{p.pair['corpus']}:{p.pair['story']}" for p in located]
    threshold = threshold_by_cv(features, positive, groups, allowed_pairs(located, features))
    model = fit_model(features, positive, threshold)
    out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    kinds = " or ".join(POSITIVE)
    print(f"{len(located)} pairs, {int(positive.sum())} positive ({kinds}); threshold {threshold:.2f} "
          f"(cross-validated curve); model written to {out}")
    print("\n".join(labelled_lines(labelled_report(located, model, semantic=args.semantic))))


if __name__ == "__main__":
    main()
