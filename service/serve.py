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

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
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
    backlog: int = 1024
    threads: int = 8

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
            backlog=env_int(env, "ERRMSG_BACKLOG", 1024, 128, 65535),
            threads=env_int(env, "ERRMSG_THREADS", 8, 1, 256),
        )


def log_config(level: str) -> dict[str, Any]:
    """JSON lines: granian's and the service's logs on stderr, the access log on stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "service.logs.JsonFormatter"},
            "raw": {"format": "%(message)s"},
        },
        "filters": {"request_id": {"()": "service.logs.RequestIdFilter"}},
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
            "_granian": {"level": level.upper(), "handlers": ["error"], "propagate": False},
            "granian.access": {"level": "WARNING", "handlers": ["error"], "propagate": False},
            "errmsg.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        },
    }


def prepare_metrics_dir(env: dict[str, str]) -> None:
    """Prometheus multiprocess mode: every worker writes samples into one folder that
    ``/metrics`` sums. prometheus-client reads the variable when first imported, so this
    runs before the app is loaded; the folder is emptied so old runs never count."""
    if not env_flag(env, "ERRMSG_METRICS", True):
        return
    path = env.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="errmsg-metrics-")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    env["PROMETHEUS_MULTIPROC_DIR"] = path


def prepare_reload_dir(env: dict[str, str], workers: int) -> None:
    """A fresh folder where ``POST /admin/reload`` tells every worker to reload, and the
    worker count it waits for (the app reads both from the environment)."""
    path = env.get("ERRMSG_RELOAD_DIR") or tempfile.mkdtemp(prefix="errmsg-reload-")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    env["ERRMSG_RELOAD_DIR"] = path
    env["WEB_CONCURRENCY"] = str(workers)


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
        # Python threads per worker. Slow clients wait in Rust, never here; a few threads
        # only overlap the hand-offs between Rust and Python (measured in bench/RESULTS.md:
        # 1 thread ~30% slower than 8, more than 8 no faster).
        blocking_threads=settings.threads,
        backlog=settings.backlog,
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(
            header_read_timeout=settings.header_read_timeout_ms,
            keep_alive=True,
            max_buffer_size=MAX_REQUEST_HEAD,
        ),
        log_level=settings.log_level,  # type: ignore[arg-type]
        log_dictconfig=log_config(settings.log_level),
        log_access=False,  # the service writes its own JSON access line, with the request id
        respawn_failed_workers=True,
        respawn_interval=0.5,
        workers_kill_timeout=settings.graceful_timeout,
    )


def main() -> int:
    try:
        settings = ServerSettings.from_env()
    except ConfigError as exc:
        print(f"errmsg: cannot start: {exc}", file=sys.stderr)
        return 2
    prepare_metrics_dir(os.environ)  # type: ignore[arg-type]
    prepare_reload_dir(os.environ, settings.workers)  # type: ignore[arg-type]
    import service.wsgi  # noqa: F401 - builds and validates the app; exits with one line on a fault

    build_server(settings).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
