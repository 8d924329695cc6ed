"""Live catalog reloads that never take the service down.

A reload builds a complete new :class:`~.state.HttpState` from the files on disk
(an edited ``.po`` is compiled in memory) and swaps it in with one assignment.
If anything fails to load, the running state stays, and the error is logged with
the file and line. Two triggers:

* watching (``ERRMSG_WATCH_CATALOGS``, on under ``FLASK_DEBUG=1``): the WSGI layer
  below checks the catalogs' modification times before a request, at most once
  per interval, so a translator sees an edit on the next request;
* ``POST /admin/reload`` with ``Authorization: Bearer $ERRMSG_RELOAD_TOKEN``. The
  worker that answers copies the files into a numbered set in a folder all workers
  share, validates that copy and serves it; then every other worker, and every worker
  started later to replace one that died, loads that same copy
  (:class:`ReloadBroadcast`). The answer counts the workers that serve it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask

from ..catalogs import CatalogError
from ..config import Settings
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

    def reload(self, *, force: bool = False, sources: Settings | None = None) -> str | None:
        """Reload if the files changed (or ``force``); return the error, or None.
        ``sources`` reads another copy of the files (a published set) instead."""
        with self._lock:
            stamp = _stamp(self.settings.locales_dir, self.settings.registry_path)
            if stamp == self._seen and not force:
                return None
            self._seen = stamp  # a broken set is reported once, not on every request
            try:
                state = HttpState.build(sources or self.settings, from_sources=True)
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


class SwapGate:
    """WSGI layer: while this worker builds a new set of answers, new requests wait.

    Under full load a build shares the interpreter with every request thread and took
    seconds; with new requests held at the door it runs alone, and they wait for the
    build (about 0.1 s, or 0.7 s when every body must be compressed anew) instead."""

    #: A build that takes longer than this no longer holds requests back.
    max_wait = 5.0

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.building = False
        self._open = threading.Event()
        self._open.set()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.building:
            self._open.wait(self.max_wait)
        return self.app(environ, start_response)

    @contextmanager
    def closed(self) -> Iterator[None]:
        self.building = True
        self._open.clear()
        try:
            yield
        finally:
            self.building = False
            self._open.set()


class ReloadBroadcast:
    """One reload, one set of catalogs, in every worker of a server.

    ``POST /admin/reload`` calls :meth:`publish` in the worker that answers it: under a
    lock, it copies the registry and the locales folder into ``set-<n>`` (the files are
    read once, so a file edited meanwhile cannot give two workers two different sets),
    builds and validates the copy, serves it, and only then raises ``generation`` to
    ``n``. Every worker polls ``generation`` from a daemon thread and, when it has risen,
    loads ``set-<n>``; a worker forked later (a replacement for one that died) loads the
    newest set before it serves anything. A worker writes ``ack-<pid>`` with ``n`` only
    once it serves set ``n``; a worker whose load failed writes ``failed-<pid>`` instead
    and keeps serving what it had.
    """

    interval = 0.1
    #: Sets kept besides the newest (a worker may still be loading the previous one).
    keep = 1

    def __init__(self, reloader: CatalogReloader, folder: Path, gate: SwapGate | None = None) -> None:
        self.reloader = reloader
        self.folder = folder
        self.gate = gate
        self.seen = 0
        os.register_at_fork(after_in_child=self._start)

    def _read(self, path: Path) -> int:
        try:
            return int(path.read_text() or 0)
        except (OSError, ValueError):
            return 0

    def _write(self, path: Path, value: int | str) -> None:
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(str(value))
        partial.replace(path)  # atomic: readers see the old value or the new one

    def _start(self) -> None:
        """In a newly forked worker: serve the newest published set from the first
        request on, then follow later ones."""
        self.seen = 0
        self._follow(self._read(self.folder / "generation"))
        threading.Thread(target=self._poll, name="errmsg-reload-poll", daemon=True).start()

    def _poll(self) -> None:
        while True:
            time.sleep(self.interval)
            self._follow(self._read(self.folder / "generation"))

    def _follow(self, generation: int) -> None:
        if generation <= self.seen:
            return
        self.seen = generation
        error = self._load(self.folder / f"set-{generation}")
        if error is None:
            self._write(self.folder / f"ack-{os.getpid()}", generation)
        else:
            self._write(self.folder / f"failed-{os.getpid()}", f"{generation} {error}")

    def _load(self, snapshot: Path) -> str | None:
        settings = self.reloader.settings
        sources = replace(
            settings, locales_dir=snapshot / "locales", registry_path=snapshot / settings.registry_path.name
        )
        if self.gate is None:
            return self.reloader.reload(force=True, sources=sources)
        with self.gate.closed():
            return self.reloader.reload(force=True, sources=sources)

    def publish(self, workers: int, wait: float = 3.0) -> tuple[str | None, int, int]:
        """Copy, validate and serve the files on disk as the next set, then wait for the
        other workers. Returns (the error, if this set was refused; workers that serve the
        set; workers in all)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            generation = max(self.seen, self._read(self.folder / "generation")) + 1
            snapshot = self.folder / f"set-{generation}"
            settings = self.reloader.settings
            shutil.rmtree(snapshot, ignore_errors=True)
            try:
                shutil.copytree(settings.locales_dir, snapshot / "locales", ignore=_not_catalog_files)
                shutil.copy2(settings.registry_path, snapshot / settings.registry_path.name)
            except OSError as exc:
                shutil.rmtree(snapshot, ignore_errors=True)
                return f"cannot copy the catalogs: {exc}", 0, workers
            error = self._load(snapshot)
            if error is not None:
                shutil.rmtree(snapshot, ignore_errors=True)
                return error, 0, workers
            self.seen = generation
            self._write(self.folder / f"ack-{os.getpid()}", generation)
            self._write(self.folder / "generation", generation)
            for old in self.folder.glob("set-*"):
                number = old.name[4:]
                if number.isdigit() and int(number) < generation - self.keep:
                    shutil.rmtree(old, ignore_errors=True)
        deadline = time.monotonic() + wait
        while True:
            done = sum(1 for pid, value in self._acks() if value >= generation and _alive(pid))
            if done >= workers or time.monotonic() > deadline:
                return None, done, workers
            time.sleep(0.02)

    def _acks(self) -> list[tuple[int, int]]:
        found = []
        for path in self.folder.glob("ack-*"):
            pid = path.name[4:]
            if pid.isdigit():
                found.append((int(pid), self._read(path)))
        return found


def _not_catalog_files(folder: str, names: list[str]) -> set[str]:
    """What a set leaves out: hidden files (build stamps, editors' partial files)."""
    return {name for name in names if name.startswith(".")}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
