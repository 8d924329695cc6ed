"""Resources in i18next's JSON format, so a front end can point
i18next-http-backend's ``loadPath`` at ``/i18n/{{lng}}/{{ns}}.json``.

Keys nest as ``40112.meaning``; placeholders become i18next's ``{{name}}``. A text
whose placeholder counts something gets i18next plural keys (``meaning_one``,
``meaning_few``, …) named by the CLDR category of the numbers each gettext form
serves, with the count as ``{{count}}``: ``t("40112.meaning", {count: 5})``. The
plain key holds the form for the default count.
"""

from __future__ import annotations

import re
from typing import Any

from ..lookup import ErrorTable
from ..registry import FIELDS

NAMESPACE = "errors"


def to_i18next(template: str, count_name: str | None = None) -> str:
    """``{minutes}`` → ``{{count}}`` (the counted value) or ``{{name}}``."""

    def replace(match: re.Match[str]) -> str:
        name = "count" if match.group(1) == count_name else match.group(1)
        return "{{" + name + "}}"

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
    resources: dict[str, Any] = {
        "categories": {cid: table.category_title(cid, locale_id) for cid in registry.categories},
    }
    for code, entry in registry.entries.items():
        item: dict[str, Any] = {"category": entry.category}
        count = entry.count_param
        for field in FIELDS:
            context, msgid = entry.context(field), entry.text(field)
            counted = count.name if count is not None and count in entry.params_in(field) else None
            default = count.default if counted and count else None
            item[field] = to_i18next(table.translate(locale_id, context, msgid, default)[0], counted)
            if counted:
                for category, n in samples.items():
                    item[f"{field}_{category}"] = to_i18next(
                        table.translate(locale_id, context, msgid, n)[0], counted
                    )
        help_url = table.get(code, locale_id).help_url  # type: ignore[union-attr]
        if help_url:
            item["help_url"] = help_url
        resources[code] = item
    return resources
