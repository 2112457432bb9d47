"""A hard, labelled set of (claim, candidate) sentence pairs for StoryBrief's citations.

    python -m bench.build.citation_pairs            # rebuild the text of bench/citations/pairs.jsonl
    python -m bench.build.citation_pairs --select   # choose the pairs again (rewrites pairs.jsonl)

A pair is a sentence a brief would pick (the claim) and a sentence of another article of the same
story (the candidate); the question a label answers is whether the candidate states the claim's
fact, i.e. whether citing its article for the claim is right. Stories come from Multi-News val
(records 3000 on, clear of the tuning slices) and DUC 2006 (its 50 topics of 25 articles), run
through StoryBrief's own stages (load, clean, merge copies, segment, represent) so that a sentence
is named by (article id, sentence index) exactly as the pipeline numbers it. pairs.jsonl keeps
only those ids and a SHA-1 of the two sentences; the text is rebuilt into the git-ignored
bench/.data/citation_pairs_text.jsonl (DUC text may not be redistributed). See
bench/citations/README.md for how pairs are chosen and labelled.
"""

from __future__ import annotations

import argparse
import gzip
import html
import itertools
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")


from bench.data import BENCH_DATA, multinews  # noqa: E402
from storybrief.brief.pipeline import prepare  # noqa: E402
from storybrief.brief.represent import Representation, represent  # noqa: E402
from storybrief.brief.segment import is_bare_quote, is_unfinished  # noqa: E402
from storybrief.errors import StoryBriefError  # noqa: E402
from storybrief.evaluation import citations as checks  # noqa: E402
from storybrief.types import Article, Sentence  # noqa: E402

BENCH = Path(__file__).resolve().parents[1]
PAIRS = BENCH / "citations" / "pairs.jsonl"
TEXT = BENCH_DATA / "citation_pairs_text.jsonl"
# The stories the pairs come from, raw, for `storybrief evaluate --citations` (git-ignored: DUC text).
STORIES = BENCH_DATA / "citation_stories.jsonl"
MULTINEWS = multinews("val")
DUC_GIT = Path(os.environ.get("STORYBRIEF_DUC_GIT", "/work/.mirror/gsandeep1241+TextSummarizer/repo"))
DUC2006 = "DUC_data/DUC2006/duc2006_docs"

# Multi-News val records drawn from: 3000 to the end (0-2999 are tuning and dev slices).
MULTINEWS_START, MULTINEWS_STOP = 3000, None
SEED = 14
CLAIMS_PER_ARTICLE = {"multinews": 2, "duc2006": 2}  # best-scored claims per merged article
CLAIM_WORDS = (10, 50)
CANDIDATE_WORDS = 6
CANDIDATE_MAX_WORDS = 70
# Pairs per corpus and stratum; per story at most CAP of one stratum (stories stay varied).
TARGET = {"similar_words": 65, "paraphrase": 65, "near_credited": 45, "near_not_credited": 45}
CAP = {"multinews": 1, "duc2006": 2}
# Stratum thresholds (TF-IDF cosine s, coverage c, distilled-word-vector cosine e).
SIMILAR_WORDS_MIN = 0.40  # (a) s at least this and a differing number or name
PARAPHRASE_MAX = 0.35  # (b) s under the rule's floor (COVERAGE_SIMILARITY)...
PARAPHRASE_MIN_EMBED = 0.80  # ... and e at least this
NEAR_SIMILARITY = (0.40, 0.62)  # (c) s within this band around PARAPHRASE = 0.5 ...
NEAR_COVERAGE = (0.48, 0.72)  # ... or c within this band around COVERAGE = 0.6 (with s >= 0.35)


