"""Response bodies, ETags and headers, built once at start-up.

Both the Flask views and the WSGI fast path answer from these objects through
:func:`respond`, so the two paths cannot drift apart.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import brotli
from werkzeug.http import parse_accept_header, parse_etags

from ..catalogs import bcp47
from ..files import write_atomically
from ..lookup import ErrorTable, LocalizedError
from ..publish.docs import documented_locales, render_page
from .cors import Cors
from .i18next import i18next_json

JSON = "application/json"
#: The documentation pages: GitHub-flavoured Markdown (RFC 7763's ``variant``).
MARKDOWN = "text/markdown; charset=utf-8; variant=GFM"
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
class Variant:
    """One encoding of a representation: body, strong ETag and its fixed headers."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...]
    not_modified_headers: tuple[tuple[str, str], ...]


#: Bodies at least this long also get gzip and brotli variants, compressed at start-up.
COMPRESS_MIN_BYTES = 1024
#: Brotli's best quality costs ~1 s per MB; larger bodies (a 10,000-code bundle) get 5.
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda body: brotli.compress(body, quality=11 if len(body) < 256 * 1024 else 5),
    "gzip": lambda body: gzip.compress(body, compresslevel=9, mtime=0),
}


QUOTE = '"'


class CompressedBodies:
    """Compressed bodies by encoding and ETag, kept from one build of the catalogs to the
    next, and shared between a server's workers through a folder.

    Brotli at its best quality is most of the cost of building the answers (0.6 s of
    0.7 s for the shipped table), so a reload compresses only the bodies that changed, and
    only once per server: the worker that validates a new set writes what it compressed to
    the reload folder, and the workers that follow read it from there.
    """

    def __init__(self) -> None:
        self.folder: Path | None = None
        self._current: dict[tuple[str, str], bytes] = {}
        self._previous: dict[tuple[str, str], bytes] = {}

    def get(self, encoding: str, body: bytes, etag: str) -> bytes:
        key = (encoding, etag)
        found = self._current.get(key) or self._previous.get(key)
        shared = self.folder / f"{encoding}-{etag.strip(QUOTE)}" if self.folder else None
        if found is None and shared is not None:
            with contextlib.suppress(OSError):
                found = shared.read_bytes()
        if found is None:
            found = ENCODERS[encoding](body)
            if shared is not None:
                with contextlib.suppress(OSError):  # sharing only saves the other workers time
                    write_atomically(shared, found)
        self._current[key] = found
        return found

    def start_build(self) -> None:
        """A new set of answers is about to be built: what the last build used stays at
        hand, anything older is dropped (memory stays at two sets at most)."""
        self._previous, self._current = self._current, {}


#: One per process (workers inherit what the main process compressed at start-up).
COMPRESSED = CompressedBodies()


@dataclass(frozen=True)
class Prepared:
    """A cacheable representation in every encoding it is offered in."""

    identity: Variant
    encoded: dict[str, Variant] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        obj: Any,
        *,
        content_language: str | None,
        max_age: int,
        vary: str,
        compress: bool = False,
        content_type: str = JSON,
    ) -> Prepared:
        body = obj if isinstance(obj, bytes) else dump_json(obj)
        compress = compress and len(body) >= COMPRESS_MIN_BYTES
        if compress:
            vary = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
        etag = strong_etag(body)

        def variant(data: bytes, tag: str, encoding: str | None) -> Variant:
            caching = (
                ("ETag", tag),
                ("Cache-Control", cache_control(max_age)),
                *([("Vary", vary)] if vary else []),
            )
            entity = [("Content-Type", content_type), ("Content-Length", str(len(data)))]
            if encoding:
                entity.append(("Content-Encoding", encoding))
            if content_language:
                entity.append(("Content-Language", content_language))
            return Variant(data, tag, (*entity, *caching, *SECURITY_HEADERS), (*caching, *SECURITY_HEADERS))

        encoded = {}
        if compress:
            for name in ENCODERS:
                encoded[name] = variant(COMPRESSED.get(name, body, etag), f'{etag[:-1]}-{name}"', name)
        return cls(variant(body, etag, None), encoded)

    @property
    def body(self) -> bytes:
        return self.identity.body

    @property
    def etag(self) -> str:
        return self.identity.etag


def cache_control(max_age: int) -> str:
    return f"public, max-age={max_age}"


