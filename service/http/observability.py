"""The outermost WSGI layer: request ids, and Prometheus metrics for every answer.

It wraps the fast path and Flask alike, so both are counted the same way. Label
sets are bounded: routes are a fixed list, and the unknown codes and unshipped
languages that tell the team what is missing keep at most a fixed number of
distinct values per process (the rest count as ``other``).
"""

from __future__ import annotations

import itertools
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..logs import REQUEST_ID
from ..negotiation import MAX_HEADER_CHARS, bounded_header, maximize
from ..registry import CODE_RE
from .state import StateHolder

ROUTES = ("/errors", "/locales", "/healthz", "/readyz", "/metrics", "/openapi.json", "/admin/reload", "/")
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
MAX_LABEL_VALUES = 100


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
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
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
        # Labelled children, looked up once: prometheus-client's labels() costs a lock per call.
        self._request_counters: dict[tuple[str, str], Any] = {}
        self._latency_by_route: dict[str, Any] = {}

    def _unshipped_language(self, query: str, accept_language: str | None) -> str | None:
        """The language a request wanted first, when no shipped locale serves it."""
        negotiator = self.holder.state.service.negotiator
        wanted = parse_qs(query).get("lang", [None])[0] if "lang=" in query else None
        if not wanted and accept_language:
            parsed = parse_accept_header(bounded_header(accept_language), LanguageAccept)
            ranges = [value for value, quality in parsed if quality > 0]
            wanted = next((v for v in ranges if v != "*"), None)
        if not wanted or negotiator.match(wanted) is not None:
            return None
        parsed = maximize(wanted)
        return parsed[0].language if parsed and 2 <= len(parsed[0].language) <= 3 else None

    def observe(self, environ: dict[str, Any], status: str, seconds: float) -> None:
        path = environ.get("PATH_INFO", "")
        route = route_of(path)
        counter = self._request_counters.get((route, status))
        if counter is None:
            counter = self._request_counters[(route, status)] = self.requests.labels(route, status)
        counter.inc()
        latency = self._latency_by_route.get(route)
        if latency is None:
            latency = self._latency_by_route[route] = self.latency.labels(route)
        latency.observe(seconds)
        if route == "/errors/{code}" and status == "404" and CODE_RE.fullmatch(path[8:]):
            self.unknown_codes.labels(self._code_label(path[8:])).inc()
        accept_language = environ.get("HTTP_ACCEPT_LANGUAGE")
        if accept_language and len(accept_language) > MAX_HEADER_CHARS:
            accept_language = bounded_header(accept_language)  # never hash or parse a huge header
        language = self.unshipped_language(environ.get("QUERY_STRING", ""), accept_language)
        if language:
            self.unshipped.labels(self._language_label(language)).inc()

    def exposition(self) -> bytes:
        """The text format; under gunicorn, aggregated across every worker."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


class _RequestIds:
    """Unique ids without a system call each: a random per-process prefix and a counter
    (re-drawn after fork, so gunicorn workers never share a prefix)."""

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
    """Request id in and out (``X-Request-ID``), then metrics once the answer is known."""

    def __init__(self, app: Callable[..., Iterable[bytes]], metrics: Metrics | None) -> None:
        self.app = app
        self.metrics = metrics

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if incoming and REQUEST_ID_RE.fullmatch(incoming) else new_request_id()
        status = ["500"]

        def start(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = status_line[:3]
            headers.append(("X-Request-ID", request_id))
            return start_response(status_line, headers, exc_info)

        token = REQUEST_ID.set(request_id)
        began = time.perf_counter()
        try:
            return self.app(environ, start)
        finally:
            REQUEST_ID.reset(token)
            if self.metrics is not None:
                self.metrics.observe(environ, status[0], time.perf_counter() - began)