@dataclass
class Story:
    corpus: str
    story: str
    sentences: list[Sentence]
    representation: Representation
    ids: list[str]  # merged article index -> article id (Multi-News doc index, DUC doc id)
    merged: list[Article]  # the articles the pipeline attributes from (copies merged)
    originals: list[Article]  # the input articles, cleaned (one source each)
    documents: list[tuple[str, str]] | None = None  # (article id, raw text) as read from the corpus

    def position(self, article: str, index: int) -> int | None:
        for k, s in enumerate(self.sentences):
            if self.ids[s.article] == article and s.index == index:
                return k
        return None

    def name(self, k: int) -> dict:
        return {"article": self.ids[self.sentences[k].article], "index": self.sentences[k].index}


# ---------------------------------------------------------------- reading the corpora

def multinews_records(indices: set[int] | None = None, start: int = 0, stop: int | None = None) -> dict[int, dict]:
    if not MULTINEWS.is_file():
        sys.exit(f"error: Multi-News val not found at {MULTINEWS} (set STORYBRIEF_DATA)")
    out = {}
    with gzip.open(MULTINEWS, "rt", encoding="utf-8") as f:
        for n, line in enumerate(itertools.islice(f, start, stop), start):
            if indices is None or n in indices:
                out[n] = json.loads(line)
            if indices is not None and n >= max(indices):
                break
    return out


_TAG = re.compile(r"<[^>]+>")


def duc_text(raw: str) -> str:
    """A DUC document's body as plain text: paragraphs (<P>) one a line, line wraps joined, PTB-style
    `` '' quotes as straight quotes, SGML entities decoded. The headline and bylines are left out."""
    match = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    body = match.group(1) if match else ""
    paragraphs = re.split(r"</?P>", body) if "<P>" in body else re.split(r"\n\s*\n", body)
    lines = []
    for paragraph in paragraphs:
        text = " ".join(_TAG.sub(" ", paragraph).split())
        text = text.replace("``", '"').replace("''", '"')
        text = html.unescape(text)
        if text:
            lines.append(text)
    return "\n".join(lines)


