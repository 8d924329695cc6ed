"""The OpenAPI 3.1 description of the API, built once from the registry and locales.

Tests validate real responses against these schemas, and schemathesis generates
requests from it, so it is kept exact: every route, parameter, status and problem.
"""

from __future__ import annotations

from typing import Any

from ..catalogs import LANGUAGE_TAG_RE, bcp47
from ..lookup import ErrorTable
from ..publish.docs import documented_locales
from ..registry import CODE_RE
from .client_files import TARBALL, client_file_names
from .problem_types import BLANK_PROBLEM_TYPE, FOREIGN_PROBLEM_STATUSES, PROBLEM_STATUSES, PROBLEM_TYPES

JSON_REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": JSON_REF + name}


def _json(schema: dict[str, Any], description: str, headers: tuple[str, ...] = ()) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        response["headers"] = {h: {"$ref": f"#/components/headers/{h}"} for h in headers}
    return response


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _object(properties: dict[str, Any], required: tuple[str, ...] | None = None) -> dict[str, Any]:
    """An object schema whose required names are all among its properties (Redocly's rule)."""
    names = tuple(properties) if required is None else required
    return {"type": "object", "required": list(names), "properties": properties}


CACHED = ("ETag", "Cache-Control", "Vary", "Content-Language")
LANG_PARAMS = [{"$ref": "#/components/parameters/lang"}, {"$ref": "#/components/parameters/Accept-Language"}]
REVALIDATE = {"$ref": "#/components/parameters/If-None-Match"}
NOT_MODIFIED = {"description": "Not modified: the `If-None-Match` ETag is current."}


