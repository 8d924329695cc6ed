"""Compiled gettext catalogs: find the shipped locales and load their ``.mo`` files.

A locale is shipped when ``locales/<id>/LC_MESSAGES/messages.po`` exists; its
compiled ``messages.mo`` must exist too and be newer than the ``.po``, or start-up
stops with the file named (run ``make catalogs``). Folder names are Babel locale
identifiers (``zh_Hant``, ``pt_BR``) and are only ever read from the disk, never
built from request input.
"""

from __future__ import annotations

import gettext
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import read_mo

DOMAIN = "messages"

#: (msgctxt, msgid) → msgstr, or the tuple of plural forms.
MessageKey = tuple[str | None, str]
Translation = str | tuple[str, ...]


class CatalogError(RuntimeError):
    """A catalog is missing, stale or unreadable; the message names the file."""


def po_path(locales_dir: Path, locale_id: str) -> Path:
    return locales_dir / locale_id / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locales_dir: Path, locale_id: str) -> Path:
    return locales_dir / locale_id / "LC_MESSAGES" / f"{DOMAIN}.mo"


def bcp47(locale_id: str) -> str:
    """``zh_Hant`` → ``zh-Hant``: Babel identifiers on disk, BCP 47 on the wire."""
    return locale_id.replace("_", "-")


@dataclass(frozen=True)
class Catalog:
    """One locale's compiled translations."""

    locale_id: str
    path: Path
    messages: dict[MessageKey, Translation] = field(repr=False)
    plural: Callable[[int], int] = field(repr=False)

    @property
    def tag(self) -> str:
        return bcp47(self.locale_id)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.locale_id)

    def lookup(self, context: str | None, msgid: str) -> Translation | None:
        return self.messages.get((context, msgid))


def discover_locale_ids(locales_dir: Path) -> list[str]:
    """The locale folders that hold a ``.po`` file, sorted."""
    if not locales_dir.is_dir():
        raise CatalogError(f"{locales_dir}: the locales directory does not exist")
    return sorted(p.parent.parent.name for p in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def load_catalog(locales_dir: Path, locale_id: str) -> Catalog:
    """Load one compiled catalog, refusing a missing, stale or corrupt file."""
    try:
        Locale.parse(locale_id)
    except (ValueError, UnknownLocaleError) as exc:
        raise CatalogError(f"{locales_dir / locale_id}: not a Babel locale identifier ({exc})") from None
    mo, po = mo_path(locales_dir, locale_id), po_path(locales_dir, locale_id)
    if not mo.is_file():
        raise CatalogError(f"{mo}: compiled catalog is missing; run `make catalogs`")
    if po.is_file() and po.stat().st_mtime > mo.stat().st_mtime:
        raise CatalogError(f"{mo}: older than {po.name}; run `make catalogs`")
    try:
        with mo.open("rb") as fp:
            compiled = read_mo(fp)
        plural = gettext.c2py(compiled.plural_expr)
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise CatalogError(f"{mo}: unreadable compiled catalog ({exc})") from None
    messages: dict[MessageKey, Translation] = {}
    for message in compiled:
        if not message.id:
            continue  # the header
        msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        string = tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string
        messages[(message.context, msgid)] = string
    return Catalog(locale_id, mo, messages, plural)


def load_catalogs(locales_dir: Path, locale_ids: Iterable[str] | None = None) -> dict[str, Catalog]:
    ids = discover_locale_ids(locales_dir) if locale_ids is None else list(locale_ids)
    if not ids:
        raise CatalogError(f"{locales_dir}: no locales/*/LC_MESSAGES/{DOMAIN}.po found")
    return {locale_id: load_catalog(locales_dir, locale_id) for locale_id in ids}


def load_template_keys(locales_dir: Path) -> set[MessageKey]:
    """The (msgctxt, msgid) pairs of ``messages.pot``: what a complete catalog holds."""
    from babel.messages.pofile import read_po

    pot = locales_dir / f"{DOMAIN}.pot"
    if not pot.is_file():
        raise CatalogError(f"{pot}: the template is missing; run `make catalogs`")
    with pot.open("rb") as fp:
        template = read_po(fp)
    return {(m.context, m.id[0] if isinstance(m.id, (list, tuple)) else m.id) for m in template if m.id}


def percent_translated(catalog: Catalog, keys: set[MessageKey]) -> float:
    """Share of the template this catalog translates (fuzzy entries are not compiled)."""
    if not keys:
        return 100.0
    done = 0
    for key in keys:
        found = catalog.messages.get(key)
        if found and (isinstance(found, str) or all(found)):
            done += 1
    return round(100 * done / len(keys), 1)

