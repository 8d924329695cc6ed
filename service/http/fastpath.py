"""A thin WSGI layer that answers precomputed routes before Flask sees them.

The pattern WhiteNoise uses for static files: ``GET``/``HEAD`` of
``/errors/<code>`` and ``/errors`` with at most a plain ``lang`` query are answered
from :class:`~.representations.Representations` through the same
:func:`~.representations.respond` the Flask views use. Anything else — unknown
codes, other query parameters, percent-encoding, other methods — goes to Flask
untouched, which then answers with the same bytes or a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from .representations import Headers, respond
from .state import StateHolder

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in (HTTPStatus.OK, HTTPStatus.NOT_MODIFIED)}


class FastPath:
    def __init__(self, app: WSGIApp, holder: StateHolder) -> None:
        self.app = app
        self.holder = holder

    def answer(self, environ: dict[str, Any]) -> tuple[int, Headers, bytes] | None:
        """The response for a request this layer can answer completely, else None."""
        method = environ.get("REQUEST_METHOD")
        if method != "GET" and method != "HEAD":
            return None
        query = environ.get("QUERY_STRING", "")
        lang = None
        if query:
            if (
                not query.startswith("lang=")
                or len(query) > 128
                or "&" in query
                or "%" in query
                or "+" in query
            ):
                return None
            lang = query[5:]
        path = environ.get("PATH_INFO", "")
        state = self.holder.state
        if path.startswith("/errors/"):
            code = path[8:]
            if code not in state.service.table.registry.entries:
                return None
            locale_id = state.service.negotiator.negotiate(lang or None, environ.get("HTTP_ACCEPT_LANGUAGE"))
            prepared = state.representations.single(locale_id, code)
        elif path == "/errors":
            locale_id = state.service.negotiator.negotiate(lang or None, environ.get("HTTP_ACCEPT_LANGUAGE"))
            prepared = state.representations.bundle(locale_id, None)
        else:
            return None
        if prepared is None:
            return None
        return respond(
            prepared,
            environ.get("HTTP_IF_NONE_MATCH"),
            environ.get("HTTP_ORIGIN"),
            state.cors,
            environ.get("HTTP_ACCEPT_ENCODING"),
        )

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = self.answer(environ)
        if answer is None:
            return self.app(environ, start_response)
        status, headers, body = answer
        start_response(STATUS_LINES[status], headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
