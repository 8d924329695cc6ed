"""Live catalog reloads that never take the service down.

A reload builds a complete new :class:`~.state.HttpState` from the files on disk
(an edited ``.po`` is compiled in memory) and swaps it in with one assignment.
If anything fails to load, the running state stays, and the error is logged with
the file and line. Two triggers:

* watching (``ERRMSG_WATCH_CATALOGS``, on under ``FLASK_DEBUG=1``): the WSGI layer
  below checks the catalogs' modification times before a request, at most once
  per interval, so a translator sees an edit on the next request;
* ``POST /admin/reload`` with ``Authorization: Bearer $ERRMSG_RELOAD_TOKEN``. The
  worker that answers reloads, then bumps a generation number in a folder all workers
  share (:class:`ReloadBroadcast`); every other worker notices within a fraction of a
  second, reloads too and acknowledges, and the answer says how many have.
"""

from __future__ import annotations

import logging
import os
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


class ReloadBroadcast:
    """One reload reaching every worker of a server, through files in ``folder``.

    ``generation`` holds a number that ``POST /admin/reload`` raises after its own
    reload succeeded; each worker polls it every :attr:`interval` seconds from a daemon
    thread (started in every forked worker) and, when it has risen, reloads and writes
    ``ack-<pid>`` with the number. A worker started later (a replacement for one that
    died) catches up on its first poll.
    """

    interval = 0.2

    def __init__(self, reloader: CatalogReloader, folder: Path) -> None:
        self.reloader = reloader
        self.folder = folder
        self.seen = 0
        os.register_at_fork(after_in_child=self._start)

    def _read(self, path: Path) -> int:
        try:
            return int(path.read_text() or 0)
        except (OSError, ValueError):
            return 0

    def _write(self, path: Path, value: int) -> None:
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(str(value))
        partial.replace(path)  # atomic: readers see the old number or the new one

    def _start(self) -> None:
        self.seen = self._read(self.folder / "generation")
        threading.Thread(target=self._poll, name="errmsg-reload-poll", daemon=True).start()

    def _poll(self) -> None:
        while True:
            time.sleep(self.interval)
            wanted = self._read(self.folder / "generation")
            if wanted > self.seen:
                self.seen = wanted
                self.reloader.reload(force=True)
                self._write(self.folder / f"ack-{os.getpid()}", wanted)

    def announce(self, workers: int, wait: float = 3.0) -> tuple[int, int]:
        """After this worker reloaded: raise the generation and wait for the others.
        Returns (workers that have it, workers in all)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        generation = self._read(self.folder / "generation") + 1
        self.seen = generation
        self._write(self.folder / f"ack-{os.getpid()}", generation)
        self._write(self.folder / "generation", generation)
        deadline = time.monotonic() + wait
        while True:
            done = sum(1 for pid, value in self._acks() if value >= generation and _alive(pid))
            if done >= workers or time.monotonic() > deadline:
                return done, workers
            time.sleep(0.05)

    def _acks(self) -> list[tuple[int, int]]:
        found = []
        for path in self.folder.glob("ack-*"):
            pid = path.name[4:]
            if pid.isdigit():
                found.append((int(pid), self._read(path)))
        return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
