"""Load and durability benchmark of `storybrief serve`.

N concurrent clients post articles and read stories against a real server (uvicorn in a
subprocess on 127.0.0.1) for a bounded time. Halfway through, the server is killed with SIGKILL
and restarted on the same database; posts that failed meanwhile are retried with the same client
id (the API is idempotent on it). At the end every acknowledged article must be in the database.

    python -m bench.measure.service --clients 8 --seconds 60             # SQLite file in a temp dir
    python -m bench.measure.service --db postgresql+psycopg://...        # PostgreSQL (tables are dropped first)

Articles come from Multi-News validation clusters (real news text grouped by story); a
cluster's articles are spread over the run so stories grow while they are read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import httpx
import numpy as np

from bench.data import ROOT, multinews
from bench.report import machine_line, write_section

DATA = multinews("val")


def load_articles(path: Path, count: int, run: str) -> list[dict]:
    """`count` articles from consecutive Multi-News clusters, each with a unique client id."""
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            for k, text in enumerate(record["documents"]):
                if len(text.split()) >= 40:
                    articles.append(
                        {
                            "text": text[:20000],
                            "source": f"outlet {k + 1}",
                            "title": "",
                            "id": f"{run}-{record['id']}-{k}",
                        }
                    )
            if len(articles) >= count:
                break
    # Shuffle within blocks of ~60 articles (about 20 stories): stories keep gaining articles
    # over a stretch of the run while other stories are read, as in a live feed.
    rng = random.Random(0)
    blocks = [articles[i : i + 60] for i in range(0, len(articles), 60)]
    for block in blocks:
        rng.shuffle(block)
    return [a for block in blocks for a in block][:count]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`storybrief serve` in a subprocess; start, wait until healthy, kill -9."""

    def __init__(self, db: str, port: int, log: Path) -> None:
        self.db, self.port, self.log = db, port, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> float:
        started = time.monotonic()
        env = {**os.environ, "OMP_NUM_THREADS": "1", "STORYBRIEF_TOKEN": ""}
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "storybrief",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--db",
                    self.db,
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the server did not become healthy in {timeout:.0f} s; see {self.log}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Load:
    """Shared state of the client threads."""

    def __init__(self, articles: list[dict], write_share: float) -> None:
        self.articles = articles
        self.next = 0
        self.retry: list[dict] = []
        self.write_share = write_share
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)  # kind -> count
        self.acked: dict[str, tuple[int, bool]] = {}  # client id -> (article id, newly created)
        self.stories: list[int] = []
        self.outage = threading.Event()  # set while the server is down on purpose
        self.stop = threading.Event()

    def take_article(self) -> dict | None:
        with self.lock:
            if self.retry:
                return self.retry.pop()
            if self.next < len(self.articles):
                self.next += 1
                return self.articles[self.next - 1]
            return None


def client_loop(load: Load, base: str, seed: int, deadline: float) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as http:
        while not load.stop.is_set() and time.monotonic() < deadline:
            article = load.take_article() if rng.random() < load.write_share else None
            if article is not None:
                op, call = "POST /articles", partial(http.post, "/articles", json=article)
            elif load.stories and rng.random() < 0.5:
                story = rng.choice(load.stories)
                op, call = "GET /stories/{id}", partial(http.get, f"/stories/{story}")
            else:
                op, call = "GET /stories", lambda: http.get("/stories", params={"per_page": 10})
            started = time.perf_counter()
            try:
                response = call()
            except httpx.HTTPError:
                response = None
            elapsed = time.perf_counter() - started
            with load.lock:
                if response is not None and response.status_code == 200:
                    load.latencies[op].append(elapsed)
                    if article is not None:
                        [result] = response.json()["articles"]
                        load.acked[article["id"]] = (result["id"], result["created"])
                        if result["story_id"] not in load.stories:
                            load.stories.append(result["story_id"])
                    continue
                kind = (
                    "during restart"
                    if load.outage.is_set()
                    else ("connection" if response is None else f"HTTP {response.status_code}")
                )
                load.errors[kind] += 1
                if article is not None:
                    load.retry.append(article)  # idempotent on the client id: safe to send again
            if response is None:
                time.sleep(0.2)  # the server is down: do not spin


def stored_articles(db: str) -> dict[int, str | None]:
    from sqlalchemy import create_engine, text

    from storybrief.service.db import normalise_url

    engine = create_engine(normalise_url(db))
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT id, client_id FROM articles")).all())
    finally:
        engine.dispose()


