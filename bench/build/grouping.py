"""Build the story-grouping benchmark sets: articles JSONL with gold labels.

    python -m bench.build.grouping            # all sets
    python -m bench.build.grouping --only ecbplus duc2006

Writes into `bench.data.BENCH_DATA` (default bench/.data/, git-ignored: DUC text is not
redistributable and must never be committed), folder grouping/, one gzipped JSONL per set,
one article a line: {"id", "text", "title", "source", "url", "published", "gold", "split"}.

- ecbplus: ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0), from the EventStoryLine mirror's
  `ECB+_LREC2014/ECB+/`: 43 topics, each two look-alike events (the `ecb` and the `ecbplus`
  documents, e.g. two different celebrities checking into rehab). Gold = `{topic}_ecb` /
  `{topic}_ecbplus`. Undated (the documents carry no publication date; the `ecbplus` ones open
  with their URL, which goes to `url`, not into the text). split: topics 1-22 `dev`, 23-45 `test`.
- duc2006, duc2007: the DUC 2006 / 2007 document sets pooled (gold = the topic, e.g. D0601A),
  read from the NIST snapshot as `bench.build.duc` reads it (same text and headline), dated by the
  day in each document's id (APW19990707.0181) and the time in its DATE_TIME (13 APW DATE_TIME
  fields swap month and day, 1998-17-06; the ids do not). A document
  that several topics list is kept once, under the first of them (DUC 2006 lists 9 ids under two
  or three topics; DUC 2007's update sets repeat 250 of its main sets' documents). split for
  duc2006: the first 25 topics (sorted) `dev`, the other 25 `test`; duc2007 is all `test`.
- multinews-val-1000: Multi-News val, K = 1,000 random clusters of 2+ documents, seed 13,
  exactly as `bench/stories.py` draws and shuffles them (ids `{cluster}#{n}`). Undated. `test`.
- multinews-train-1000: the same from Multi-News train (a tuning pile, all `dev`: what the story
  threshold and vector size are checked on, so that val stays held out).

Articles are written in the order a stream would deliver them: by date (then id) for the DUC
sets, shuffled (seed 13) for the undated ones.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

from bench.build.duc import DEFAULT_SOURCE, Snapshot, decode, parse_document, tag
from bench.build.duc import BuildError as DucError
from bench.data import BENCH_DATA

OUT = BENCH_DATA / "grouping"
DUC_SOURCE = Path(os.environ.get("STORYBRIEF_DUC_SOURCE") or DEFAULT_SOURCE)
ECB_REPO = Path(os.environ.get("STORYBRIEF_ECB_SOURCE") or "/work/.mirror/tommasoc80+EventStoryLine/repo")
DUC_FOLDERS = {"duc2006": "DUC_data/DUC2006/duc2006_docs/", "duc2007": "DUC_data/DUC2007/duc2007_testdocs/"}
ECB_FOLDER = "ECB+_LREC2014/ECB+/"
SEED = 13
SETS = ("ecbplus", "duc2006", "duc2007", "multinews-val-1000", "multinews-train-1000")


class BuildError(Exception):
    pass


def git(repo: Path, *args: str) -> bytes:
    if not (repo / "HEAD").exists() and not (repo / ".git").exists():
        raise BuildError(f"{repo}: no git repository there (set STORYBRIEF_ECB_SOURCE)")
    done = subprocess.run(["git", "--git-dir", str(repo), *args], capture_output=True)
    if done.returncode:
        raise BuildError(f"git {' '.join(args[:2])} in {repo}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def listed(repo: Path, folder: str) -> list[str]:
    return [p for p in git(repo, "ls-tree", "-r", "HEAD", "--name-only", "--", folder).decode().splitlines() if p]


def show_many(repo: Path, paths: list[str]) -> dict[str, str]:
    """Contents of many files in one `git cat-file --batch` (one process, not one per file)."""
    request = "".join(f"HEAD:{p}\n" for p in paths).encode()
    done = subprocess.run(
        ["git", "--git-dir", str(repo), "cat-file", "--batch"], input=request, capture_output=True, check=True
    )
    out, data, position = {}, done.stdout, 0
    for path in paths:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        if len(header) < 3 or header[1] == b"missing":
            raise BuildError(f"{path}: missing in {repo}")
        size = int(header[2])
        out[path] = data[end + 1 : end + 1 + size].decode("utf-8", errors="replace")
        position = end + 1 + size + 1
    return out


# ----- DUC ------------------------------------------------------------------------------------


def duc_article(markup: str, name: str, topic: str) -> dict:
    document = parse_document(markup, name)  # text and headline exactly as bench.build.duc reads them
    # The day comes from the id: a few DATE_TIME fields swap month and day (1998-17-06); the time
    # of day, when given, from DATE_TIME.
    day = re.match(r"[A-Z]+(\d{4})(\d{2})(\d{2})", document.doc_id)
    if not day:
        raise BuildError(f"{name}: no date in the document id {document.doc_id}")
    clock = re.search(r"\b(\d{2}):(\d{2})\b", tag(markup, "DATE_TIME") or "")
    hour, minute = clock.groups() if clock else ("00", "00")
    year, month, day_of_month = day.groups()
    return {
        "id": document.doc_id,
        "text": document.text,
        "title": document.title,
        "source": re.match(r"[A-Z]+", document.doc_id).group(0),
        "url": "",
        "published": f"{year}-{month}-{day_of_month}T{hour}:{minute}:00Z",
        "gold": topic,
    }


def build_duc(name: str) -> list[dict]:
    try:
        snapshot = Snapshot(DUC_SOURCE)
        paths = [p for p in snapshot.names(DUC_FOLDERS[name]) if re.search(r"/D0\d{3}[A-Z]/", p)]
        if not paths:
            raise BuildError(f"{name}: no documents under {DUC_FOLDERS[name]} in {DUC_SOURCE}")
        # Main sets before update sets, so a repeated document keeps its main set's topic.
        paths.sort(key=lambda p: ("/update/" in p, p))
        blobs = snapshot.read_many(paths)
        articles: dict[str, dict] = {}
        for path in paths:
            topic = re.search(r"/(D0\d{3}[A-Z])/", path).group(1)
            article = duc_article(decode(blobs[path]), path, topic)
            if article["id"] not in articles:
                articles[article["id"]] = article
    except DucError as exc:
        raise BuildError(str(exc)) from None
    topics = sorted({a["gold"] for a in articles.values()})
    dev = set(topics[: len(topics) // 2]) if name == "duc2006" else set()
    for article in articles.values():
        article["split"] = "dev" if article["gold"] in dev else "test"
    return sorted(articles.values(), key=lambda a: (a["published"], a["id"]))


# ----- ECB+ -----------------------------------------------------------------------------------

_TOKEN = re.compile(r'<token t_id="\d+" sentence="(\d+)" number="\d+">(.*?)</token>', re.S)
_URL = re.compile(r"^(https?\s*:|www\s*\.)", re.I)


def detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text, flags=re.I)
    return text.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')


def ecb_article(xml: str, name: str) -> dict:
    sentences: dict[int, list[str]] = {}
    for sentence, token in _TOKEN.findall(xml):
        sentences.setdefault(int(sentence), []).append(html.unescape(token))
    lines = [sentences[k] for k in sorted(sentences)]
    url = ""
    if lines and _URL.match("".join(lines[0])):  # the ecbplus documents open with their URL
        url = "".join(lines.pop(0))
    text = " ".join(detokenise(line) for line in lines)
    topic, kind = re.match(r"(\d+)_\d+(ecbplus|ecb)\.xml$", name).groups()
    return {
        "id": name.removesuffix(".xml"),
        "text": text,
        "title": "",
        "source": name.removesuffix(".xml"),
        "url": url,
        "published": "",
        "gold": f"{topic}_{kind}",
        "split": "dev" if int(topic) <= 22 else "test",
    }


def build_ecb() -> list[dict]:
    paths = [p for p in listed(ECB_REPO, ECB_FOLDER) if p.endswith(".xml")]
    if not paths:
        raise BuildError(f"no ECB+ documents under {ECB_FOLDER} in {ECB_REPO}")
    texts = show_many(ECB_REPO, paths)
    articles = [ecb_article(texts[p], p.rsplit("/", 1)[1]) for p in sorted(paths)]
    articles = [a for a in articles if a["text"].strip()]
    random.Random(SEED).shuffle(articles)
    return articles


# ----- Multi-News ----------------------------------------------------------------------------


def build_multinews(split: str = "val") -> list[dict]:
    from bench.measure.stories import articles_of, pick, read_clusters

    clusters = read_clusters(split)
    chosen, _ = pick(clusters, 1000, "random", SEED)
    articles, truth = articles_of(chosen, SEED)
    return [
        {
            "id": a.id,
            "text": a.text,
            "title": "",
            "source": a.source,
            "url": "",
            "published": "",
            "gold": truth[a.id],
            "split": "test" if split == "val" else "dev",
        }
        for a in articles
    ]


BUILDERS = {
    "ecbplus": build_ecb,
    "duc2006": lambda: build_duc("duc2006"),
    "duc2007": lambda: build_duc("duc2007"),
    "multinews-val-1000": build_multinews,
    "multinews-train-1000": lambda: build_multinews("train"),
}


def load(name: str, folder: Path = OUT) -> list[dict]:
    """A built set's articles, in stream order; a clear error when it was not built."""
    path = folder / f"{name}.jsonl.gz"
    if not path.exists():
        raise BuildError(f"{path}: not built; run `python -m bench.build.grouping`")
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", choices=SETS, default=list(SETS))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        try:
            articles = BUILDERS[name]()
        except (BuildError, OSError, subprocess.CalledProcessError) as exc:
            sys.exit(f"error: {name}: {exc}")
        path = OUT / f"{name}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            for article in articles:
                stream.write(json.dumps(article, ensure_ascii=False) + "\n")
        golds = {a["gold"] for a in articles}
        dated = [a["published"] for a in articles if a["published"]]
        span = f", dated {min(dated)[:10]} to {max(dated)[:10]}" if dated else ", undated"
        splits = {s: sum(a["split"] == s for a in articles) for s in ("dev", "test")}
        print(
            f"{name}: {len(articles):,} articles, {len(golds)} gold groups{span},"
            f" dev/test {splits['dev']}/{splits['test']} -> {path}"
        )


if __name__ == "__main__":
    main()
