"""The JSON API blueprint: single codes, whole-locale bundles, locales, health."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from prometheus_client import CONTENT_TYPE_LATEST

from ..catalogs import LANGUAGE_TAG_RE, bcp47
from ..lookup import InvalidParam
from ..registry import CODE_RE
from .admin import RELOADER_KEY
from .i18next import NAMESPACE
from .problems import Problem
from .representations import Prepared, dump_json, respond
from .state import current_state, request_locale_id

bp = Blueprint("api", __name__)

METRICS_KEY = "errmsg.metrics"


def _send(prepared: Prepared) -> Response:
    state = current_state()
    status, headers, body = respond(
        prepared,
        request.headers.get("If-None-Match"),
        request.headers.get("Origin"),
        state.cors,
        request.headers.get("Accept-Encoding"),
    )
    return Response(body, status, headers)


def check_query(allowed: set[str]) -> None:
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise Problem(
            "invalid-parameter",
            _(
                "Unknown query parameter: %(names)s. Accepted: %(accepted)s.",
                names=", ".join(unknown),
                accepted=", ".join(sorted(allowed)),
            ),
            invalid_params=unknown,
        )


@bp.get("/errors/<code>")
def show_error(code: str) -> Response:
    """One code's meaning and resolution in the negotiated language."""
    if not CODE_RE.fullmatch(code):
        raise Problem("malformed-code", _("An error code is five digits, such as 40112."), code=code[:32])
    state = current_state()
    entry = state.service.table.registry.entries.get(code)
    if entry is None:
        raise Problem("unknown-code", _("There is no error code %(code)s.", code=code), code=code)
    check_query({"lang", *(p.name for p in entry.params)})
    locale_id = request_locale_id()
    values = {k: v for k, v in request.args.items() if k != "lang"}
    if not values:
        return _send(state.representations.single(locale_id, code))  # type: ignore[arg-type]
    try:
        rendered = state.service.table.render(code, locale_id, values)
    except InvalidParam as exc:
        param = exc.param
        raise Problem(
            "invalid-parameter",
            _(
                "%(name)s must be a whole number from %(min)s to %(max)s.",
                name=exc.name,
                min=param.min,
                max=param.max,
            )
            if param
            else str(exc),
            invalid_params=[exc.name],
        ) from None
    return _send(state.representations.prepare_entry(rendered))


@bp.get("/errors")
def list_errors() -> Response:
    """Every code of the negotiated language, for front ends to prefetch."""
    check_query({"lang", "category"})
    state = current_state()
    category = request.args.get("category")
    categories = state.service.table.registry.categories
    if category == "":  # not "every category": the document's enum has no empty value
        raise Problem(
            "unknown-category",
            _("The category parameter is empty. Known categories: %(known)s.", known=", ".join(categories)),
        )
    if category is not None and category not in categories:
        raise Problem(
            "unknown-category",
            _(
                "There is no category %(category)s. Known categories: %(known)s.",
                category=category[:64],
                known=", ".join(categories),
            ),
        )
    return _send(state.representations.bundle(request_locale_id(), category))


@bp.get("/i18n/<lng>/<ns>.json")
def i18next_resources(lng: str, ns: str) -> Response:
    """One language's resources in i18next's format (``loadPath: '/i18n/{{lng}}/{{ns}}.json'``)."""
    check_query(set())
    state = current_state()
    is_tag = len(lng) <= 64 and LANGUAGE_TAG_RE.fullmatch(lng)
    locale_id = state.service.negotiator.match(lng) if is_tag else None
    if ns != NAMESPACE or locale_id is None:
        raise Problem(
            "unknown-language",
            _("There are no resources for %(lng)s/%(ns)s. Namespace: %(namespace)s.",
              lng=lng[:64], ns=ns[:64], namespace=NAMESPACE),
        )  # fmt: skip
    return _send(state.representations.i18next(locale_id))


def _shipped_locale(tag: str) -> str:
    """The locale of a file path's exact BCP 47 tag (``zh-Hans``), as the export names
    files; anything else, the Babel id ``zh_Hans`` included, is not found (these paths do
    not negotiate, and one file has one address)."""
    locale_id = tag.replace("-", "_")
    if locale_id not in current_state().service.table.catalogs or bcp47(locale_id) != tag:
        raise Problem("not-found", _("There is nothing at this address."))
    return locale_id


@bp.get("/errors/<tag>.json")
def bundle_file(tag: str) -> Response:
    """A language's bundle at the static export's path (``errors/<tag>.json``), so a
    client such as ``/client/errmsg.js`` works unchanged against the service and a CDN."""
    check_query(set())
    return _send(current_state().representations.bundle(_shipped_locale(tag), None))


@bp.get("/locales.json")
def locales_file() -> Response:
    """``/locales`` at the static export's path."""
    check_query(set())
    return _send(current_state().locales)


@bp.get("/client/<name>")
def client_file(name: str) -> Response:
    """The front-end client package: ``errmsg.js``, its types and ``package.json``."""
    check_query(set())
    prepared = current_state().client_files.get(name)
    if prepared is None:
        raise Problem("not-found", _("There is nothing at this address."))
    return _send(prepared)


@bp.get("/docs/errors/<tag>.md")
def docs_page(tag: str) -> Response:
    """One language's documentation page: the code table in Markdown (README, "For
    documentation owners"). The tag is a shipped one, exactly as ``/locales`` lists it."""
    check_query(set())
    prepared = current_state().representations.docs(_shipped_locale(tag))
    if prepared is None:  # a pseudo-locale has no documentation page
        raise Problem("not-found", _("There is nothing at this address."))
    return _send(prepared)


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    check_query(set())
    return _send(current_state().openapi)


@bp.get("/locales")
def list_locales() -> Response:
    """The shipped locales, their names, direction and completion."""
    check_query(set())
    return _send(current_state().locales)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers (a query it does not know is refused, as everywhere)."""
    check_query(set())
    return _no_store({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: catalogs are loaded (the app cannot exist otherwise); says what is served."""
    check_query(set())
    state = current_state()
    reloader = current_app.extensions[RELOADER_KEY]
    return _no_store(
        {
            "status": "ready",
            "locales": len(state.service.table.locale_ids),
            "codes": len(state.service.table.registry.entries),
            "last_reload_error": reloader.last_error,
        }
    )


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format, summed across the server's workers."""
    collector = current_app.extensions[METRICS_KEY]
    if collector is None:
        raise Problem("not-found", _("There is nothing at this address."))
    return Response(
        collector.exposition(), 200, {"Cache-Control": "no-store"}, content_type=CONTENT_TYPE_LATEST
    )


def _no_store(obj: object) -> Response:
    return Response(dump_json(obj), 200, {"Cache-Control": "no-store"}, content_type="application/json")
