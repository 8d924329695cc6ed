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

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import click
import tomlkit
from babel import Locale
from tomlkit.items import AoT, Table

from ..files import write_atomically
from ..lookup import format_param
from ..registry import CODE_RE, FIELDS, LINK_FIELD, MARKUP_RE, ErrorEntry, RegistryError, parse_registry

#: The one link shape a cell may hold, as the original page writes it or as Markdown.
HTML_LINK = re.compile(r'<a\s+href="([^"]*)"(?:\s+target="_blank")?\s*>(.*?)</a>', re.DOTALL)
MARKDOWN_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(<?([^)\s>]*)>?\)")
BOLD = re.compile(r"\*\*(.+)\*\*")
DELIMITER_ROW = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
#: A cell boundary: a pipe not escaped by a backslash.
CELL_SPLIT = re.compile(r"(?<!\\)\|")
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

NEW_FILE_HEADER = """\
# The error-code registry (see the comments of the shipped service/errors.toml):
# imported from a Markdown table by `flask --app service registry import`.
# http_status and retryable of imported codes are guesses from the code: review them.
"""


class TableError(ValueError):
    """The table cannot be read without guessing; the message says file:line."""


@dataclass(frozen=True)
class Row:
    code: str
    category: str
    meaning: str
    resolution: str
    help_url: str | None
    lineno: int


@dataclass
class MarkdownTable:
    """What a Markdown table says: categories in order, rows in order."""

    categories: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed or self.new_categories)


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in CELL_SPLIT.split(inner)]


def _plain(text: str, where: str, what: str) -> str:
    """A cell as plain text: Markdown escapes undone, any markup refused."""
    if MARKUP_RE.search(text) or MARKDOWN_LINK.search(text):
        raise TableError(f"{where}: the {what} has markup; only the resolution may be one whole link")
    return MARKDOWN_ESCAPE.sub(r"\1", text)


def _resolution(cell: str, where: str) -> tuple[str, str | None]:
    for pattern, text_group, url_group in ((HTML_LINK, 2, 1), (MARKDOWN_LINK, 1, 2)):
        found = pattern.fullmatch(cell)
        if found:
            url = html.unescape(found.group(url_group)) if pattern is HTML_LINK else found.group(url_group)
            if not url.startswith(("/", "https://")):
                raise TableError(f"{where}: the link {url!r} must be a path or an https URL")
            text = found.group(text_group)
            text = html.unescape(text) if pattern is HTML_LINK else text
            return _plain(text, where, "link text"), url
    return _plain(cell, where, "resolution"), None


def parse_table(text: str, name: str = "TABLE.md") -> MarkdownTable:
    """Read the table; raise :class:`TableError` naming ``file:line`` on anything ambiguous."""
    table, category = MarkdownTable(), None
    seen: dict[str, int] = {}
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":  # front matter (title: …)
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise TableError(f"{name}:1: the front matter has no closing ---")
        start = end + 1
    header_seen = ended = False
    for lineno, line in enumerate(lines[start:], start=start + 1):
        where = f"{name}:{lineno}"
        if not line.lstrip().startswith("|"):
            ended = ended or (header_seen and bool(line.strip()))
            continue
        if ended:
            raise TableError(f"{where}: a second table; import one table at a time")
        if DELIMITER_ROW.fullmatch(line.strip()):
            continue
        cells = _cells(line)
        if not header_seen:
            header_seen = True  # Code | Meaning | Resolution, in any language
            continue
        bold = BOLD.fullmatch(cells[0])
        if bold and not any(cells[1:]):
            category = _plain(bold.group(1), where, "category title")
            if category in table.categories:
                raise TableError(f"{where}: category {category!r} appears twice")
            table.categories.append(category)
            continue
        if len(cells) != 3:
            raise TableError(
                f"{where}: a row needs three cells (code | meaning | resolution), not {len(cells)}"
            )
        code = cells[0]
        if not CODE_RE.fullmatch(code):
            raise TableError(f"{where}: {code!r} is not an error code (five digits, such as 40112)")
        if category is None:
            raise TableError(f"{where}: code {code} comes before any category row (| **Title** | | |)")
        if code in seen:
            raise TableError(f"{where}: code {code} is already on line {seen[code]}")
        seen[code] = lineno
        if not cells[1] or not cells[2]:
            raise TableError(f"{where}: code {code} has an empty meaning or resolution")
        meaning = _plain(cells[1], where, "meaning")
        resolution, help_url = _resolution(cells[2], where)
        table.rows.append(Row(code, category, meaning, resolution, help_url, lineno))
    if not table.rows:
        raise TableError(f"{name}: no error rows found (| **Category** | | | then | 40000 | … | … |)")
    return table


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


