"""XLIFF for CAT tools (Trados, memoQ, Phrase): a locale's catalog out and back in.

The conversion is translate-toolkit's (``po2xliff`` / ``xliff2po``, XLIFF 1.2 as its
PO-flavoured XLIFF: plural forms as groups, developer comments as notes, fuzzy as
``approved="no"``), extended by one thing it drops: each entry's ``msgctxt``, written
as an ``x-po-msgctxt`` context and read back. An import never rewrites a catalog
wholesale: it takes the translations and fuzzy state of entries the catalog already
has and refuses a file whose source text or placeholders changed, so comments,
references and entries the CAT tool never saw stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from translate.convert.po2xliff import po2xliff
from translate.convert.xliff2po import xliff2po
from translate.storage import po as ttk_po
from translate.storage import xliff as ttk_xliff

from ..catalogs import SOURCE_LOCALE, bcp47, validate_po
from .placeholders import placeholders  # {name} and %(name)s, as the check reads them
from .po_write import Translation, write_translations

MSGCTXT = "x-po-msgctxt"
#: translate-toolkit writes XLIFF 1.1's namespace; the file is 1.2 (the version CAT tools read).
XLIFF_ROOT = re.compile(rb"<xliff\b[^>]*>")
XLIFF_1_2 = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'


class XliffError(ValueError):
    """The XLIFF cannot be imported; the message says which unit and why."""


class _Po2Xliff(po2xliff):
    def convertunit(self, outputstore, inputunit, filename):  # type: ignore[no-untyped-def]
        unit = super().convertunit(outputstore, inputunit, filename)
        context = inputunit.getcontext()
        if context and not inputunit.isheader():
            unit.createcontextgroup("po-entry", [(MSGCTXT, context)], purpose="information")
        return unit


def _msgctxt(unit: ttk_xliff.xliffunit) -> str | None:
    for group in unit.getcontextgroups("po-entry"):
        for kind, text in group:
            if kind == MSGCTXT:
                return text
    return None


class _Xliff2Po(xliff2po):
    @staticmethod
    def converttransunit(transunit):  # type: ignore[no-untyped-def]
        unit = xliff2po.converttransunit(transunit)
        context = _msgctxt(transunit)
        if context:
            unit.setcontext(context)
        return unit


def export_xliff(po_file: Path) -> bytes:
    """The catalog as XLIFF 1.2, every entry with its msgctxt, comments, forms and state.

    The file names its catalog by the path in the checkout (``locales/de/LC_MESSAGES/
    messages.po``), not this machine's, and its languages as BCP 47 tags.
    """
    validate_po(po_file)
    store = ttk_po.pofile.parsefile(str(po_file))
    # Obsolete entries (#~, codes the registry no longer has) are no work for a CAT tool,
    # and the import refuses them: their English is not the catalog's.
    store.units = [unit for unit in store.units if not unit.isobsolete()]
    store.filename = Path(*po_file.parts[-4:]).as_posix()
    data = _Po2Xliff().convertstore(
        store, sourcelanguage=SOURCE_LOCALE, targetlanguage=bcp47(po_file.parent.parent.name)
    )
    return XLIFF_ROOT.sub(XLIFF_1_2, data, count=1)


def target_language(xliff: bytes) -> str | None:
    """The ``target-language`` of the file's first ``<file>``, as written."""
    try:
        return ttk_xliff.xlifffile.parsestring(xliff).gettargetlanguage()
    except Exception as exc:  # translate-toolkit raises lxml's and its own errors
        raise XliffError(f"not a readable XLIFF file: {exc}") from None


def _same_language(declared: str, locale_id: str) -> bool:
    """``de`` or a regional ``de-DE`` for the ``de`` catalog; never ``zh-Hant`` for ``zh_Hans``."""
    declared, tag = declared.replace("_", "-").lower(), bcp47(locale_id).lower()
    return declared == tag or declared.startswith(tag + "-")


