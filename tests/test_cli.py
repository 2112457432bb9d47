"""The command line end to end, run as a user runs it: a subprocess, stdout, stderr and exit code."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from storybrief import __version__

ROOT = Path(__file__).resolve().parents[1]
STORY = [
    "Heavy rain flooded the lower town of Marrow on Sunday, forcing about 300 residents from their homes. "
    "Rescue crews used boats to reach families trapped on upper floors.",
    "About 300 residents were forced from their homes in Marrow on Sunday after heavy rain flooded the lower town. "
    "The mayor opened the sports hall as an emergency shelter.",
    "Schools in the lower town of Marrow will stay closed until Wednesday after the flood. "
    "The regional government said it would release emergency funds on Monday.",
]


def sb(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "storybrief", *args], cwd=ROOT, input=stdin, capture_output=True, timeout=120
    )


def assert_one_line_error(result: subprocess.CompletedProcess, fragment: str) -> None:
    err = result.stderr.decode()
    assert result.returncode != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], err


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    for n, text in enumerate(STORY):
        (tmp_path / f"{n}.txt").write_text(text)
    return tmp_path


def test_version():
    result = sb("--version")
    assert result.returncode == 0 and result.stdout.decode().strip() == f"storybrief {__version__}"


def test_bundled_example_with_no_path():
    result = sb("summarize", "--words", "80", "--format", "json")
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    assert 0 < brief["words"] <= 80 and len(brief["sources"]) >= 3
    assert all(s["sources"] for s in brief["sentences"])


@pytest.mark.parametrize("fmt, marker", [("text", "Sources:"), ("markdown", "[^1]:"), ("json", '"sentences"')])
def test_formats_and_output_file(story_dir: Path, tmp_path: Path, fmt: str, marker: str):
    out = tmp_path / f"brief.{fmt}"
    result = sb("summarize", str(story_dir), "--words", "40", "--format", fmt, "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"" and marker in out.read_text()


def test_stdin_with_multinews_separator():
    result = sb("summarize", "-", "--words", "30", stdin=" ||||| ".join(STORY).encode())
    assert result.returncode == 0, result.stderr
    assert "[1, 2]" in result.stdout.decode()


def test_bad_inputs_give_one_line_errors(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "nodocs").mkdir()
    assert_one_line_error(sb("summarize", str(tmp_path / "empty.txt")), "empty file")
    assert_one_line_error(sb("summarize", str(tmp_path / "blob.bin")), "binary")
    assert_one_line_error(sb("summarize", str(tmp_path / "missing.txt")), "no such file")
    assert_one_line_error(sb("summarize", str(tmp_path / "nodocs")), "no .txt")
    assert_one_line_error(sb("summarize", "--words", "0"), "--words")
    assert_one_line_error(sb("summarize", "--words", "2"), "fits no sentence")
    assert_one_line_error(sb("summarize", "--format", "xml"), "--format")
    assert_one_line_error(sb("summarize", "--method", "magic"), "unknown method")


def test_huge_file_is_refused_with_a_size_message(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50_000_001)  # 50 MB, sparse on disk
    assert_one_line_error(sb("summarize", str(big)), "too large")


def test_wrong_encoding_is_read_not_refused(tmp_path: Path):
    (tmp_path / "latin.txt").write_bytes(
        "Le café de la gare a fermé lundi après quarante ans. The owner said the café lost its customers.".encode(
            "cp1252"
        )
    )
    result = sb("summarize", str(tmp_path / "latin.txt"), "--words", "40")
    assert result.returncode == 0 and "café" in result.stdout.decode()


def test_unwritable_output(story_dir: Path, tmp_path: Path):
    assert_one_line_error(
        sb("summarize", str(story_dir), "--output", str(tmp_path / "no" / "such" / "dir.txt")), "cannot write"
    )


def _records(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as f:
        return [json.loads(line) for line in f]


def test_batch_keeps_every_good_line_and_reports_bad_ones(tmp_path: Path):
    source = tmp_path / "in.jsonl.gz"
    lines = [
        json.dumps({"id": "a", "documents": STORY}),
        "{broken json",
        json.dumps({"id": "b", "document": " ||||| ".join(STORY[:2])}),
        json.dumps({"id": "c", "documents": []}),
        json.dumps({"id": "d", "documents": STORY[1:]}),
    ]
    with gzip.open(source, "wt") as f:
        f.write("\n".join(lines) + "\n")
    target = tmp_path / "out.jsonl.gz"
    result = sb("batch", str(source), str(target), "--words", "40")
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "Traceback" not in err and ":2:" in err and ":4:" in err and "id c" in err
    records = _records(target)
    assert [r["id"] for r in records] == ["a", "b", "d"]
    for r in records:
        assert r["summary"] and r["brief"]["words"] <= 40
        assert r["summary"].split("\n") == [s["text"] for s in r["brief"]["sentences"]]


def test_batch_all_good_exits_zero(tmp_path: Path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 7, "documents": STORY}) + "\n\n")
    target = tmp_path / "out.jsonl"
    result = sb("batch", str(source), str(target))
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in _records(target)] == ["7"]


def test_batch_missing_input(tmp_path: Path):
    assert_one_line_error(sb("batch", str(tmp_path / "nope.jsonl"), str(tmp_path / "out.jsonl")), "no such file")
    assert not (tmp_path / "out.jsonl").exists()


def test_summarize_shows_each_citations_evidence_on_request(story_dir: Path):
    plain = sb("summarize", str(story_dir), "--words", "60")
    shown = sb("summarize", str(story_dir), "--words", "60", "--evidence")
    assert plain.returncode == 0 and shown.returncode == 0, shown.stderr.decode()
    evidence = [line for line in shown.stdout.decode().splitlines() if line.startswith("    [")]
    assert evidence and " sentence " in evidence[0]
    assert not any(line.startswith("    [") for line in plain.stdout.decode().splitlines())
    data = json.loads(sb("summarize", str(story_dir), "--words", "60", "--format", "json").stdout)
    assert all(set(map(str, s["sources"])) == set(s["evidence"]) for s in data["sentences"])


def test_summarize_leans_toward_the_query(story_dir: Path):
    plain = sb("summarize", str(story_dir), "--words", "25", "--format", "json")
    asked = sb("summarize", str(story_dir), "--words", "25", "--format", "json",
               "--query", "How were the trapped families rescued?")
    assert plain.returncode == 0 and asked.returncode == 0, asked.stderr.decode()
    rescued = [["boats" in s["text"] for s in json.loads(r.stdout)["sentences"]] for r in (plain, asked)]
    assert not any(rescued[0]) and any(rescued[1])
    ignored = sb("summarize", str(story_dir), "--words", "25", "--query", "describe")
    assert ignored.returncode == 0 and "query" in ignored.stderr.decode() and "ignored" in ignored.stderr.decode()


def test_evaluate_citations_on_a_corpus(tmp_path: Path):
    data = tmp_path / "clusters.jsonl"
    data.write_text(json.dumps({"id": "c1", "documents": STORY}) + "\n")
    result = sb("evaluate", str(data), "--citations", "--words", "60")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "without lexical evidence" in out and "without evidence: 0 (0.0 %)" in out


def test_evaluate_citations_needs_pairs_and_labels_together(tmp_path: Path):
    data = tmp_path / "stories.jsonl"
    data.write_text("")
    assert_one_line_error(sb("evaluate", str(data), "--citations", "--labels", str(data)), "go together")


def test_summarize_exact_chooses_within_the_budget(tmp_path: Path):
    # A long story (concept coverage chooses from 1,000 words on): ten outlets on one port accident,
    # each telling the shared facts in its own order and words, and details of its own.
    import random

    facts = ["the harbour authority closed the north pier after a crane collapsed on Friday",
             "two dock workers were taken to hospital with minor injuries",
             "the crane operator had reported a fault in the hydraulic arm a week earlier",
             "shipping lines moved their container traffic to the southern terminal",
             "the port union called for an independent inspection of every crane",
             "insurers said the damage to the quay could cost several million to repair",
             "the mayor promised a public inquiry into maintenance at the port"]
    openers = ["Officials confirmed that", "Port staff said", "According to the authority,", "Reports say",
               "It emerged that", "Witnesses told us", "A statement said", "Residents heard that"]
    things = ["tugboat", "warehouse", "lighthouse", "seawall", "forklift", "gantry", "bollard", "slipway",
              "customs shed", "fish market", "rail siding", "grain silo"]
    places = ["near the old customs house", "by the eastern breakwater", "beside the ferry ramp",
              "along the coal wharf", "next to the yacht basin", "at the end of Dock Street"]
    rng = random.Random(11)
    for a in range(10):
        told = [f"{rng.choice(openers)} {f}." for f in rng.sample(facts, 6)]
        told += [f"Our reporter saw a damaged {rng.choice(things)} {rng.choice(places)} and spoke to "
                 f"{rng.randint(2, 40)} people about the {rng.choice(things)} there." for _ in range(8)]
        rng.shuffle(told)
        (tmp_path / f"outlet{a}.txt").write_text(" ".join(told) + "\n", encoding="utf-8")
    result = sb("summarize", str(tmp_path), "--words", "60", "--exact", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    brief = json.loads(result.stdout)
    assert brief["sentences"] and brief["words"] <= 60
    assert all(s["sources"] for s in brief["sentences"])
    # What every outlet reports is what the program is worth most for: two facts at least fit in 60 words.
    assert sum(any(f in s["text"] for f in facts) for s in brief["sentences"]) >= 2
