"""The error-code registry: load ``errors.toml`` and refuse anything malformed.

The registry is the source of truth for codes, categories and English text. It is
validated once at start-up so that a typo in the file stops the service (and the
extractor) with a message naming the entry, instead of surfacing as a wrong answer
to a user later.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

REGISTRY_PATH = Path(__file__).with_name("errors.toml")

#: An error code is five ASCII digits with no leading zero.
CODE_RE = re.compile(r"[1-9][0-9]{4}")

#: An HTML tag, comment or entity: text is plain, links live in ``help_url``.
MARKUP_RE = re.compile(r"<[A-Za-z/!?]|&[A-Za-z#][A-Za-z0-9]*;")

#: The two translatable texts of an entry, in the order they are shown.
FIELDS = ("meaning", "resolution")

#: The field whose msgctxt (``40300.help_url``) holds a link target, not text.
LINK_FIELD = "help_url"

#: The documentation page's shape as the original page has it (``[page]`` overrides it).
DEFAULT_TITLE = "Error Codes"
DEFAULT_HEADER = ("Code", "Meaning", "Resolution")
DEFAULT_DELIMITER = "| :--- | :--- | :--- |"
#: A GFM delimiter row of three columns, as written (``| :--- | :--- | :--- |``).
DELIMITER_RE = re.compile(r"\|?(?:\s*:?-{3,}:?\s*\|){2}\s*:?-{3,}:?\s*\|?")

ParamKind = Literal["count", "size"]
PARAM_KINDS: tuple[ParamKind, ...] = ("count", "size")


class RegistryError(ValueError):
    """The registry file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Param:
    """A named placeholder in an entry's text.

    ``count`` selects a plural form (minutes, seconds); ``size`` is a quantity
    formatted with a CLDR unit such as ``digital-megabyte``.
    """

    name: str
    kind: ParamKind
    default: int
    min: int
    max: int
    unit: str | None = None


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    lineno: int = 0

    @property
    def context(self) -> str:
        """The gettext ``msgctxt`` of the title."""
        return f"category.{self.id}"


@dataclass(frozen=True)
class Page:
    """The documentation page the table came from: its title, header cells and delimiter
    row, so ``make docs`` writes it back as it was imported (``registry import``)."""

    title: str = DEFAULT_TITLE
    header: tuple[str, str, str] = DEFAULT_HEADER
    delimiter: str = DEFAULT_DELIMITER
    lineno: int = 0

    #: The gettext ``msgctxt`` of the title; header cells have none (the reference page's words).
    title_context = "docs.title"


@dataclass(frozen=True)
class ErrorEntry:
    code: str
    category: str
    meaning: str
    resolution: str
    http_status: int
    retryable: bool
    help_url: str | None = None
    params: tuple[Param, ...] = ()
    lineno: int = 0
    #: No longer in the vendor's table, but still sent by deployed APIs: served (marked),
    #: kept in the catalogs, left out of the documentation pages (``registry import``).
    deprecated: bool = False

    def context(self, field_name: str) -> str:
        """The gettext ``msgctxt`` of one field, e.g. ``40112.meaning``."""
        return f"{self.code}.{field_name}"

    def text(self, field_name: str) -> str:
        return getattr(self, field_name)

    @property
    def count_param(self) -> Param | None:
        """The placeholder that selects a plural form, if any."""
        return next((p for p in self.params if p.kind == "count"), None)

    def params_in(self, field_name: str) -> tuple[Param, ...]:
        names = placeholders(self.text(field_name))
        return tuple(p for p in self.params if p.name in names)


@dataclass(frozen=True)
class Registry:
    categories: dict[str, Category]
    entries: dict[str, ErrorEntry] = field(repr=False)
    path: Path = REGISTRY_PATH
    page: Page = Page()

    def documented(self) -> list[ErrorEntry]:
        """The entries the documentation pages list: all but the deprecated ones."""
        return [entry for entry in self.entries.values() if not entry.deprecated]


