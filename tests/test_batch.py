"""Batch runs: same bytes whatever the engine, resume after a kill, bad lines reported by id."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from batch_helpers import CrashingJob, RaisingJob, cluster, write_input

from storybrief.batch import WORKER_DIED, completed_ids, run_batch
from storybrief.engines import DaskEngine, EngineError, LocalEngine, SerialEngine, make_engine

ROOT = Path(__file__).resolve().parent.parent


def ids_of(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line)["id"] for line in stream]


@pytest.fixture(scope="module")
def small_input(tmp_path_factory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("batch") / "in.jsonl"
    return path, write_input(path, 14, extra={4: "{not json", 9: json.dumps({"id": "empty", "documents": []})})


@pytest.fixture(scope="module")
def serial_output(small_input, tmp_path_factory) -> Path:
    source, _ = small_input
    target = tmp_path_factory.mktemp("serial") / "out.jsonl"
    run_batch(source, target, engine=SerialEngine(), chunk_lines=3)
    return target


def test_serial_run_writes_good_lines_in_order_and_reports_bad_ones(small_input, tmp_path):
    source, ids = small_input
    target = tmp_path / "out.jsonl"
    written, failures = run_batch(source, target, chunk_lines=3)
    assert ids_of(target) == ids
    assert written == len(ids)
    assert [(f.line, f.id) for f in failures] == [(5, "5"), (11, "empty")]
    assert "malformed JSON" in failures[0].message


@pytest.mark.parametrize("workers", [1, 2])
def test_local_pool_output_is_byte_identical(small_input, serial_output, tmp_path, workers):
    source, _ = small_input
    target = tmp_path / "out.jsonl"
    with LocalEngine(workers) as engine:
        _, failures = run_batch(source, target, engine=engine, chunk_lines=2)
    assert target.read_bytes() == serial_output.read_bytes()
    assert [f.line for f in failures] == [5, 11]


def test_dask_output_is_byte_identical(small_input, serial_output, tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    source, _ = small_input
    target = tmp_path / "out.jsonl"
    with DaskEngine(workers=2, processes=False) as engine:
        _, failures = run_batch(source, target, engine=engine, chunk_lines=2)
    assert target.read_bytes() == serial_output.read_bytes()
    assert [f.line for f in failures] == [5, 11]


def test_gzip_in_and_out(tmp_path, serial_output, small_input):
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(gzip.compress(small_input[0].read_bytes()))
    target = tmp_path / "out.jsonl.gz"
    run_batch(source, target, chunk_lines=4)
    assert gzip.decompress(target.read_bytes()) == serial_output.read_bytes()


def test_a_cluster_that_raises_is_reported_by_id_and_the_run_goes_on(tmp_path):
    source = tmp_path / "in.jsonl"
    ids = write_input(source, 5, extra={2: json.dumps(cluster(99) | {"id": "BUG-7"})})
    target = tmp_path / "out.jsonl"
    written, failures = run_batch(source, target, job=RaisingJob(str(source)), chunk_lines=2)
    assert ids_of(target) == ids and written == 5
    assert [(f.line, f.id) for f in failures] == [(3, "BUG-7")]
    assert "ZeroDivisionError" in failures[0].message


def test_a_worker_that_dies_costs_only_its_own_line(tmp_path):
    source = tmp_path / "in.jsonl"
    ids = write_input(source, 7, extra={3: json.dumps(cluster(98) | {"id": "CRASH-1"})})
    target = tmp_path / "out.jsonl"
    with LocalEngine(2) as engine:
        written, failures = run_batch(source, target, engine=engine, job=CrashingJob(str(source)), chunk_lines=3)
    assert ids_of(target) == ids
    assert [(f.line, f.id, f.message) for f in failures] == [(4, "CRASH-1", WORKER_DIED)]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_resume_after_a_kill_mid_line_ends_with_one_line_per_id(tmp_path, small_input, serial_output, suffix):
    source, ids = small_input
    full = serial_output.read_bytes()
    # What a kill leaves: the first 6 briefs whole, the 7th cut off half-way.
    lines = full.splitlines(keepends=True)
    partial = b"".join(lines[:6]) + lines[6][: len(lines[6]) // 2]
    target = tmp_path / f"out{suffix}"
    if suffix == ".jsonl.gz":
        compressed = gzip.compress(partial)
        target.write_bytes(compressed[: len(compressed) - 40])  # a gzip stream cut off too
    else:
        target.write_bytes(partial)
    skipped: list[int] = []
    written, failures = run_batch(source, target, resume=True, chunk_lines=3, skipped=skipped.append)
    got = ids_of(target)
    assert sorted(got) == sorted(ids) and len(got) == len(set(got))
    assert written + len(skipped) == len(ids) and len(skipped) >= 5
    assert [f.line for f in failures] == [5, 11]
    if suffix == ".jsonl":
        assert target.read_bytes() == full  # resumed in order, so the same bytes as one clean run


def processes_tagged(tag: str) -> list[int]:
    """Live processes whose environment holds `tag` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if tag.encode() in (entry / "environ").read_bytes() and b"State:\tZ" not in (entry / "status").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_resume_of_a_finished_run_does_nothing(tmp_path, small_input, serial_output):
    source, ids = small_input
    target = tmp_path / "out.jsonl"
    target.write_bytes(serial_output.read_bytes())
    written, _ = run_batch(source, target, resume=True)
    assert written == 0 and target.read_bytes() == serial_output.read_bytes()


