"""RFC 9457 problem details: the service's own errors, in the request's language.

Every error the service answers with, including Werkzeug's routing errors and
anything unexpected, leaves as ``application/problem+json``; never an HTML page or
a traceback.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, NotFound, RequestedRangeNotSatisfiable, RequestURITooLarge
from werkzeug.routing import RequestRedirect

from ..catalogs import bcp47
from .problem_types import HTTP_STATUS_TYPES, PROBLEM_TYPES
from .representations import PROBLEM_JSON, SECURITY_HEADERS, dump_json
from .state import current_state


class Problem(Exception):
    """Raise to answer with a problem; ``detail`` is already localized."""

    def __init__(self, kind: str, detail: str, *, status: int | None = None, **extensions: Any) -> None:
        super().__init__(detail)
        self.kind, self.detail, self.extensions = kind, detail, extensions
        #: Overrides the type's usual status where one type covers several (413, 414).
        self.status = status
        self.headers: list[tuple[str, str]] = []


def problem_response(problem: Problem) -> Response:
    status, title = PROBLEM_TYPES[problem.kind]
    status = problem.status or status
    body = {
        "type": f"/problems/{problem.kind}",
        "title": _(title),
        "status": status,
        "detail": problem.detail,
        **problem.extensions,
    }
    headers = [
        ("Content-Language", bcp47(str(get_locale()))),
        ("Vary", "Accept-Language"),
        ("Cache-Control", "no-store"),
        *SECURITY_HEADERS,
        *current_state().cors.headers(request.headers.get("Origin")),
        *problem.headers,
    ]
    return Response(dump_json(body), status, headers, content_type=PROBLEM_JSON)


def _from_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    kind = HTTP_STATUS_TYPES.get(status, "bad-request" if status < 500 else "internal-error")
    if kind == "not-found":
        problem = Problem(kind, _("There is nothing at this address."))
    elif kind == "method-not-allowed":
        allowed = ", ".join(sorted(getattr(exc, "valid_methods", None) or ()))
        problem = Problem(kind, _("This address accepts only: %(methods)s.", methods=allowed))
        problem.headers.append(("Allow", allowed))
    elif kind == "request-too-large":
        problem = Problem(kind, _("The request line, headers or body are too large."), status=status)
    elif kind == "range-not-satisfiable":
        problem = Problem(kind, _("The requested byte range lies outside the file."))
        if isinstance(exc, RequestedRangeNotSatisfiable) and exc.length is not None:
            # RFC 9110 §15.5.17: the file's current length, so the client can ask again.
            problem.headers.append(("Content-Range", f"{exc.units} */{exc.length}"))
    elif kind == "internal-error":
        problem = Problem(kind, _("The service could not answer this request. Please try again later."))
    else:
        problem = Problem(kind, _("The request could not be understood."))
    return problem_response(problem)


def _from_unexpected(exc: Exception) -> Response:
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(
        Problem("internal-error", _("The service could not answer this request. Please try again later."))
    )


#: The longest path plus query string answered; a longer one is 414. (granian refuses a
#: request line and headers over :data:`service.serve.MAX_REQUEST_HEAD` before the app.)
MAX_REQUEST_TARGET = 4096


def _refuse_long_targets() -> None:
    environ = request.environ
    if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > MAX_REQUEST_TARGET:
        raise RequestURITooLarge()


def _refuse_unroutable() -> None:
    """An empty path segment (``//errors/40112``) names nothing, and routing never
    redirects: Werkzeug's redirects are HTML pages whose ``Location`` comes from the
    client's ``Host`` header (``merge_slashes`` and ``strict_slashes`` rules)."""
    if "//" in request.environ.get("PATH_INFO", "") or isinstance(request.routing_exception, RequestRedirect):
        raise NotFound()


def init_app(app: Flask) -> None:
    app.before_request(_refuse_long_targets)
    app.before_request(_refuse_unroutable)
    app.register_error_handler(Problem, problem_response)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, _from_unexpected)
