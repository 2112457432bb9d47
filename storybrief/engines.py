"""Where batch work runs: in this process, a local process pool, or a Dask cluster.

Every engine has one interface, `engine.map(fn, chunks) -> iterator of fn(chunk)`, results in
the order of `chunks`. At most `window` chunks are in flight at once, so memory stays bounded
whatever the input size, and chunks are pulled from the (lazy) input only as results come back.

`fn` must not raise for a bad line: it turns every per-line error into an outcome. What it
cannot catch is its worker dying (a segfault, the OOM killer, `os._exit`). When that happens
the chunk is run again one line at a time on fresh workers, so the one line that kills its
worker is reported alone (through the caller's `lost`) and its neighbours are still briefed.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError as FuturesCancelled
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from storybrief.errors import StoryBriefError, first_line

CONNECT_TIMEOUT = "5s"


class EngineError(StoryBriefError):
    """The engine could not start: no Dask installed, scheduler unreachable, bad worker count."""


def default_workers() -> int:
    """The cores this process may use (cgroup/affinity aware where the OS says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Engine:
    """Ordered, windowed map over chunks; subclasses say how to submit and how a worker dies."""

    name = "engine"
    workers = 1

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass

    @property
    def window(self) -> int:
        # Two chunks per worker: one running, one queued, so no worker waits for the reader.
        return 2 * self.workers

    # -- what subclasses provide ---------------------------------------------------------
    def submit(self, fn: Callable, chunk: list) -> Any:
        raise NotImplementedError

    def result(self, handle: Any) -> Any:
        raise NotImplementedError

    def lost_worker(self, exc: BaseException) -> bool:
        """Whether `exc`, raised by `result`, means the worker died rather than `fn` raising."""
        return False

    def recover(self) -> None:
        """Make the engine usable again after a worker died."""

    def isolated(self, fn: Callable, chunk: list) -> Any:
        """`fn(chunk)` where no other work can take its worker down with it."""
        return self.result(self.submit(fn, chunk))

    generation = 0  # bumped by every recover(): tells a chunk lost with the old workers from one lost now

    def healthy(self, handle: Any) -> bool:
        """Whether a submitted handle will still give its result (it was not lost with a worker)."""
        return True

    # -- the shared ordered window ---------------------------------------------------------
    def map(
        self,
        fn: Callable[[list], list],
        chunks: Iterable[list],
        split: Callable[[list], list[list]] | None = None,
        lost: Callable[[list, BaseException], list] | None = None,
    ) -> Iterator[list]:
        """`fn(chunk)` for every chunk, in order. When a worker dies on a chunk, `split(chunk)`
        gives its one-line sub-chunks, which are retried alone; a sub-chunk that kills its worker
        again becomes `lost(sub_chunk, exc)`."""
        pending: deque[tuple[list, Any, int]] = deque()
        source = iter(chunks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                try:
                    chunk = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append((chunk, self.submit(fn, chunk), self.generation))
            if not pending:
                return
            chunk, handle, generation = pending.popleft()
            try:
                outcome = self.result(handle)
            except Exception as exc:
                if not self.lost_worker(exc) or split is None or lost is None:
                    raise
                if generation == self.generation:
                    self.recover()
                    # Work queued behind it died with the same workers: send it again (the culprit
                    # among it, if any, comes back here and is split in its turn).
                    pending = deque(
                        (c, h, g) if self.healthy(h) else (c, self.submit(fn, c), self.generation)
                        for c, h, g in pending
                    )
                outcome = self._one_by_one(fn, chunk, split, lost)
            yield outcome

    def _one_by_one(self, fn: Callable, chunk: list, split: Callable, lost: Callable) -> list:
        outcomes: list = []
        for piece in split(chunk):
            try:
                outcomes.extend(self.isolated(fn, piece))
            except Exception as exc:
                if not self.lost_worker(exc):
                    raise
                outcomes.extend(lost(piece, exc))
        return outcomes


class SerialEngine(Engine):
    """In this process, one chunk at a time: no start-up cost, no protection from a crash."""

    name = "serial"
    workers = 1

    @property
    def window(self) -> int:
        return 1

    def submit(self, fn: Callable, chunk: list) -> Any:
        return fn(chunk)

    def result(self, handle: Any) -> Any:
        return handle


class LocalEngine(Engine):
    """A pool of worker processes on this machine (forkserver: safe beside the progress thread)."""

    name = "local"

    def __init__(self, workers: int | None = None):
        if workers is not None and workers < 1:
            raise EngineError(f"--workers must be at least 1, not {workers}")
        self.workers = workers or default_workers()
        self._quarantine: ProcessPoolExecutor | None = None
        if "forkserver" in multiprocessing.get_all_start_methods():
            self._context = multiprocessing.get_context("forkserver")
            # The fork server imports the pipeline once; every worker (and every restart after a
            # crash) is a fork of it, ready in milliseconds instead of a second of imports.
            self._context.set_forkserver_preload(["storybrief.batch"])
        else:
            self._context = multiprocessing.get_context("spawn")
        self._pool = self._start()

    def _start(self, workers: int | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers or self.workers,
            mp_context=self._context,
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable, chunk: list) -> Future:
        try:
            return self._pool.submit(fn, chunk)
        except BrokenProcessPool as exc:  # broke since the last result: fail this chunk the same way
            failed: Future = Future()
            failed.set_exception(exc)
            return failed

    def result(self, handle: Future) -> Any:
        return handle.result()

    def lost_worker(self, exc: BaseException) -> bool:
        return isinstance(exc, BrokenProcessPool)

    def healthy(self, handle: Future) -> bool:
        return handle.done() and not handle.cancelled() and handle.exception() is None

    def recover(self) -> None:
        # A broken pool refuses all work; every future it still held has failed. Start a new one.
        stop_broken(self._pool)
        self._pool = self._start()
        self.generation += 1

    def isolated(self, fn: Callable, chunk: list) -> Any:
        # A one-worker pool of its own that runs one chunk at a time, so a death there can only
        # be this chunk's doing; kept for the next suspect line until something kills it.
        if self._quarantine is None:
            self._quarantine = self._start(workers=1)
        try:
            return self._quarantine.submit(fn, chunk).result()
        except BrokenProcessPool:
            stop_broken(self._quarantine)
            self._quarantine = None
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._quarantine is not None:
            self._quarantine.shutdown(wait=True)


def stop_broken(pool: ProcessPoolExecutor) -> None:
    """Shut a broken pool down and end its surviving workers. Python 3.11 leaves a worker that waits
    on the task queue of a broken pool alive, and interpreter exit then waits for it forever
    (Python 3.12 terminates them itself)."""
    survivors = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in survivors:
        if process.is_alive():
            process.terminate()


def _exit_with_parent(parent: int) -> None:
    """Pool worker start-up: leave when the process that owns the pool is gone. Killed outright
    (SIGKILL, the OOM killer) that process cannot shut its pool down, and a worker waiting on its
    task queue would wait forever (it holds both ends of the queue's pipe), keeping the fork
    server alive with it."""
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # alive, owned by someone else: not ours to judge
                pass

    threading.Thread(target=watch, name="storybrief-parent-watch", daemon=True).start()


class DaskEngine(Engine):
    """A Dask cluster: the scheduler at `address`, or a LocalCluster of `workers` processes.

    Connecting happens here, before the caller opens any output, so an unreachable scheduler
    fails fast and leaves nothing half-written.
    """

    name = "dask"

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        processes: bool = True,
        timeout: str = CONNECT_TIMEOUT,
    ):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise EngineError("--engine dask needs Dask: pip install 'storybrief[dask]'") from exc
        if workers is not None and workers < 1:
            raise EngineError(f"--workers must be at least 1, not {workers}")
        self._cluster = None
        try:
            if address:
                self._client = Client(address, timeout=timeout, set_as_default=False)
            else:
                self._cluster = LocalCluster(
                    n_workers=workers or default_workers(),
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,
                    silence_logs=50,
                    # Listen on this machine only (in-process workers use their own transport).
                    **({"host": "127.0.0.1"} if processes else {}),
                )
                self._client = Client(self._cluster, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise EngineError(
                f"cannot reach the Dask scheduler at {address or 'a local cluster'}: {first_line(exc)}"
            ) from exc
        known = len(self._client.scheduler_info().get("workers", {}))
        self.workers = workers if workers and not address else max(1, known)

    def submit(self, fn: Callable, chunk: list) -> Any:
        return self._client.submit(fn, chunk, pure=False)

    def result(self, handle: Any) -> Any:
        from distributed import KilledWorker

        try:
            return handle.result()
        except KilledWorker:
            raise
        except (OSError, TimeoutError, asyncio.CancelledError, FuturesCancelled) as exc:
            # The scheduler went away mid-run: what is written so far is whole lines; --resume finishes it.
            raise EngineError(
                f"lost the Dask cluster during the run ({first_line(exc)}); rerun with --resume"
            ) from exc

    def lost_worker(self, exc: BaseException) -> bool:
        from distributed import KilledWorker

        # The scheduler already retried the task on other workers (distributed.scheduler.allowed-failures)
        # and blames it only when it was running each time a worker died: the split run confirms which line.
        return isinstance(exc, KilledWorker)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str, workers: int | None = None, scheduler: str | None = None, processes: bool = True) -> Engine:
    if name == "serial":
        return SerialEngine()
    if name == "local":
        if scheduler:
            raise EngineError("--scheduler is for --engine dask")
        return LocalEngine(workers)
    if name == "dask":
        return DaskEngine(scheduler, workers, processes=processes)
    raise EngineError(f"unknown engine {name!r}; choose local or dask")
