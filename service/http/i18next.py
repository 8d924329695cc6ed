"""Resources in i18next's JSON format, so a front end can point
i18next-http-backend's ``loadPath`` at ``/i18n/{{lng}}/{{ns}}.json``.

Keys nest as ``40112.meaning``; placeholders become i18next's ``{{name, number(…)}}``.
A text whose placeholder counts something gets i18next plural keys (``meaning_one``,
``meaning_few``, …) named by the CLDR category of the numbers each gettext form
serves, with the count as ``{{count, …}}``: ``t("40112.meaning", {count: 5})``. The
plain key holds the form for the default count.

Every placeholder carries i18next's built-in ``number`` format with the options that make
``Intl.NumberFormat`` write it as the service does (:func:`service.lookup.format_param`,
Babel): grouping always (Babel ignores CLDR's minimum grouping digits: es "1.440"), Latin
digits (Babel's default, also where the browser's tag prefers others: ar-EG), and a
size in its CLDR unit (narrow in the source language, "100MB"; short elsewhere,
"100 МБ"). So i18next shows ru "1 440", and its types require a number for each one.
The errmsg client reads the same options, so it needs no other document to render them.
"""

from __future__ import annotations

import re
from typing import Any

from ..catalogs import SOURCE_LOCALE
from ..lookup import ErrorTable
from ..registry import FIELDS, Param

NAMESPACE = "errors"


def number_format(param: Param | None, locale: str) -> str:
    """i18next's format for a placeholder: ``number(…)`` with ``Intl.NumberFormat`` options
    (``locale``: the catalog's Babel locale, which a pseudo-locale shares with its base)."""
    options = ["useGrouping: always", "numberingSystem: latn"]  # Babel's defaults
    if param is not None and param.kind == "size" and param.unit:
        display = "narrow" if locale == SOURCE_LOCALE else "short"
        unit = param.unit.removeprefix("digital-")  # CLDR "digital-megabyte" is Intl's "megabyte"
        options = ["style: unit", f"unit: {unit}", f"unitDisplay: {display}", *options]
    return f"number({'; '.join(options)})"


def to_i18next(
    template: str, count_name: str | None = None, params: dict[str, Param] | None = None, locale: str = ""
) -> str:
    """``{minutes}`` → ``{{count, number(…)}}`` (the counted value) or ``{{name, number(…)}}``."""

    def replace(match: re.Match[str]) -> str:
        name = "count" if match.group(1) == count_name else match.group(1)
        return "{{" + name + ", " + number_format((params or {}).get(match.group(1)), locale) + "}}"

    return re.sub(r"\{(\w+)\}", replace, template)


#: Numbers that reach every plural form of every CLDR rule (1,000,000 for "many" in fr, es, pt).
SAMPLE_NUMBERS = (*range(1, 201), 0, 1_000_000)


def plural_samples(table: ErrorTable, locale_id: str) -> dict[str, int]:
    """CLDR plural category → a number that selects it, one per gettext plural form."""
    catalog = table.catalogs[locale_id]
    first: dict[int, int] = {}
    for n in SAMPLE_NUMBERS:
        first.setdefault(catalog.plural(n), n)
    return {catalog.locale.plural_form(n): n for n in first.values()}


def i18next_json(table: ErrorTable, locale_id: str) -> dict[str, Any]:
    registry = table.registry
    samples = plural_samples(table, locale_id)
    locale = str(table.catalogs[locale_id].locale)
    resources: dict[str, Any] = {
        "categories": {cid: table.category_title(cid, locale_id) for cid in registry.categories},
    }
    for code, entry in registry.entries.items():
        item: dict[str, Any] = {"category": entry.category}
        count = entry.count_param
        params = {p.name: p for p in entry.params}
        for field in FIELDS:
            context, msgid = entry.context(field), entry.text(field)
            counted = count.name if count is not None and count in entry.params_in(field) else None
            default = count.default if counted and count else None
            text = table.translate(locale_id, context, msgid, default)[0]
            item[field] = to_i18next(text, counted, params, locale)
            if counted:
                for category, n in samples.items():
                    text = table.translate(locale_id, context, msgid, n)[0]
                    item[f"{field}_{category}"] = to_i18next(text, counted, params, locale)
        help_url = table.get(code, locale_id).help_url  # type: ignore[union-attr]
        if help_url:
            item["help_url"] = help_url
        resources[code] = item
    return resources
