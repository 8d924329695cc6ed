"""Response bodies, ETags and headers, built once at start-up.

Both the Flask views and the WSGI fast path answer from these objects through
:func:`respond`, so the two paths cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.http import parse_etags

from ..catalogs import bcp47
from ..lookup import ErrorTable, LocalizedError
from .cors import Cors

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"

Headers = list[tuple[str, str]]

#: Sent on every response the service makes.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (("X-Content-Type-Options", "nosniff"),)


def dump_json(obj: Any) -> bytes:
    """Compact UTF-8 JSON: Chinese and Arabic stay readable (no ``\\u`` escapes)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class Prepared:
    """A cacheable representation: body, strong ETag and its fixed headers."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...]
    not_modified_headers: tuple[tuple[str, str], ...]

    @classmethod
    def build(cls, obj: Any, *, content_language: str | None, max_age: int, vary: str) -> Prepared:
        body = dump_json(obj)
        etag = strong_etag(body)
        caching = (("ETag", etag), ("Cache-Control", f"public, max-age={max_age}"), ("Vary", vary))
        entity = [("Content-Type", JSON), ("Content-Length", str(len(body)))]
        if content_language:
            entity.append(("Content-Language", content_language))
        return cls(body, etag, (*entity, *caching, *SECURITY_HEADERS), (*caching, *SECURITY_HEADERS))


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 ``If-None-Match`` (weak comparison); the common exact case is fast."""
    if not if_none_match:
        return False
    if if_none_match == etag:
        return True
    return parse_etags(if_none_match).contains_weak(etag.strip('"'))


def respond(
    prepared: Prepared, if_none_match: str | None, origin: str | None, cors: Cors
) -> tuple[int, Headers, bytes]:
    """Status, headers and body for a GET or HEAD of a prepared representation."""
    if not_modified(if_none_match, prepared.etag):
        return 304, [*prepared.not_modified_headers, *cors.headers(origin)], b""
    return 200, [*prepared.headers, *cors.headers(origin)], prepared.body


class Representations:
    """Every body the service serves from memory, keyed by locale."""

    def __init__(self, table: ErrorTable, max_age: int, cors: Cors, default_locale: str) -> None:
        self.vary = "Accept-Language" + (", Origin" if cors.varies else "")
        self.max_age = max_age
        self.single: dict[tuple[str, str], Prepared] = {}
        self.bundles: dict[tuple[str, str | None], Prepared] = {}
        categories = [None, *table.registry.categories]
        for locale_id in table.locale_ids:
            for code in table.registry.entries:
                self.single[(locale_id, code)] = self.prepare_entry(table.get(code, locale_id))
            for category in categories:
                self.bundles[(locale_id, category)] = self._prepare(
                    bundle_json(table, locale_id, category), bcp47(locale_id)
                )

    def _prepare(self, obj: Any, content_language: str | None) -> Prepared:
        return Prepared.build(obj, content_language=content_language, max_age=self.max_age, vary=self.vary)

    def prepare_entry(self, entry: LocalizedError | None) -> Prepared:
        assert entry is not None
        return self._prepare(entry.to_json(), entry.lang)


def bundle_json(table: ErrorTable, locale_id: str, category: str | None) -> dict[str, Any]:
    """``GET /errors``: every entry of a locale, optionally one category's."""
    category_ids: Iterable[str] = [category] if category else table.registry.categories
    return {
        "lang": bcp47(locale_id),
        "categories": [{"id": c, "title": table.category_title(c, locale_id)} for c in category_ids],
        "errors": [entry.to_json() for entry in table.in_locale(locale_id, category)],
    }
