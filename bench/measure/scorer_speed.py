"""Time per story of the whole pipeline, per corpus, beside summa TextRank and sumy LexRank.

    OMP_NUM_THREADS=1 python -m bench.measure.scorer_speed --against main --write

Corpora (each its own table): Multi-News val (articles cut at ~500 words), DUC 2006 (25
full-length articles a topic) and DUC 2006 cut to the first 10 articles of each topic (the
size of a classic 10-article news cluster; needs `python -m bench.build.duc`). Every system runs
in a worker process of its own, one thread, on the same stories and budget: StoryBrief (`summarize`,
documents in, brief out; DUC articles with their ids, titles and dates), summa TextRank and sumy
LexRank (12 sentences, blingfire sentences) on the raw concatenated articles. `--against REV...`
also times the package as stored at those git revisions (each extracted with `git archive` into a
temporary folder) and says whether their briefs are byte-identical to this checkout's. The systems take turns
chunk by chunk, each chunk timed `--repeat` times per StoryBrief version and the best time kept, so
a busy machine slows every system alike: compare ratios taken in one run, not absolute times.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

PEERS = ("summa textrank", "sumy lexrank")
CORPORA = ("multinews", "duc2006", "duc2006-10")
DEFAULT_STORIES = {"multinews": 300, "duc2006": 20, "duc2006-10": 50}
CHUNK = {"multinews": 20, "duc2006": 2, "duc2006-10": 4}
LEXRANK_SENTENCES = 12


# --- the worker: one system, one process -----------------------------------------------------


def storybrief_system(method: str, words: int):
    """summarize() on a record: its articles (with ids, titles and dates when the record has them)."""
    from storybrief import summarize
    from storybrief.types import Article

    try:
        from storybrief.brief.score import get_scorer
    except ImportError:  # a revision from before the package's brief/ layout
        from storybrief.score import get_scorer

    scorer = get_scorer(method)  # built once: model loading is not a per-story cost

    def run(record: dict) -> str:
        if "doc_ids" in record:
            fields = zip(record["documents"], record["doc_ids"], record["titles"], record["dates"])
            articles = [Article(text=t, id=i, title=title, published=day) for t, i, title, day in fields]
        else:
            articles = record["documents"]
        return summarize(articles, words=words, scorer=scorer).to_json(indent=None)

    return run


def peer_system(name: str, words: int):
    import re

    import blingfire

    if name == "summa textrank":
        from summa import summarizer

        return lambda record: summarizer.summarize("\n".join(record["documents"]), words=words)
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class Tokenizer:
        """sumy's own tokenizer needs NLTK punkt data, which is not installed; blingfire instead."""

        language = "english"

        def to_sentences(self, paragraph):
            return [s for s in blingfire.text_to_sentences(paragraph).split("\n") if s.strip()]

        def to_words(self, sentence):
            return re.findall(r"\w+", sentence)

    lexrank = LexRankSummarizer()

    def run(record: dict) -> str:
        parser = PlaintextParser.from_string("\n".join(record["documents"]), Tokenizer())
        return " ".join(str(s) for s in lexrank(parser.document, LEXRANK_SENTENCES))

    return run