def duc_topics() -> dict[str, list[tuple[str, str]]]:
    """DUC 2006 topic -> [(doc id, text)], read from the mirror's git objects."""
    if not DUC_GIT.exists():
        sys.exit(f"error: DUC mirror not found at {DUC_GIT} (set STORYBRIEF_DUC_GIT)")
    listing = subprocess.run(
        ["git", "-C", str(DUC_GIT), "ls-tree", "-r", "HEAD", DUC2006 + "/"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    entries = []
    for line in listing:
        meta, path = line.split("\t", 1)
        parts = path.split("/")
        if len(parts) == 5 and parts[3].startswith("D06"):
            entries.append((parts[3], parts[4], meta.split()[2]))
    blobs = "\n".join(blob for _, _, blob in entries) + "\n"
    raw = subprocess.run(
        ["git", "-C", str(DUC_GIT), "cat-file", "--batch"], input=blobs.encode(), capture_output=True, check=True
    ).stdout
    topics: dict[str, list[tuple[str, str]]] = defaultdict(list)
    at = 0
    for topic, doc, _blob in entries:
        header_end = raw.index(b"\n", at)
        size = int(raw[at:header_end].split()[2])
        content = raw[header_end + 1: header_end + 1 + size].decode("utf-8", errors="replace")
        at = header_end + 1 + size + 1
        topics[topic].append((doc, duc_text(content)))
    return {t: sorted(docs) for t, docs in sorted(topics.items())}


def build_story(corpus: str, story: str, documents: list[tuple[str, str]]) -> Story | None:
    """The story as the pipeline sees it: cleaned, copies merged, segmented, represented."""
    articles = [Article(text=text, id=doc) for doc, text in documents if text.strip()]
    try:
        prepared = prepare(articles)
    except StoryBriefError:
        return None
    if len(prepared.merged) < 2:
        return None
    return Story(
        corpus, story, prepared.sentences, represent(prepared.sentences), [a.id for a in prepared.merged],
        prepared.merged, prepared.originals, [(a.id, a.text) for a in articles],
    )


def multinews_story(n: int, record: dict) -> Story | None:
    return build_story("multinews", f"val:{n}", [(str(k), d) for k, d in enumerate(record["documents"])])


def stories_for(pairs: list[dict]) -> dict[tuple[str, str], Story]:
    """Every story the pairs name, rebuilt."""
    wanted = {(p["corpus"], p["story"]) for p in pairs}
    out: dict[tuple[str, str], Story] = {}
    indices = {int(s.split(":")[1]) for c, s in wanted if c == "multinews"}
    if indices:
        for n, record in multinews_records(indices).items():
            out[("multinews", f"val:{n}")] = multinews_story(n, record)
    if any(c == "duc2006" for c, _ in wanted):
        for topic, docs in duc_topics().items():
            if ("duc2006", topic) in wanted:
                out[("duc2006", topic)] = build_story("duc2006", topic, docs)
    missing = wanted - {k for k, v in out.items() if v is not None}
    if missing:
        sys.exit(f"error: {len(missing)} stories could not be rebuilt, e.g. {sorted(missing)[0]}")
    return out


def locate_pairs(pairs: list[dict]) -> list[tuple[dict, Story, list[Sentence], int, int]]:
    """(pair, story, sentences, claim position, candidate position) for every pair, each side found
    by its offsets in its corpus document and checked by hash (evaluation.citations.locate): a
    change to cleaning or segmentation neither breaks the pairs nor silently swaps their text."""
    stories = stories_for(pairs)
    articles = {
        f"{c}:{s}": [Article(text=text, id=doc) for doc, text in story.documents or []]
        for (c, s), story in stories.items()
    }
    try:
        located = checks.locate(pairs, None, articles)
    except StoryBriefError as exc:
        sys.exit(f"error: {exc}")
    return [(lp.pair, stories[(lp.pair["corpus"], lp.pair["story"])], lp.sentences, lp.i, lp.j) for lp in located]


# ---------------------------------------------------------------- choosing pairs

_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "dozen",
    "dozens", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand", "thousands", "million",
    "millions", "billion", "billions", "first", "second", "third", "half",
}
_NOT_NAMES = {
    "the", "a", "an", "i", "he", "she", "it", "they", "we", "but", "and", "in", "on", "mr", "mrs", "ms", "dr",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
}


def numbers(text: str) -> set[str]:
    digits = {n.replace(",", "") for n in re.findall(r"\d[\d,.]*\d|\d", text)}
    return digits | {w for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


def names(text: str) -> set[str]:
    """Capitalised words after the first word: people, places, organisations (roughly)."""
    words = re.findall(r"[\w'-]+", text)[1:]
    return {w.lower() for w in words if w[0].isupper() and w.lower() not in _NOT_NAMES}


def quoted_share(text: str) -> float:
    inside = sum(len(q.split()) for q in re.findall(r'"([^"]*)"', text))
    return inside / max(len(text.split()), 1)


def good_claim(s: Sentence) -> bool:
    """A sentence a brief would quote as a statement: a full sentence, mostly not a quotation."""
    return (
        CLAIM_WORDS[0] <= s.words <= CLAIM_WORDS[1]
        and not is_unfinished(s.text)
        and not is_bare_quote(s.text)
        and not s.text.lstrip().startswith(('"', "'", "“"))
        and quoted_share(s.text) < 0.5
        and not s.text.rstrip().endswith(("?", "...", "…"))
        and s.text.count('"') % 2 == 0  # an odd quote mark: a quotation split or run together
    )


def good_candidate(s: Sentence, last: bool) -> bool:
    # Run-ons past CANDIDATE_MAX_WORDS (lists, pages without full stops) are left out: a reader
    # cannot judge a 300-word "sentence" as one statement.
    return CANDIDATE_WORDS <= s.words <= CANDIDATE_MAX_WORDS and not (last and is_unfinished(s.text))


def candidate_pool(story: Story, scorer, vectors) -> list[dict]:
    """Every (claim, candidate) of the story with the measures the strata are cut from."""
    from bench.measure.citations import today_supports

    sentences, rep = story.sentences, story.representation
    scores = scorer.score(sentences, rep)
    per_article = Counter(s.article for s in sentences)
    claims = []
    for a in range(len(story.ids)):
        ranked = sorted(
            (k for k, s in enumerate(sentences) if s.article == a and good_claim(s)), key=lambda k: -scores[k]
        )
        claims.extend(ranked[: CLAIMS_PER_ARTICLE[story.corpus]])
    candidates = [k for k, s in enumerate(sentences) if good_candidate(s, s.index == per_article[s.article] - 1)]
    if not claims or not candidates:
        return []
    embedded = vectors.sentences([s.text for s in sentences])
    similarity = rep.cosines(claims, candidates)
    rows = []
    for r, i in enumerate(claims):
        for c, j in enumerate(candidates):
            if sentences[i].article == sentences[j].article or similarity[r, c] < 0.1:
                continue
            if sentences[i].text.lower() == sentences[j].text.lower():
                continue  # word for word the same: not a question anyone needs a label for
            decision = today_supports(sentences, rep, i, j)
            ni, nj = numbers(sentences[i].text), numbers(sentences[j].text)
            mi, mj = names(sentences[i].text), names(sentences[j].text)
            rows.append({
                "i": i, "j": j,
                "s": decision["similarity"], "c": decision["coverage"], "credited": decision["supports"],
                "e": float(embedded[i] @ embedded[j]),
                "detail_differs": bool((ni and nj and ni != nj) or (mi - mj and mj - mi)),
            })
    return rows


def stratum_of(row: dict) -> list[str]:
    """The strata a pair qualifies for (a pair is put in the first one that still takes it)."""
    out = []
    s, c = row["s"], row["c"]
    if s >= SIMILAR_WORDS_MIN and row["detail_differs"]:
        out.append("similar_words")
    if s < PARAPHRASE_MAX and row["e"] >= PARAPHRASE_MIN_EMBED:
        out.append("paraphrase")
    near = NEAR_SIMILARITY[0] <= s < NEAR_SIMILARITY[1] or (s >= 0.35 and NEAR_COVERAGE[0] <= c < NEAR_COVERAGE[1])
    if near:
        out.append("near_credited" if row["credited"] else "near_not_credited")
    return out


def iter_stories(corpus: str):
    if corpus == "multinews":
        for n, record in multinews_records(start=MULTINEWS_START, stop=MULTINEWS_STOP).items():
            yield multinews_story(n, record)
    else:
        for topic, docs in duc_topics().items():
            yield build_story("duc2006", topic, docs)


def select(corpus: str, log=print) -> list[dict]:
    from storybrief.brief.score import get_scorer
    from storybrief.embed import load_vectors

    scorer, vectors = get_scorer("default"), load_vectors()
    pools: dict[str, list] = defaultdict(list)
    stories = 0
    for story in iter_stories(corpus):
        if story is None:
            continue
        stories += 1
        for row in candidate_pool(story, scorer, vectors):
            for stratum in stratum_of(row):
                pools[stratum].append((story, row))
    log(f"{corpus}: {stories} stories; pool sizes " + ", ".join(f"{k} {len(v)}" for k, v in sorted(pools.items())))
    rng = random.Random(f"{SEED}:{corpus}")
    chosen: list[dict] = []
    used_claims: set = set()
    used_pairs: set = set()
    for stratum, target in TARGET.items():
        pool = pools[stratum]
        rng.shuffle(pool)
        per_story: Counter = Counter()
        taken = 0
        for story, row in pool:
            if taken == target:
                break
            claim = (story.story, row["i"])
            key = (story.story, min(row["i"], row["j"]), max(row["i"], row["j"]))  # not both ways round
            if claim in used_claims or key in used_pairs or per_story[story.story] >= CAP[corpus]:
                continue
            i, j = row["i"], row["j"]
            raw = dict(story.documents or [])
            sides = {}
            for name, k in (("claim", i), ("candidate", j)):
                where = checks.anchor(story.sentences[k].text, raw.get(story.name(k)["article"], ""))
                if where is None:  # cleaning rewrote it past recognition: not a pair we can find again
                    break
                sides[name] = {**story.name(k), **where}
            if len(sides) < 2:
                continue
            used_claims.add(claim)
            used_pairs.add(key)
            per_story[story.story] += 1
            taken += 1
            chosen.append({
                "corpus": corpus, "story": story.story, **sides,
                "stratum": stratum, "sha1": checks.content_hash(story.sentences[i].text, story.sentences[j].text),
            })
        if taken < target:
            log(f"warning: {corpus} {stratum}: only {taken} of {target} pairs")
    return chosen


def write_pairs(path: Path = PAIRS) -> list[dict]:
    pairs = []
    for corpus in ("multinews", "duc2006"):
        pairs.extend(select(corpus))
    # Shuffled so that reading order says nothing of corpus or stratum; numbered in that order.
    random.Random(SEED).shuffle(pairs)
    out = []
    for n, p in enumerate(pairs, 1):
        out.append({"pair": f"p{n:03d}", **p})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for p in out:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    return out


def write_text(pairs: list[dict], path: Path = TEXT, stories_path: Path = STORIES) -> int:
    """The two sentences of every pair (and the sentence before each, to resolve "he" or "the
    company"), for reading and for evaluation. No labels, strata or rule decisions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = []

    def side(p: dict, name: str, story: Story, sentences: list[Sentence], k: int) -> dict:
        s, earlier = sentences[k], [t for t in sentences[:k] if t.article == sentences[k].article]
        if k >= len(story.sentences):  # a stretch today's segmentation cuts otherwise: the sentence ending before it
            letters = checks.fold(story.merged[s.article].text)[0]
            at = letters.find(checks.fold(s.text)[0])
            mine = [t for t in story.sentences if t.article == s.article]
            ends = [(letters.find(f := checks.fold(t.text)[0]) + len(f), t) for t in mine]
            earlier = [t for end, t in sorted(ends, key=lambda e: e[0]) if 0 < end <= at]
        before = earlier[-1].text if earlier else ""
        return {"article": p[name]["article"], "index": s.index, "text": s.text, "before": before}

    stories: dict[str, Story] = {}
    for p, story, sentences, i, j in locate_pairs(pairs):
        stories[f"{story.corpus}:{story.story}"] = story
        rows.append({
            "pair": p["pair"], "corpus": p["corpus"], "story": p["story"],
            "claim": side(p, "claim", story, sentences, i), "candidate": side(p, "candidate", story, sentences, j),
        })
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(stories_path, "w", encoding="utf-8") as f:
        for key, story in sorted(stories.items()):
            articles = [{"id": doc, "text": text} for doc, text in story.documents or []]
            f.write(json.dumps({"id": key, "articles": articles}, ensure_ascii=False) + "\n")
    return len(rows)


def read_pairs(path: Path = PAIRS) -> list[dict]:
    if not path.is_file():
        sys.exit(f"error: {path} not found (run with --select to choose pairs)")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", action="store_true", help="choose the pairs again and rewrite pairs.jsonl")
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--out", type=Path, default=TEXT)
    args = parser.parse_args(argv)
    pairs = write_pairs(args.pairs) if args.select else read_pairs(args.pairs)
    n = write_text(pairs, args.out)
    counts = Counter((p["corpus"], p["stratum"]) for p in pairs)
    strata = ", ".join(f"{c}/{s} {k}" for (c, s), k in sorted(counts.items()))
    print(f"{len(pairs)} pairs ({strata}); text of {n} in {args.out}")


if __name__ == "__main__":
    main()
