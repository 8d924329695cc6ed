"""The service's problem types (RFC 9457): status, title and what each means.

Plain data below the HTTP modules: the problem responses (:mod:`.problems`), the
OpenAPI document (:mod:`.openapi`) and the type pages (:mod:`.pages`) all read it.
Titles and descriptions are marked for extraction and translated when served.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated when a response is built."""
    return message


#: Problem type → (status, title). The type URI is ``/problems/<type>``.
PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "malformed-code": (400, N_("Malformed error code")),
    "invalid-parameter": (400, N_("Invalid parameter")),
    "unknown-category": (400, N_("Unknown category")),
    "bad-request": (400, N_("Bad request")),
    "unauthorized": (401, N_("Unauthorized")),
    "unknown-code": (404, N_("Unknown error code")),
    "unknown-language": (404, N_("Unknown language")),
    "not-found": (404, N_("Not found")),
    "method-not-allowed": (405, N_("Method not allowed")),
    "request-too-large": (413, N_("Request too large")),
    "range-not-satisfiable": (416, N_("Range not satisfiable")),
    "reload-failed": (422, N_("Catalog reload failed")),
    "internal-error": (500, N_("Internal error")),
}

#: What each problem type means, for the page its type URI leads to (RFC 9457 §3.1.1).
PROBLEM_DESCRIPTIONS: dict[str, str] = {
    "malformed-code": N_("An error code is five digits, such as 40112."),
    "invalid-parameter": N_(
        "A query parameter is unknown, or a placeholder value is not a whole number within its bounds."
    ),
    "unknown-category": N_("The category parameter names no category of the service."),
    "bad-request": N_("The request could not be understood."),
    "unauthorized": N_("A valid reload token is required."),
    "unknown-code": N_("The error code is well formed, but the service does not know it."),
    "unknown-language": N_("The service has no resources in this language."),
    "not-found": N_("There is nothing at this address."),
    "method-not-allowed": N_("This address does not accept this request method."),
    "request-too-large": N_("The request line, headers or body are too large."),
    "range-not-satisfiable": N_("The requested byte range lies outside the file."),
    "reload-failed": N_("The catalogs were not reloaded; the previous ones are still served."),
    "internal-error": N_("The service could not answer this request. Please try again later."),
}

#: Werkzeug exception status → problem type; the answer keeps that status (413, 414 and
#: 431 are all request-too-large). Any other status below 500 is ``bad-request`` (400).
HTTP_STATUS_TYPES: dict[int, str] = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    413: "request-too-large",
    414: "request-too-large",
    416: "range-not-satisfiable",
    431: "request-too-large",
}

#: Every status a problem may carry: the OpenAPI document lists exactly these.
PROBLEM_STATUSES = sorted({status for status, _ in PROBLEM_TYPES.values()} | set(HTTP_STATUS_TYPES))

#: Statuses a problem may carry that this service never sends itself, but a client of it
#: meets: a gateway or static host in front answers 403, 502, 503 or 504 with its own
#: problem (RFC 9457's ``about:blank`` type when it has no more specific one).
FOREIGN_PROBLEM_STATUSES = (403, 502, 503, 504)
#: RFC 9457 §4.2.1: the type of a problem that is no more than its HTTP status.
BLANK_PROBLEM_TYPE = "about:blank"
