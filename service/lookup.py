"""Localized entries, computed once from the registry and the compiled catalogs.

:class:`ErrorTable` renders every (locale, code) pair at start-up with each
placeholder's default, so a request costs a dict lookup. Only a request that
passes its own placeholder values renders text, with the same code.

Python back ends use the same table in-process::

    >>> from service import lookup
    >>> lookup("40112", lang="zh").meaning
    '验证码错误次数过多，已锁定 10 分钟'
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from babel.units import format_unit

from .catalogs import (
    PSEUDO_LOCALES,
    SOURCE_LOCALE,
    Catalog,
    CatalogError,
    bcp47,
    load_catalogs,
    load_launched,
    load_template_keys,
    percent_translated,
    po_path,
)
from .config import Settings
from .negotiation import Negotiator
from .registry import FIELDS, ErrorEntry, Param, Registry, help_link_problem, load_registry

logger = logging.getLogger("errmsg.lookup")


class UnknownCode(LookupError):
    """No entry has this code."""


class InvalidParam(ValueError):
    """A placeholder value is not an integer within its bounds."""

    def __init__(self, name: str, param: Param | None, raw: str) -> None:
        self.name, self.param, self.raw = name, param, raw
        bounds = f" between {param.min} and {param.max}" if param else ""
        super().__init__(f"{name}={raw!r} must be an integer{bounds}")


@dataclass(frozen=True)
class LocalizedError:
    """One entry in one language, as the API serves it."""

    code: str
    category_id: str
    category_title: str
    meaning: str
    resolution: str
    help_url: str | None
    http_status: int
    retryable: bool
    lang: str
    params: dict[str, int] = field(default_factory=dict)
    #: field name → BCP 47 tag of the locale the text came from, when not ``lang``.
    fallback: dict[str, str] = field(default_factory=dict)
    #: The text direction of ``lang``: ``ltr`` or ``rtl`` (for ``dir=`` in HTML).
    dir: str = "ltr"
    #: The vendor's table no longer lists the code; deployed APIs may still send it.
    deprecated: bool = False

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``GET /errors/<code>`` (README, "Response format")."""
        return {
            "code": int(self.code),
            "lang": self.lang,
            "dir": self.dir,
            "category": {"id": self.category_id, "title": self.category_title},
            "meaning": self.meaning,
            "resolution": self.resolution,
            "help_url": self.help_url,
            "http_status": self.http_status,
            "retryable": self.retryable,
            "deprecated": self.deprecated,
            "params": self.params,
            "fallback": self.fallback,
        }


def format_param(param: Param, value: int, locale: Locale) -> str:
    """A placeholder value in the locale's digits, separators and unit style (CLDR).

    A size takes the locale's CLDR short unit with its own spacing (fr "100 Mo" with a
    narrow no-break space, es "100 MB"); the source language keeps the original table's
    exact text ("100MB", CLDR's narrow form).
    """
    if param.kind == "size" and param.unit:
        length = "narrow" if str(locale) == SOURCE_LOCALE else "short"
        return format_unit(value, param.unit, length=length, locale=locale)
    return format_decimal(value, locale=locale)


#: Up to this many (locale, code) pairs are rendered (and their placeholders checked)
#: at start-up; a larger table renders each pair on first use and keeps it.
EAGER_LIMIT = 50_000