def test_resume_refuses_a_file_that_is_not_batch_output(tmp_path, small_input):
    target = tmp_path / "notes.jsonl"
    target.write_text("just some notes\nmore\n")
    with pytest.raises(Exception, match="not a brief line"):
        completed_ids(target)
    assert target.read_text() == "just some notes\nmore\n"


def test_unreachable_scheduler_is_one_line_error_and_leaves_out_untouched(tmp_path, small_input):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    source, _ = small_input
    target = tmp_path / "out.jsonl"
    target.write_text("previous results\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "storybrief",
            "batch",
            str(source),
            str(target),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode != 0
    assert "error:" in done.stderr and "scheduler" in done.stderr and "Traceback" not in done.stderr
    assert target.read_text() == "previous results\n"


def test_engine_arguments_are_checked():
    with pytest.raises(EngineError):
        make_engine("spark")
    with pytest.raises(EngineError):
        make_engine("local", scheduler="tcp://somewhere:8786")
    with pytest.raises(EngineError):
        LocalEngine(0)


def test_cli_exit_code_says_some_lines_failed(tmp_path, small_input):
    source, ids = small_input
    target = tmp_path / "out.jsonl"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "storybrief", "batch", str(source), str(target), "--workers", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"{source}:5: id 5: malformed JSON" in done.stderr
    assert ids_of(target) == ids


def test_cli_killed_halfway_then_resumed_gives_the_clean_output(tmp_path):
    import signal
    import time
    import uuid

    # Enough lines that the run cannot finish between two polls, however fast a brief is.
    source = tmp_path / "in.jsonl"
    ids = write_input(source, 200, extra={4: "{not json", 9: json.dumps({"id": "empty", "documents": []})})
    serial_output = tmp_path / "serial.jsonl"
    run_batch(source, serial_output, engine=SerialEngine(), chunk_lines=3)
    target = tmp_path / "out.jsonl"
    tag = f"storybrief-test-{uuid.uuid4()}"  # marks every process this run starts
    env = dict(os.environ, PYTHONPATH=str(ROOT), STORYBRIEF_TEST_TAG=tag)
    command = [
        sys.executable,
        "-m",
        "storybrief",
        "batch",
        str(source),
        str(target),
        "--workers",
        "1",
        "--chunk-lines",
        "1",
    ]
    running = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not target.exists() or target.read_bytes().count(b"\n") < 3):
        time.sleep(0.05)
    running.send_signal(signal.SIGKILL)
    running.wait()
    assert target.read_bytes().count(b"\n") < len(ids), "the run finished before it could be killed"
    # Its pool workers and fork server notice and leave instead of waiting forever.
    deadline = time.monotonic() + 15
    while processes_tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_tagged(tag) == []
    done = subprocess.run(command + ["--resume"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 1  # the two bad input lines still fail, and say so
    assert target.read_bytes() == serial_output.read_bytes()


def test_a_dask_worker_that_dies_costs_only_its_own_line(tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    import batch_helpers
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(batch_helpers)  # the workers cannot import tests/
    source = tmp_path / "in.jsonl"
    ids = write_input(source, 5, extra={2: json.dumps(cluster(98) | {"id": "CRASH-1"})})
    target = tmp_path / "out.jsonl"
    # No retries on other workers before KilledWorker: the same path, fewer worker restarts to wait for.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), DaskEngine(workers=2) as engine:
        _, failures = run_batch(source, target, engine=engine, job=CrashingJob(str(source)), chunk_lines=2)
    assert ids_of(target) == ids
    assert [(f.line, f.id, f.message) for f in failures] == [(3, "CRASH-1", WORKER_DIED)]


def test_cli_refuses_to_write_over_its_input(tmp_path):
    source = tmp_path / "in.jsonl"
    write_input(source, 2)
    before = source.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "storybrief", "batch", str(source), str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode != 0 and "error:" in done.stderr
    assert source.read_bytes() == before
