"""CORS preflight: browsers ask ``OPTIONS`` before a cross-origin GET that sends
``Accept-Language``; answer with what is allowed, or without CORS headers when the
origin is not allowed (the browser then blocks the real request)."""

from __future__ import annotations

from flask import Flask, Response, request

from .representations import SECURITY_HEADERS
from .state import current_state


def answer_preflight() -> Response | None:
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    cors = current_state().cors
    headers = [*cors.preflight_headers(request.headers.get("Origin")), *SECURITY_HEADERS]
    if cors.varies:
        headers.append(("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"))
    return Response(b"", 204, headers)


def init_app(app: Flask) -> None:
    app.before_request(answer_preflight)
