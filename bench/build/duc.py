"""Build DUC 2006 and DUC 2007 benchmark data (JSONL) from NIST's distribution, at bench time.

    python -m bench.build.duc [--source DIR] [--out DIR]

DUC text is not redistributable, so nothing built here is committed: it goes into
`bench/.data/` (git-ignored; `STORYBRIEF_BENCH_DATA` or `--out` moves it). `--source` is a git
snapshot holding NIST's `DUC_data/DUC2006/` and `DUC_data/DUC2007/` folders (a plain checkout of it
works too; default `$STORYBRIEF_DUC_SOURCE`, else the mirror this project fetched).

Written, one JSON object a line:

- `duc2006.jsonl` (50 topics × 25 documents, 4 references of 250 words), `duc2007.jsonl` (main task,
  45 topics × 25 documents) and `duc2007-update.jsonl` (10 topics, one record per document set
  A, B, C, with `"set"` and the earlier sets' ids in `"earlier_doc_ids"`; 100-word references):
  `{"id", "documents", "titles", "dates", "doc_ids", "references", "reference_ids", "query"}`,
  documents in date order; `query` is the topic's title and narrative.
- `duc2006-peers.jsonl`, `duc2007-peers.jsonl`, `duc2007-update-peers.jsonl`: every stored peer
  summary NIST scored, `{"topic", "system", "kind", "summary"}` (`kind`: participant, baseline or
  human; the summary one sentence a line, as NIST stored it).
- `duc2006-nist.json`, `duc2007-update-nist.json`: NIST's published ROUGE recall by summarizer
  (`rouge2.jk.m.avg`, `rougeSU4.jk.m.avg`, and ROUGE-1 from `rougejk.m.out`), which
  `bench.measure.duc` checks its own figures for the participants against.

Where the references come from: DUC 2006 and the update task, NIST's ROUGE `models/` (exactly the
files NIST's official ROUGE run read). The snapshot has no ROUGE data for the DUC 2007 main task:
its references are the model summaries inside the pyramids of the 23 topics of the pyramid
evaluation, and its peers the 13 summaries annotated against them (`.pan` files); the other 22
topics are written with `"references": []`.

Documents: the `<TEXT>` of each LDC file, one paragraph a line, with the LDC encodings undone
(``…'' quotes, `&AMP;` and the wire-control codes `&QL;` `&UR;` …, the NYT's " _ " dash) and the
editors' `<ANNOTATION>` notes ("STORY CAN END HERE") left out. Nothing else is cleaned: that is
StoryBrief's job.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from bench.data import BENCH_DATA

DEFAULT_SOURCE = "/work/.mirror/gsandeep1241+TextSummarizer/repo"
BASELINES = {"duc2006": {"1"}, "duc2007": {"1", "2"}, "duc2007-update": {"35", "58"}}


class BuildError(Exception):
    """A one-line reason the data cannot be built."""


# --- reading the snapshot ---------------------------------------------------------------------


class Snapshot:
    """Files of the DUC distribution, from a git directory (read with `git cat-file`) or a folder."""

    def __init__(self, path: Path):
        self.path = path
        if (path / "DUC_data").is_dir():
            self.git = False
            self.files = sorted(str(p.relative_to(path)) for p in (path / "DUC_data").rglob("*") if p.is_file())
        else:
            self.git = True
            try:
                command = ["git", "--git-dir", str(path), "ls-tree", "-r", "--name-only", "HEAD", "DUC_data"]
                listing = subprocess.run(command, capture_output=True, check=True, text=True).stdout
            except (OSError, subprocess.CalledProcessError) as exc:
                raise BuildError(f"{path}: neither a folder holding DUC_data/ nor a git directory ({exc})") from None
            self.files = listing.splitlines()
        if not self.files:
            raise BuildError(f"{path}: no DUC_data/ in it")

    def names(self, prefix: str) -> list[str]:
        return [name for name in self.files if name.startswith(prefix)]

    def read_many(self, names: list[str]) -> dict[str, bytes]:
        """The files' bytes; a git snapshot is read by one `git cat-file --batch` process."""
        if not self.git:
            return {name: (self.path / name).read_bytes() for name in names}
        request = "".join(f"HEAD:{name}\n" for name in names).encode()
        out = subprocess.run(["git", "--git-dir", str(self.path), "cat-file", "--batch"], input=request,
                             capture_output=True, check=True).stdout
        blobs, at = {}, 0
        for name in names:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            if len(header) < 3 or header[1] != b"blob":
                raise BuildError(f"{name}: not in the snapshot")
            size = int(header[2])
            blobs[name] = out[end + 1:end + 1 + size]
            at = end + 1 + size + 1
        return blobs

    def read(self, name: str) -> bytes:
        return self.read_many([name])[name]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- documents --------------------------------------------------------------------------------

