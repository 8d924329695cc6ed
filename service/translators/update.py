"""What ``pybabel update`` gets wrong about our catalogs, mended right after it runs.

``make catalogs`` updates each catalog with the stock ``pybabel update --previous``, then
:func:`mend` compares the result with the file as it was:

* Babel's ``read_po`` reads a ``#| msgid`` line (the English before a change) as a
  translator comment, so the next update turned it into ``# | msgid …``: an entry still
  fuzzy keeps its previous English.
* Babel's fuzzy matching looks across contexts: a new code's meaning got another code's
  (or a problem title's) translation as a fuzzy guess, and a reworded entry could take a
  neighbour's. An entry's previous text is the one with its own context, or none: a new
  entry is untranslated.
* Babel never brings an obsolete entry back: a code that returns gets its own old
  translation again (fuzzy only if its English changed meanwhile).
* The source catalog (``en``) is the template's English itself: every entry's text is
  its msgid, so it stays complete whatever the table brings (nobody translates English).
"""

from __future__ import annotations

import io
from pathlib import Path

import polib
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from ..catalogs import SOURCE_LOCALE
from .po_write import WIDTH, keep_previous

Identity = tuple[str, str]


def _identity(context: str | None, msgid: str) -> Identity:
    """Our entries are named by their msgctxt (``40112.meaning``); the few without one
    (problem texts, page headers) by their English."""
    return (context, "") if context else ("", msgid)


def _previous(entry: polib.POEntry) -> list[str]:
    return [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]


def _forms(entry: polib.POEntry, message: Message, plurals: int) -> str | tuple[str, ...]:
    """``entry``'s translation in the shape ``message`` takes (plural or not)."""
    if entry.msgstr_plural:
        forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    else:
        forms = [entry.msgstr]
    if isinstance(message.id, tuple | list):
        return tuple((forms + [""] * plurals)[:plurals])
    return forms[0]


def _translated(string: str | tuple[str, ...]) -> bool:
    return any(string) if isinstance(string, tuple) else bool(string)


def _untranslated(message: Message, plurals: int) -> None:
    message.string = ("",) * plurals if isinstance(message.id, tuple | list) else ""
    message.flags.discard("fuzzy")
    message.previous_id = []
    message.user_comments = []


def mend(before: Path, updated: Path) -> bool:
    """Mend ``updated`` (what ``pybabel update`` made of ``before``); True if it changed."""
    old: dict[Identity, polib.POEntry] = {}
    for entry in polib.pofile(str(before)):  # live entries win over obsolete ones
        key = _identity(entry.msgctxt, entry.msgid)
        if key not in old or old[key].obsolete:
            old[key] = entry
    with updated.open("rb") as source:
        catalog: Catalog = read_po(source, locale=before.parent.parent.name)
    keep_previous(before, catalog)  # an entry whose English did not change keeps its `#|`
    if before.parent.parent.name == SOURCE_LOCALE:
        _mirror_english(catalog)
        return _write(catalog, updated)
    plurals = catalog.num_plurals
    live: set[Identity] = set()
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        key = _identity(message.context, msgid)
        live.add(key)
        message.user_comments = [c for c in message.user_comments if not c.startswith("| msg")]
        was = old.get(key)
        same_english = was is not None and was.msgid == msgid
        if same_english and not was.obsolete:
            continue
        if "fuzzy" not in message.flags and _translated(message.string):
            continue  # translated by its own context all along
        if was is None or not _translated(_forms(was, message, plurals)):
            _untranslated(message, plurals)
            continue
        message.string = _forms(was, message, plurals)
        message.user_comments = was.tcomment.splitlines() if was.tcomment else []
        if same_english and "fuzzy" not in was.flags:
            message.flags.discard("fuzzy")
            message.previous_id = []
        else:
            message.flags.add("fuzzy")
            message.previous_id = [] if same_english else _previous(was)
    for key in [k for k in catalog.obsolete if _identity(*_key_parts(k)) in live]:
        del catalog.obsolete[key]
    kept = {_identity(*_key_parts(k)) for k in catalog.obsolete}
    for key, entry in old.items():  # Babel drops an entry it used as a guess for another
        if key not in live and key not in kept and not entry.obsolete and entry.msgid:
            _keep_obsolete(catalog, entry)
    return _write(catalog, updated)


def _mirror_english(catalog: Catalog) -> None:
    """The source catalog's text is its English: confirmed, with no previous msgid."""
    for message in catalog:
        if message.id:
            message.string = tuple(message.id) if isinstance(message.id, tuple | list) else message.id
            message.flags.discard("fuzzy")
            message.previous_id = []
            message.user_comments = [c for c in message.user_comments if not c.startswith("| msg")]


def _write(catalog: Catalog, updated: Path) -> bool:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=True)
    text = buffer.getvalue()
    if text == updated.read_bytes():
        return False
    updated.write_bytes(text)
    return True


def _keep_obsolete(catalog: Catalog, entry: polib.POEntry) -> None:
    msgid = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
    forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] if entry.msgstr_plural else None
    catalog.obsolete[(entry.msgid, entry.msgctxt) if entry.msgctxt else entry.msgid] = Message(
        msgid,
        tuple(forms) if forms is not None else entry.msgstr,
        auto_comments=entry.comment.splitlines() if entry.comment else [],
        user_comments=entry.tcomment.splitlines() if entry.tcomment else [],
        flags=entry.flags,
        context=entry.msgctxt,
    )


def _key_parts(key: str | tuple[str, str]) -> tuple[str | None, str]:
    """(context, msgid) of a key of Babel's obsolete dictionary."""
    if isinstance(key, tuple):
        msgid, context = key
        return context, msgid
    return None, key
