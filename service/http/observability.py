"""The outermost WSGI layer: request ids, and Prometheus metrics for every answer.

It wraps the fast path and Flask alike, so both are counted the same way. Label
sets are bounded: routes are a fixed list, and the unknown codes and unshipped
languages that tell the team what is missing keep at most a fixed number of
distinct values per process (the rest count as ``other``).
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import re
import threading
import time
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from ..logs import ACCESS_LOG, REQUEST_ID, log_access
from ..negotiation import MAX_HEADER_CHARS, bounded_header, maximize
from ..registry import CODE_RE
from .state import StateHolder

ROUTES = ("/errors", "/locales", "/healthz", "/readyz", "/metrics", "/openapi.json", "/admin/reload", "/")
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
MAX_LABEL_VALUES = 100
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, float("inf"))
#: How far behind the summed counts may be: each worker writes its tallies this often.
FLUSH_SECONDS = 1.0
logger = logging.getLogger("errmsg.metrics")

#: How long one worker reuses the summed exposition.
EXPOSITION_SECONDS = 0.5


def route_of(path: str) -> str:
    if path.startswith("/errors/"):
        return "/errors/{code}"
    if path.startswith("/i18n/"):
        return "/i18n/{lng}/{ns}.json"
    return path if path in ROUTES else "other"


class BoundedLabels:
    """Remembers up to ``limit`` distinct label values; later ones become ``other``."""

    def __init__(self, limit: int = MAX_LABEL_VALUES) -> None:
        self.limit, self.seen = limit, set[str]()

    def __call__(self, value: str) -> str:
        if value in self.seen or len(self.seen) < self.limit:
            self.seen.add(value)
            return value
        return "other"


class Metrics:
    def __init__(self, holder: StateHolder) -> None:
        self.holder = holder
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "errmsg_http_requests",
            "HTTP requests by route and status.",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "errmsg_http_request_duration_seconds",
            "Time to answer, by route.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.unknown_codes = Counter(
            "errmsg_unknown_code_lookups", "Lookups of well-formed codes that do not exist.", ["code"],
            registry=self.registry,
        )  # fmt: skip
        self.unshipped = Counter(
            "errmsg_unshipped_language_requests",
            "Requests whose first-choice language is not shipped, by language subtag.",
            ["language"],
            registry=self.registry,
        )
        self._code_label, self._language_label = BoundedLabels(), BoundedLabels()
        self.unshipped_language = lru_cache(maxsize=4096)(self._unshipped_language)
        self._bounds = LATENCY_BUCKETS
        self._after_fork()
        os.register_at_fork(after_in_child=self._after_fork)

    def _unshipped_language(self, wanted: str | None, accept_language: str | None) -> str | None:
        """The language a request wanted first (``?lang=``, else the header's first
        range), when no shipped locale serves it."""
        negotiator = self.holder.state.service.negotiator
        if not wanted and accept_language:
            wanted = negotiator.first_choice(accept_language)
        if not wanted or negotiator.match(wanted) is not None:
            return None
        parsed = maximize(wanted)
        return parsed[0].language if parsed and 2 <= len(parsed[0].language) <= 3 else None

    def observe(self, environ: dict[str, Any], status: str, seconds: float) -> None:
        """Tally one answer in memory; :meth:`flush` writes the tallies out.

        prometheus-client's multiprocess values take a lock and an mmap write per
        increment (three per request: about half the service's own work per request),
        so requests only add to plain dicts here."""
        path = environ.get("PATH_INFO", "")
        route = route_of(path)
        accept_language = environ.get("HTTP_ACCEPT_LANGUAGE")
        if accept_language and len(accept_language) > MAX_HEADER_CHARS:
            accept_language = bounded_header(accept_language)  # never hash or parse a huge header
        query = environ.get("QUERY_STRING", "")
        wanted = _lang_parameter(query) if "lang=" in query else None
        if wanted and len(wanted) > 64:
            wanted = None  # no language tag is that long: the cache keys stay small
        language = self.unshipped_language(wanted, accept_language)
        unknown = route == "/errors/{code}" and status == "404" and CODE_RE.fullmatch(path[8:])
        bucket = bisect_left(self._bounds, seconds)
        with self._lock:
            tally = self._tally
            answered = (route, status)
            tally.requests[answered] = tally.requests.get(answered, 0) + 1
            timed = (route, bucket)
            tally.latency[timed] = tally.latency.get(timed, 0) + 1
            tally.latency_sum[route] = tally.latency_sum.get(route, 0.0) + seconds
            if unknown:
                tally.unknown_codes.append(path[8:])
            if language:
                tally.languages.append(language)
        if not self._flusher_running:
            self._start_flusher()

    def flush(self) -> None:
        """Write what was tallied since the last flush to the prometheus values."""
        with self._lock:
            tally, self._tally = self._tally, _Tally()
        for (route, status), count in tally.requests.items():
            self.requests.labels(route, status).inc(count)
        # A histogram child keeps its sum and its (non-cumulative) bucket counts as values;
        # adding a batch to them is what observe() does one observation at a time.
        # (tests/test_observability.py checks what is exposed: _sum, _count, buckets.)
        for route, total in tally.latency_sum.items():
            self.latency.labels(route)._sum.inc(total)
        for (route, bucket), count in tally.latency.items():
            self.latency.labels(route)._buckets[bucket].inc(count)
        for code in tally.unknown_codes:
            self.unknown_codes.labels(self._code_label(code)).inc()
        for language in tally.languages:
            self.unshipped.labels(self._language_label(language)).inc()

    def _start_flusher(self) -> None:
        """One daemon thread per process (started after fork, on the first request)."""
        self._flusher_running = True

        def loop() -> None:
            while True:
                time.sleep(FLUSH_SECONDS)
                folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
                if folder:
                    _ensure_folder(folder)  # a new label's file needs it
                self.flush()

        threading.Thread(target=loop, name="errmsg-metrics-flush", daemon=True).start()
        atexit.register(self.flush)  # a worker stopped gracefully loses nothing

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._tally = _Tally()
        self._exposed: tuple[float, bytes] | None = None
        self._flusher_running = False

    def exposition(self) -> bytes:
        """The text format; in multiprocess mode, summed across every worker.

        This process's tallies are flushed first; other workers' are at most
        ``FLUSH_SECONDS`` behind. Summing reads every worker's files (about 5 ms), so a
        worker reuses its sum for :data:`EXPOSITION_SECONDS`: a flood of scrapes costs
        nothing more. A metrics folder removed while the server runs is made anew."""
        folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if not folder:
            self.flush()
            return generate_latest(self.registry)
        now = time.monotonic()
        if self._exposed is not None and now < self._exposed[0]:
            return self._exposed[1]
        _ensure_folder(folder)
        self.flush()
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        body = generate_latest(registry)
        self._exposed = (now + EXPOSITION_SECONDS, body)
        return body


def _lang_parameter(query: str) -> str | None:
    """``?lang=``; the plain ``lang=de`` that front ends send costs no query parsing."""
    if query.startswith("lang=") and "&" not in query and "%" not in query and "+" not in query:
        return query[5:] or None
    return parse_qs(query).get("lang", [None])[0]


def _ensure_folder(folder: str) -> None:
    if not os.path.isdir(folder):
        logger.error("the metrics folder %s was removed while serving; counting starts again", folder)
        os.makedirs(folder, exist_ok=True)


@dataclass
class _Tally:
    requests: dict[tuple[str, str], int] = field(default_factory=dict)
    latency: dict[tuple[str, int], int] = field(default_factory=dict)
    latency_sum: dict[str, float] = field(default_factory=dict)
    unknown_codes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


class _RequestIds:
    """Unique ids without a system call each: a random per-process prefix and a counter
    (re-drawn after fork, so server workers never share a prefix)."""

    def __init__(self) -> None:
        self.reset()
        os.register_at_fork(after_in_child=self.reset)

    def reset(self) -> None:
        self.prefix = uuid.uuid4().hex[:20]
        self.counter = itertools.count()

    def __call__(self) -> str:
        return f"{self.prefix}{next(self.counter):012x}"


new_request_id = _RequestIds()


class Observability:
    """Request id in and out (``X-Request-ID``), then metrics and the access line once
    the answer is known."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], metrics: Metrics | None, access_log: bool = False
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.access_log = access_log

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if incoming and REQUEST_ID_RE.fullmatch(incoming) else new_request_id()
        answer: list[Any] = ["500", None]  # status, Content-Length

        def start(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[0] = status_line[:3]
            headers.append(("X-Request-ID", request_id))
            return start_response(status_line, headers, exc_info)

        token = REQUEST_ID.set(request_id)
        began = time.perf_counter()
        try:
            return self.app(environ, start)
        finally:
            REQUEST_ID.reset(token)
            elapsed = time.perf_counter() - began
            if self.metrics is not None:
                self.metrics.observe(environ, answer[0], elapsed)
            if self.access_log and ACCESS_LOG.isEnabledFor(logging.INFO):
                log_access(environ, answer[0], elapsed, request_id)
