"""Live catalog reloads that never take the service down.

A reload builds a complete new :class:`~.state.HttpState` from the files on disk
(an edited ``.po`` is compiled in memory) and swaps it in with one assignment.
If anything fails to load, the running state stays, and the error is logged with
the file and line. Two triggers:

* watching (``ERRMSG_WATCH_CATALOGS``, on under ``FLASK_DEBUG=1``): the WSGI layer
  below checks the catalogs' modification times before a request, at most once
  per interval, so a translator sees an edit on the next request;
* ``POST /admin/reload`` with ``Authorization: Bearer $ERRMSG_RELOAD_TOKEN``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask

from ..catalogs import CatalogError
from ..registry import RegistryError
from .state import HttpState, StateHolder

logger = logging.getLogger("errmsg.reload")


def _stamp(locales_dir: Path, registry_path: Path) -> tuple[tuple[str, int], ...]:
    files = [registry_path, *locales_dir.glob("*.pot"), *locales_dir.glob("*/LC_MESSAGES/*.[pm]o")]
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in files if p.is_file()))


class CatalogReloader:
    def __init__(self, app: Flask, holder: StateHolder) -> None:
        self.app = app
        self.holder = holder
        self.settings = holder.state.settings
        self._seen = _stamp(self.settings.locales_dir, self.settings.registry_path)
        self._lock = threading.Lock()
        self.last_error: str | None = None

    def reload(self, *, force: bool = False) -> str | None:
        """Reload if the files changed (or ``force``); return the error, or None."""
        with self._lock:
            stamp = _stamp(self.settings.locales_dir, self.settings.registry_path)
            if stamp == self._seen and not force:
                return None
            self._seen = stamp  # a broken set is reported once, not on every request
            try:
                state = HttpState.build(self.settings, from_sources=True)
            except (CatalogError, RegistryError, OSError) as exc:
                self.last_error = str(exc)
                logger.error("catalog reload failed; still serving the previous catalogs: %s", exc)
                return self.last_error
            self.holder.state = state
            with self.app.app_context():  # flask-babel caches compiled service strings
                self.app.extensions["babel"].instance.domain_instance.cache.clear()
            self.last_error = None
            logger.info("catalogs reloaded: %s", ", ".join(state.service.table.locale_ids))
            return None


class WatchCatalogs:
    """WSGI layer: before a request, reload edited catalogs (at most once per interval)."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], reloader: CatalogReloader, interval: float
    ) -> None:
        self.app = app
        self.reloader = reloader
        self.interval = interval
        self._next = 0.0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        now = time.monotonic()
        if now >= self._next:
            self._next = now + self.interval
            self.reloader.reload()
        return self.app(environ, start_response)
