"""bench/build/duc.py's parsers, on LDC- and NIST-format files written for these tests (no DUC text)."""

from __future__ import annotations

import json
import subprocess

import pytest

from bench.build import duc

DOC = """
<DOC>
<DOCNO> NYT19990101.0001 </DOCNO>
<DATE_TIME> 1999-01-01 10:00 </DATE_TIME>
<BODY>
<HEADLINE>
HARBOUR BRIDGE CLOSED
</HEADLINE>
 By A REPORTER
<TEXT>
<P>
   PORTVILLE _ The harbour bridge was closed on Friday after
engineers found a crack, officials said. &QL;
</P>
<P>
   ``We had no choice,'' the mayor said. ``They asked, `How long?'''
</P>
<ANNOTATION>
   (STORY CAN END HERE. OPTIONAL MATERIAL FOLLOWS)
</ANNOTATION>
<P>
   Repairs will cost $2 million &AMP; take a month.
</P>
</TEXT>
</BODY>
<TRAILER>
NYT-01-01-99 1000EST &QL;
</TRAILER>
</DOC>
"""

TOPICS = """
<topic>
<num> D0901A </num>
<title> Bridge closure </title>
<narr>
What happened to the bridge?
</narr>
<docs-A>
XIE19990101.0001
</docs-A>
<docs-B>
XIE19990105.0002
XIE19990104.0003
</docs-B>
</topic>
"""

PYRAMID = """<?xml version="1.0"?>
<pyramid>
 <text>
  <line>#2</line>
  <line>-----------------</line>
  <line> D0901.M.250.A.A</line>
  <line>-----------------</line>
  <line></line>
  <line>The bridge was shut.</line>
  <line>A crack was &quot;serious&quot;.</line>
  <line>-----------------</line>
  <line> D0901.M.250.A.C</line>
  <line>-----------------</line>
  <line>Engineers found a crack.</line>
 </text>
 <scu uid="1" label="bridge shut"><contributor label="x"><part label="x" start="0" end="1"/></contributor></scu>
</pyramid>
"""


def test_document_text_undoes_ldc_conventions_only():
    document = duc.parse_document(DOC, "x")
    assert (document.doc_id, document.date) == ("NYT19990101.0001", "1999-01-01")
    assert document.title == "HARBOUR BRIDGE CLOSED"
    lines = document.text.split("\n")
    assert lines == [
        "PORTVILLE — The harbour bridge was closed on Friday after engineers found a crack, officials said.",
        "\"We had no choice,\" the mayor said. \"They asked, 'How long?'\"",
        "Repairs will cost $2 million & take a month.",
    ]
    assert "STORY CAN END" not in document.text and "By A REPORTER" not in document.text


def test_date_falls_back_to_the_document_id():
    assert duc.parse_document(DOC.replace("<DATE_TIME> 1999-01-01 10:00 </DATE_TIME>", ""), "x").date == "1999-01-01"


def test_a_year_day_month_stamp_gives_way_to_the_document_id():
    swapped = DOC.replace("NYT19990101.0001", "APW19980630.0001").replace("1999-01-01 10:00", "1998-30-06 10:00")
    assert duc.parse_document(swapped, "x").date == "1998-06-30"
    one_off = DOC.replace("NYT19990101.0001", "APW19980603.0001").replace("1999-01-01 10:00", "1998-03-06 10:00")
    assert duc.parse_document(one_off, "x").date == "1998-06-03"  # a valid date three months from the id
    local = DOC.replace("NYT19990101.0001", "XIE19980514.0001").replace("1999-01-01 10:00", "1998-05-13 23:00")
    assert duc.parse_document(local, "x").date == "1998-05-13"  # the wire's local date, a day off, is kept


