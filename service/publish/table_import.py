"""``flask --app service registry import TABLE.md``: a Markdown error table into ``errors.toml``.

A team that has only a documentation page (category rows in bold, then
``| code | meaning | resolution |`` rows, links inside cells) starts from it:

    | **Parameter Errors** | | |
    | 40000 | Required parameters missing or format invalid | Check parameter names and types |
    | 40300 | … | <a href="/memos_cloud/limit#_4-obtaining-more-quota" target="_blank">Get more quota</a> |

Existing codes keep their hand-added fields (``http_status``, ``retryable``,
``params``); a text that reads the same once its placeholders take their defaults is
not a change. Comments and layout of the file stay (tomlkit). Ambiguous input is
refused with ``file:line`` before anything is written. Like the other catalog tools,
it is a Flask CLI plugin that never builds the app, so it also fills an empty registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import click
import tomlkit
from babel import Locale
from tomlkit.items import AoT, Table

from ..files import write_atomically
from ..lookup import format_param
from ..registry import (
    FIELDS,
    LINK_FIELD,
    ErrorEntry,
    Page,
    Registry,
    RegistryError,
    parse_registry,
    placeholders,
)
from .page import MarkdownTable, Row, TableError, parse_table, with_placeholders

NEW_FILE_HEADER = """\
# The error-code registry (see the comments of the shipped service/errors.toml):
# imported from a Markdown table by `flask --app service registry import`.
# http_status and retryable of imported codes are guesses from the code: review them.
"""


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    #: ``(id, old title, new title)`` of categories the table renamed: the id stays.
    renamed_categories: list[tuple[str, str, str]] = field(default_factory=list)
    #: What changed of the page's title, header and delimiter row (``[page]``).
    page: list[str] = field(default_factory=list)
    #: Codes this import marked ``deprecated``, and every code deprecated after it.
    newly_deprecated: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        changes = (
            self.added, self.changed, self.removed, self.new_categories, self.renamed_categories,
            self.newly_deprecated,
        )  # fmt: skip
        return not (any(changes) or self.page)


def _renamed_category(
    title: str, table: MarkdownTable, existing: dict[str, ErrorEntry], by_title: dict[str, str]
) -> str | None:
    """The category ``title`` renames: the one all its known codes were filed under, when
    the table no longer has that category's title. Its id stays, so clients filtering by
    ``category`` keep their filter and translators get its title as fuzzy, not as new."""
    known = [row.code for row in table.rows if row.category == title and row.code in existing]
    before = {existing[code].category for code in known}
    if len(before) != 1:
        return None  # only new codes, or codes gathered from several categories: a new one
    (cid,) = before
    old_title = next((t for t, c in by_title.items() if c == cid), None)
    return cid if old_title is not None and old_title not in table.categories else None


def english_with_defaults(entry: ErrorEntry, field_name: str) -> str:
    """An entry's English as the documentation shows it: placeholders at their defaults."""
    text = entry.text(field_name)
    if not entry.params:
        return text
    en = Locale("en")
    return text.format(**{p.name: format_param(p, p.default, en) for p in entry.params})


def category_id(title: str, taken: set[str]) -> str:
    """``Knowledge Base & File Errors`` → ``knowledge_base_file``."""
    words = [w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in {"error", "errors"}]
    base = "_".join(words) or "category"
    base = base if base[0].isalpha() else f"c_{base}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


#: Statuses an API error commonly travels with; a code starting with one gets it.
COMMON_STATUSES = {400, 401, 403, 404, 409, 413, 429, 500, 502, 503, 504}


def guessed_status(code: str) -> int:
    """The HTTP status a new code most likely travels with: its first three digits when
    they are a common API status (40100 → 401), else 400 or 500."""
    prefix = int(code[:3])
    return prefix if prefix in COMMON_STATUSES else 400 if code.startswith("4") else 500