def openapi_document(table: ErrorTable, server_url: str = "/") -> dict[str, Any]:
    registry = table.registry
    tags = sorted(locale_id.replace("_", "-") for locale_id in table.locale_ids)
    documented = sorted(bcp47(locale_id) for locale_id in documented_locales(table))
    param_names = sorted({p.name for e in registry.entries.values() for p in e.params})
    bounds = {p.name: p for e in registry.entries.values() for p in e.params}
    entry_schema = {
        "type": "object",
        "required": [
            "code",
            "lang",
            "dir",
            "category",
            "meaning",
            "resolution",
            "help_url",
            "http_status",
            "retryable",
            "deprecated",
            "params",
            "fallback",
        ],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "integer", "minimum": 10000, "maximum": 99999},
            "lang": {"type": "string", "enum": tags},
            "dir": {
                "type": "string",
                "enum": ["ltr", "rtl"],
                "description": "The text direction of `lang`, for the `dir` attribute in HTML.",
            },
            "category": _ref("Category"),
            "meaning": {"type": "string", "minLength": 1},
            "resolution": {"type": "string", "minLength": 1},
            "help_url": {"type": ["string", "null"]},
            "http_status": {"type": "integer", "minimum": 400, "maximum": 599},
            "retryable": {"type": "boolean"},
            "deprecated": {
                "type": "boolean",
                "description": "The vendor's table no longer lists the code; APIs deployed earlier "
                "may still send it, so it is still explained.",
            },
            "params": {"type": "object", "additionalProperties": {"type": "integer"}},
            "fallback": {
                "type": "object",
                "description": "Each field (meaning, resolution, category) whose text came from another "
                "locale, and that locale.",
                "propertyNames": {"enum": ["meaning", "resolution", "category"]},
                "additionalProperties": {"type": "string", "enum": tags},
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "errmsg",
            "version": "0.1.0",
            "summary": "Localized meanings and resolutions of error codes.",
            "description": "Language: `lang` first, then `Accept-Language`, then the default. "
            "Every error is an RFC 9457 problem in the negotiated language.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server_url}],
        # Reading needs no credentials; only POST /admin/reload says its own (bearerAuth).
        "security": [],
        "paths": {
            "/errors/{code}": {
                "get": {
                    "operationId": "getError",
                    "summary": "One code's meaning and resolution",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": f"^{CODE_RE.pattern}$"},
                        },
                        *LANG_PARAMS,
                        REVALIDATE,
                        *(
                            {
                                "name": name,
                                "in": "query",
                                "required": False,
                                "description": "Placeholder value for the codes that have it.",
                                # How a client renders it itself (the errmsg client, offline):
                                # a count picks a plural form; a size is a CLDR unit.
                                "x-errmsg-kind": bounds[name].kind,
                                **({"x-errmsg-unit": bounds[name].unit} if bounds[name].unit else {}),
                                "schema": {
                                    "type": "integer",
                                    "minimum": bounds[name].min,
                                    "maximum": bounds[name].max,
                                },
                            }
                            for name in param_names
                        ),
                    ],
                    "responses": {
                        "200": _json(_ref("Entry"), "The entry in the negotiated language.", CACHED),
                        "304": NOT_MODIFIED,
                        "400": _problem("Malformed code, unknown query parameter or bad placeholder value."),
                        "404": _problem("No such code."),
                    },
                }
            },
            "/errors": {
                "get": {
                    "operationId": "listErrors",
                    "summary": "Every code of a language (a bundle to prefetch)",
                    "parameters": [
                        *LANG_PARAMS,
                        REVALIDATE,
                        {
                            "name": "category",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": list(registry.categories)},
                        },
                    ],
                    "responses": {
                        "200": _json(_ref("Bundle"), "All entries; gzip or brotli when accepted.", CACHED),
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown category or query parameter."),
                    },
                }
            },
            "/i18n/{lng}/{ns}.json": {
                "get": {
                    "operationId": "getI18nextResources",
                    "summary": "Resources for i18next-http-backend",
                    "parameters": [
                        {
                            "name": "lng",
                            "in": "path",
                            "required": True,
                            "description": "A BCP 47 language tag (`zh-TW`, not `zh_TW`); negotiated.",
                            "schema": {
                                "type": "string",
                                "pattern": f"^{LANGUAGE_TAG_RE.pattern}$",
                                "maxLength": 64,
                            },
                        },
                        {
                            "name": "ns",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": ["errors"]},
                        },
                        REVALIDATE,
                    ],
                    "responses": {
                        "200": _json(
                            {"type": "object"}, "i18next JSON: `40112.meaning`, plural keys, `{{name}}`."
                        ),
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown query parameter."),
                        "404": _problem("No shipped language matches `lng`, or the namespace is unknown."),
                    },
                }
            },
            "/errors/{tag}.json": {
                "get": {
                    "operationId": "getBundleFile",
                    "summary": "A language's bundle at the static export's path (what the client reads)",
                    "parameters": [
                        {
                            "name": "tag",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": tags},
                        },
                        REVALIDATE,
                    ],
                    "responses": {
                        "200": _json(_ref("Bundle"), "All entries; gzip or brotli when accepted.", CACHED),
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown query parameter."),
                        "404": _problem("No shipped language has this tag."),
                    },
                }
            },
            "/locales.json": {
                "get": {
                    "operationId": "getLocalesFile",
                    "summary": "`/locales` at the static export's path",
                    "parameters": [REVALIDATE],
                    "responses": {
                        "200": _json(_ref("Locales"), "The shipped locales."),
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown query parameter."),
                    },
                }
            },
            "/client/{name}": {
                "get": {
                    "operationId": "getClientFile",
                    "summary": "The front-end client package: errmsg.js, its TypeScript types, package.json, "
                    "and package.tgz (the package packed, for `npm install <url>`)",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": [*client_file_names(), TARBALL]},
                        },
                        REVALIDATE,
                    ],
                    "responses": {
                        "200": {
                            "description": "The file (JavaScript, TypeScript declarations, JSON, tarball).",
                            "content": {
                                "text/javascript": {"schema": {"type": "string"}},
                                "application/gzip": {"schema": {"type": "string", "format": "binary"}},
                                "application/typescript": {"schema": {"type": "string"}},
                                "application/json": {"schema": {"type": "object"}},
                            },
                        },
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown query parameter."),
                        "404": _problem("No such file."),
                    },
                }
            },
            "/docs/errors/{tag}.md": {
                "get": {
                    "operationId": "getDocsPage",
                    "summary": "The error-code table as a Markdown documentation page in one language",
                    "parameters": [
                        {
                            "name": "tag",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": documented},
                        },
                        REVALIDATE,
                    ],
                    "responses": {
                        "200": {
                            "description": "GitHub-flavoured Markdown with front matter; gzip or brotli "
                            "when accepted.",
                            "content": {"text/markdown": {"schema": {"type": "string"}}},
                            "headers": {h: {"$ref": f"#/components/headers/{h}"} for h in CACHED},
                        },
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown query parameter."),
                        "404": _problem("No documentation page has this language tag."),
                    },
                }
            },
            "/locales": {
                "get": {
                    "operationId": "listLocales",
                    "summary": "Shipped locales with names, direction and completion",
                    "parameters": [REVALIDATE],
                    "responses": {
                        "200": _json(_ref("Locales"), "The shipped locales."),
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown query parameter."),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "healthz",
                    "summary": "Liveness",
                    "parameters": [],
                    "responses": {
                        "200": _json(
                            _object({"status": {"type": "string", "const": "ok"}}), "The process answers."
                        ),
                        "400": _problem("Unknown query parameter."),
                    },
                }
            },
            "/readyz": {
                "get": {
                    "operationId": "readyz",
                    "summary": "Readiness",
                    "responses": {
                        "200": _json(
                            _object(
                                {
                                    "status": {"type": "string", "const": "ready"},
                                    "locales": {"type": "integer", "minimum": 1},
                                    "codes": {"type": "integer", "minimum": 0},
                                    "last_reload_error": {"type": ["string", "null"]},
                                },
                                required=("status", "locales", "codes"),
                            ),
                            "Catalogs loaded.",
                        ),
                        "400": _problem("Unknown query parameter."),
                    },
                }
            },
            "/admin/reload": {
                "post": {
                    "operationId": "reloadCatalogs",
                    "summary": "Swap in the catalogs on disk (only when ERRMSG_RELOAD_TOKEN is set)",
                    "security": [{"bearerAuth": []}],
                    "responses": {
                        "200": _json(
                            _object(
                                {
                                    "status": {"type": "string", "const": "reloaded"},
                                    "locales": {"type": "array", "items": {"type": "string"}},
                                    "workers": _object(
                                        {"reloaded": {"type": "integer"}, "total": {"type": "integer"}}
                                    ),
                                }
                            ),
                            "The new catalogs are served.",
                        ),
                        "401": _problem(
                            "No valid reload token (`Authorization: Bearer <ERRMSG_RELOAD_TOKEN>`)."
                        ),
                        "404": _problem("Reloading is off: ERRMSG_RELOAD_TOKEN is not set."),
                        "422": _problem(
                            "The catalogs on disk are invalid; the previous ones are still served."
                        ),
                    },
                }
            },
            "/metrics": {
                "get": {
                    "operationId": "metrics",
                    "summary": "Prometheus metrics, summed over workers",
                    "responses": {
                        "200": {
                            "description": "Text format.",
                            "content": {"text/plain": {"schema": {"type": "string"}}},
                        },
                        "404": _problem("Metrics are turned off (ERRMSG_METRICS=0)."),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "parameters": [REVALIDATE],
                    "responses": {
                        "200": _json({"type": "object"}, "OpenAPI 3.1."),
                        "304": NOT_MODIFIED,
                        "400": _problem("Unknown query parameter."),
                    },
                }
            },
            "/": {
                "get": {
                    "operationId": "referencePage",
                    "summary": "Every code by category, as an HTML page in the negotiated language",
                    "parameters": LANG_PARAMS,
                    "responses": {
                        "200": {
                            "description": "HTML page.",
                            "content": {"text/html": {"schema": {"type": "string"}}},
                        },
                        "400": _problem("Unknown query parameter."),
                    },
                }
            },
            "/problems/{kind}": {
                "get": {
                    "operationId": "problemType",
                    "summary": "What a problem type URI means (RFC 9457 §3.1.1), in the negotiated language",
                    "parameters": [
                        {
                            "name": "kind",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": sorted(PROBLEM_TYPES)},
                        },
                        *LANG_PARAMS,
                    ],
                    "responses": {
                        "200": {
                            "description": "A short page, or JSON with `Accept: application/json`.",
                            "content": {
                                "text/html": {"schema": {"type": "string"}},
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["type", "title", "status", "description"],
                                        "additionalProperties": False,
                                        "properties": {
                                            "type": {"type": "string"},
                                            "title": {"type": "string"},
                                            "status": {"type": "integer"},
                                            "description": {"type": "string"},
                                        },
                                    }
                                },
                            },
                        },
                        "400": _problem("Unknown query parameter."),
                        "404": _problem("No such problem type."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The value of ERRMSG_RELOAD_TOKEN.",
                }
            },
            "parameters": {
                "lang": {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "Language tag; it wins over Accept-Language when it names a shipped one.",
                },
                "Accept-Language": {
                    "name": "Accept-Language",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                },
                "If-None-Match": {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                },
            },
            "headers": {
                "ETag": {
                    "schema": {"type": "string"},
                    "description": "Strong validator of this representation.",
                },
                "Cache-Control": {"schema": {"type": "string"}},
                "Vary": {"schema": {"type": "string"}},
                "Content-Language": {"schema": {"type": "string", "enum": tags}},
            },
            "schemas": {
                "Category": {
                    "type": "object",
                    "required": ["id", "title"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "string", "enum": list(registry.categories)},
                        "title": {"type": "string", "minLength": 1},
                    },
                },
                "Entry": entry_schema,
                "Bundle": {
                    "type": "object",
                    "required": ["lang", "categories", "errors"],
                    "additionalProperties": False,
                    "properties": {
                        "lang": {"type": "string", "enum": tags},
                        "categories": {"type": "array", "items": _ref("Category")},
                        "errors": {"type": "array", "items": _ref("Entry")},
                    },
                },
                "Locales": {
                    "type": "object",
                    "required": ["default", "locales"],
                    "properties": {
                        "default": {"type": "string"},
                        "locales": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": [
                                    "tag",
                                    "english_name",
                                    "native_name",
                                    "direction",
                                    "percent_translated",
                                    "pseudo",
                                    "negotiable",
                                ],
                                "properties": {
                                    "tag": {"type": "string", "enum": tags},
                                    "english_name": {"type": "string"},
                                    "native_name": {"type": "string"},
                                    "direction": {"type": "string", "enum": ["ltr", "rtl"]},
                                    "percent_translated": {"type": "number", "minimum": 0, "maximum": 100},
                                    "pseudo": {"type": "boolean"},
                                    "negotiable": {
                                        "type": "boolean",
                                        "description": "false: served only for an explicit ?lang=",
                                    },
                                },
                            },
                        },
                    },
                },
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        # The service's own types and statuses, and what a gateway or host in
                        # front of it may send (about:blank, 403, 502-504).
                        "type": {
                            "type": "string",
                            "enum": [BLANK_PROBLEM_TYPE, *(f"/problems/{kind}" for kind in PROBLEM_TYPES)],
                        },
                        "title": {"type": "string", "minLength": 1},
                        "status": {
                            "type": "integer",
                            "enum": sorted({*PROBLEM_STATUSES, *FOREIGN_PROBLEM_STATUSES}),
                        },
                        "detail": {"type": "string"},
                        "code": {"type": "string"},
                        "invalid_params": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    }
