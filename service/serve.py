"""The production server: granian, with the app validated before a port is bound.

``python -m service.serve`` is what the container, ``make run`` and ``make serve-prod``
start. granian's HTTP layer (Rust, hyper) reads and parses every request on its own
threads, so a client that sends its headers slowly holds a socket, never a Python
worker; only a complete request reaches the WSGI app. Before that, this module builds
the app once in the main process: a broken registry or catalog ends the process with
one line naming the file, and nothing ever listens. Workers are forked from that
process, so each starts with the app already built.

Every setting comes from an environment variable; the README's configuration table
lists them with their defaults.
"""

from __future__ import annotations

import atexit
import ctypes
import errno
import ipaddress
import logging
import os
import re
import resource
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .config import ConfigError, env_flag, env_int

#: hyper refuses a request whose line and headers do not fit this many bytes (431).
MAX_REQUEST_HEAD = 16_384


@dataclass(frozen=True)
class ServerSettings:
    """How the production server listens; :meth:`from_env` names each variable."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    access_log: bool = True
    log_level: str = "info"
    #: Seconds a stopping worker may take to finish in-flight requests before it is killed.
    graceful_timeout: int = 30
    #: Milliseconds a client may take to send its request line and headers.
    header_read_timeout_ms: int = 5000
    backlog: int = 4096
    #: Python threads per worker (:data:`DEFAULT_THREADS`).
    threads: int = 8
    #: Connections one worker holds open at once (granian's ``backpressure``): idle and
    #: slow clients wait in Rust and cost a socket each, never a Python thread.
    max_connections: int = 16384

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        env = os.environ if env is None else env
        level = (env.get("ERRMSG_LOG_LEVEL") or "info").lower()
        if level not in ("debug", "info", "warning", "error", "critical"):
            raise ConfigError(f"ERRMSG_LOG_LEVEL={level!r} is not debug, info, warning, error or critical")
        return cls(
            host=env.get("HOST") or "127.0.0.1",
            port=env_int(env, "PORT", 8000, 0, 65535),
            workers=env_int(env, "WEB_CONCURRENCY", max(2, os.cpu_count() or 1), 1, 256),
            access_log=env_flag(env, "ERRMSG_ACCESS_LOG", True),
            log_level=level,
            graceful_timeout=env_int(env, "ERRMSG_GRACEFUL_TIMEOUT", 30, 1, 1800),
            header_read_timeout_ms=env_int(env, "ERRMSG_HEADER_TIMEOUT_MS", 5000, 100, 60_000),
            backlog=env_int(env, "ERRMSG_BACKLOG", 4096, 128, 65535),
            threads=env_int(env, "ERRMSG_THREADS", DEFAULT_THREADS, 1, 256),
            max_connections=env_int(env, "ERRMSG_MAX_CONNECTIONS", 16384, 64, 1_000_000),
        )


#: Python threads per worker. granian hands each request to a Python thread and waits
#: for the answer; with fewer threads than a worker's busy keep-alive connections, the
#: hand-offs queue. bench/RESULTS.md measured 5 threads 20% slower than 8 on 2 cores,
#: and 12 or 16 no faster. Slow and idle clients never hold one (granian reads requests
#: in Rust), so this does not grow with the connections.
DEFAULT_THREADS = 8


class QuietThreadAdvice(logging.Filter):
    """Drop granian's "up to N Python threads … quite high" advice for the measured
    default: it is meant for thread counts nobody chose, and this one was chosen
    (:data:`DEFAULT_THREADS`). A count set in ``ERRMSG_THREADS`` still draws it."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.threads = threads

    def filter(self, record: logging.LogRecord) -> bool:
        advice = f"Configuration allows spawning up to {self.threads} Python threads"
        return not (self.threads == DEFAULT_THREADS and record.getMessage().startswith(advice))


def log_config(level: str, threads: int = DEFAULT_THREADS) -> dict[str, Any]:
    """JSON lines: granian's and the service's logs on stderr, the access log on stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "service.logs.JsonFormatter"},
            "raw": {"format": "%(message)s"},
        },
        "filters": {
            "request_id": {"()": "service.logs.RequestIdFilter"},
            "thread_advice": {"()": QuietThreadAdvice, "threads": threads},
        },
        "handlers": {
            "error": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            },
            "access": {"class": "logging.StreamHandler", "formatter": "raw", "stream": "ext://sys.stdout"},
        },
        "root": {"level": level.upper(), "handlers": ["error"]},
        "loggers": {
            "_granian": {
                "level": level.upper(),
                "handlers": ["error"],
                "filters": ["thread_advice"],
                "propagate": False,
            },
            "granian.access": {"level": "WARNING", "handlers": ["error"], "propagate": False},
            "errmsg.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        },
    }


#: prometheus-client's multiprocess files: ``counter_<pid>.db``, ``gauge_livesum_<pid>.db``…
METRICS_FILE_RE = re.compile(r"(?:counter|histogram|summary|gauge_[a-z]+)_\d+\.db")
#: The reload folder's own files (:class:`~.http.reload.ReloadBroadcast`).
RELOAD_FILE_RE = re.compile(r"generation|lock|(?:ack|failed)-\d+|\..+\.\d+|set-\d+|compressed")


def own_folder(env: dict[str, str], variable: str, prefix: str, own: re.Pattern[str]) -> Path:
    """The folder ``variable`` names, cleared of this service's files from an earlier run
    (and of nothing else: it may be shared, or ``/tmp``); unset, a fresh temporary folder
    that is removed at exit. A missing or unwritable folder is a :class:`ConfigError`."""
    given = env.get(variable)
    if not given:
        path = Path(tempfile.mkdtemp(prefix=prefix))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        env[variable] = str(path)
        return path
    path = Path(given)
    if not path.is_dir():
        what = "is not a folder" if path.exists() else "does not exist"
        raise ConfigError(f"{variable}={given}: {what}")
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise ConfigError(f"{variable}={given}: the folder is not writable ({exc.strerror})") from None
    for entry in path.iterdir():
        if own.fullmatch(entry.name):
            try:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
            except OSError as exc:
                raise ConfigError(f"{variable}={given}: cannot remove {entry.name}: {exc.strerror}") from None
    return path


def prepare_metrics_dir(env: dict[str, str]) -> None:
    """Prometheus multiprocess mode: every worker writes samples into one folder that
    ``/metrics`` sums. prometheus-client reads the variable when first imported, so this
    runs before the app is loaded; an earlier run's samples are removed so they never count."""
    if env_flag(env, "ERRMSG_METRICS", True):
        own_folder(env, "PROMETHEUS_MULTIPROC_DIR", "errmsg-metrics-", METRICS_FILE_RE)


