"""gunicorn settings for production, used by the container and `make serve-prod`.

Every value comes from the environment, with the defaults documented in the README.
"""

import multiprocessing
import os
import shutil
import tempfile

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, multiprocessing.cpu_count()))
# gunicorn's sync worker, answering its own errors (oversized headers, …) as problem+json.
worker_class = "service.gunicorn_worker.ProblemSyncWorker"
preload_app = True  # a broken registry or catalog stops the master before it listens
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# Bounded request size: a longer request line, more or longer headers get a 4xx from
# gunicorn before the app is involved.
# A 64 KB Accept-Language is refused here with 431 at the cost of reading it once.
limit_request_line = 4094
limit_request_fields = 64
limit_request_field_size = 8190

loglevel = os.environ.get("ERRMSG_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
logger_class = "service.logs.JsonAccessLogger"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "service.logs.JsonFormatter"},
        "raw": {"format": "%(message)s"},
    },
    "filters": {"request_id": {"()": "service.logs.RequestIdFilter"}},
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"],
                  "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "raw", "stream": "ext://sys.stdout"},
    },  # fmt: skip
    "root": {"level": loglevel.upper(), "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}

# Prometheus multiprocess mode: every worker writes its samples here; /metrics sums them.
# prometheus_client reads this when first imported, so it is set before the app loads.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="errmsg-metrics-")


def on_starting(server):
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