ENTITIES = {"&AMP;": "&", "&LT;": "<", "&GT;": ">"}
LDC_CODE = re.compile(r"&[A-Za-z][A-Za-z0-9]*;")  # &QL; &UR; &LR; &HT; &Cx1f; ...: wire control codes


@dataclass
class Document:
    doc_id: str
    date: str
    title: str
    text: str


def tag(markup: str, name: str) -> str | None:
    found = re.search(rf"<{name}>(.*?)</{name}>", markup, re.S)
    return found.group(1) if found else None


def undo_ldc(text: str) -> str:
    """LDC's ASCII conventions back to plain text; whitespace (line wraps) collapsed."""
    for code, char in ENTITIES.items():
        text = text.replace(code, char)
    text = LDC_CODE.sub(" ", text)
    # ``` and ''' are a double quote around a single one (``They asked, `How much?''').
    text = text.replace("```", "\"'").replace("'''", "'\"")
    text = text.replace("``", '"').replace("''", '"').replace("`", "'")
    text = re.sub(r"(?<=\S) _ (?=\S)", " — ", text)  # the NYT's typewriter dash
    return " ".join(text.split())


def parse_document(markup: str, name: str) -> Document:
    doc_id = (tag(markup, "DOCNO") or "").strip()
    if not doc_id:
        raise BuildError(f"{name}: no <DOCNO>")
    stamp = (tag(markup, "DATE_TIME") or tag(markup, "DATE") or "").strip()
    digits = re.search(r"(\d{4})(\d{2})(\d{2})", doc_id)
    from_id = "-".join(digits.groups()) if digits else None
    date = stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else None
    # Some 1998 APW stamps are year-day-month ("1998-30-06"): where the stamp is not a date or is more
    # than two days from the date in the document id, the id wins (XIE stamps one day off are real:
    # the wire's local date).
    if from_id is not None and (date is None or not _near(date, from_id)):
        date = from_id
    if date is None:
        raise BuildError(f"{name}: no date in <DATE_TIME> or the document id")
    body = tag(markup, "TEXT")
    if body is None:
        raise BuildError(f"{name}: no <TEXT>")
    body = re.sub(r"<ANNOTATION>.*?</ANNOTATION>", " ", body, flags=re.S)
    paragraphs = re.findall(r"<P>(.*?)</P>", body, re.S) if "<P>" in body else re.split(r"\n\s*\n", body)
    lines = [undo_ldc(re.sub(r"<[^>]+>", " ", p)) for p in paragraphs]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise BuildError(f"{name}: empty <TEXT>")
    return Document(doc_id, date, undo_ldc(tag(markup, "HEADLINE") or ""), text)


def read_documents(snapshot: Snapshot, folder: str) -> dict[str, Document]:
    names = snapshot.names(folder.rstrip("/") + "/")
    documents = {}
    for name, data in snapshot.read_many(names).items():
        document = parse_document(decode(data), name)
        documents[document.doc_id] = document
    return documents


def _near(stamp: str, from_id: str) -> bool:
    try:
        return abs((dt.date.fromisoformat(stamp) - dt.date.fromisoformat(from_id)).days) <= 2
    except ValueError:
        return False