def worker(system: str, data: str, words: int) -> None:
    """Reads `start stop` lines on stdin; times records[start:stop]; answers `seconds digest`."""
    with open(data, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    run = peer_system(system, words) if system in PEERS else storybrief_system(system, words)
    run(records[0])  # warm-up: imports, model loading, first-call caches
    print("ready", flush=True)
    for line in sys.stdin:
        start, stop = map(int, line.split())
        digest = hashlib.md5()
        began = time.perf_counter()
        outputs = [run(record) for record in records[start:stop]]
        seconds = time.perf_counter() - began
        for output in outputs:
            digest.update(hashlib.md5(output.encode()).digest())
        print(f"{seconds:.6f} {digest.hexdigest()}", flush=True)


class Worker:
    def __init__(self, system: str, tree: Path, data: Path, words: int):
        env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", system, str(data), str(words)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tree,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit(f"{system}: the worker did not start")

    def time(self, start: int, stop: int) -> tuple[float, str]:
        self.process.stdin.write(f"{start} {stop}\n")
        self.process.stdin.flush()
        seconds, digest = self.process.stdout.readline().split()
        return float(seconds), digest

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


# --- the run -------------------------------------------------------------------------------


def records_of(corpus: str, count: int) -> tuple[list[dict], str]:
    """The corpus's first `count` stories StoryBrief can brief, and a line saying which they are."""
    from bench.data import BENCH_DATA
    from storybrief.brief.pipeline import prepare
    from storybrief.errors import StoryBriefError

    if corpus == "multinews":
        from bench.build import scorer_data

        records = [{"documents": r["documents"]} for r in scorer_data.read_split("val", 0, count)]

        def briefable(record) -> bool:  # a few clusters are nothing but placeholder pages: refused
            try:
                prepare(record["documents"])
                return True
            except StoryBriefError:
                return False

        kept = [r for r in records if briefable(r)]
        return kept, (
            f"Multi-News val[0:{count}] ({len(kept)} clusters; {count - len(kept)} made only of placeholder "
            f"pages left out)"
        )
    path = BENCH_DATA / "duc2006.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path}: not built yet; run `python -m bench.build.duc` first")
    with path.open(encoding="utf-8") as lines:
        topics = [json.loads(line) for line in lines][:count]
    keep = 10 if corpus == "duc2006-10" else None
    records = [{k: topic[k][:keep] for k in ("documents", "doc_ids", "titles", "dates")} for topic in topics]
    what = "the first 10 articles of each" if keep else "all 25 full-length articles of each"
    return records, f"DUC 2006 topics [0:{len(records)}], {what}"


def against_tree(revision: str, root: Path) -> Path:
    """The package as stored at `revision`, extracted into a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="storybrief-at-"))
    archive = subprocess.run(["git", "archive", revision, "storybrief"], cwd=root, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def measure(
    corpus: str, records: list[dict], systems: dict[str, Path], words: int, repeat: int, folder: Path
) -> dict[str, dict]:
    """ms a story per system, and each system's digest of its outputs, taking turns chunk by chunk."""
    data = folder / f"{corpus}.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    workers = {}
    for name, tree in systems.items():
        system = name if name in PEERS else name.split()[1]
        workers[name] = Worker(system, tree, data, words)
    best: dict[str, list[float]] = {name: [] for name in systems}
    digests: dict[str, list[str]] = {name: [] for name in systems}
    size = CHUNK[corpus]
    for number, start in enumerate(range(0, len(records), size)):
        stop = min(start + size, len(records))
        names = list(systems)
        names = names[number % len(names) :] + names[: number % len(names)]  # who goes first rotates
        times: dict[str, list[float]] = {name: [] for name in names}
        # The peers are many times slower than StoryBrief on full-length stories: timed once.
        for turn in range(repeat):
            for name in names:
                if name in PEERS and turn:
                    continue
                seconds, digest = workers[name].time(start, stop)
                times[name].append(seconds)
                if not turn:
                    digests[name].append(digest)
        for name in names:
            best[name].append(min(times[name]))
    for w in workers.values():
        w.close()
    return {
        name: {"ms": 1000 * sum(best[name]) / len(records), "digest": md5_of("".join(digests[name]))}
        for name in systems
    }