def is_link_context(msgctxt: str | None) -> bool:
    """Whether a catalog entry is a help link rather than text to translate."""
    return bool(msgctxt) and msgctxt.endswith("." + LINK_FIELD)  # type: ignore[union-attr]


def help_link_problem(link: str, help_base_url: str = "") -> str | None:
    """Why a translated help link cannot be served, or None when it can.

    A link stays on the documentation site: a path on the same site (``/…``, not
    ``//host``) or, when ``ERRMSG_HELP_BASE_URL`` is set, a URL under it.
    """
    if not link or any(c.isspace() or ord(c) < 32 or c in '\\"<>' for c in link):
        return f"help link {link!r} is empty or has spaces, quotes or control characters"
    if link.startswith("/") and not link.startswith("//"):
        return None
    if help_base_url and link.startswith(help_base_url + "/"):
        return None
    under = f" or a URL under {help_base_url}/" if help_base_url else ""
    return f"help link {link!r} must be a path on the same site (/…){under}"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a brace-format string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _code_linenos(source: str) -> dict[str, int]:
    """Map each ``code = "…"`` line to its line number, for error messages and
    the ``#:`` locations translators see."""
    linenos: dict[str, int] = {}
    for lineno, line in enumerate(source.splitlines(), start=1):
        m = re.match(r'\s*code\s*=\s*"([^"]*)"', line)
        if m:
            linenos.setdefault(m.group(1), lineno)
    return linenos


