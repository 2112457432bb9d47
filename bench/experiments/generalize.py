"""Paired comparison of brief variants on the DUC corpora, for docs/design-generalize.md.

    OMP_NUM_THREADS=1 python -m bench.experiments.generalize --corpus duc2006 --variants base cover [--model M]

Each topic is prepared once (cached in STORYBRIEF_CACHE), briefed by every variant through the
pipeline's own `brief_prepared`, and all variants are scored in one run of the official ROUGE
(`official_rouge.score`, NIST's options, jackknifed; no participants, so it is quick). Prints the
exact mean over topics of each variant's ROUGE-2 and ROUGE-SU4 recall, the share of brief sentences
holding a quotation and the seconds spent briefing. The tables in docs/benchmarks.md come from
`bench.measure.duc`, not from this script.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import pickle  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402

import numpy as np  # noqa: E402

from bench.build.scorer_data import CACHE, pipeline_version  # noqa: E402
from bench.data import BENCH_DATA  # noqa: E402
from bench.measure.duc import CORPORA, articles_of, quotes, read_jsonl, references_of  # noqa: E402
from storybrief.brief import cover, pipeline  # noqa: E402
from storybrief.brief.readable import quote_marks  # noqa: E402
from storybrief.brief.score import CentroidScorer, LearnedScorer  # noqa: E402
from storybrief.errors import StoryBriefError  # noqa: E402
from storybrief.evaluation.official_rouge import score  # noqa: E402


def prepared(corpus: str, articles: int | None = None) -> tuple[list[dict], list[pipeline.Prepared]]:
    """Each topic prepared once (cached); `articles`: only its first N articles (by date), a story the
    size of a 10-document DUC cluster."""
    records = [r for r in read_jsonl(BENCH_DATA / f"{corpus}.jsonl") if r["references"]]
    if articles:
        keys = ("documents", "titles", "dates", "doc_ids")
        records = [dict(r, **{k: r[k][:articles] for k in keys}) for r in records]
    path = CACHE / f"{corpus}{f'-{articles}' if articles else ''}_{pipeline_version()}.pkl"
    if path.exists():
        return records, pickle.loads(path.read_bytes())
    out = [pipeline.prepare(articles_of(r)) for r in records]
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return records, out


@contextlib.contextmanager
def setting(module, **values):
    old = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(module, k, v)


_WEIGHTS, _RANKED, _COVER = cover.concept_weights, cover._ranked, cover.cover


def lead_weights(bonus: float = 0.0, lead: int = 1, power: float = 1.0):
    """cover.concept_weights, a concept worth one more `bonus` for each article that uses it in its
    first `lead` sentences (ICSI's position feature), then raised to `power`."""
    def weights(sentences, said=None):
        said = {} if said is None else said
        weight = _WEIGHTS(sentences, said)
        leads = defaultdict(set)
        for i, s in enumerate(sentences):
            if s.index < lead:
                leads[s.article] |= said[i] if i in said else cover.pairs(s.text)
        led = Counter(c for lead_pairs in leads.values() for c in lead_pairs if c in weight)
        return {c: (count + bonus * led[c]) ** power for c, count in weight.items()}
    return weights


def lead_pool(first: int):
    """cover._ranked, each article's first `first` usable sentences (no quotation, a bundle, POOL_MIN_WORDS
    words) added to the pool, at most twice the pool's size, earliest first."""
    def ranked(sentences, scores, words, bundles, pool):
        chosen, usable = _RANKED(sentences, scores, words, bundles, pool)
        leads = [i for i, s in enumerate(sentences) if s.index < first and s.words >= cover.POOL_MIN_WORDS
                 and bundles[i] is not None and not any(quote_marks(sentences[j].text) for j in bundles[i])]
        leads.sort(key=lambda i: (sentences[i].index, -scores[i], i))
        return list(dict.fromkeys(chosen + leads[: 2 * pool])), usable
    return ranked


def powers_from(budget: int, powers: tuple[float, ...]):
    """cover.cover with GREEDY_POWERS = `powers` for a budget of `budget` words or more."""
    def covering(sentences, scores, words, *args, **kwargs):
        with setting(cover, **({"GREEDY_POWERS": powers} if words >= budget else {})):
            return _COVER(sentences, scores, words, *args, **kwargs)
    return covering


def variants(args) -> dict:
    """name -> (scorer, settings of storybrief.brief.cover)."""
    learned = LearnedScorer(args.model, args.oracle) if args.model else LearnedScorer()
    never = {"LONG_STORY": 10**9}
    return {
        # The shipped settings with a second pair of models (--model2/--oracle2), paired with the first.
        **({"model2": (LearnedScorer(args.model2, args.oracle2), {})} if args.model2 else {}),
        "base": (learned, never),
        "centroid": (CentroidScorer(), never),
        "cover": (learned, {"LONG_STORY": 0}),
        "cover0": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 0.0}),
        "cover1": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0}),
        "greedy1": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "SOLVER": "greedy"}),
        "greedy.25": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 0.25, "SOLVER": "greedy"}),
        "greedy1_pool60": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "SOLVER": "greedy", "POOL": 60}),
        "cover1_gap": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "GAP": 0.02}),
        "greedy1_nq": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "SOLVER": "greedy", "QUOTES": "drop"}),
        "greedy1_both": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "SOLVER": "greedy", "POOL_BY": "both"}),
        "greedy1_nq_both": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "SOLVER": "greedy", "QUOTES": "drop",
                                      "POOL_BY": "both"}),
        "cover1_nq": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "QUOTES": "drop"}),
        "cover1_nq_gap": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "QUOTES": "drop", "GAP": 0.02}),
        "nq_gap_pool60": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "QUOTES": "drop", "GAP": 0.02, "POOL": 60}),
        "nq_gap05": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "QUOTES": "drop", "GAP": 0.05}),
        "nq_gap_share.5": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 0.5, "QUOTES": "drop", "GAP": 0.02}),
        "centroid_nq_gap": (CentroidScorer(), {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "QUOTES": "drop", "GAP": 0.02}),
        "shipped": (learned, {}),
        "milp": (learned, {"SOLVER": "milp"}),
        # Sixth pass: `exact=True` (the program with cover.EXACT's scorer share and least articles).
        "exact": (learned, {"SOLVER": "milp", "SCORE_SHARE": cover.EXACT[0], "MIN_ARTICLES": cover.EXACT[1]}),
        "greedy_pow.5": (learned, {"LONG_STORY": 0, "SOLVER": "greedy", "GREEDY_POWERS": (0.5,)}),
        "pow.5": (learned, {"GREEDY_POWERS": (0.5,)}),
        "pow.75": (learned, {"GREEDY_POWERS": (0.75,)}),
        "pow1": (learned, {"GREEDY_POWERS": (1.0,)}),
        "pow.5+1": (learned, {"GREEDY_POWERS": (0.5, 1.0)}),
        "pow.5+.75": (learned, {"GREEDY_POWERS": (0.5, 0.75)}),
        "pow.5+.75+1": (learned, {"GREEDY_POWERS": (0.5, 0.75, 1.0)}),
        "pow.25+.5+.75+1": (learned, {"GREEDY_POWERS": (0.25, 0.5, 0.75, 1.0)}),
        "milp_pool60": (learned, {"SOLVER": "milp", "POOL": 60}),
        "share.5": (learned, {"SCORE_SHARE": 0.5}),
        "share2": (learned, {"SCORE_SHARE": 2.0}),
        "share0": (learned, {"SCORE_SHARE": 0.0}),
        "pow.5_share.5": (learned, {"GREEDY_POWERS": (0.5,), "SCORE_SHARE": 0.5}),
        "pow.5_share2": (learned, {"GREEDY_POWERS": (0.5,), "SCORE_SHARE": 2.0}),
        "pool200": (learned, {"POOL": 200}),
        "minart2": (learned, {"MIN_ARTICLES": 2}),
        "minart4": (learned, {"MIN_ARTICLES": 4}),
        "milp_keepq": (learned, {"LONG_STORY": 0, "QUOTES": "keep"}),
        "cover2": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 2.0}),
        "cover1_pool60": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "POOL": 60}),
        "cover1_pool250": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "POOL": 250}),
        "cover1_min5": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "POOL_MIN_WORDS": 5}),
        "cover1_df2": (learned, {"LONG_STORY": 0, "SCORE_SHARE": 1.0, "MIN_ARTICLES": 2}),
        "centroid_cover1": (CentroidScorer(), {"LONG_STORY": 0, "SCORE_SHARE": 1.0}),
        # Fourth pass (helper general2): position in the concept weights, the objective and the pool.
        # (lead{bonus}x{k}: a concept +bonus per article using it in its first k sentences; dfpow: concept
        # worth articles**p; rowlead: the scorer's value raised for early sentences; poollead{k}: each
        # article's first k sentences join the pool; long{n}_pow: other greedy powers from n words.)
        **{f"lead{b}x{k}": (learned, {"concept_weights": lead_weights(b, k)})
           for b in (0.5, 1.0, 2.0, 3.0, 4.0) for k in (1, 2, 3, 5)},
        **{f"dfpow{p}": (learned, {"concept_weights": lead_weights(power=p)}) for p in (0.5, 0.75, 1.5, 2.0)},
        "lead1.0x1_dfpow1.5": (learned, {"concept_weights": lead_weights(1.0, 1, 1.5)}),
        **{f"rowlead{r}": (learned, {"ROW_LEAD": r}) for r in (0.5, 1.0, 2.0, 4.0)},
        **{f"poollead{k}": (learned, {"_ranked": lead_pool(k)}) for k in (1, 2, 3, 5, 8, 12)},
        **{f"poollead{k}_rowlead{r}": (learned, {"_ranked": lead_pool(k), "ROW_LEAD": r})
           for k in (3, 5) for r in (0.5, 1.0)},
        **{f"lead{b}x1_pool{k}": (learned, {"concept_weights": lead_weights(b, 1), "_ranked": lead_pool(k)})
           for b in (1.0, 2.0) for k in (1, 5)},
        **{f"long{n}_pow{'+'.join(map(str, p))}": (learned, {"cover": powers_from(n, p)})
           for n in (150, 200) for p in ((0.5, 0.75, 1.0), (1.0,))},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="duc2006")
    parser.add_argument("--variants", nargs="+", default=["base", "cover"])
    parser.add_argument("--model", default=None)
    parser.add_argument("--oracle", default=None)
    parser.add_argument("--model2", default=None, help="a second scorer model, variant `model2`")
    parser.add_argument("--oracle2", default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--words", type=int, default=None, help="budget (default: the task's)")
    parser.add_argument("--articles", type=int, default=None, help="only each topic's first N articles")
    args = parser.parse_args()
    records, stories = prepared(args.corpus, args.articles)
    records, stories = records[: args.limit], stories[: args.limit]
    words = args.words or CORPORA[args.corpus][1]
    table = variants(args)
    summaries, seconds = {}, {}
    for name in args.variants:
        scorer, settings = table[name]
        briefs, spent, solves = {}, 0.0, []
        with setting(cover, **settings):
            for record, story in zip(records, stories):
                start = time.perf_counter()
                cover.LAST_SOLVE = None
                try:
                    brief = pipeline.brief_prepared(story, words, scorer)
                except StoryBriefError as exc:
                    print(f"{record['id']}: {exc}")
                    continue
                spent += time.perf_counter() - start
                if cover.LAST_SOLVE is not None:
                    solves.append(cover.LAST_SOLVE)
                briefs[record["id"]] = [s.text for s in brief.sentences]
        summaries[name], seconds[name] = briefs, spent
        if solves:
            times = [t for t, _ in solves]
            print(f"{name}: {len(times)} solves, mean {np.mean(times):.3f} s, max {max(times):.3f} s,"
                  f" not optimal {sum(status != 0 for _, status in solves)}", flush=True)
    references = references_of(records)
    scores = score(summaries, references, resamples=100)
    for name in args.variants:
        s = scores[name]
        r2 = np.mean([t["ROUGE-2"] for t in s.per_topic.values()])
        su4 = np.mean([t["ROUGE-SU4"] for t in s.per_topic.values()])
        sentences = [x for b in summaries[name].values() for x in b]
        quoted = np.mean([quotes(x) for x in sentences])
        # Paired with the first variant named, per topic: mean difference of R-2, its standard error, topics up/down.
        first = scores[args.variants[0]].per_topic
        d = np.array([t["ROUGE-2"] - first[k]["ROUGE-2"] for k, t in s.per_topic.items() if k in first])
        paired = f"  vs {args.variants[0]} {d.mean():+.4f} (s.e. {d.std(ddof=1) / np.sqrt(len(d)):.4f}," \
                 f" {int((d > 0).sum())} up {int((d < 0).sum())} down)" if len(d) > 1 else ""
        print(f"{args.corpus} {name:14s} R2 {r2:.4f}  SU4 {su4:.4f}  quoted {quoted:.1%}  {seconds[name]:.1f} s"
              f"{paired}", flush=True)


if __name__ == "__main__":
    main()