def apply_table(
    table: MarkdownTable, registry_path: Path, *, prune: bool = False
) -> tuple[str, ImportReport]:
    """The registry text after the import, and what changed; the text is validated.

    A code the table no longer lists is kept and marked ``deprecated = true``: APIs
    deployed earlier still send it, so the service keeps explaining it. ``prune`` removes
    such codes instead (and those deprecated before)."""
    source = registry_path.read_text(encoding="utf-8") if registry_path.is_file() else ""
    document = tomlkit.parse(source) if source.strip() else tomlkit.parse(NEW_FILE_HEADER)
    current = _existing_registry(source, registry_path)
    existing = current.entries if current else {}
    report = ImportReport()
    _update_page(document, table, current.page if current else Page(), report)

    categories = document.get("categories")
    if categories is None:
        categories = document["categories"] = tomlkit.table()
    by_title = {str(title): cid for cid, title in categories.items()}
    for title in table.categories:
        if title in by_title:
            continue
        renamed = _renamed_category(title, table, existing, by_title)
        if renamed is not None:
            report.renamed_categories.append((renamed, str(categories[renamed]), title))
            del by_title[str(categories[renamed])]
        else:
            renamed = category_id(title, set(categories.keys()))
            report.new_categories.append(title)
        by_title[title] = renamed
        categories[renamed] = title

    errors = document.get("errors")
    if errors is None:
        errors = document["errors"] = tomlkit.aot()
    assert isinstance(errors, AoT)
    in_table = {row.code for row in table.rows}
    for index in reversed(range(len(errors))):
        item = errors[index]
        code = str(item.get("code"))
        if code in in_table:
            continue
        if prune:
            del errors[index]
            report.removed.append(code)
        elif not item.get("deprecated", False):
            item["deprecated"] = True
            report.newly_deprecated.append(code)
    report.removed.reverse()
    report.newly_deprecated.reverse()

    position = {str(item["code"]): i for i, item in enumerate(errors)}
    previous: str | None = None
    for row in table.rows:
        wanted = {"category": by_title[row.category], "meaning": row.meaning, "resolution": row.resolution}
        if row.code in position:
            item = errors[position[row.code]]
            _update(item, existing[row.code], wanted, row, report, f"{table.name}:{row.lineno}")
        else:
            item = _new_item(row, wanted)
            at = position[previous] + 1 if previous in position else len(errors)
            errors.insert(at, item)
            position = {str(entry["code"]): i for i, entry in enumerate(errors)}
            report.added.append(row.code)
        previous = row.code

    report.deprecated = [str(item["code"]) for item in errors if item.get("deprecated", False)]
    used = {str(item["category"]) for item in errors}
    for cid in [c for c in categories if c not in used and str(categories[c]) not in table.categories]:
        del categories[cid]
    # Pages list categories in the registry's order: the table's, then those that only
    # deprecated codes still use.
    order = [by_title[title] for title in table.categories]
    order += [cid for cid in categories if cid not in order]
    if list(categories) != order:
        ordered = tomlkit.table()
        for cid in order:
            ordered[cid] = categories[cid]
        document["categories"] = ordered
    text = re.sub(r"(?<=[^\n])\n(\[\[errors\]\])", r"\n\n\1", tomlkit.dumps(document))
    try:
        parse_registry(text, registry_path)
    except RegistryError as exc:
        raise TableError(f"the imported registry would be invalid: {exc}") from None
    return text, report


def _existing_registry(source: str, path: Path) -> Registry | None:
    if "[[errors]]" not in source:
        return None
    try:
        return parse_registry(source, path)
    except RegistryError as exc:
        raise TableError(f"fix the registry before importing into it: {exc}") from None


def _update_page(
    document: tomlkit.TOMLDocument, table: MarkdownTable, page: Page, report: ImportReport
) -> None:
    """Record the page's title, header and delimiter row, so ``make docs`` writes it back
    as it came in; what the page does not have (no front matter) stays as it was."""
    wanted = {
        "title": table.title or page.title,
        "header": list(table.header or page.header),
        "delimiter": table.delimiter or page.delimiter,
    }
    current = {"title": page.title, "header": list(page.header), "delimiter": page.delimiter}
    report.page = [key for key in wanted if wanted[key] != current[key]]
    if not report.page:
        return
    if "page" not in document:
        document.add(tomlkit.nl())
        document.add(tomlkit.comment("The documentation page's title, header cells and delimiter row."))
        document["page"] = tomlkit.table()
    for key, value in wanted.items():
        document["page"][key] = value  # type: ignore[index]


