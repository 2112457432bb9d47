"""Small, fast dev evaluation of sentence scorers on a fixed Multi-News validation sample.

    python -m bench.build.dev_eval --start 0 --stop 500 --words 250 100 --methods lead centroid learned

Each cluster goes through the pipeline's own stages (cached after the first run), is scored by
the method, selected within the word budget and ordered as `storybrief.summarize` does; the
brief is compared with the Multi-News `summary` by ROUGE-1/2/Lsum F1 (rouge-score, Porter
stemmer). Scorer timing excludes the shared stages, which every method pays alike.

Methods `summa` (TextRank) and `sumy-lexrank` are peers: they read the raw articles, rank
sentences their own way, and the budget is filled with whole sentences in their rank order
(their time is their whole run). `--write` puts the table in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from bench.build import scorer_data as data
from storybrief.brief.score import get_scorer


def evaluate(clusters, scorer, words: int, **select_options) -> dict:
    results, seconds = [], 0.0
    for cluster in clusters:
        start = time.perf_counter()
        scores = scorer.score(cluster.sentences, cluster.representation)
        seconds += time.perf_counter() - start
        options = {"per_word": getattr(scorer, "per_word", False), **select_options}
        if hasattr(scorer, "redundancy"):
            options.setdefault("redundancy", scorer.redundancy)
        text = data.brief_text(cluster, scores, words, **options)
        results.append(data.rouge(text, cluster.reference))
    r = np.mean(results, axis=0)
    return {"rouge1": r[0], "rouge2": r[1], "rougeLsum": r[2], "ms_per_cluster": 1000 * seconds / max(len(clusters), 1)}


def peer_briefs(name: str, records: list[dict], words: int) -> list[str]:
    """Briefs by a peer summariser from the raw articles, cut to the same budget in whole sentences."""
    import re

    import blingfire

    texts = []
    for record in records:
        text = "\n".join(record["documents"])
        if name == "summa":
            from summa import summarizer

            ranked = [s for s in summarizer.summarize(text, words=words, split=True)]
        elif name == "sumy-lexrank":
            from sumy.parsers.plaintext import PlaintextParser
            from sumy.summarizers.lex_rank import LexRankSummarizer

            class Tokenizer:  # sumy's own needs NLTK punkt data, not installed here
                language = "english"

                def to_sentences(self, paragraph):
                    return [s for s in blingfire.text_to_sentences(paragraph).split("\n") if s.strip()]

                def to_words(self, sentence):
                    return re.findall(r"\w+", sentence)

            class Ranked(LexRankSummarizer):
                @staticmethod
                def _get_best_sentences(sentences, count, rating, *args, **kwargs):
                    return tuple(sorted(sentences, key=lambda item: -rating[item]))  # best first, not text order

            document = PlaintextParser.from_string(text, Tokenizer()).document
            ranked = [str(s) for s in Ranked()(document, len(document.sentences))]
        else:
            raise ValueError(name)
        chosen, used = [], 0
        for sentence in ranked:  # fill the budget like StoryBrief's greedy walk
            n = len(sentence.split())
            if used + n <= words:
                chosen.append(sentence)
                used += n
        texts.append("\n".join(chosen))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stop", type=int, default=500)
    parser.add_argument("--words", type=int, nargs="+", default=[250, 100])
    parser.add_argument("--methods", nargs="+", default=["lead", "centroid", "learned"])
    parser.add_argument(
        "--write", action="store_true", help="write the figures to docs/benchmarks.md (section scorer-rouge)"
    )
    args = parser.parse_args()
    clusters = data.clusters(args.split, args.start, args.stop)
    print(f"{args.split}[{args.start}:{args.stop}]: {len(clusters)} clusters")
    rows = []
    for words in args.words:
        for method in args.methods:
            if method in ("summa", "sumy-lexrank"):
                records = {str(r.get("id", "")): r for r in data.read_split(args.split, args.start, args.stop)}
                kept = [records[c.id] for c in clusters]
                start = time.perf_counter()
                briefs = peer_briefs(method, kept, words)
                seconds = time.perf_counter() - start
                scores = np.mean([data.rouge(b, c.reference) for b, c in zip(briefs, clusters)], axis=0)
                r = {
                    "rouge1": scores[0],
                    "rouge2": scores[1],
                    "rougeLsum": scores[2],
                    "ms_per_cluster": 1000 * seconds / len(clusters),
                }
            else:
                r = evaluate(clusters, get_scorer(method), words)
            rows.append(
                f"| {words} | {method} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeLsum']:.2f} "
                f"| {r['ms_per_cluster']:.2f} |"
            )
            print(
                f"words={words:4d} {method:10s} R1 {r['rouge1']:.2f}  R2 {r['rouge2']:.2f}  "
                f"RLsum {r['rougeLsum']:.2f}  "
                f"score {r['ms_per_cluster']:.2f} ms/cluster",
                flush=True,
            )
    if args.write:
        from datetime import date

        from bench.report import machine_line, write_section

        body = (
            f"Multi-News {args.split}[{args.start}:{args.stop}] ({len(clusters)} clusters), "
            f"reference = `summary`; rouge-score "
            f"F1 ×100 with the Porter stemmer; the same word budget for every method, whole sentences; "
            f"StoryBrief scoring time excludes the stages its methods share (a peer's is its whole run)"
            f". Machine: {machine_line()}, {date.today()}. "
            f"Script: `bench/build/dev_eval.py`.\n\n"
            f"| words | method | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | score ms/cluster |\n|---|---|---|---|---|---|\n"
            + "\n".join(rows)
        )
        write_section("scorer-rouge", "## Sentence scorers on Multi-News (`bench/build/dev_eval.py`)\n\n" + body)


if __name__ == "__main__":
    main()