def test_topics_and_document_sets():
    (topic,) = duc.parse_topics(TOPICS)
    assert topic.id == "D0901A" and topic.query == "Bridge closure\nWhat happened to the bridge?"
    assert topic.doc_sets == {"A": ["XIE19990101.0001"], "B": ["XIE19990105.0002", "XIE19990104.0003"]}
    assert duc.nist_name(topic.id) == ("D0901", "A")


def test_pyramid_models_split_by_summarizer():
    models = duc.pyramid_models(PYRAMID.encode())
    assert models == {"A": 'The bridge was shut.\nA crack was "serious".', "C": "Engineers found a crack."}


def test_build_from_a_folder_snapshot(tmp_path):
    """A DUC 2006-shaped folder: documents in date order, references with their ids, peers with their kind."""
    base = tmp_path / "DUC_data" / "DUC2006"
    (base / "duc2006_docs" / "D0901A").mkdir(parents=True)
    (base / "duc2006_topics.sgml").write_text(TOPICS.replace("<docs-A>", "<docs>").replace("</docs-A>", "</docs>"))
    later = DOC.replace("NYT19990101.0001", "NYT19990102.0001").replace("1999-01-01 10:00", "1999-01-02 09:00")
    (base / "duc2006_docs" / "D0901A" / "NYT19990102.0001").write_text(later)
    (base / "duc2006_docs" / "D0901A" / "NYT19990101.0001").write_text(DOC)
    files = [("models", "D0901.M.250.A.C", "Ref C one.\nRef C two."), ("models", "D0901.M.250.A.B", "Ref B."),
             ("peers", "D0901.M.250.A.1", "Lead."), ("peers", "D0901.M.250.A.7", "Seven."),
             ("peers", "D0901.M.250.A.B", "Ref B."),
             (".", "rouge2.jk.m.avg", "B 0.12345 (95%-conf.int. 0.1 - 0.2)\n7 0.05"),
             (".", "rougejk.m.out", "7 ROUGE-1 Average_R: 0.30217 (95%-conf.int. 0.29 - 0.31)\n")]
    for folder, name, text in files:
        path = base / "NISTeval" / "ROUGE" / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n\n")
    out = tmp_path / "out"
    assert duc.main(["--source", str(tmp_path), "--out", str(out), "--corpus", "duc2006"]) == 0
    (record,) = [json.loads(line) for line in (out / "duc2006.jsonl").read_text().splitlines()]
    assert record["doc_ids"] == ["NYT19990101.0001", "NYT19990102.0001"]
    assert record["dates"] == ["1999-01-01", "1999-01-02"]
    assert record["reference_ids"] == ["B", "C"] and record["references"] == ["Ref B.", "Ref C one.\nRef C two."]
    peers = {p["system"]: p["kind"] for p in map(json.loads, (out / "duc2006-peers.jsonl").read_text().splitlines())}
    assert peers == {"1": "baseline", "7": "participant", "B": "human"}
    published = json.loads((out / "duc2006-nist.json").read_text())
    assert published == {"ROUGE-1": {"7": 0.30217}, "ROUGE-2": {"B": 0.12345}}


def test_a_missing_source_is_a_one_line_error(tmp_path, capsys):
    assert duc.main(["--source", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no such folder" in err and len(err.strip().splitlines()) == 1


def test_git_snapshot_is_read_like_a_folder(tmp_path):
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("needs git")
    work = tmp_path / "work"
    (work / "DUC_data" / "x").mkdir(parents=True)
    (work / "DUC_data" / "x" / "a.txt").write_text("alpha")
    (work / "DUC_data" / "x" / "b.txt").write_text("beta\n")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    snapshot = duc.Snapshot(work / ".git")
    assert snapshot.git and snapshot.names("DUC_data/x/") == ["DUC_data/x/a.txt", "DUC_data/x/b.txt"]
    blobs = snapshot.read_many(["DUC_data/x/a.txt", "DUC_data/x/b.txt"])
    assert blobs == {"DUC_data/x/a.txt": b"alpha", "DUC_data/x/b.txt": b"beta\n"}
