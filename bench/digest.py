"""Golden digests of StoryBrief's observable output, to show that a refactoring changed nothing.

    python -m bench.digest > before.txt     # on the old code
    python -m bench.digest > after.txt      # on the new code
    diff before.txt after.txt               # empty: byte-identical behaviour

Everything goes through the command line (the one interface every layout keeps):
- the bundled example as text, Markdown and JSON at 60, 120 and 250 words;
- `batch` over the first 300 Multi-News val clusters at 100 and 250 words;
- `stories` over the articles of the first 1,000 val clusters (stories, ids, labels, briefs);
- a `--state` folder made from the first half of those articles, then reloaded and extended
  with the second half (both outputs and every file of the folder);
- the md5 of the shipped model files (compare with a retrain: `python -m bench.build.train_scorer`).

Data: `$STORYBRIEF_DATA` (default `../shared/data` beside the repository).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("STORYBRIEF_DATA", ROOT.parent / "shared" / "data"))
CLI = [sys.executable, "-m", "storybrief"]


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def run(*args: str) -> bytes:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "COLUMNS": "200"}
    done = subprocess.run([*CLI, *args], capture_output=True, env=env, cwd=ROOT)
    # The bundled example's paths name the checkout: written relative to it, so that two clones
    # (a worktree and main) give the same digests.
    return b"rc=%d\n" % done.returncode + done.stdout.replace(str(ROOT).encode(), b"<checkout>")


def val_records(count: int) -> list[dict]:
    records = []
    with gzip.open(DATA / "multinews-val.jsonl.gz", "rt", encoding="utf-8") as stream:
        for line in stream:
            records.append(json.loads(line))
            if len(records) == count:
                break
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the bundled example and the models only")
    args = parser.parse_args()
    for words in (60, 120, 250):
        for fmt in ("text", "markdown", "json"):
            print(f"example {fmt} {words}: {md5(run('summarize', '--words', str(words), '--format', fmt))}")
    for name in ("scorer.txt", "scorer_oracle.txt"):
        print(f"model {name}: {md5((ROOT / 'storybrief' / 'models' / name).read_bytes())}")
    if args.quick:
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        clusters = tmp / "clusters.jsonl"
        clusters.write_text(
            "".join(json.dumps({"id": r["id"], "documents": r["documents"]}) + "\n" for r in val_records(300))
        )
        for words in (100, 250):
            out = tmp / f"briefs{words}.jsonl"
            rc = run("batch", str(clusters), str(out), "--words", str(words), "--workers", "1")
            status = rc.split(b"\n")[0]
            print(f"batch 300 val {words} words: {md5(status + out.read_bytes())}")
        articles = []
        for record in val_records(1000):
            for number, text in enumerate(record["documents"]):
                if text.strip():
                    articles.append({"id": f"{record['id']}-{number}", "text": text})
        pile = tmp / "pile.jsonl"
        pile.write_text("".join(json.dumps(a) + "\n" for a in articles))
        print(f"stories 1000 val: {md5(run('stories', str(pile), '--format', 'json', '--workers', '1'))}")
        half = len(articles) // 2
        first, second = tmp / "first.jsonl", tmp / "second.jsonl"
        first.write_text("".join(json.dumps(a) + "\n" for a in articles[:half]))
        second.write_text("".join(json.dumps(a) + "\n" for a in articles[half:]))
        state = tmp / "state"
        for part, path in (("first half", first), ("second half", second)):
            output = run("stories", str(path), "--state", str(state), "--format", "json", "--workers", "1")
            print(f"stories --state {part}: {md5(output)}")
            for file in sorted(state.iterdir()):
                print(f"  state {part} {file.name}: {md5(file.read_bytes())}")


if __name__ == "__main__":
    main()