@lru_cache(maxsize=256)
def preferred_encoding(accept_encoding: str) -> str | None:
    """``br`` over ``gzip`` when the client accepts it (RFC 9110 ``Accept-Encoding``)."""
    accepted = parse_accept_header(accept_encoding[:512])
    for name in ENCODERS:
        if accepted.quality(name) > 0 and (name in accepted or "*" in accepted):
            return name
    return None


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 ``If-None-Match`` (weak comparison); the common exact case is fast."""
    if not if_none_match:
        return False
    if if_none_match == etag:
        return True
    return parse_etags(if_none_match).contains_weak(etag.strip('"'))


def respond(
    prepared: Prepared,
    if_none_match: str | None,
    origin: str | None,
    cors: Cors,
    accept_encoding: str | None = None,
) -> tuple[int, Headers, bytes]:
    """Status, headers and body for a GET or HEAD of a prepared representation."""
    variant = prepared.identity
    if prepared.encoded and accept_encoding:
        encoding = preferred_encoding(accept_encoding)
        if encoding:
            variant = prepared.encoded[encoding]
    if not_modified(if_none_match, variant.etag):
        return 304, [*variant.not_modified_headers, *cors.headers(origin)], b""
    return 200, [*variant.headers, *cors.headers(origin)], variant.body


class Representations:
    """Every body the service serves from memory, keyed by locale.

    Built at start-up when the table is (see :data:`~service.lookup.EAGER_LIMIT`);
    otherwise each on first use, then kept, so a repeat is one dict lookup.
    """

    def __init__(self, table: ErrorTable, max_age: int, bundle_max_age: int, cors: Cors) -> None:
        self.table = table
        self.vary = "Accept-Language" + (", Origin" if cors.varies else "")
        #: For a body chosen by its URL alone (the documentation pages).
        self.url_vary = "Origin" if cors.varies else ""
        self.max_age = max_age
        self.bundle_max_age = bundle_max_age
        self._single: dict[tuple[str, str], Prepared] = {}
        self._bundles: dict[tuple[str, str | None], Prepared] = {}
        self._i18next: dict[str, Prepared] = {}
        self._docs: dict[str, Prepared] = {}
        self.documented = set(documented_locales(table))
        if table.eager:
            for locale_id in table.locale_ids:
                self.i18next(locale_id)
                self.docs(locale_id)
                for category in [None, *table.registry.categories]:
                    self.bundle(locale_id, category)
                for code in table.registry.entries:
                    self.single(locale_id, code)

    def single(self, locale_id: str, code: str) -> Prepared | None:
        """``GET /errors/<code>`` with placeholder defaults; None for an unknown code."""
        found = self._single.get((locale_id, code))
        if found is None:
            entry = self.table.get(code, locale_id)
            if entry is None:
                return None
            found = self._single[(locale_id, code)] = self.prepare_entry(entry)
        return found

    def bundle(self, locale_id: str, category: str | None) -> Prepared:
        found = self._bundles.get((locale_id, category))
        if found is None:
            body = bundle_json(self.table, locale_id, category)
            found = self._bundles[(locale_id, category)] = self.prepare_bundle(body, bcp47(locale_id))
        return found

    def i18next(self, locale_id: str) -> Prepared:
        found = self._i18next.get(locale_id)
        if found is None:
            body = i18next_json(self.table, locale_id)
            found = self._i18next[locale_id] = self.prepare_bundle(body, bcp47(locale_id))
        return found

    def docs(self, locale_id: str) -> Prepared | None:
        """``GET /docs/errors/<tag>.md``: the documentation page; None for a pseudo-locale."""
        if locale_id not in self.documented:
            return None
        found = self._docs.get(locale_id)
        if found is None:
            body = render_page(self.table, locale_id).encode("utf-8")
            found = self._docs[locale_id] = Prepared.build(
                body,
                content_language=bcp47(locale_id),
                max_age=self.bundle_max_age,
                vary=self.url_vary,
                compress=True,
                content_type=MARKDOWN,
            )
        return found

    def prepare_entry(self, entry: LocalizedError) -> Prepared:
        return Prepared.build(
            entry.to_json(), content_language=entry.lang, max_age=self.max_age, vary=self.vary
        )

    def prepare_bundle(self, obj: Any, content_language: str | None) -> Prepared:
        """Large, long-lived and compressed: whole-locale bundles and i18next resources."""
        return Prepared.build(
            obj, content_language=content_language, max_age=self.bundle_max_age, vary=self.vary, compress=True
        )


def bundle_json(table: ErrorTable, locale_id: str, category: str | None) -> dict[str, Any]:
    """``GET /errors``: every entry of a locale, optionally one category's."""
    category_ids: Iterable[str] = [category] if category else table.registry.categories
    return {
        "lang": bcp47(locale_id),
        "categories": [{"id": c, "title": table.category_title(c, locale_id)} for c in category_ids],
        "errors": [entry.to_json() for entry in table.in_locale(locale_id, category)],
    }