class ErrorTable:
    """Every entry in every shipped locale, rendered once."""

    def __init__(
        self,
        registry: Registry,
        catalogs: Mapping[str, Catalog],
        fallback_chains: Mapping[str, tuple[str, ...]] | None = None,
        help_base_url: str = "",
        *,
        eager: bool | None = None,
    ) -> None:
        self.registry = registry
        self.catalogs = dict(catalogs)
        self.help_base_url = help_base_url
        chains = fallback_chains or {}
        self.chains = {
            locale_id: [
                c for c in (locale_id, *chains.get(locale_id, ()), SOURCE_LOCALE) if c in self.catalogs
            ]
            for locale_id in self.catalogs
        }
        self.eager = len(registry.entries) * len(self.catalogs) <= EAGER_LIMIT if eager is None else eager
        self._entries: dict[tuple[str, str], LocalizedError] = {}
        if self.eager:
            for locale_id in self.catalogs:
                for entry in registry.entries.values():
                    self._entries[(locale_id, entry.code)] = self._render(entry, locale_id, {}, strict=True)

    @property
    def locale_ids(self) -> list[str]:
        return list(self.catalogs)

    @property
    def tags(self) -> list[str]:
        """The same locales as BCP 47 tags (``pt-BR``), as every answer names them."""
        return [bcp47(locale_id) for locale_id in self.catalogs]

    def get(self, code: str, locale_id: str) -> LocalizedError | None:
        """The entry with placeholder defaults; None for an unknown code or locale."""
        found = self._entries.get((locale_id, code))
        if found is None:
            entry = self.registry.entries.get(code)
            if entry is None or locale_id not in self.catalogs:
                return None
            found = self._entries[(locale_id, code)] = self._render(entry, locale_id, {}, strict=False)
        return found

    def in_locale(self, locale_id: str, category: str | None = None) -> list[LocalizedError]:
        return [
            self.get(code, locale_id)  # type: ignore[misc]
            for code, entry in self.registry.entries.items()
            if category is None or entry.category == category
        ]

    def category_title(self, category_id: str, locale_id: str) -> str:
        category = self.registry.categories[category_id]
        return self.translate(locale_id, category.context, category.title)[0]

    def render(
        self, code: str, locale_id: str, values: Mapping[str, str | int] | None = None
    ) -> LocalizedError:
        """Render one entry, with placeholder values given as strings (from a query).

        Raises :class:`UnknownCode` or :class:`InvalidParam`.
        """
        entry = self.registry.entries.get(code)
        if entry is None:
            raise UnknownCode(code)
        if not values:
            return self.get(code, locale_id)  # type: ignore[return-value]
        return self._render(entry, locale_id, self._parse_values(entry, values), strict=False)

    def _parse_values(self, entry: ErrorEntry, raw: Mapping[str, str | int]) -> dict[str, int]:
        by_name = {p.name: p for p in entry.params}
        parsed = {}
        for name, given in raw.items():
            param = by_name.get(name)
            text = str(given)
            if param is None:
                raise InvalidParam(name, None, text)
            if not (text.isascii() and text.isdigit() and len(text) <= 9):
                raise InvalidParam(name, param, text)
            value = int(text)
            if not param.min <= value <= param.max:
                raise InvalidParam(name, param, text)
            parsed[name] = value
        return parsed

    def translate(
        self, locale_id: str, context: str, msgid: str, count: int | None = None
    ) -> tuple[str, str]:
        """(text, locale it came from), walking the locale's fallback chain.

        ``count`` selects a plural form; the registry's English has one text for both.
        """
        for candidate in self.chains[locale_id]:
            catalog = self.catalogs[candidate]
            if count is None:
                found = catalog.lookup(context, msgid)
            else:
                found = catalog.lookup_plural(context, msgid, msgid, count)
            if found:
                return found, candidate
        return msgid, SOURCE_LOCALE

    def help_link(self, entry: ErrorEntry, locale_id: str, *, strict: bool = False) -> str | None:
        """The entry's help link in this locale, before ``help_base_url`` is prefixed.

        Translators may point it at their language's documentation (msgctxt
        ``<code>.help_url``); a link that is neither a same-site path nor under
        ``ERRMSG_HELP_BASE_URL`` is refused (strict) or replaced by the English one.
        """
        if not entry.help_url:
            return None
        link, source = self.translate(locale_id, entry.context("help_url"), entry.help_url)
        if link == entry.help_url:
            return link  # the registry's own link, validated with the registry
        problem = help_link_problem(link, self.help_base_url)
        if problem is None:
            return link
        where = f"{self.catalogs[source].path}: msgctxt {entry.context('help_url')}"
        if strict:
            raise CatalogError(f"{where}: {problem}")
        logger.error("%s: %s; serving the English link", where, problem)
        return entry.help_url

    def _render(
        self, entry: ErrorEntry, locale_id: str, values: Mapping[str, int], *, strict: bool
    ) -> LocalizedError:
        params = {p.name: values.get(p.name, p.default) for p in entry.params}
        formatted = {
            p.name: format_param(p, params[p.name], self.catalogs[locale_id].locale) for p in entry.params
        }
        count = entry.count_param
        texts, fallback = {}, {}
        for field_name in FIELDS:
            uses_count = count is not None and count in entry.params_in(field_name)
            template, source = self.translate(
                locale_id,
                entry.context(field_name),
                entry.text(field_name),
                params[count.name] if uses_count and count else None,
            )
            try:
                texts[field_name] = template.format(**formatted) if entry.params else template
            except (KeyError, IndexError, ValueError) as exc:
                where = f"{self.catalogs[source].path}: msgctxt {entry.context(field_name)}"
                problem = f"{where} has a placeholder the registry does not define ({exc})"
                if strict:
                    raise CatalogError(problem) from None
                logger.error("%s; serving the English text", problem)
                texts[field_name], source = entry.text(field_name).format(**formatted), SOURCE_LOCALE
            if source != locale_id:
                fallback[field_name] = bcp47(source)
        category = self.registry.categories[entry.category]
        title, source = self.translate(locale_id, category.context, category.title)
        if source != locale_id:
            fallback["category"] = bcp47(source)
        help_url = self.help_link(entry, locale_id, strict=strict)
        if help_url and help_url.startswith("/"):
            help_url = self.help_base_url + help_url
        return LocalizedError(
            code=entry.code,
            category_id=entry.category,
            category_title=title,
            meaning=texts["meaning"],
            resolution=texts["resolution"],
            help_url=help_url,
            http_status=entry.http_status,
            retryable=entry.retryable,
            lang=bcp47(locale_id),
            params=params,
            fallback=fallback,
            dir=self.catalogs[locale_id].locale.text_direction,
            deprecated=entry.deprecated,
        )


