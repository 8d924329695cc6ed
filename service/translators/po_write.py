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


def write_translations(po_file: Path, translations: Iterable[Translation]) -> None:
    """Set each entry's text and fuzzy state; a confirmed entry loses its ``#|`` previous
    msgid. Replaces the file in one step, and never with one msgfmt would refuse."""
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=po_file.parent.parent.name)
    for item in translations:
        message = catalog.get(item.msgid, context=item.msgctxt)
        if message is None:
            raise KeyError(f"{po_file}: no entry {item.msgctxt or item.msgid!r}")
        message.string = item.string
        if item.fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=True)
    write_atomically(po_file, buffer.getvalue(), check=validate_po)
