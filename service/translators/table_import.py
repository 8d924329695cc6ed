"""``flask --app service catalog table-import LOCALE TABLE.md``: a translated page into its catalog.

A documentation team that translated the code table as a page (the English page's
layout: ``title:`` front matter, header row, bold category rows, code rows, links)
brings it in as translations: meanings, resolutions, category titles, the page title,
the header cells and each code's help link (``<code>.help_url``, localized where the
row links elsewhere than the English).

Rows are matched by code against the registry; a page that does not match it (an
unknown code, another set of codes or categories, a lost placeholder, markup) is
refused with ``file:line`` before anything is written. The import confirms only what it
changes: a row that reads as the current fuzzy translation leaves it fuzzy, since a
translated page may lag the English, and a cell that reads as the English of an entry
not translated yet (what the docs pages show meanwhile) leaves it untranslated. The
catalog is written as ``pybabel update`` writes it (:mod:`.po_write`), so the diff is
only the changed entries.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel import Locale

from ..lookup import format_param
from ..publish.page import MarkdownTable, TableError, with_placeholders
from ..registry import FIELDS, LINK_FIELD, Param, Registry, help_link_problem
from .placeholders import placeholders
from .po_write import Translation, write_translations


@dataclass(frozen=True)
class Wanted:
    """One catalog entry's text as the page gives it."""

    lineno: int
    msgctxt: str | None
    msgid: str
    text: str
    params: tuple[Param, ...] = ()

    @property
    def label(self) -> str:
        return self.msgctxt or f"header {self.msgid!r}"


@dataclass
class PageImport:
    """What the import changed, per entry label."""

    changed: list[str] = field(default_factory=list)
    #: Entries the catalog lacked: their English is newer than the catalog's.
    added: list[str] = field(default_factory=list)
    kept_fuzzy: list[str] = field(default_factory=list)
    #: Entries not translated yet whose cell is the English the pages show meanwhile.
    still_english: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unchanged: int = 0


def wanted_texts(table: MarkdownTable, registry: Registry, help_base_url: str = "") -> Iterator[Wanted]:
    """Every text of the page, matched to its registry entry; refuse a page that does not
    match the registry, naming ``file:line``."""
    name = table.name
    page = registry.page
    if table.title is not None:
        yield Wanted(table.title_lineno, page.title_context, page.title, table.title)
    assert table.header is not None  # parse_table refuses a page without one
    for english, cell in zip(page.header, table.header, strict=True):
        yield Wanted(table.header_lineno, None, english, cell)

    # The page has what the English page has: its codes (no deprecated one), its categories.
    problems = _code_problems(table, registry)
    if len(problems) > 1:
        problems.append(
            f"{len(problems)} rows do not match the English page: is this page of another version "
            "of the table? (TRANSLATING.md, 'A page that lags the English table')"
        )
    if problems:
        raise TableError("\n".join(problems))
    category_ids = _documented_categories(registry)
    if len(table.categories) != len(category_ids):
        titles = ", ".join(registry.categories[c].title for c in category_ids)
        raise TableError(
            f"{name}:{_first_misplaced(table, registry)}: the page has {len(table.categories)} categories, "
            f"the registry {len(category_ids)} ({titles})"
        )
    for title, lineno, cid in zip(table.categories, table.category_linenos, category_ids, strict=True):
        category = registry.categories[cid]
        yield Wanted(lineno, category.context, category.title, title)

    for row in table.rows:
        where = f"{name}:{row.lineno}"
        entry = registry.entries[row.code]
        expected = category_ids[table.categories.index(row.category)]
        if entry.category != expected:
            raise TableError(
                f"{where}: code {row.code} is under {row.category!r}; the registry files it under "
                f"{registry.categories[entry.category].title!r}"
            )
        for field_name in FIELDS:
            text = row.meaning if field_name == "meaning" else row.resolution
            yield Wanted(row.lineno, entry.context(field_name), entry.text(field_name), text, entry.params)
        if bool(entry.help_url) != bool(row.help_url):
            has = "is a link" if entry.help_url else "is no link"
            raise TableError(f"{where}: code {row.code}: the English resolution {has}; the page's must match")
        if entry.help_url and row.help_url:
            problem = help_link_problem(row.help_url, help_base_url)
            if problem:
                raise TableError(f"{where}: code {row.code}: {problem}")
            yield Wanted(row.lineno, entry.context(LINK_FIELD), entry.help_url, row.help_url)


def _code_problems(table: MarkdownTable, registry: Registry) -> list[str]:
    """Every row whose code the English page lacks and every code it has that the page
    lacks, with ``file:line``: a page of another version of the table shows them all at once."""
    problems = []
    for row in table.rows:
        entry = registry.entries.get(row.code)
        if entry is None or entry.deprecated:
            why = "is deprecated: the English page no longer lists it" if entry else "is not in the registry"
            problems.append(f"{table.name}:{row.lineno}: code {row.code} {why}")
    on_page = {row.code for row in table.rows}
    category_ids = _documented_categories(registry)
    for entry in registry.documented():
        if entry.code not in on_page:
            index = category_ids.index(entry.category)
            lines = table.category_linenos
            at = lines[index] if index < len(lines) else table.header_lineno
            missing = f"code {entry.code} ({entry.meaning!r}) is missing from the page"
            problems.append(f"{table.name}:{at}: {missing}")
    return problems