def _parse_params(where: str, raw: object) -> tuple[Param, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: params must be a table")
    params = []
    for name, spec in raw.items():
        if not name.isidentifier() or not isinstance(spec, dict):
            raise RegistryError(f"{where}: malformed param {name!r}")
        kind = spec.get("kind")
        if kind not in PARAM_KINDS:
            raise RegistryError(f"{where}: param {name!r} has unknown kind {kind!r}")
        try:
            param = Param(
                name=name,
                kind=kind,
                default=int(spec["default"]),
                min=int(spec["min"]),
                max=int(spec["max"]),
                unit=spec.get("unit"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryError(f"{where}: param {name!r} needs integer default, min and max") from exc
        if not param.min <= param.default <= param.max:
            raise RegistryError(f"{where}: param {name!r} default is outside min..max")
        if kind == "size" and not param.unit:
            raise RegistryError(f"{where}: size param {name!r} needs a CLDR unit")
        params.append(param)
    return tuple(params)


def _parse_page(raw: object, source: str, path: Path) -> Page:
    if raw is None:
        return Page()
    where = f"{path.name}: [page]"
    if not isinstance(raw, dict) or set(raw) - {"title", "header", "delimiter"}:
        raise RegistryError(f"{where} may hold only title, header and delimiter")
    title = raw.get("title", DEFAULT_TITLE)
    header = raw.get("header", list(DEFAULT_HEADER))
    delimiter = raw.get("delimiter", DEFAULT_DELIMITER)
    texts = [title, *header] if isinstance(header, list) else [title, header]
    if len(texts) != 4 or not all(isinstance(t, str) and t.strip() == t != "" for t in texts):
        raise RegistryError(f"{where}: title and three header cells must be non-empty text")
    if any(MARKUP_RE.search(t) or "\n" in t for t in texts):
        raise RegistryError(f"{where}: the title and header are plain text on one line")
    if not isinstance(delimiter, str) or not DELIMITER_RE.fullmatch(delimiter):
        raise RegistryError(f"{where}: delimiter must be a table's delimiter row, like {DEFAULT_DELIMITER!r}")
    lineno = next((n for n, line in enumerate(source.splitlines(), 1) if line.strip() == "[page]"), 0)
    return Page(title, (header[0], header[1], header[2]), delimiter, lineno)


def _parse_entry(raw: dict, categories: dict[str, Category], lineno: int) -> ErrorEntry:
    code = raw.get("code")
    where = f"errors.toml:{lineno}: entry {code!r}"
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise RegistryError(f'{where}: code must be five digits as a string, like "40112"')
    if raw.get("category") not in categories:
        raise RegistryError(f"{where}: unknown category {raw.get('category')!r}")
    for name in FIELDS:
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            raise RegistryError(f"{where}: {name} is empty")
        if value != value.strip() or MARKUP_RE.search(value):
            raise RegistryError(f"{where}: {name} has surrounding spaces or markup")
    status = raw.get("http_status")
    if not isinstance(status, int) or not 400 <= status <= 599:
        raise RegistryError(f"{where}: http_status must be a 4xx or 5xx integer")
    if not isinstance(raw.get("retryable"), bool):
        raise RegistryError(f"{where}: retryable must be true or false")
    help_url = raw.get("help_url")
    if help_url is not None and (not isinstance(help_url, str) or not help_url.startswith(("/", "https://"))):
        raise RegistryError(f"{where}: help_url must be a path or an https URL")
    if not isinstance(raw.get("deprecated", False), bool):
        raise RegistryError(f"{where}: deprecated must be true or false")
    params = _parse_params(where, raw.get("params"))
    used = placeholders(raw["meaning"]) | placeholders(raw["resolution"])
    declared = {p.name for p in params}
    if used != declared:
        raise RegistryError(f"{where}: placeholders {sorted(used)} do not match params {sorted(declared)}")
    if sum(p.kind == "count" for p in params) > 1:
        raise RegistryError(f"{where}: at most one count param selects the plural form")
    known = {"code", "category", *FIELDS, "http_status", "retryable", LINK_FIELD, "params", "deprecated"}
    unknown = set(raw) - known
    if unknown:
        raise RegistryError(f"{where}: unknown keys {sorted(unknown)}")
    return ErrorEntry(
        code=code,
        category=raw["category"],
        meaning=raw["meaning"],
        resolution=raw["resolution"],
        http_status=status,
        retryable=raw["retryable"],
        help_url=help_url,
        params=params,
        lineno=lineno,
        deprecated=raw.get("deprecated", False),
    )


def parse_registry(source: str, path: Path = REGISTRY_PATH) -> Registry:
    """Parse and validate registry text; raise :class:`RegistryError` on any fault."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path.name}: {exc}") from exc
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, dict) or not raw_categories:
        raise RegistryError(f"{path.name}: [categories] is missing or empty")
    categories = {}
    for cid, title in raw_categories.items():
        if not re.fullmatch(r"[a-z][a-z_]*", cid) or not isinstance(title, str) or not title.strip():
            raise RegistryError(f"{path.name}: category {cid!r} needs a lowercase id and a title")
        lineno = next(
            (n for n, line in enumerate(source.splitlines(), 1) if re.match(rf"{cid}\s*=", line)), 0
        )
        categories[cid] = Category(cid, title, lineno)
    linenos = _code_linenos(source)
    entries: dict[str, ErrorEntry] = {}
    for raw in data.get("errors", []):
        entry = _parse_entry(raw, categories, linenos.get(str(raw.get("code")), 0))
        if entry.code in entries:
            raise RegistryError(f"{path.name}: duplicate code {entry.code!r}")
        entries[entry.code] = entry
    if not entries:
        raise RegistryError(f"{path.name}: no [[errors]] entries")
    page = _parse_page(data.get("page"), source, path)
    return Registry(categories=categories, entries=entries, path=path, page=page)


def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    """Read and validate the registry file; a file that cannot be read as UTF-8 text is a
    :class:`RegistryError` naming it too, so start-up stops with one line either way."""
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:  # missing, a directory, not readable
        raise RegistryError(f"{path}: cannot read the registry ({exc.strerror or exc})") from None
    return parse_registry(source, path)
