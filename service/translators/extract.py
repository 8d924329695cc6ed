"""A Babel extractor for the registry, so the stock ``pybabel extract`` reads it.

Registered as the ``errors`` method in ``pyproject.toml``
(``[project.entry-points."babel.extractors"]``) and named in ``babel.cfg``. Every
text gets its own ``msgctxt`` (``40112.meaning``), so equal English in two places
can be translated differently, and ``#.`` comments that tell the translator what
the text is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from ..registry import FIELDS, ErrorEntry, Page, Param, Registry, parse_registry

#: What a Babel extractor yields: (lineno, funcname, messages, comments).
ExtractionResult = tuple[int, str, tuple[str, ...], list[str]]

FIELD_HINTS = {
    "meaning": "meaning (what went wrong)",
    "resolution": "resolution (what the user can do)",
}


def _param_comment(param: Param) -> str:
    if param.kind == "count":
        return f"{{{param.name}}} is a number that selects the plural form (default {param.default})"
    return (
        f"{{{param.name}}} is a formatted quantity such as “{param.default} MB” in your language's unit style"
    )


def entry_messages(entry: ErrorEntry, registry: Registry) -> Iterator[ExtractionResult]:
    """The gettext calls that one registry entry stands for."""
    title = registry.categories[entry.category].title
    for field_name in FIELDS:
        text = entry.text(field_name)
        comments = [f"Code {entry.code} · {title} · {FIELD_HINTS[field_name]}"]
        if entry.deprecated:
            comments.append("Deprecated: no longer in the vendor's table, but still sent by older APIs")
        if entry.help_url and field_name == "resolution":
            comments.append(f"Shown as a link to {entry.help_url}")
        comments.extend(_param_comment(p) for p in entry.params_in(field_name))
        count = entry.count_param
        if count and count in entry.params_in(field_name):
            # English needs no separate plural here; other languages get their
            # CLDR plural forms from the catalog's Plural-Forms header.
            yield entry.lineno, "npgettext", (entry.context(field_name), text, text), comments
        else:
            yield entry.lineno, "pgettext", (entry.context(field_name), text), comments
    if entry.help_url:
        comments = [
            f"Code {entry.code} · link target of the resolution “{entry.resolution}”",
            "Keep it, or point it at your language's documentation: a path on the same site (/…)",
        ]
        yield entry.lineno, "pgettext", (entry.context("help_url"), entry.help_url), comments


def page_messages(page: Page) -> Iterator[ExtractionResult]:
    """The documentation page's title (``docs.title``) and header cells. Header cells have
    no msgctxt: they are the words of the reference page's table, translated once."""
    yield page.lineno, "pgettext", (page.title_context, page.title), ["Title of the documentation page"]
    for cell in page.header:
        yield page.lineno, "gettext", (cell,), ["Column header of the documentation page's table"]


def registry_messages(registry: Registry) -> Iterator[ExtractionResult]:
    yield from page_messages(registry.page)
    for category in registry.categories.values():
        yield (
            category.lineno,
            "pgettext",
            (category.context, category.title),
            [f"Title of the error category “{category.id}”"],
        )
    for entry in registry.entries.values():
        yield from entry_messages(entry, registry)


def extract_registry(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[ExtractionResult]:
    """Babel extraction method for ``errors.toml`` files."""
    source = fileobj.read().decode("utf-8")
    name = getattr(fileobj, "name", "errors.toml")
    yield from registry_messages(parse_registry(source, Path(name)))
