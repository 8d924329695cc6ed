"""CORS for browsers: any origin by default, or a configured list; never credentials."""

from __future__ import annotations

from collections.abc import Iterable

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept-Language, If-None-Match, X-Request-ID"
EXPOSED_HEADERS = "Content-Language, ETag"
PREFLIGHT_MAX_AGE = "86400"


class Cors:
    def __init__(self, origins: Iterable[str]) -> None:
        origins = tuple(origins)
        self.any_origin = "*" in origins
        self.origins = frozenset(o.rstrip("/") for o in origins if o != "*")

    @property
    def varies(self) -> bool:
        """Responses differ by ``Origin`` only when origins are listed."""
        return not self.any_origin

    def allow_origin(self, origin: str | None) -> str | None:
        if self.any_origin:
            return "*"
        return origin if origin in self.origins else None

    def headers(self, origin: str | None) -> list[tuple[str, str]]:
        allowed = self.allow_origin(origin)
        if allowed is None:
            return []
        return [("Access-Control-Allow-Origin", allowed), ("Access-Control-Expose-Headers", EXPOSED_HEADERS)]

    def preflight_headers(self, origin: str | None) -> list[tuple[str, str]]:
        allowed = self.allow_origin(origin)
        if allowed is None:
            return []
        return [
            ("Access-Control-Allow-Origin", allowed),
            ("Access-Control-Allow-Methods", ALLOWED_METHODS),
            ("Access-Control-Allow-Headers", ALLOWED_HEADERS),
            ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE),
        ]
