"""Estimate how likely each word of the sources is to reappear in a human summary
(storybrief/models/word_prior.npz), a learned word-importance prior in the manner of
Hong & Nenkova (2014).

    python -m bench.build.word_prior

For every word seen in the sources of at least `--min-clusters` clusters of Multi-News train
records [`--start`, `--stop`) (kept apart from the records the scorer itself trains on, so the
prior does not already know those summaries): (clusters whose summary also has it + 1) /
(clusters whose sources have it + 2). Unknown words get the prior's mean at run time.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import time
from collections import Counter

import numpy as np

from bench.data import ROOT, multinews
from storybrief.text import LOWER_WORD as TOKEN  # the tokenisation the package looks its tables up with


def _pairs(tokens: list[str]):
    return zip(tokens, tokens[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(multinews("train")))
    parser.add_argument("--start", type=int, default=10000)
    parser.add_argument("--stop", type=int, default=40000)
    parser.add_argument("--min-clusters", type=int, default=20)
    parser.add_argument("--bigrams", type=int, default=30000, help="keep the prior of this many most common word pairs")
    parser.add_argument("--out", default=str(ROOT / "storybrief" / "models" / "word_prior.npz"))
    args = parser.parse_args()
    start = time.time()
    in_source: Counter[str] = Counter()
    in_both: Counter[str] = Counter()
    pairs_source: Counter[str] = Counter()
    pairs_both: Counter[str] = Counter()
    clusters = 0
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, args.start, args.stop):
            record = json.loads(line)
            source = set(TOKEN.findall(" ".join(record["documents"]).lower()))
            summary = set(TOKEN.findall(record["summary"].lower()))
            in_source.update(source)
            in_both.update(source & summary)
            source_pairs = {f"{a} {b}" for text in record["documents"] for a, b in _pairs(TOKEN.findall(text.lower()))}
            summary_pairs = {f"{a} {b}" for a, b in _pairs(TOKEN.findall(record["summary"].lower()))}
            pairs_source.update(source_pairs)
            pairs_both.update(source_pairs & summary_pairs)
            clusters += 1
    words = sorted(w for w, n in in_source.items() if n >= args.min_clusters)
    prior = np.array([(in_both[w] + 1) / (in_source[w] + 2) for w in words], dtype=np.float32)
    bigrams = sorted(p for p, _ in pairs_source.most_common(args.bigrams))
    bigram_prior = np.array([(pairs_both[p] + 1) / (pairs_source[p] + 2) for p in bigrams], dtype=np.float32)
    np.savez_compressed(
        args.out,
        words=np.array(words),
        prior=prior.astype(np.float16),
        bigrams=np.array(bigrams),
        bigram_prior=bigram_prior.astype(np.float16),
    )
    print(
        f"{clusters} clusters, {len(words)} words (seen in ≥ {args.min_clusters}), mean prior {prior.mean():.3f}; "
        f"wrote {args.out} ({os.path.getsize(args.out) / 1e3:.0f} kB) in {time.time() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
