"""Everything the HTTP layer serves, built once; swapped whole on a catalog reload."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from flask import current_app, request

from ..catalogs import PSEUDO_LOCALES, bcp47
from ..config import Settings
from ..lookup import ErrorService
from .client_files import CLIENT_CONTENT_TYPES, CLIENT_DIR, TARBALL, client_file_names, package_tarball
from .cors import Cors
from .openapi import openapi_document
from .representations import COMPRESSED, Prepared, Representations

EXTENSION_KEY = "errmsg"


def locales_json(service: ErrorService, settings: Settings) -> dict[str, Any]:
    """``GET /locales``: what is shipped, how each is named, and how complete it is."""
    locales = []
    for locale_id, catalog in service.table.catalogs.items():
        locale, pseudo = catalog.locale, locale_id in PSEUDO_LOCALES
        suffix = " (pseudo)" if pseudo else ""
        locales.append(
            {
                "tag": bcp47(locale_id),
                "english_name": locale.get_display_name("en") + suffix,
                "native_name": locale.get_display_name(locale) + suffix,
                "direction": locale.text_direction,
                "percent_translated": service.completion[locale_id],
                "pseudo": pseudo,
                # Chosen by Accept-Language, or only by an explicit ?lang= (pseudo-locales,
                # and languages below ERRMSG_NEGOTIABLE_PERCENT).
                "negotiable": locale_id not in service.negotiator.explicit_only,
            }
        )
    return {"default": bcp47(settings.default_locale), "locales": locales}


@dataclass(frozen=True)
class HttpState:
    settings: Settings
    service: ErrorService
    cors: Cors
    representations: Representations
    #: The reference page per locale, rendered on first request.
    pages: dict[str, Prepared] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings, *, from_sources: bool = False) -> HttpState:
        """Load and render everything; raises on any registry or catalog fault."""
        COMPRESSED.start_build()
        service = ErrorService.from_settings(settings, from_sources=from_sources)
        cors = Cors(settings.cors_origins)
        representations = Representations(
            service.table, settings.cache_max_age, settings.bundle_max_age, cors
        )
        state = cls(settings, service, cors, representations)
        if service.table.eager:
            state.locales, state.openapi, state.client_files  # noqa: B018 - build them now, not on the first request
        return state

    @cached_property
    def listing(self) -> dict[str, Any]:
        return locales_json(self.service, self.settings)

    @cached_property
    def locales(self) -> Prepared:
        """``GET /locales`` (reads the template for completion figures)."""
        return Prepared.build(
            self.listing,
            content_language=None,
            max_age=self.settings.cache_max_age,
            vary="Origin",
            compress=True,
        )

    @cached_property
    def client_files(self) -> dict[str, Prepared]:
        """``/client/<name>``: the client package's files (``package.json`` lists them)."""
        return {
            name: Prepared.build(
                (CLIENT_DIR / name).read_bytes(),
                content_language=None,
                max_age=self.settings.cache_max_age,
                vary="Origin" if self.cors.varies else "",
                compress=True,
                content_type=CLIENT_CONTENT_TYPES[name.partition(".")[2]],
            )
            for name in client_file_names()
        } | {
            TARBALL: Prepared.build(
                package_tarball(),
                content_language=None,
                max_age=self.settings.cache_max_age,
                vary="Origin" if self.cors.varies else "",
                content_type=CLIENT_CONTENT_TYPES["tgz"],
            )
        }

    @cached_property
    def openapi(self) -> Prepared:
        document = openapi_document(self.service.table)
        return Prepared.build(
            document, content_language=None, max_age=self.settings.cache_max_age, vary="Origin", compress=True
        )


class StateHolder:
    """One reference to the current state: readers take it once per request, a reload
    replaces it in a single assignment, so no request sees a half-loaded set."""

    def __init__(self, state: HttpState) -> None:
        self.state = state


def current_state() -> HttpState:
    holder: StateHolder = current_app.extensions[EXTENSION_KEY]
    return holder.state


def request_locale_id() -> str:
    """The negotiated locale of the current request."""
    return current_state().service.negotiator.negotiate(
        request.args.get("lang"), request.headers.get("Accept-Language")
    )


def babel_locale_selector() -> str:
    """flask-babel's selector: the same negotiation, a pseudo-locale mapped to its base
    (the service's own strings are not pseudo-translated)."""
    locale_id = request_locale_id()
    return PSEUDO_LOCALES.get(locale_id, locale_id)