def in_date_order(documents: list[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (d.date, d.doc_id))


# --- topics -----------------------------------------------------------------------------------


@dataclass
class Topic:
    id: str
    title: str
    narrative: str
    doc_sets: dict[str, list[str]] = field(default_factory=dict)  # "" (main) or "A"/"B"/"C" -> doc ids

    @property
    def query(self) -> str:
        return f"{self.title}\n{self.narrative}"


def parse_topics(sgml: str) -> list[Topic]:
    topics = []
    for block in re.findall(r"<topic>(.*?)</topic>", sgml, re.S):
        number = re.search(r"<num>\s*(\S+)\s*</num>", block)
        if not number:
            raise BuildError("a <topic> without <num>")
        title = " ".join(re.search(r"<title>(.*?)</title>", block, re.S).group(1).split())
        narrative = " ".join(re.search(r"<narr>(.*?)</narr>", block, re.S).group(1).split())
        listed = re.findall(r"<docs(?:-([A-Z]))?>(.*?)</docs(?:-[A-Z])?>", block, re.S)
        sets = {name or "": ids.split() for name, ids in listed}
        topics.append(Topic(number.group(1), title, narrative, sets))
    if not topics:
        raise BuildError("no <topic> in the topics file")
    return topics


def nist_name(topic_id: str) -> tuple[str, str]:
    """D0601A -> ("D0601", "A"): NIST's file names split the topic number and its selector."""
    return topic_id[:-1], topic_id[-1]


# --- references and peers ---------------------------------------------------------------------


def spl_text(data: bytes) -> str:
    """A sentence-per-line summary file as one string, its lines kept (blank lines dropped)."""
    return "\n".join(line.rstrip() for line in decode(data).splitlines() if line.strip())


def rouge_files(snapshot: Snapshot, folder: str) -> dict[tuple[str, str], str]:
    """NIST's ROUGE models/ or peers/: (file stem without the summarizer, summarizer id) -> text."""
    names = snapshot.names(folder.rstrip("/") + "/")
    out = {}
    for name, data in snapshot.read_many(names).items():
        stem, _, summarizer = name.rsplit("/", 1)[1].rpartition(".")
        out[(stem, summarizer)] = spl_text(data)
    return out


def pyramid_models(data: bytes) -> dict[str, str]:
    """The model summaries written out in a pyramid (.pyr): summarizer id -> sentences, one a line."""
    root = ET.fromstring(data)
    lines = [line.text or "" for line in root.find("text").iter("line")]
    models: dict[str, list[str]] = {}
    current = None
    for i, line in enumerate(lines):
        header = re.fullmatch(r"\s*D\d+\.M\.\d+\.[A-Z]\.([A-Z0-9]+)\s*", line)
        if header and i > 0 and lines[i - 1].startswith("---"):
            current = header.group(1)
            models[current] = []
        elif current is not None and line.strip() and not re.fullmatch(r"-+", line.strip()):
            models[current].append(line.strip())
    return {k: "\n".join(v) for k, v in models.items() if v}


def annotated_peer(data: bytes) -> str:
    """The peer summary inside a pyramid annotation (.pan), one line a sentence as annotated."""
    root = ET.fromstring(data)
    lines = [(line.text or "").strip() for line in root.find("annotation").find("text").iter("line")]
    return "\n".join(line for line in lines if line)


def kind_of(corpus: str, system: str) -> str:
    if system.isalpha():
        return "human"
    return "baseline" if system in BASELINES[corpus] else "participant"


# --- the three corpora ------------------------------------------------------------------------


def record(topic: Topic, topic_id: str, documents: list[Document], references: dict[str, str], **extra) -> dict:
    documents = in_date_order(documents)
    ids = sorted(references)
    return {
        "id": topic_id,
        "documents": [d.text for d in documents],
        "titles": [d.title for d in documents],
        "dates": [d.date for d in documents],
        "doc_ids": [d.doc_id for d in documents],
        "references": [references[i] for i in ids],
        "reference_ids": ids,
        "query": topic.query,
        **extra,
    }


def pick(documents: dict[str, Document], ids: list[str], where: str) -> list[Document]:
    missing = [i for i in ids if i not in documents]
    if missing:
        raise BuildError(f"{where}: documents {', '.join(missing[:3])} listed in the topic are not in the snapshot")
    return [documents[i] for i in ids]


def build_duc2006(snapshot: Snapshot) -> tuple[list[dict], list[dict]]:
    base = "DUC_data/DUC2006/"
    topics = parse_topics(decode(snapshot.read(base + "duc2006_topics.sgml")))
    models = rouge_files(snapshot, base + "NISTeval/ROUGE/models")
    peers = rouge_files(snapshot, base + "NISTeval/ROUGE/peers")
    records, peer_lines = [], []
    for topic in topics:
        documents = read_documents(snapshot, f"{base}duc2006_docs/{topic.id}")
        number, selector = nist_name(topic.id)
        stem = f"{number}.M.250.{selector}"
        references = {m: text for (s, m), text in models.items() if s == stem}
        records.append(record(topic, topic.id, list(documents.values()), references))
        peer_lines += [{"topic": topic.id, "system": p, "kind": kind_of("duc2006", p), "summary": text}
                       for (s, p), text in sorted(peers.items()) if s == stem]
    return records, peer_lines


def build_duc2007(snapshot: Snapshot) -> tuple[list[dict], list[dict]]:
    base = "DUC_data/DUC2007/"
    topics = parse_topics(decode(snapshot.read(base + "duc2007_topics.sgml")))
    pyramids = snapshot.read_many(snapshot.names(base + "mainPyramidEval/allpyramids/"))
    pans = snapshot.read_many(snapshot.names(base + "mainPyramidEval/allpans/"))
    records, peer_lines = [], []
    for topic in topics:
        documents = read_documents(snapshot, f"{base}duc2007_testdocs/main/{topic.id}")
        number, selector = nist_name(topic.id)
        pyramid = [data for name, data in pyramids.items() if name.rsplit("/", 1)[1].startswith(number + "-")]
        references = pyramid_models(pyramid[0]) if pyramid else {}
        records.append(record(topic, topic.id, list(documents.values()), references))
        for name, data in sorted(pans.items()):
            parts = name.rsplit("/", 1)[1].split(".")  # D0701.M.250.A.1.pan
            if parts[0] == number:
                peer_lines.append({"topic": topic.id, "system": parts[4], "kind": kind_of("duc2007", parts[4]),
                                   "summary": annotated_peer(data)})
    return records, peer_lines


def build_duc2007_update(snapshot: Snapshot) -> tuple[list[dict], list[dict]]:
    base = "DUC_data/DUC2007/"
    topics = parse_topics(decode(snapshot.read(base + "duc2007_UPDATEtopics.sgml")))
    models = rouge_files(snapshot, base + "updateEval/ROUGE/models")
    peers = rouge_files(snapshot, base + "updateEval/ROUGE/peers")
    records, peer_lines = [], []
    for topic in topics:
        number, selector = nist_name(topic.id)
        earlier: list[str] = []
        for subset in ("A", "B", "C"):
            folder = f"{base}duc2007_testdocs/update/{topic.id}/{topic.id}-{subset}"
            documents = read_documents(snapshot, folder)
            listed = topic.doc_sets.get(subset)
            chosen = pick(documents, listed, folder) if listed else list(documents.values())
            stem = f"{number}-{subset}.M.100.{selector}"
            references = {m: text for (s, m), text in models.items() if s == stem}
            set_id = f"{topic.id}-{subset}"
            records.append(record(topic, set_id, chosen, references, set=subset, earlier_doc_ids=list(earlier)))
            earlier += [d.doc_id for d in in_date_order(chosen)]
            peer_lines += [{"topic": set_id, "system": p, "kind": kind_of("duc2007-update", p), "summary": text}
                           for (s, p), text in sorted(peers.items()) if s == stem]
    return records, peer_lines


BUILDERS = {"duc2006": build_duc2006, "duc2007": build_duc2007, "duc2007-update": build_duc2007_update}
NIST_ROUGE = {"duc2006": "DUC_data/DUC2006/NISTeval/ROUGE/", "duc2007-update": "DUC_data/DUC2007/updateEval/ROUGE/"}


def nist_figures(snapshot: Snapshot, folder: str) -> dict[str, dict[str, float]]:
    """NIST's published average recall by summarizer: {"ROUGE-1"|"ROUGE-2"|"ROUGE-SU4": {system: recall}}."""
    names = {"ROUGE-2": folder + "rouge2.jk.m.avg", "ROUGE-SU4": folder + "rougeSU4.jk.m.avg",
             "ROUGE-1": folder + "rougejk.m.out"}
    files = snapshot.read_many([name for name in names.values() if snapshot.names(name)])
    figures: dict[str, dict[str, float]] = {}
    for metric, name in names.items():
        if name not in files:
            continue
        text = decode(files[name])
        if metric == "ROUGE-1":
            found = re.findall(r"^(\S+) ROUGE-1 Average_R: ([\d.]+)", text, re.M)
        else:
            found = re.findall(r"^(\S+) ([\d.]+) \(", text, re.M)
        figures[metric] = {system: float(value) for system, value in found}
    return figures


def write_jsonl(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=Path(os.environ.get("STORYBRIEF_DUC_SOURCE") or DEFAULT_SOURCE),
                        help="git snapshot (or checkout) holding DUC_data/")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default $STORYBRIEF_BENCH_DATA or bench/.data)")
    parser.add_argument("--corpus", nargs="+", choices=sorted(BUILDERS), default=list(BUILDERS))
    args = parser.parse_args(argv)
    out = args.out or BENCH_DATA
    try:
        if not args.source.exists():
            raise BuildError(f"{args.source}: no such folder (set --source or STORYBRIEF_DUC_SOURCE)")
        snapshot = Snapshot(args.source)
        out.mkdir(parents=True, exist_ok=True)
        for corpus in args.corpus:
            records, peers = BUILDERS[corpus](snapshot)
            write_jsonl(out / f"{corpus}.jsonl", records)
            write_jsonl(out / f"{corpus}-peers.jsonl", peers)
            if corpus in NIST_ROUGE and snapshot.names(NIST_ROUGE[corpus] + "rouge2.jk.m.avg"):
                figures = json.dumps(nist_figures(snapshot, NIST_ROUGE[corpus]), indent=1, sort_keys=True)
                (out / f"{corpus}-nist.json").write_text(figures + "\n", encoding="utf-8")
            scored = sum(1 for r in records if r["references"])
            systems = sorted({p["system"] for p in peers}, key=lambda s: (s.isalpha(), s.zfill(3)))
            print(f"{corpus}: {len(records)} records ({scored} with references), "
                  f"{sum(len(r['documents']) for r in records)} documents, {len(peers)} peer summaries "
                  f"from {len(systems)} summarizers -> {out / (corpus + '.jsonl')}")
    except (BuildError, OSError, subprocess.CalledProcessError, ET.ParseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