def _first_misplaced(table: MarkdownTable, registry: Registry) -> int:
    """The line of the first category row whose codes the registry files under another
    category at that position: where an added or a missing category row shows."""
    category_ids = _documented_categories(registry)
    for index, (title, lineno) in enumerate(zip(table.categories, table.category_linenos, strict=True)):
        expected = category_ids[index] if index < len(category_ids) else None
        codes = [row.code for row in table.rows if row.category == title and row.code in registry.entries]
        if any(registry.entries[code].category != expected for code in codes):
            return lineno
    return table.category_linenos[-1] if table.category_linenos else table.header_lineno


def _documented_categories(registry: Registry) -> list[str]:
    """The categories the documentation page shows: those with a code that is not deprecated."""
    return [cid for cid in registry.categories if any(e.category == cid for e in registry.documented())]


class _Forms:
    """A catalog's plural rule and the placeholder values its pages show (the defaults)."""

    def __init__(self, catalog: polib.POFile, locale_id: str) -> None:
        self.locale = Locale.parse(locale_id)
        found = re.search(r"nplurals=(\d+);\s*plural=(.+?);?\s*$", catalog.metadata.get("Plural-Forms", ""))
        self.nplurals = int(found.group(1)) if found else 1
        self.choose = gettext.c2py(found.group(2)) if found else (lambda n: 0)

    def index(self, entry: polib.POEntry, params: tuple[Param, ...]) -> int | None:
        """Which ``msgstr[N]`` the page shows for a plural entry: the default count's."""
        count = next((p for p in params if p.kind == "count"), None)
        return self.choose(count.default) if entry.msgid_plural and count else None

    def new_entry(self, wanted: Wanted) -> polib.POEntry:
        """An entry the catalog lacks yet, plural where the registry's text is counted."""
        names = placeholders(wanted.msgid)
        if not any(p.kind == "count" and p.name in names for p in wanted.params):
            return polib.POEntry(msgctxt=wanted.msgctxt, msgid=wanted.msgid)
        plural = {i: "" for i in range(self.nplurals)}
        return polib.POEntry(
            msgctxt=wanted.msgctxt, msgid=wanted.msgid, msgid_plural=wanted.msgid, msgstr_plural=plural
        )

    def values(self, params: tuple[Param, ...]) -> dict[str, str]:
        return {p.name: format_param(p, p.default, self.locale) for p in params}


def _shown(entry: polib.POEntry, index: int | None, values: dict[str, str]) -> str:
    """The entry's translation as the page shows it ('' when untranslated)."""
    form = entry.msgstr_plural.get(index, "") if index is not None else entry.msgstr
    if not form:
        return ""
    try:
        return form.format(**values) if values else form
    except (KeyError, IndexError, ValueError):
        return form  # a broken translation reads as itself: any page text differs from it


def _english_shown(wanted: Wanted, values: dict[str, str]) -> str:
    """The English as a page shows it where the catalog has no translation."""
    try:
        return wanted.msgid.format(**values) if values else wanted.msgid
    except (KeyError, IndexError, ValueError):
        return wanted.msgid


def _with_placeholders(wanted: Wanted, values: dict[str, str], where: str) -> str:
    """The page's text with each placeholder's shown value (``10``) back as ``{minutes}``."""
    names = placeholders(wanted.msgid)
    shown = {p.name: values[p.name] for p in wanted.params if p.name in names}
    text, missing = with_placeholders(wanted.text, shown)
    if missing:
        raise TableError(
            f"{where}: {wanted.label} lacks the placeholder {{{missing[0]}}} "
            f"(shown as {values[missing[0]]!r} on the page)"
        )
    unknown = placeholders(text) - names
    if unknown:
        raise TableError(f"{where}: {wanted.label} has placeholders the English lacks: {sorted(unknown)}")
    return text


def import_page(
    po_file: Path, table: MarkdownTable, registry: Registry, *, help_base_url: str = "", dry_run: bool = False
) -> PageImport:
    """Bring the page's texts into the catalog; nothing is written when any row is refused."""
    locale_id = po_file.parent.parent.name
    catalog = polib.pofile(str(po_file))
    by_key = {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    forms = _Forms(catalog, locale_id)
    report, changes = PageImport(), []
    for wanted in wanted_texts(table, registry, help_base_url):
        where = f"{table.name}:{wanted.lineno}"
        entry = by_key.get((wanted.msgctxt, wanted.msgid))
        if entry is None:  # English newer than the catalog: `make catalogs` puts it in place
            entry = forms.new_entry(wanted)
            report.added.append(wanted.label)
        index, values = forms.index(entry, wanted.params), forms.values(wanted.params)
        fuzzy = "fuzzy" in entry.flags
        shown = _shown(entry, index, values)
        if wanted.text == shown:
            if fuzzy:  # the page may lag the English: only a translator confirms it
                report.kept_fuzzy.append(wanted.label)
            else:
                report.unchanged += 1
            continue
        if (fuzzy or not shown) and wanted.text == _english_shown(wanted, values):
            report.still_english.append(wanted.label)  # the page's fallback, not a translation
            continue
        text = _with_placeholders(wanted, values, where) if values else wanted.text
        if index is None:
            changes.append(Translation(entry.msgctxt, entry.msgid, text, fuzzy=False))
        else:
            strings = [entry.msgstr_plural.get(i, "") for i in range(len(entry.msgstr_plural))]
            strings[index] = text
            # Only the form the page shows is confirmed; the others keep their state.
            others = strings[:index] + strings[index + 1 :]
            still_fuzzy = bool(others) and (fuzzy or not all(others))
            changes.append(
                Translation(entry.msgctxt, entry.msgid, tuple(strings), still_fuzzy, entry.msgid_plural)
            )
            if others:
                report.notes.append(f"{wanted.label}: msgstr[{index}] only; review the other plural forms")
        report.changed.append(wanted.label)
    if changes and not dry_run:
        write_translations(po_file, changes)
    return report
