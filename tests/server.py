"""The production server as a test peer: ``python -m service.serve`` in a real process on
loopback, spoken to over real sockets."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import polib

from .conftest import ROOT, example_code, served_entries


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(
    port: int, path: str, headers: dict[str, str], deadline_s: float = 20
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection, retried while nothing listens yet; header names
    in lower case."""
    deadline = time.monotonic() + deadline_s
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            conn.close()


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class ProductionServer:
    """``python -m service.serve`` with its logs in ``log_dir``; stopped with SIGTERM."""

    def __init__(self, log_dir: Path, env: dict[str, str] | None = None, workers: int = 2) -> None:
        self.port = free_port()
        self.log_dir = log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        (log_dir / "metrics").mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "PROMETHEUS_MULTIPROC_DIR": str(log_dir / "metrics"),
            **(env or {}),
        }
        self.out = (log_dir / "access.log").open("w")
        self.err = (log_dir / "error.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.serve"], cwd=ROOT, env=self.env, stdout=self.out, stderr=self.err
        )

    def wait_ready(self) -> ProductionServer:
        deadline = time.monotonic() + 30
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                if get(self.port, "/readyz", {}, deadline_s=0)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"the server did not become ready:\n{self.errors()}")

    def rss_kb(self, pid: int) -> int:
        """A process's resident memory, from ``/proc``."""
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError(f"no VmRSS for {pid}")

    def wait_for_workers(self, count: int, without: tuple[int, ...] = ()) -> list[int]:
        """The worker pids once ``count`` are up and none of ``without`` is among them."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = self.workers()
            if len(found) == count and not set(found) & set(without):
                return found
            time.sleep(0.1)
        raise AssertionError(f"workers are {self.workers()}, wanted {count} without {without}")

    def workers(self) -> list[int]:
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return sorted(int(pid) for pid in children.stdout.split())

    def stop(self, timeout: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()
        self.err.close()
        return self.process.returncode

    def errors(self) -> str:
        if not self.err.closed:
            self.err.flush()
        return (self.log_dir / "error.log").read_text()

    def access(self) -> str:
        if not self.out.closed:
            self.out.flush()
        return (self.log_dir / "access.log").read_text()

    def __enter__(self) -> ProductionServer:
        return self.wait_ready()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# A translator's edit that reloads must bring to every worker: one German resolution that
# the catalogs serve today, picked from the data.
NEW = "Bitte später erneut versuchen"


def reload_example() -> str:
    """A code whose German resolution (no placeholders) is served today: what reloads edit."""
    code = example_code("resolution", locales=["de"], where=lambda e: not e.params_in("resolution"))
    assert served_entries("de")[f"{code}.resolution"].msgstr != NEW
    return code


def edit_resolution(locales: Path, code: str, new: str) -> None:
    """A translator's edit of the German resolution of ``code``, saved in place."""
    catalog = polib.pofile(str(locales / "de" / "LC_MESSAGES" / "messages.po"))
    next(e for e in catalog if e.msgctxt == f"{code}.resolution").msgstr = new
    catalog.save()


def resolutions(port: int, code: str, count: int = 40) -> set[str]:
    return {json.loads(get(port, f"/errors/{code}?lang=de", {})[2])["resolution"] for _ in range(count)}