def md5_of(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def table(results: dict[str, dict]) -> str:
    ms = {name: r["ms"] for name, r in results.items()}
    rows = ["| system | ms/story | stories/s | summa's time ÷ this | sumy's time ÷ this |", "|---|---:|---:|---:|---:|"]
    for name, value in ms.items():
        rows.append(
            f"| {name} | {value:.1f} | {1000 / value:.1f} | {ms['summa textrank'] / value:.2f}× "
            f"| {ms['sumy lexrank'] / value:.2f}× |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", choices=CORPORA, default=list(CORPORA))
    parser.add_argument("--stories", type=int, nargs="+", help="stories per corpus (default 300, 20, 50)")
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--methods", nargs="+", default=["default"], help="StoryBrief methods to time")
    parser.add_argument(
        "--against", nargs="+", default=[], metavar="REV", help="also time the package at these git revisions"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timings of each StoryBrief chunk (best kept)")
    parser.add_argument("--no-peers", action="store_true", help="StoryBrief only (a quick A/B of two revisions)")
    parser.add_argument(
        "--write", action="store_true", help="write the figures to docs/benchmarks.md (section scorer-speed)"
    )
    parser.add_argument("--worker", nargs=3, metavar=("SYSTEM", "DATA", "WORDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        system, data, words = args.worker
        worker(system, data, int(words))
        return
    from bench.data import ROOT
    from bench.report import machine_line

    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()

    counts = dict(zip(args.corpus, args.stories)) if args.stories else {}
    here = git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain", "storybrief") else "")
    systems: dict[str, Path] = {f"storybrief {m}": ROOT for m in args.methods}
    revisions = {}
    for revision in args.against:
        short, day = git("rev-parse", "--short", revision), git("log", "-1", "--format=%cs", revision)
        revisions[revision] = f"{short} ({day})" if short.startswith(revision) else f"{revision} ({short}, {day})"
    for revision, label in revisions.items():
        tree = against_tree(revision, ROOT)
        for m in args.methods:
            systems[f"storybrief {m} at {label}"] = tree
    if not args.no_peers:
        systems.update({peer: ROOT for peer in PEERS})
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    machine = machine_line()
    sections = []
    with tempfile.TemporaryDirectory() as folder:
        for corpus in args.corpus:
            records, what = records_of(corpus, counts.get(corpus, DEFAULT_STORIES[corpus]))
            words_a_story = sum(len(d.split()) for r in records for d in r["documents"]) / len(records)
            results = measure(corpus, records, systems, args.words, args.repeat, Path(folder))
            print(f"{corpus}: {what}; {words_a_story:,.0f} words a story")
            for name, r in results.items():
                print(f"  {name:45s} {r['ms']:8.1f} ms/story  outputs {r['digest'][:12]}")
            lines = [f"### {what}\n", f"{len(records)} stories, {words_a_story:,.0f} words a story on average.\n"]
            if args.no_peers:
                lines.append("\n".join(f"- {n}: {r['ms']:.1f} ms/story" for n, r in results.items()))
            else:
                lines.append(table(results))
            for m in args.methods:
                new = results[f"storybrief {m}"]
                for label in revisions.values():
                    old = results[f"storybrief {m} at {label}"]
                    same = "byte-identical" if new["digest"] == old["digest"] else "not the same"
                    line = (
                        f"- `{m}` here ({here}) against {label}: {new['ms']:.1f} vs {old['ms']:.1f} ms/story, "
                        f"{old['ms'] / new['ms']:.2f}× as fast; briefs {same}."
                    )
                    print(line)
                    lines.append(("\n" if label == next(iter(revisions.values())) else "") + line)
            sections.append("\n".join(lines))
    if args.write:
        from bench.report import write_section

        command = "OMP_NUM_THREADS=1 python -m bench.measure.scorer_speed" + (
            f" --against {' '.join(args.against)}" if args.against else ""
        ) + " --write"
        body = (
            "## Time per story, per corpus, beside summa and sumy (`bench/measure/scorer_speed.py`)\n\n"
            f"Whole pipeline per story (documents in, {args.words}-word brief out) for StoryBrief's "
            f"{', '.join(f'`{m}`' for m in args.methods)} method, against summa TextRank ({args.words} words) and "
            f"sumy LexRank ({LEXRANK_SENTENCES} sentences, blingfire sentences) on the raw concatenated articles; "
            "each system in a worker process of its own, one thread, the same stories, taking turns chunk by "
            f"chunk; StoryBrief's chunks timed {args.repeat} times, best kept (the peers once). "
            "`summa's time ÷ this` above 1: this system is that many times faster than summa. "
            + (
                "Earlier revisions of the package (`git archive` of `storybrief/`) are timed in the same run; "
                "`briefs byte-identical`: every brief's JSON equal to this checkout's. "
                if args.against
                else ""
            )
            + f"Machine: {machine}; {started} (compare ratios, not absolute times). "
            f"Command: `{command}`.\n\n" + "\n\n".join(sections)
        )
        write_section("scorer-speed", body)


if __name__ == "__main__":
    main()
