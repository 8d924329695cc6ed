"""Structured JSON logs, each line carrying the request id.

:mod:`.serve` installs these for the service and granian alike; the access log is one
JSON object per request, written by the observability layer to ``errmsg.access``.
"""

from __future__ import annotations

import json
import logging
import time
from contextvars import ContextVar
from typing import Any

#: The id of the request being handled (set by the observability WSGI layer).
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            entry["request_id"] = record.request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


#: One JSON object per request (method, path, status, duration, request id).
ACCESS_LOG = logging.getLogger("errmsg.access")


def log_access(environ: dict[str, Any], status: str, seconds: float, request_id: str) -> None:
    entry = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "remote": environ.get("REMOTE_ADDR"),
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "query": environ.get("QUERY_STRING") or None,
        "status": int(status),
        "duration_ms": round(seconds * 1000, 3),
        "request_id": request_id,
        "user_agent": environ.get("HTTP_USER_AGENT"),
    }
    ACCESS_LOG.info(json.dumps(entry, ensure_ascii=False))