def apply_table(table: MarkdownTable, registry_path: Path) -> tuple[str, ImportReport]:
    """The registry text after the import, and what changed; the text is validated."""
    source = registry_path.read_text(encoding="utf-8") if registry_path.is_file() else ""
    document = tomlkit.parse(source) if source.strip() else tomlkit.parse(NEW_FILE_HEADER)
    existing = _existing_entries(source, registry_path)
    report = ImportReport()

    categories = document.get("categories")
    if categories is None:
        categories = document["categories"] = tomlkit.table()
    by_title = {str(title): cid for cid, title in categories.items()}
    for title in table.categories:
        if title not in by_title:
            by_title[title] = category_id(title, set(categories.keys()))
            categories[by_title[title]] = title
            report.new_categories.append(title)

    errors = document.get("errors")
    if errors is None:
        errors = document["errors"] = tomlkit.aot()
    assert isinstance(errors, AoT)
    in_table = {row.code for row in table.rows}
    for index in reversed(range(len(errors))):
        code = str(errors[index].get("code"))
        if code not in in_table:
            del errors[index]
            report.removed.append(code)
    report.removed.reverse()

    position = {str(item["code"]): i for i, item in enumerate(errors)}
    previous: str | None = None
    for row in table.rows:
        wanted = {"category": by_title[row.category], "meaning": row.meaning, "resolution": row.resolution}
        if row.code in position:
            item = errors[position[row.code]]
            _update(item, existing[row.code], wanted, row, report)
        else:
            item = _new_item(row, wanted)
            at = position[previous] + 1 if previous in position else len(errors)
            errors.insert(at, item)
            position = {str(entry["code"]): i for i, entry in enumerate(errors)}
            report.added.append(row.code)
        previous = row.code

    used = {str(item["category"]) for item in errors}
    for cid in [c for c in categories if c not in used and str(categories[c]) not in table.categories]:
        del categories[cid]
    text = re.sub(r"(?<=[^\n])\n(\[\[errors\]\])", r"\n\n\1", tomlkit.dumps(document))
    try:
        parse_registry(text, registry_path)
    except RegistryError as exc:
        raise TableError(f"the imported registry would be invalid: {exc}") from None
    return text, report


def _existing_entries(source: str, path: Path) -> dict[str, ErrorEntry]:
    if "[[errors]]" not in source:
        return {}
    try:
        return parse_registry(source, path).entries
    except RegistryError as exc:
        raise TableError(f"fix the registry before importing into it: {exc}") from None


def _update(item: Table, entry: ErrorEntry, wanted: dict[str, str], row: Row, report: ImportReport) -> None:
    changed = []
    if str(item["category"]) != wanted["category"]:
        item["category"] = wanted["category"]
        changed.append("category")
    for field_name in FIELDS:
        # "locked for {minutes} min" with minutes = 10 reads "locked for 10 min": no change.
        if english_with_defaults(entry, field_name) != wanted[field_name]:
            item[field_name] = wanted[field_name]
            changed.append(field_name)
    if (entry.help_url or None) != row.help_url:
        if row.help_url:
            item[LINK_FIELD] = row.help_url
        else:
            del item[LINK_FIELD]
        changed.append(LINK_FIELD)
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
def import_command(table_file: Path, registry: Path | None, dry_run: bool) -> None:
    """Add, change and remove registry entries so they match a Markdown error table."""
    from ..config import Settings

    registry = registry or Settings.from_env().registry_path
    try:
        table = parse_table(table_file.read_text(encoding="utf-8"), str(table_file))
        text, report = apply_table(table, registry)
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    for title in report.new_categories:
        click.echo(f"new category: {title}")
    for code in report.added:
        click.echo(
            f"added {code} (http_status {guessed_status(code)}, retryable false: guesses, review them)"
        )
    for code, fields in report.changed.items():
        click.echo(f"changed {code}: {', '.join(fields)}")
    for code in report.removed:
        click.echo(f"removed {code}")
    if report.unchanged:
        click.echo(f"{registry}: already matches {table_file} ({len(table.rows)} codes)")
        return
    if dry_run:
        click.echo("dry run: nothing written")
        return
    write_atomically(registry, text.encode("utf-8"))
    click.echo(f"wrote {registry}; run `make catalogs` to bring the change into every catalog")
