"""The reference page: every code by category, in the negotiated language.

Rendered once per locale and kept (the text only changes with the catalogs, and a
reload builds a new state), sent with a Content-Security-Policy that allows no
script at all. Its own words come from the same catalogs through flask-babel.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _

from ..catalogs import bcp47
from .api import check_query
from .problem_types import PROBLEM_DESCRIPTIONS, PROBLEM_TYPES
from .problems import Problem
from .representations import SECURITY_HEADERS, Prepared, dump_json, respond
from .state import current_state, request_locale_id

bp = Blueprint("pages", __name__)

#: No script may run; ``connect-src 'self'`` lets a developer try the API with ``fetch``
#: from the browser console on this page (README, "For front ends").
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


@bp.get("/")
def reference() -> Response:
    check_query({"lang"})
    state = current_state()
    status, headers, body = respond(
        reference_page(request_locale_id()),
        request.headers.get("If-None-Match"),
        None,
        state.cors,
        request.headers.get("Accept-Encoding"),
    )
    headers += [("Content-Security-Policy", CSP), ("Referrer-Policy", "no-referrer")]
    return Response(body, status, headers)


def reference_page(locale_id: str) -> Prepared:
    """The page in one locale: rendered on first request (or by the export), then kept."""
    state = current_state()
    page = state.pages.get(locale_id)
    if page is None:
        page = state.pages[locale_id] = Prepared.build(
            render(locale_id).encode("utf-8"),
            content_language=bcp47(locale_id),
            max_age=state.settings.cache_max_age,
            vary="Accept-Language",
            compress=True,
            content_type="text/html; charset=utf-8",
        )
    return page


@bp.get("/problems/<kind>")
def problem_type(kind: str) -> Response:
    """What a problem ``type`` URI names: a short page, or JSON when asked for."""
    check_query({"lang"})
    if kind not in PROBLEM_TYPES:
        raise Problem("not-found", _("There is nothing at this address."))
    state = current_state()
    locale_id = request_locale_id()
    status, title = PROBLEM_TYPES[kind]
    about = {
        "type": f"/problems/{kind}",
        "title": _(title),
        "status": status,
        "description": _(PROBLEM_DESCRIPTIONS[kind]),
    }
    headers = [
        ("Content-Language", bcp47(locale_id)),
        ("Vary", "Accept, Accept-Language"),
        ("Cache-Control", f"public, max-age={state.settings.cache_max_age}"),
        *SECURITY_HEADERS,
    ]
    wanted = request.accept_mimetypes.best_match(["text/html", "application/json"], default="text/html")
    if wanted == "application/json":
        return Response(dump_json(about), 200, headers, content_type="application/json")
    page = render_template(
        "problem.html",
        lang=bcp47(locale_id),
        direction=state.service.table.catalogs[locale_id].locale.text_direction,
        **about,
    )
    headers += [("Content-Security-Policy", CSP), ("Referrer-Policy", "no-referrer")]
    return Response(page, 200, headers, content_type="text/html; charset=utf-8")


def render(locale_id: str) -> str:
    state = current_state()
    table = state.service.table
    categories = [
        {"id": cid, "title": table.category_title(cid, locale_id), "errors": listed}
        for cid in table.registry.categories
        # As on the documentation pages, deprecated codes are not listed (the API explains them).
        if (listed := [e for e in table.in_locale(locale_id, cid) if not e.deprecated])
    ]
    tag = bcp47(locale_id)
    return render_template(
        "reference.html",
        lang=tag,
        direction=table.catalogs[locale_id].locale.text_direction,
        locales=state.listing["locales"],
        categories=categories,
        json_url=url_for("api.list_errors", lang=tag),
    )
