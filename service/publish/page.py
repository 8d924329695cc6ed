"""Reading a documentation page: the Markdown error table both importers take in.

``registry import`` reads the English page into the registry, ``catalog table-import``
a translated one into its catalog; :mod:`.docs` writes pages back in the same shape:

    ---
    title: Error Codes
    ---

    | Code | Meaning | Resolution |
    | :--- | :--- | :--- |
    | **Parameter Errors** | | |
    | 40000 | Required parameters missing or format invalid | Check parameter names and types |
    | 40300 | … | <a href="/memos_cloud/limit#_4-obtaining-more-quota" target="_blank">Get more quota</a> |

Anything ambiguous is a :class:`TableError` naming ``file:line``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..registry import CODE_RE, MARKUP_RE

#: The one link shape a cell may hold, as the original page writes it or as Markdown.
HTML_LINK = re.compile(r'<a\s+href="([^"]*)"(?:\s+target="_blank")?\s*>(.*?)</a>', re.DOTALL)
MARKDOWN_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(<?([^)\s>]*)>?\)")
BOLD = re.compile(r"\*\*(.+)\*\*")
DELIMITER_ROW = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
#: A cell boundary: a pipe not escaped by a backslash.
CELL_SPLIT = re.compile(r"(?<!\\)\|")
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
#: Markdown markup left once escapes are removed: emphasis, code, brackets, strikethrough.
MARKDOWN_MARKUP = re.compile(r"[*`~\[\]]|(?<!\w)_|_(?!\w)")


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
    """What a page says: its title and header, categories and rows in order, each with
    the line it came from (``None`` where the page has none)."""

    name: str = "TABLE.md"
    title: str | None = None
    title_lineno: int = 1
    header: tuple[str, str, str] | None = None
    header_lineno: int = 1
    delimiter: str | None = None
    categories: list[str] = field(default_factory=list)
    category_linenos: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def with_placeholders(text: str, shown: Mapping[str, str]) -> tuple[str, list[str]]:
    """A page's text with the value it shows for each placeholder (``10`` in "locked for
    10 min") back as the placeholder (``{minutes}``), where it first appears; and the names
    whose value the text does not show. Both importers read pages that show defaults."""
    missing = []
    for name, value in shown.items():
        if "{" + name + "}" in text:
            continue
        pattern = re.compile(rf"(?<!\d){re.escape(value)}(?!\d)")
        if pattern.search(text) is None:
            missing.append(name)
        else:
            text = pattern.sub(lambda _, name=name: "{" + name + "}", text, count=1)
    return text, missing


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in CELL_SPLIT.split(inner)]


def _plain(text: str, where: str, what: str) -> str:
    """A cell as plain text: Markdown escapes undone, any markup refused (HTML, and the
    emphasis, code spans, links and strikethrough that :mod:`.docs` escapes when it writes)."""
    unescaped = MARKDOWN_ESCAPE.sub("", text)
    if MARKUP_RE.search(text) or MARKDOWN_LINK.search(text) or MARKDOWN_MARKUP.search(unescaped):
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


def _title(value: str, where: str) -> str:
    """The front matter's ``title:`` as :func:`.docs.yaml_scalar` writes it: plain, or
    double-quoted (JSON's string syntax is YAML's)."""
    value = value.strip()
    if value.startswith('"'):
        try:
            value = json.loads(value)
        except ValueError:
            raise TableError(f"{where}: the title is not a double-quoted string") from None
    elif value.startswith("'"):
        if len(value) < 2 or not value.endswith("'"):
            raise TableError(f"{where}: the title is not a single-quoted string")
        value = value[1:-1].replace("''", "'")
    if not value.strip() or MARKUP_RE.search(value):
        raise TableError(f"{where}: the title is empty or has markup")
    return value


def _front_matter(lines: list[str], table: MarkdownTable) -> int:
    """Read ``title:`` from the front matter; the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        return 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise TableError(f"{table.name}:1: the front matter has no closing ---")
    for index in range(1, end):
        key, _, value = lines[index].partition(":")
        if key.strip() == "title":
            table.title_lineno = index + 1
            table.title = _title(value, f"{table.name}:{index + 1}")
    return end + 1


def parse_table(text: str, name: str = "TABLE.md") -> MarkdownTable:
    """Read the page; raise :class:`TableError` naming ``file:line`` on anything ambiguous."""
    table, category = MarkdownTable(name), None
    seen: dict[str, int] = {}
    lines = text.splitlines()
    start = _front_matter(lines, table)
    ended = False
    for lineno, line in enumerate(lines[start:], start=start + 1):
        where = f"{name}:{lineno}"
        if not line.lstrip().startswith("|"):
            ended = ended or (table.header is not None and bool(line.strip()))
            continue
        if ended:
            raise TableError(f"{where}: a second table; import one table at a time")
        if DELIMITER_ROW.fullmatch(line.strip()):
            table.delimiter = table.delimiter or line.strip()
            continue
        cells = _cells(line)
        if table.header is None:  # Code | Meaning | Resolution, in any language
            if len(cells) != 3 or not all(cells):
                raise TableError(f"{where}: the header needs three cells (code | meaning | resolution)")
            plain = [_plain(cell, where, "header") for cell in cells]
            table.header, table.header_lineno = (plain[0], plain[1], plain[2]), lineno
            continue
        bold = BOLD.fullmatch(cells[0])
        if bold and not any(cells[1:]):
            category = _plain(bold.group(1), where, "category title")
            if category in table.categories:
                raise TableError(f"{where}: category {category!r} appears twice")
            table.categories.append(category)
            table.category_linenos.append(lineno)
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
