"""``OPTIONS``: CORS preflights, and plain ``OPTIONS`` with the allowed methods.

Browsers ask ``OPTIONS`` before a cross-origin GET that sends headers beyond the
safelisted ones; answer with what is allowed, or without CORS headers when the origin
is not allowed (the browser then blocks the real request). Any other ``OPTIONS`` gets
``204`` with ``Allow`` instead of Flask's empty HTML response.
"""

from __future__ import annotations

from flask import Flask, Response, request

from .representations import SECURITY_HEADERS
from .state import current_state


def no_content(headers: list[tuple[str, str]]) -> Response:
    """A ``204``: no body, so no ``Content-Type`` (a Flask response would say text/html)."""
    response = Response(b"", 204, headers)
    del response.headers["Content-Type"]
    return response


def answer_options() -> Response | None:
    if request.method != "OPTIONS" or request.url_rule is None:
        return None
    if "Access-Control-Request-Method" not in request.headers:
        allowed = ", ".join(sorted(request.url_rule.methods or ()))
        return no_content([("Allow", allowed), *SECURITY_HEADERS])
    cors = current_state().cors
    headers = [*cors.preflight_headers(request.headers.get("Origin")), *SECURITY_HEADERS]
    if cors.varies:
        headers.append(("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"))
    return no_content(headers)


def init_app(app: Flask) -> None:
    app.before_request(answer_options)