def prepare_reload_dir(env: dict[str, str], workers: int) -> None:
    """The folder where ``POST /admin/reload`` publishes sets of catalogs to every worker,
    and the worker count it waits for (the app reads both from the environment)."""
    own_folder(env, "ERRMSG_RELOAD_DIR", "errmsg-reload-", RELOAD_FILE_RE)
    env["WEB_CONCURRENCY"] = str(workers)


def resolve_host(host: str, port: int) -> str:
    """granian binds IP addresses only: a host name (``localhost``) becomes its first address."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(
            f"HOST={host!r} is neither an IP address nor a host name that resolves ({exc})"
        ) from None
    return str(sorted(found, key=lambda info: info[0] != socket.AF_INET)[0][4][0])


def claim_port(host: str, port: int) -> None:
    """Refuse to start where another server already listens.

    granian's workers bind with ``SO_REUSEPORT``, so a second server on the same port
    would start silently and split the traffic with the first. A socket bound without
    it cannot share the port with any listener, so binding one (and closing it again)
    tells whether the port is free."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = (
                "already in use (another server listens there)"
                if exc.errno == errno.EADDRINUSE
                else exc.strerror
            )
            raise ConfigError(f"cannot listen on {host}:{port}: {reason}") from None


def raise_open_files_limit(settings: ServerSettings) -> int:
    """Every open connection is a file descriptor: lift the soft limit to the hard one,
    and hold each worker's connections below it. Returns the connection cap."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = settings.max_connections + 256  # the catalogs, logs and sockets of the worker itself
    if hard == resource.RLIM_INFINITY or hard >= wanted:
        target = wanted if hard == resource.RLIM_INFINITY else max(soft, min(hard, wanted))
    else:
        target = hard
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return max(64, min(settings.max_connections, target - 256))


def die_with_parent() -> None:
    """In a forked worker: be killed when the main process dies, even by ``kill -9``
    (Linux ``PR_SET_PDEATHSIG``), instead of serving on as an orphan nobody respawns."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


#: ``<linux/prctl.h>``
PR_SET_PDEATHSIG = 1


def build_server(settings: ServerSettings) -> Any:
    """granian's multiprocess server, set up for this service."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.server import MPServer

    class Server(MPServer):
        """granian's server, telling prometheus-client when a worker has died (as
        gunicorn's ``child_exit`` hook did): its counts stay in the sums, its live
        gauges go."""

        def _respawn_workers(self, workers: list[int], *args: Any, **kwargs: Any) -> None:
            gone = [self.wrks[idx].inner.pid for idx in workers]
            super()._respawn_workers(workers, *args, **kwargs)
            if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
                from prometheus_client import multiprocess

                for pid in gone:
                    multiprocess.mark_process_dead(pid)

    return Server(
        "service.wsgi:app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        blocking_threads=settings.threads,
        backlog=settings.backlog,
        backpressure=settings.max_connections,
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(
            header_read_timeout=settings.header_read_timeout_ms,
            keep_alive=True,
            max_buffer_size=MAX_REQUEST_HEAD,
        ),
        log_level=settings.log_level,  # type: ignore[arg-type]
        log_dictconfig=log_config(settings.log_level, settings.threads),
        log_access=False,  # the service writes its own JSON access line, with the request id
        respawn_failed_workers=True,
        respawn_interval=0.5,
        workers_kill_timeout=settings.graceful_timeout,
    )


def main() -> int:
    try:
        settings = ServerSettings.from_env()
        settings = replace(settings, host=resolve_host(settings.host, settings.port))
        claim_port(settings.host, settings.port)
        settings = replace(settings, max_connections=raise_open_files_limit(settings))
        prepare_metrics_dir(os.environ)  # type: ignore[arg-type]
        prepare_reload_dir(os.environ, settings.workers)  # type: ignore[arg-type]
    except ConfigError as exc:
        print(f"errmsg: cannot start: {exc}", file=sys.stderr)
        return 2
    import service.wsgi  # noqa: F401 - builds and validates the app; exits with one line on a fault

    os.register_at_fork(after_in_child=die_with_parent)
    build_server(settings).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