@dataclass(frozen=True)
class ErrorService:
    """The in-process API: a table plus the negotiation that picks its locale."""

    table: ErrorTable
    negotiator: Negotiator
    #: Locale → percent of the template translated (the figure ``catalog check`` reports).
    completion: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, *, from_sources: bool = False) -> ErrorService:
        """Load registry and catalogs; ``from_sources`` compiles edited ``.po`` in memory."""
        registry = load_registry(settings.registry_path)
        catalogs = load_catalogs(settings.locales_dir, from_sources=from_sources or settings.watch_catalogs)
        if settings.default_locale not in catalogs:
            # A catalog fault, so that a reload without the default's catalog is refused too.
            raise CatalogError(
                f"ERRMSG_DEFAULT_LOCALE={settings.default_locale!r} is not shipped: there is no "
                f"{po_path(settings.locales_dir, settings.default_locale)} (shipped: {', '.join(catalogs)})"
            )
        table = ErrorTable(registry, catalogs, settings.fallback_chains, settings.help_base_url)
        keys = load_template_keys(settings.locales_dir)
        completion = {locale_id: percent_translated(catalog, keys) for locale_id, catalog in catalogs.items()}
        launched = load_launched(settings.locales_dir)
        incomplete = [
            locale_id
            for locale_id, percent in completion.items()
            if locale_id not in PSEUDO_LOCALES
            and locale_id != settings.default_locale
            and locale_id not in launched
            and percent < settings.negotiable_percent
        ]
        negotiator = Negotiator(
            table.locale_ids,
            settings.default_locale,
            settings.negotiation_cache_size,
            # Never chosen from Accept-Language: languages still below the completion
            # threshold (mostly English to a reader) are served for ?lang=, matched as a
            # header is; pseudo-locales only when ?lang= names them exactly.
            explicit_only=incomplete,
            related=settings.related_languages,
            named_only=[p for p in PSEUDO_LOCALES if p in catalogs and p not in settings.pseudo_negotiable],
        )
        return cls(table, negotiator, completion)

    def lookup(
        self,
        code: str | int,
        lang: str | None = None,
        *,
        accept_language: str | None = None,
        params: Mapping[str, str | int] | None = None,
    ) -> LocalizedError:
        locale_id = self.negotiator.negotiate(lang, accept_language)
        return self.table.render(str(code), locale_id, params)


@cache
def default_service() -> ErrorService:
    """The service built from environment settings, once per process."""
    return ErrorService.from_settings(Settings.from_env())


def lookup(
    code: str | int,
    lang: str | None = None,
    *,
    accept_language: str | None = None,
    params: Mapping[str, str | int] | None = None,
) -> LocalizedError:
    """Look up one code in the best shipped language; raises :class:`UnknownCode`."""
    return default_service().lookup(code, lang, accept_language=accept_language, params=params)