def reset_postgres(db: str) -> None:
    from sqlalchemy import create_engine

    from storybrief.service.db import normalise_url

    engine = create_engine(normalise_url(db))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def postgres_settings(db: str) -> str:
    """The server settings that decide what a commit means (the kill here is of StoryBrief, not of PostgreSQL)."""
    from sqlalchemy import create_engine

    from storybrief.service.db import normalise_url

    engine = create_engine(normalise_url(db))
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar()
        fsync = connection.exec_driver_sql("SHOW fsync").scalar()
        commit = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
    engine.dispose()
    return f"PostgreSQL {version} (fsync={fsync}, synchronous_commit={commit})"


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q) * 1000) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20, help="length of the run (the issue's figure: 60)")
    parser.add_argument("--writes", type=float, default=0.5, help="share of requests that post an article")
    parser.add_argument("--articles", type=int, default=3000, help="articles available to post")
    parser.add_argument("--db", default="", help="SQLAlchemy URL; default: a SQLite file in a temp dir")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill -9 and restart")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="storybrief-bench-"))
    db = args.db or f"sqlite:///{workdir / 'bench.db'}"
    if db.startswith("postgresql"):
        reset_postgres(db)
    backend = postgres_settings(db) if db.startswith("postgresql") else "SQLite (WAL, synchronous=FULL)"
    articles = load_articles(args.data, args.articles, run=f"r{int(time.time())}")
    machine = machine_line()  # its load average is the one at the start: read it before the run
    server = Server(db, free_port(), workdir / "server.log")
    print(f"server log: {server.log}", file=sys.stderr)
    server.start()
    load = Load(articles, args.writes)
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [
        threading.Thread(target=client_loop, args=(load, server.url, n, deadline), daemon=True)
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    restart_s = None
    acked_before_kill = 0
    try:
        if not args.no_kill:
            time.sleep(args.seconds / 2)
            with load.lock:
                acked_before_kill = len(load.acked)
            load.outage.set()
            server.kill()
            restart_s = server.start()
            load.outage.clear()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic() + 120))
        load.stop.set()
        elapsed = time.monotonic() - started
    finally:
        load.stop.set()
        server.stop()

    # An acknowledged article is present when its id is in the database, holding this client id
    # (when this post created it) or another one (when the text was already stored: deduplicated).
    stored = stored_articles(db)
    missing = [cid for cid, (article_id, _) in load.acked.items() if article_id not in stored]
    wrong = [
        cid
        for cid, (article_id, created) in load.acked.items()
        if created and article_id in stored and stored[article_id] != cid
    ]
    deduplicated = sum(1 for _, created in load.acked.values() if not created)
    total = sum(len(v) for v in load.latencies.values())
    lines = [
        f"`bench/measure/service.py`: {args.clients} concurrent clients for {args.seconds:.0f} s "
        f"against `storybrief serve` "
        f"(one uvicorn process, 127.0.0.1), {backend}; "
        f"{args.writes:.0%} of requests post one Multi-News validation article, "
        f"the rest read `GET /stories?per_page=10` (briefs included) or one story. "
        f"{machine}, load average {os.getloadavg()[0]:.1f} at the end "
        f"(the server, its clients and this script share the machine), "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
        "| request | ok | requests/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for op in sorted(load.latencies):
        values = load.latencies[op]
        lines.append(
            f"| {op} | {len(values)} | {len(values) / elapsed:.1f} | {percentile(values, 50):.0f} "
            f"| {percentile(values, 99):.0f} |"
        )
    lines.append(
        f"| all | {total} | {total / elapsed:.1f} | "
        f"{percentile([x for v in load.latencies.values() for x in v], 50):.0f} | "
        f"{percentile([x for v in load.latencies.values() for x in v], 99):.0f} |"
    )
    lines.append("")
    errors = ", ".join(f"{kind}: {n}" for kind, n in sorted(load.errors.items())) or "none"
    lines.append(f"- Failed requests: {errors}.")
    if restart_s is not None:
        lines.append(
            f"- Killed the StoryBrief server (not the database) with SIGKILL after {args.seconds / 2:.0f} s "
            f"({acked_before_kill} articles acknowledged by then); "
            f"restarted and healthy again in {restart_s:.1f} s. Posts that failed were retried with the same client id."
        )
    lines.append(
        f"- Acknowledged articles: {len(load.acked)} "
        f"({deduplicated} of them answered with an already stored article of "
        f"the same outlet and text); in the database afterwards: {len(load.acked) - len(missing)}; "
        f"missing: {len(missing)}; "
        f"under another client id: {len(wrong)}. Stories: {len(load.stories)}."
    )
    print("\n".join(lines))
    if not args.no_write:
        name = "service-postgresql" if db.startswith("postgresql") else "service"
        title = "## Service: load and kill -9" + (" (PostgreSQL)" if db.startswith("postgresql") else " (SQLite)")
        write_section(name, title + "\n\n" + "\n".join(lines))
    if missing or wrong:
        raise SystemExit(
            f"DURABILITY FAILURE: {len(missing)} acknowledged articles missing, {len(wrong)} under another id"
        )


if __name__ == "__main__":
    main()
