"""Polite HTTP for the watcher: one request at a time per host, a pause between two requests to one
host, and every request through the service's fetch guard (`storybrief.service.fetch.request`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from storybrief.service.fetch import Response, request


class HostGate:
    """Turns per host: a second request to a host waits for the first to end and `delay` seconds more."""

    def __init__(self, delay: float, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay = delay
        self.monotonic = monotonic
        self.sleep = sleep
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self._guard = threading.Lock()

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            last = self._last.get(host)
            if last is not None:
                wait = last + self.delay - self.monotonic()
                if wait > 0:
                    self.sleep(min(wait, self.delay))  # a clock that jumped cannot make it wait longer
            try:
                yield
            finally:
                self._last[host] = self.monotonic()


class Client:
    def __init__(self, gate: HostGate, timeout: float, allow_private: bool) -> None:
        self.gate = gate
        self.timeout = timeout
        self.allow_private = allow_private

    def get(self, url: str, headers: dict[str, str], max_bytes: int) -> Response:
        host = (urlsplit(url).hostname or "").lower()
        with self.gate.turn(host):
            return request(url, headers, max_bytes=max_bytes, timeout=self.timeout, allow_private=self.allow_private)