def _update(
    item: Table, entry: ErrorEntry, wanted: dict[str, str], row: Row, report: ImportReport, where: str
) -> None:
    changed, en = [], Locale("en")
    if str(item["category"]) != wanted["category"]:
        item["category"] = wanted["category"]
        changed.append("category")
    for field_name in FIELDS:
        # "locked for {minutes} min" with minutes = 10 reads "locked for 10 min": no change.
        if english_with_defaults(entry, field_name) != wanted[field_name]:
            # A reworded text that still shows a default ("Locked for 10 min …") keeps `{minutes}`.
            shown = {p.name: format_param(p, p.default, en) for p in entry.params_in(field_name)}
            item[field_name] = with_placeholders(wanted[field_name], shown)[0]
            changed.append(field_name)
    texts = [str(item[field_name]) for field_name in FIELDS]
    for param in entry.params:
        if not any(param.name in placeholders(text) for text in texts):
            raise TableError(
                f"{where}: code {row.code} no longer shows {{{param.name}}} (its default "
                f"{format_param(param, param.default, en)} "
                f"appears in neither text). Clients may send ?{param.name}=: if its value changed, set "
                f"the new default in the registry's params for {row.code}; if it is gone, remove it "
                "from those params (client types change); then import again"
            )
    if (entry.help_url or None) != row.help_url:
        if row.help_url:
            item[LINK_FIELD] = row.help_url
        else:
            del item[LINK_FIELD]
        changed.append(LINK_FIELD)
    if entry.deprecated:  # back in the vendor's table
        del item["deprecated"]
        changed.append("no longer deprecated")
    if changed:
        report.changed[row.code] = changed


def _new_item(row: Row, wanted: dict[str, str]) -> Table:
    item = tomlkit.table()
    item["code"] = row.code
    for key, value in wanted.items():
        item[key] = value
    if row.help_url:
        item[LINK_FIELD] = row.help_url
    item["http_status"] = guessed_status(row.code)
    item["retryable"] = False
    return item


@click.group("registry")
def registry_cli() -> None:
    """Work on the error-code registry (errors.toml)."""


@registry_cli.command("import")
@click.argument(
    "table_file", metavar="TABLE.md", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The registry to write (default: ERRMSG_REGISTRY, else the shipped service/errors.toml).",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the codes the table no longer lists (by default they are kept, marked deprecated).",
)
def import_command(table_file: Path, registry: Path | None, dry_run: bool, prune: bool) -> None:
    """Add and change registry entries so they match a Markdown error table; codes the
    table no longer lists are marked deprecated (still served), or removed with --prune."""
    from ..config import Settings

    registry = registry or Settings.from_env().registry_path
    try:
        table = parse_table(table_file.read_text(encoding="utf-8"), str(table_file))
        text, report = apply_table(table, registry, prune=prune)
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    if not (dry_run or report.unchanged):  # before the report, which a closed pipe may cut short
        write_atomically(registry, text.encode("utf-8"))
    for title in report.new_categories:
        click.echo(f"new category: {title}")
    for cid, old_title, title in report.renamed_categories:
        click.echo(f"renamed category {cid}: {old_title!r} is now {title!r} (its id stays)")
    for code in report.added:
        click.echo(
            f"added {code} (http_status {guessed_status(code)}, retryable false: guesses, review them)"
        )
    for code, fields in report.changed.items():
        click.echo(f"changed {code}: {', '.join(fields)}")
    for code in report.removed:
        click.echo(f"removed {code}")
    for key in report.page:
        click.echo(f"changed the page's {key}")
    for code in report.newly_deprecated:
        click.echo(f"deprecated {code} (not in the table)")
    if report.deprecated:
        click.echo(
            f"deprecated codes, still served and translated, left out of the docs pages "
            f"(--prune removes them): {', '.join(report.deprecated)}"
        )
    if report.unchanged:
        click.echo(f"{registry}: already matches {table_file} ({len(table.rows)} codes)")
        return
    if dry_run:
        click.echo("dry run: nothing written")
        return
    click.echo(f"wrote {registry}; run `make catalogs` to bring the change into every catalog")