def xliff_to_po(xliff: bytes) -> polib.POFile:
    """translate-toolkit's reading of an XLIFF file, as a polib catalog."""
    try:
        converted = _Xliff2Po().convertstore(xliff)
    except Exception as exc:  # translate-toolkit raises lxml's and its own errors
        raise XliffError(f"not a readable XLIFF file: {exc}") from None
    catalog = polib.pofile(bytes(converted).decode("utf-8"))
    declared = re.search(r"nplurals=(\d+)", catalog.metadata.get("Plural-Forms", ""))
    nplurals = int(declared.group(1)) if declared else None
    for entry in catalog:
        if entry.msgid_plural and nplurals:  # one-form languages come back with an empty second
            entry.msgstr_plural = {i: entry.msgstr_plural.get(i, "") for i in range(nplurals)}
        # A plural group's notes (developer and translator) come back twice, the second
        # time on one line.
        entry.comment, entry.tcomment = _once(entry.comment), _once(entry.tcomment)
    return catalog


def _once(note: str) -> str:
    lines = note.split("\n")
    if len(lines) > 1 and lines[-1] == " ".join(lines[:-1]):
        return "\n".join(lines[:-1])
    return note


@dataclass
class ImportReport:
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _forms(entry: polib.POEntry) -> list[str]:
    return (
        [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        if entry.msgid_plural
        else [entry.msgstr]
    )


def import_xliff(po_file: Path, xliff: bytes, *, dry_run: bool = False) -> ImportReport:
    """Bring the XLIFF's translations and fuzzy states into the catalog; refuse a unit
    whose source or placeholders differ from the catalog's. Writes in one atomic step."""
    locale_id = po_file.parent.parent.name
    declared = target_language(xliff)
    if declared and not _same_language(declared, locale_id):
        raise XliffError(
            f"its target language is {declared}, the catalog's is {bcp47(locale_id)}: "
            f"import it into its own catalog"
        )
    catalog = polib.pofile(str(po_file), wrapwidth=100)
    by_key = {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    incoming = xliff_to_po(xliff)
    report = ImportReport()
    changes: list[tuple[polib.POEntry, list[str], bool]] = []
    for unit in incoming:
        label = unit.msgctxt or repr(unit.msgid[:40])
        current = by_key.get((unit.msgctxt, unit.msgid))
        if current is None:
            raise XliffError(
                f"{label}: the source text is not the catalog's ({unit.msgid[:60]!r}); "
                "a CAT tool must not change the English: run `make catalogs` and export again"
            )
        forms = _forms(unit)
        if len(forms) != len(_forms(current)):
            raise XliffError(f"{label}: {len(forms)} plural forms, the catalog has {len(_forms(current))}")
        fuzzy = "fuzzy" in unit.flags
        if forms == _forms(current) and fuzzy == ("fuzzy" in current.flags):
            report.unchanged += 1  # nothing to refuse: a fuzzy guess msgmerge made waits as it is
            continue
        source_names = placeholders(current.msgid) | placeholders(current.msgid_plural or "")
        for form in forms:
            if form and placeholders(form) - source_names:
                raise XliffError(f"{label}: unknown placeholder {sorted(placeholders(form) - source_names)}")
            if form and not current.msgid_plural and source_names - placeholders(form):
                raise XliffError(
                    f"{label}: placeholder {sorted(source_names - placeholders(form))} is missing"
                )
        changes.append((current, forms, fuzzy))
        report.updated.append(label)
    if dry_run or not changes:
        return report
    write_translations(
        po_file,
        (
            Translation(entry.msgctxt, entry.msgid, tuple(forms) if entry.msgid_plural else forms[0], fuzzy)
            for entry, forms, fuzzy in changes
        ),
    )
    return report


__all__ = ["XliffError", "export_xliff", "import_xliff", "target_language", "xliff_to_po"]
