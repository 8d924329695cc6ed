"""The product glossary (``locales/glossary.tbx``) and the check ``catalog check`` runs with it.

The glossary is TBX-Basic (ISO 30042), the format terminology tools exchange: each
concept has its English terms and, per language, the accepted forms of the required
term. An entry whose English contains a term must contain one of its language's forms
(letter case aside); a term marked "do not translate" must appear as written. A
translator who has a reason to differ says so in a translator comment on the entry:

    # glossary-ok Token: the reload token is an admin credential, not a model Token
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

from ..catalogs import bcp47

#: Beside the catalogs: ``locales/glossary.tbx``.
GLOSSARY_FILE = "glossary.tbx"
TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DO_NOT_TRANSLATE = "do not translate"
#: ``# glossary-ok TERM: REASON`` in a translator comment; the reason is required.
OPT_OUT = re.compile(r"^glossary-ok\s+(?P<term>[^:]+?)\s*:\s*(?P<reason>\S.*)$", re.M)
#: The same comment without its reason: refused, and the message says what is missing.
UNREASONED = re.compile(r"^glossary-ok\s+(?P<term>[^:]+?)\s*:?\s*$", re.M)


class GlossaryError(ValueError):
    """The glossary file is not TBX this check can read; the message names it."""


@dataclass(frozen=True)
class Concept:
    id: str
    definition: str
    #: English terms: the first is the term, the others its inflections (plural).
    english: tuple[str, ...]
    #: BCP 47 tag → accepted forms of the required term.
    targets: dict[str, tuple[str, ...]]
    untranslated: bool

    def found_in_source(self, text: str) -> bool:
        pattern = "|".join(re.escape(term) for term in self.english)
        flags = 0 if self.untranslated else re.IGNORECASE
        return re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text, flags) is not None

    def required(self, tag: str) -> tuple[str, ...]:
        return self.english if self.untranslated else self.targets.get(tag, ())


@dataclass(frozen=True)
class Glossary:
    path: Path
    concepts: tuple[Concept, ...]

    def missing(self, locale_id: str) -> list[str]:
        """The concepts with no term for this language: a new language's first step."""
        tag = bcp47(locale_id)
        return [c.id for c in self.concepts if not c.untranslated and tag not in c.targets]

    def issues(self, entry: polib.POEntry, locale_id: str) -> Iterator[str]:
        """What the entry's translation lacks: one message per glossary term."""
        tag = bcp47(locale_id)
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        opted_out = {m.group("term").strip().lower() for m in OPT_OUT.finditer(entry.tcomment or "")}
        unreasoned = {m.group("term").strip().lower() for m in UNREASONED.finditer(entry.tcomment or "")}
        for concept in self.concepts:
            forms = concept.required(tag)
            if not forms or not concept.found_in_source(entry.msgid):
                continue
            if concept.english[0].lower() in opted_out:
                continue
            for text in texts:
                if not any(form.lower() in text.lower() for form in forms):
                    wanted = " / ".join(forms)
                    how = "keep it as written" if concept.untranslated else f"use {wanted}"
                    term = concept.english[0]
                    if term.lower() in unreasoned:
                        yield (
                            f"glossary term {term!r}: the '# glossary-ok {term}' comment gives no reason; "
                            f"write why after the colon ('# glossary-ok {term}: …'), or {how}"
                        )
                        break
                    yield f"glossary term {term!r}: {how} (or say why in a '# glossary-ok {term}: …' comment)"
                    break


def load_glossary(path: Path) -> Glossary | None:
    """The glossary, or None when there is none; raises :class:`GlossaryError`."""
    if not path.is_file():
        return None
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise GlossaryError(f"{path}: {exc}") from None
    concepts = []
    for entry in root.iter(f"{TBX}conceptEntry"):
        cid = entry.get("id") or "?"
        definition = "".join(e.text or "" for e in entry.findall(f"{TBX}descrip"))
        english: tuple[str, ...] = ()
        targets: dict[str, tuple[str, ...]] = {}
        untranslated = False
        for lang_sec in entry.findall(f"{TBX}langSec"):
            tag = lang_sec.get(XML_LANG, "")
            forms = tuple(
                (term.text or "").strip() for term in lang_sec.iter(f"{TBX}term") if (term.text or "").strip()
            )
            notes = [(n.text or "").strip().lower() for n in lang_sec.iter(f"{TBX}termNote")]
            if tag == "en":
                english, untranslated = forms, DO_NOT_TRANSLATE in notes
            elif forms:
                targets[tag] = forms
        if not english:
            raise GlossaryError(f"{path}: concept {cid!r} has no English term")
        concepts.append(Concept(cid, definition, english, targets, untranslated))
    if not concepts:
        raise GlossaryError(f"{path}: no conceptEntry found (TBX namespace {TBX[1:-1]})")
    return Glossary(path, tuple(concepts))
