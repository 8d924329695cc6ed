"""The code table back out: one Markdown documentation page per shipped locale.

The table we started from is a page of product documentation. Rendering it from the
catalogs means a docs site can never disagree with what the API tells users: the
English page is the original page byte for byte, and every other language gets the
same shape with its own words and help links (README, "For documentation owners").
The title, header cells and delimiter row are the imported page's (``[page]`` in the
registry), so a page comes back out as it went in (the shape is in :mod:`.page`).
Deprecated codes are left out: the vendor's page no longer has them.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from ..catalogs import PSEUDO_LOCALES, bcp47
from ..files import write_if_changed
from ..lookup import ErrorTable

LinkStyle = Literal["html", "markdown"]
LINK_STYLES: tuple[LinkStyle, ...] = ("html", "markdown")


#: What would end a cell or turn text into markup inside a GFM table cell: the pipe,
#: backslash escapes, code spans, emphasis, links, strikethrough, and an ``<`` or ``&``
#: that would start a tag or an entity. ``_`` inside a word (``origin_type``) and a
#: lone ``<`` (``Ensure < 100MB``) are literal in GFM and stay as written.
MARKDOWN_SPECIAL = re.compile(r"[\\|`*\[\]~]|(?<!\w)_|_(?!\w)|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
#: A title YAML reads as a plain string: no indicator first, no ``: `` or `` #``, not a
#: number, boolean or null (checked by the tests with a YAML parser).
YAML_PLAIN = re.compile(r"(?![-?:,\[\]{}#&*!|>'\"%@`\s])(?!(?i:true|false|yes|no|on|off|null|~)$)"
                        r"(?![-+.\d])(?:(?!: | #)[^\n:#])*[^\s:]")  # fmt: skip
#: Characters that are not safe unencoded in a Markdown link destination.
URL_UNSAFE = re.compile(r"[\s()<>\\]")


def yaml_scalar(text: str) -> str:
    """The front matter's title: plain as in the original when YAML reads it back as
    written, else double-quoted (JSON's string syntax is YAML's)."""
    if YAML_PLAIN.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def escape_cell(text: str) -> str:
    """Text as one table cell that renders literally (a newline would end the row)."""
    return MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), " ".join(text.splitlines()))


def link(text: str, url: str, style: LinkStyle) -> str:
    """A link inside a cell: the original page's ``<a … target="_blank">`` or Markdown's."""
    if style == "html":
        return f'<a href="{html.escape(url)}" target="_blank">{escape_cell(text)}</a>'
    destination = URL_UNSAFE.sub(lambda m: quote(m.group()), url)
    return f"[{escape_cell(text)}]({destination})"


def render_page(table: ErrorTable, locale_id: str, *, links: LinkStyle = "html", base_url: str = "") -> str:
    """One locale's page: front matter, then the table by category.

    Links are the locale's help links as the catalogs give them (paths on the docs
    site), prefixed with ``base_url`` when the pages are published elsewhere.
    """

    def words(context: str | None, msgid: str) -> str:
        return table.translate(locale_id, context, msgid)[0]  # type: ignore[arg-type]

    page = table.registry.page  # title, header and delimiter as the imported page had them
    rtl = table.catalogs[locale_id].locale.text_direction == "rtl"
    # A right-to-left page says so (VitePress sets <html dir> from it) and leaves cell
    # alignment to the direction: ``:---`` would push every Arabic cell to the left.
    title = yaml_scalar(words(page.title_context, page.title))
    lines = ["---", f"title: {title}", *(["dir: rtl"] if rtl else []), "---", ""]
    lines.append("| " + " | ".join(escape_cell(words(None, w)) for w in page.header) + " |")
    lines.append(page.delimiter.replace(":", "") if rtl else page.delimiter)
    documented = table.registry.documented()  # deprecated codes are no longer the vendor's
    for category_id in table.registry.categories:
        if not any(entry.category == category_id for entry in documented):
            continue
        lines.append(f"| **{escape_cell(table.category_title(category_id, locale_id))}** | | |")
        for entry in documented:
            if entry.category != category_id:
                continue
            shown = table.get(entry.code, locale_id)
            assert shown is not None
            resolution = escape_cell(shown.resolution)
            target = table.help_link(entry, locale_id)
            if target:
                url = base_url.rstrip("/") + target if target.startswith("/") else target
                resolution = link(shown.resolution, url, links)
            lines.append(f"| {entry.code} | {escape_cell(shown.meaning)} | {resolution} |")
    return "\n".join(lines) + "\n"


def documented_locales(table: ErrorTable) -> list[str]:
    """Every shipped language; pseudo-locales are for testing layouts, not for readers."""
    return [locale_id for locale_id in table.locale_ids if locale_id not in PSEUDO_LOCALES]


def page_name(locale_id: str) -> str:
    """``docs/errors/<tag>.md``: the BCP 47 tag, as in every URL of the service."""
    return f"{bcp47(locale_id)}.md"


def write_pages(
    table: ErrorTable, outdir: Path, *, links: LinkStyle = "html", base_url: str = "", only: str | None = None
) -> dict[Path, bool]:
    """Write the pages; a page whose text is unchanged is not rewritten (its mtime stays).

    Returns each page's path and whether it changed.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    written = {}
    for locale_id in documented_locales(table):
        if only is not None and locale_id != only:
            continue
        path = outdir / page_name(locale_id)
        text = render_page(table, locale_id, links=links, base_url=base_url)
        written[path] = write_if_changed(path, text)
    return written


def remove_stale_pages(table: ErrorTable, outdir: Path) -> list[Path]:
    """Delete the pages of languages no longer shipped (``docs/errors/it.md`` once ``it``
    is removed); other Markdown files in the folder, such as a README, stay."""
    from babel import Locale, UnknownLocaleError

    shipped = {page_name(locale_id) for locale_id in documented_locales(table)}
    removed = []
    for path in sorted(outdir.glob("*.md")):
        if path.name in shipped:
            continue
        try:
            Locale.parse(path.stem, sep="-")
        except (ValueError, UnknownLocaleError):
            continue  # not a language's page
        path.unlink()
        removed.append(path)
    return removed
