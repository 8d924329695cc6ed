"""Writing translations into a catalog the way ``pybabel update`` writes it.

The importers (XLIFF, a translated page) change a few entries; Babel reads and writes
the whole file with the Makefile's settings, so the diff is only the changed lines and
every comment, reference and obsolete entry stays as it was.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..catalogs import validate_po
from ..files import write_atomically

#: The Makefile's `pybabel update --width`.
WIDTH = 100


@dataclass(frozen=True)
class Translation:
    """One entry's new text (a tuple of forms for a plural entry) and fuzzy state."""

    msgctxt: str | None
    msgid: str
    string: str | tuple[str, ...]
    fuzzy: bool
    msgid_plural: str | None = None


def keep_previous(po_file: Path, catalog: Catalog) -> None:
    """Babel's ``read_po`` reads a ``#| msgid`` (the English before a change) as a translator
    comment ``| msgid …``; take it from polib instead, so a fuzzy entry keeps it."""
    previous = {
        (entry.msgctxt, entry.msgid): [p for p in (entry.previous_msgid, entry.previous_msgid_plural) if p]
        for entry in polib.pofile(str(po_file))
        if entry.previous_msgid and not entry.obsolete
    }
    for message in catalog:
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if (message.context, msgid) in previous:
            message.previous_id = previous[message.context, msgid]
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]


def write_translations(po_file: Path, translations: Iterable[Translation]) -> None:
    """Set each entry's text and fuzzy state; a confirmed entry loses its ``#|`` previous
    msgid. An entry the catalog lacks (its English is newer than the catalog) is added,
    and ``make catalogs`` puts it in place. Replaces the file in one step, and never with
    one msgfmt would refuse."""
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=po_file.parent.parent.name)
    keep_previous(po_file, catalog)
    for item in translations:
        message = catalog.get(item.msgid, context=item.msgctxt)
        if message is None:
            msgid = (item.msgid, item.msgid_plural) if item.msgid_plural else item.msgid
            message = catalog.add(msgid, item.string, context=item.msgctxt)
        message.string = item.string
        if item.fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=True)
    write_atomically(po_file, buffer.getvalue(), check=validate_po)
