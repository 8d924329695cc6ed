"""gunicorn's sync worker, with its own errors in the service's format.

gunicorn answers requests it cannot parse (a request line or header over the limits
in ``gunicorn.conf.py``, a malformed header, …) itself, with a small HTML page. This
worker lets gunicorn decide the status exactly as it always does, captures that
page, and sends the same status as an RFC 9457 ``application/problem+json`` body
instead, so no client ever sees HTML from this service.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gunicorn.workers.sync import SyncWorker

#: gunicorn status → this service's problem type (``about:blank`` otherwise, per RFC 9457).
PROBLEM_TYPES = {400: "bad-request", 413: "request-too-large", 414: "request-too-large",
                 431: "request-too-large", 500: "internal-error"}  # fmt: skip


class _Capture:
    """Stands in for the client socket while gunicorn writes its error page."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def setblocking(self, flag: bool) -> None:
        pass

    def sendall(self, data: bytes) -> None:
        self.data += data

    send = sendall


def problem_bytes(page: bytes) -> bytes:
    """Rewrite gunicorn's HTML error response as a problem+json response."""
    head, _, body = page.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    match = re.match(r"HTTP/1\.1 (\d{3}) (.*)", status_line)
    status, reason = (int(match.group(1)), match.group(2)) if match else (400, "Bad Request")
    text = re.sub(r"<[^>]+>", " ", body.decode("latin-1"))
    detail = " ".join(text.split()).removeprefix(reason).strip() or reason
    kind = PROBLEM_TYPES.get(status)
    payload = json.dumps(
        {"type": f"/problems/{kind}" if kind else "about:blank", "title": reason, "status": status,
         "detail": detail[:200]},
        ensure_ascii=True,
    ).encode()  # fmt: skip
    return (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
        f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode("latin-1") + payload


class ProblemSyncWorker(SyncWorker):
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        capture = _Capture()
        super().handle_error(req, capture, addr, exc)
        if capture.data:
            try:
                client.sendall(problem_bytes(capture.data))
            except OSError:
                self.log.debug("Failed to send error message.")
